/**
 * The one-pass canonical encoder (the definition is in canonical.ts: msgpackr over a sorted copy).
 *
 * Objects with a string `kind` (AST nodes, types) are written by a plan per kind: the sorted key
 * list and each key's msgpack bytes, made from the first object of that kind and reused while
 * later objects have the same own keys in the same order, which they do when one factory made
 * them (checked with a for-in over plain objects, which reads V8's cached key list without
 * allocating the array Object.keys would). Values msgpack encodes in ways this writer does not
 * spell out (floats, integers beyond 32 bits, bigints, binary) are encoded by msgpackr itself:
 * an encoding is the concatenation of its parts' encodings, so the bytes are the same.
 */

/** The encodings the writer leaves to msgpackr (injected: canonical.ts owns the Packr). */
export interface Fallback {
  /** msgpackr's encoding of a value. */
  readonly pack: (v: unknown) => Uint8Array;
  /** The definition's encoding of an object (a sorted copy, then msgpackr). */
  readonly packObject: (o: object, omitKeys: readonly string[]) => Uint8Array;
}

/** An own key that a plain object keeps ahead of the others (an array index), which the sorted copy would reorder. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/** How objects of one kind with one own-key order are written. */
interface Plan {
  /** Object.keys of the objects the plan is for. */
  readonly written: readonly string[];
  /** The keys to write, sorted, without the omitted ones. */
  readonly keys: readonly string[];
  /**
   * Per key, its msgpack bytes; for `kind`, followed by the kind's (the same in every object of
   * the plan). Small-integer arrays: V8 reads them faster than the Buffers msgpackr returns.
   */
  readonly heads: readonly (readonly number[])[];
  /** Per key, its index in `written`. */
  readonly from: readonly number[];
  /** The index of `kind` in `keys`. */
  readonly kindAt: number;
}

interface Setup {
  readonly omit: ReadonlySet<string>;
  readonly omitKeys: readonly string[];
  /** Plans by kind, for this set of omitted keys (shared by every writer with that set). */
  readonly plans: Map<string, Plan>;
}

/** Finished writers, for reuse (several at once: a getter on an encoded object may start an encoding inside another). */
const POOL: Writer[] = [];
const PLANS = new Map<string, Map<string, Plan>>();
const SETUPS = new WeakMap<readonly string[], Setup>();

function setupOf(omitKeys: readonly string[]): Setup {
  // per omitKeys list (callers pass a constant one): the set and the plans
  let setup = SETUPS.get(omitKeys);
  if (!setup) {
    const omit = new Set(omitKeys);
    const omitted = [...omit].sort().join("\u0000");
    let plans = PLANS.get(omitted);
    if (!plans) {
      plans = new Map();
      PLANS.set(omitted, plans);
    }
    setup = { omit, omitKeys: [...omit], plans };
    SETUPS.set(omitKeys, setup);
  }
  return setup;
}

/** One encoding at a time: `Writer.open`, `value`, then `bytes` (which hands the writer back for reuse). */
export class Writer {
  private buf = Buffer.allocUnsafe(8192);
  private pos = 0;
  /** The member values of the objects being written, outermost first (see byPlan). */
  private readonly values: unknown[] = [];
  private top = 0;

  private constructor(
    private setup: Setup,
    private fallback: Fallback,
  ) {}

  static open(omitKeys: readonly string[], fallback: Fallback): Writer {
    const setup = setupOf(omitKeys);
    const w = POOL.pop();
    if (w === undefined) return new Writer(setup, fallback);
    w.setup = setup;
    w.fallback = fallback;
    w.pos = 0;
    w.top = 0;
    return w;
  }

  /** The encoding; valid until the next one starts (callers copy or hash it first). */
  bytes(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    if (POOL.length < 4) POOL.push(this);
    return out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private header(n: number, fix: number, fixLimit: number, c16: number, c32: number): void {
    this.room(5);
    const b = this.buf;
    if (n < fixLimit) b[this.pos++] = fix | n;
    else if (n < 0x10000) {
      b[this.pos++] = c16;
      b[this.pos++] = n >> 8;
      b[this.pos++] = n & 0xff;
    } else {
      b[this.pos++] = c32;
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    }
  }

  private raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A plan's key bytes (a few: a loop beats a call into Buffer#set). */
  private head(bytes: readonly number[]): void {
    const n = bytes.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = bytes[i]!;
    this.pos = p;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case "string":
        return this.string(v);
      case "number":
        return this.number(v);
      case "boolean":
        this.room(1);
        this.buf[this.pos++] = v ? 0xc3 : 0xc2;
        return;
      case "object":
        if (v === null) {
          this.room(1);
          this.buf[this.pos++] = 0xc0;
          return;
        }
        if (Array.isArray(v)) return this.array(v);
        if (v instanceof Uint8Array) return this.raw(this.fallback.pack(v));
        if (v instanceof Map) throw new TypeError("cannot canonicalize a Map: use a plain object");
        return this.object(v as Record<string, unknown>);
      case "undefined":
        // only reached inside arrays (object members that are undefined are left out): null, as canonicalize has it
        this.room(1);
        this.buf[this.pos++] = 0xc0;
        return;
      case "bigint":
        return this.raw(this.fallback.pack(v));
      default:
        throw new TypeError(`cannot canonicalize a ${typeof v}`);
    }
  }
  private number(v: number): void {
    if (v >>> 0 === v) {
      this.room(5);
      const b = this.buf;
      if (v < 0x80) b[this.pos++] = v;
      else if (v < 0x100) {
        b[this.pos++] = 0xcc;
        b[this.pos++] = v;
      } else if (v < 0x10000) {
        b[this.pos++] = 0xcd;
        b[this.pos++] = v >> 8;
        b[this.pos++] = v & 0xff;
      } else {
        b[this.pos++] = 0xce;
        b.writeUInt32BE(v, this.pos);
        this.pos += 4;
      }
      return;
    }
    if (v >> 0 === v && v >= -0x20) {
      this.room(1);
      this.buf[this.pos++] = 0x100 + v;
      return;
    }
    this.raw(this.fallback.pack(Object.is(v, -0) ? 0 : v));
  }

  private string(s: string): void {
    const n = s.length;
    if (n >= 0x40) {
      // msgpackr writes long strings with Buffer's UTF-8 encoder; so does this
      const bytes = Buffer.byteLength(s, "utf8");
      this.room(bytes + 5);
      const b = this.buf;
      if (bytes < 0x100) {
        b[this.pos++] = 0xd9;
        b[this.pos++] = bytes;
      } else if (bytes < 0x10000) {
        b[this.pos++] = 0xda;
        b[this.pos++] = bytes >> 8;
        b[this.pos++] = bytes & 0xff;
      } else {
        b[this.pos++] = 0xdb;
        b.writeUInt32BE(bytes, this.pos);
        this.pos += 4;
      }
      this.pos += b.write(s, this.pos, bytes, "utf8");
      return;
    }
    // short strings: the same loop as msgpackr's (a lone surrogate is 3 bytes, as msgpackr has it)
    this.room(n * 3 + 2);
    const b = this.buf;
    const start = this.pos;
    let p = start + 1;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      if (n < 0x20) {
        b[start] = 0xa0 | n;
        this.pos = p;
      } else {
        b.copyWithin(start + 2, start + 1, p);
        b[start] = 0xd9;
        b[start + 1] = n;
        this.pos = p + 1;
      }
      return;
    }
    p = start + 2;
    for (let i = 0; i < n; i++) {
      let c1 = s.charCodeAt(i);
      let c2: number;
      if (c1 < 0x80) b[p++] = c1;
      else if (c1 < 0x800) {
        b[p++] = (c1 >> 6) | 0xc0;
        b[p++] = (c1 & 0x3f) | 0x80;
      } else if ((c1 & 0xfc00) === 0xd800 && ((c2 = s.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
        c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff);
        i++;
        b[p++] = (c1 >> 18) | 0xf0;
        b[p++] = ((c1 >> 12) & 0x3f) | 0x80;
        b[p++] = ((c1 >> 6) & 0x3f) | 0x80;
        b[p++] = (c1 & 0x3f) | 0x80;
      } else {
        b[p++] = (c1 >> 12) | 0xe0;
        b[p++] = ((c1 >> 6) & 0x3f) | 0x80;
        b[p++] = (c1 & 0x3f) | 0x80;
      }
    }
    const len = p - start - 2;
    if (len < 0x20) {
      b.copyWithin(start + 1, start + 2, p);
      b[start] = 0xa0 | len;
      this.pos = p - 1;
    } else {
      b[start] = 0xd9;
      b[start + 1] = len;
      this.pos = p;
    }
  }

  private array(a: readonly unknown[]): void {
    this.header(a.length, 0x90, 0x10, 0xdc, 0xdd);
    for (let i = 0; i < a.length; i++) this.value(a[i]);
  }

  private object(o: Record<string, unknown>): void {
    const kind = o["kind"];
    if (typeof kind === "string") {
      const plan = this.setup.plans.get(kind);
      if (plan !== undefined && this.byPlan(o, plan)) return;
      const next = this.planFor(kind, Object.keys(o));
      if (next !== null) {
        this.setup.plans.set(kind, next);
        if (this.byPlan(o, next)) return;
      }
    }
    const sorted = sortedKeys(Object.keys(o), this.setup.omit);
    if (sorted === null) return this.raw(this.fallback.packObject(o, this.setup.omitKeys));
    this.members(o, sorted);
  }

  /** A plan for objects of `kind` with own keys `written`; null when an index-like key rules one out. */
  private planFor(kind: string, written: readonly string[]): Plan | null {
    const keys = sortedKeys(written, this.setup.omit);
    if (keys === null || keys.length >= 0x10) return null;
    const kindAt = keys.indexOf("kind");
    const heads = keys.map((k, i) => [...this.fallback.pack(k), ...(i === kindAt ? this.fallback.pack(kind) : [])]);
    return { written, keys, heads, from: keys.map((k) => written.indexOf(k)), kindAt };
  }

  /**
   * Writes `o` by `plan` when its own keys are the plan's, in the same order; false (nothing
   * written) when not. The values are read in a for-in over `o` (V8 reads them by position from
   * its key cache there, where `o[key]` with a varying key is a slow generic lookup), kept on
   * `values` above those of the enclosing objects, then written in sorted order.
   */
  private byPlan(o: Record<string, unknown>, plan: Plan): boolean {
    const proto = Object.getPrototypeOf(o) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    const { written, keys, heads, from, kindAt } = plan;
    const values = this.values;
    const base = this.top;
    let i = 0;
    for (const k in o) {
      if (k !== written[i]) return false;
      values[base + i++] = o[k];
    }
    if (i !== written.length) return false;
    this.top = base + i;
    // a fixmap (planFor keeps plans under 16 keys): its header byte is written once the defined members are counted
    this.room(1);
    const at = this.pos++;
    let count = 0;
    for (let j = 0; j < keys.length; j++) {
      if (j === kindAt) {
        this.head(heads[j]!);
        count++;
        continue;
      }
      const x = values[base + from[j]!];
      if (x === undefined) continue;
      count++;
      this.head(heads[j]!);
      // the leaves most members hold, without the call through value()
      if (x === null || x === true || x === false) {
        this.room(1);
        this.buf[this.pos++] = x === null ? 0xc0 : x ? 0xc3 : 0xc2;
      } else if (typeof x === "string") this.string(x);
      else this.value(x);
    }
    this.buf[at] = 0x80 | count;
    this.top = base;
    return true;
  }

  /** The defined members of `o` under `sorted` keys, as a map. */
  private members(o: Record<string, unknown>, sorted: readonly string[]): void {
    let count = 0;
    for (let i = 0; i < sorted.length; i++) if (o[sorted[i]!] !== undefined) count++;
    this.header(count, 0x80, 0x10, 0xde, 0xdf);
    for (let i = 0; i < sorted.length; i++) {
      const k = sorted[i]!;
      const x = o[k];
      if (x === undefined) continue;
      this.string(k);
      this.value(x);
    }
  }
}

/** The keys to write, in order; null when an index-like key makes plain-object order differ. */
function sortedKeys(written: readonly string[], omit: ReadonlySet<string>): string[] | null {
  const sorted: string[] = [];
  for (const k of [...written].sort()) {
    if (INDEX_KEY.test(k)) return null;
    if (!omit.has(k)) sorted.push(k);
  }
  return sorted;
}
