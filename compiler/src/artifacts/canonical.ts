import { createHash } from "node:crypto";
import * as crypto from "node:crypto";
import { Packr } from "msgpackr";

/**
 * Canonical encoding: msgpack of a plain value with object keys sorted, no msgpackr records
 * extension, `undefined` members dropped, -0 as 0, and the given keys (e.g. source `range`)
 * omitted at every depth. Equal meaning → equal bytes → equal fingerprint, on every machine.
 *
 * The definition is `packr.pack(canonicalize(value))` with the Packr options below
 * (`referenceCanonicalEncode`). `canonicalEncode` writes the same bytes in one pass without
 * building the sorted copy first (fingerprints are taken of every view's tree, so this is on
 * the policy lane's hot path); tests/unit/artifacts/canonical.test.ts checks the two agree.
 */
export const CANONICAL_PACKR_OPTIONS = { useRecords: false, variableMapSize: true, int64AsType: "bigint" } as const;
const packr = new Packr(CANONICAL_PACKR_OPTIONS as ConstructorParameters<typeof Packr>[0]);

export interface CanonicalOptions {
  /** Keys left out wherever they appear, e.g. ["range"] for AST nodes. */
  readonly omitKeys?: readonly string[];
}

export function canonicalize(value: unknown, opts: CanonicalOptions = {}): unknown {
  const omit = new Set(opts.omitKeys ?? []);
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") {
      if (typeof v === "number" && Object.is(v, -0)) return 0;
      if (typeof v === "function" || typeof v === "symbol") throw new TypeError(`cannot canonicalize a ${typeof v}`);
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : walk(x)));
    if (v instanceof Uint8Array) return v;
    if (v instanceof Map) throw new TypeError("cannot canonicalize a Map: use a plain object");
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || omit.has(k)) continue;
      out[k] = walk(x);
    }
    return out;
  };
  return walk(value);
}

/** The definition of the canonical encoding (slow: a sorted copy, then msgpackr). */
export function referenceCanonicalEncode(value: unknown, opts: CanonicalOptions = {}): Uint8Array {
  return packr.pack(canonicalize(value, opts));
}

export function canonicalEncode(value: unknown, opts: CanonicalOptions = {}): Uint8Array {
  const w = new Writer(opts.omitKeys ?? NO_KEYS);
  w.value(value);
  // a copy: the writer's buffer is reused by the next encoding (Buffer#slice would share it)
  return Buffer.from(w.bytes());
}

/** sha256 hex of the canonical encoding. */
export function fingerprint(value: unknown, opts: CanonicalOptions = {}): string {
  const w = new Writer(opts.omitKeys ?? NO_KEYS);
  w.value(value);
  return sha256Hex(w.bytes());
}

// crypto.hash (Node ≥ 20.12) hashes in one call, without a Hash object.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: "hex") => string }).hash;

function sha256Hex(data: Uint8Array): string {
  return oneShot ? oneShot("sha256", data, "hex") : createHash("sha256").update(data).digest("hex");
}

/** An own key that a plain object keeps ahead of the others (an array index), which the sorted copy would reorder. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

interface KeyOrder {
  /** Object.keys of the last object of this kind seen. */
  readonly written: readonly string[];
  /** The same keys sorted, without the omitted ones. */
  readonly sorted: readonly string[];
}

/**
 * The one-pass encoder. Objects with a string `kind` (AST nodes, types) reuse the sorted key
 * list of the last object of that kind when their own keys come in the same order, which they
 * do when one factory made them. Values msgpack encodes in ways this writer does not spell out
 * (floats, integers beyond 32 bits, bigints, binary) are encoded by msgpackr itself: an
 * encoding is the concatenation of its parts' encodings, so the bytes are the same.
 */
class Writer {
  private buf: Buffer;
  private pos = 0;
  private readonly omit: ReadonlySet<string>;
  /** Key orders by kind, for this set of omitted keys (shared by every writer with that set). */
  private readonly orders: Map<string, KeyOrder>;

  constructor(omitKeys: readonly string[]) {
    // per omitKeys list (callers pass a constant one): the set and the key orders
    let setup = SETUPS.get(omitKeys);
    if (!setup) {
      const omit = new Set(omitKeys);
      const omitted = [...omit].sort().join("\u0000");
      let orders = ORDERS.get(omitted);
      if (!orders) {
        orders = new Map();
        ORDERS.set(omitted, orders);
      }
      setup = { omit, orders };
      SETUPS.set(omitKeys, setup);
    }
    this.omit = setup.omit;
    this.orders = setup.orders;
    this.buf = POOL.length > 0 ? POOL.pop()! : Buffer.allocUnsafe(8192);
  }

  bytes(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    // the pooled buffer is handed back: callers copy or hash before the next encoding starts
    if (POOL.length < 4) POOL.push(this.buf);
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
        if (v instanceof Uint8Array) return this.raw(packr.pack(v));
        if (v instanceof Map) throw new TypeError("cannot canonicalize a Map: use a plain object");
        return this.object(v as Record<string, unknown>);
      case "undefined":
        // only reached inside arrays (object members that are undefined are left out): null, as canonicalize has it
        this.room(1);
        this.buf[this.pos++] = 0xc0;
        return;
      case "bigint":
        return this.raw(packr.pack(v));
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
    this.raw(packr.pack(Object.is(v, -0) ? 0 : v));
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
    const written = Object.keys(o);
    const sorted = this.sortedKeys(o, written);
    if (sorted === null) {
      this.raw(packr.pack(canonicalize(o, { omitKeys: [...this.omit] })));
      return;
    }
    if (sorted.length < 0x10) {
      // fixmap whatever the count of defined members: its header byte is written once they are
      this.room(1);
      const at = this.pos++;
      let count = 0;
      for (let i = 0; i < sorted.length; i++) {
        const k = sorted[i]!;
        const x = o[k];
        if (x === undefined) continue;
        count++;
        this.string(k);
        this.value(x);
      }
      this.buf[at] = 0x80 | count;
      return;
    }
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

  /** The keys to write, in order; null when an index-like key makes plain-object order differ. */
  private sortedKeys(o: Record<string, unknown>, written: readonly string[]): readonly string[] | null {
    const kind = o["kind"];
    if (typeof kind === "string") {
      const hit = this.orders.get(kind);
      if (hit && sameKeys(hit.written, written)) return hit.sorted;
    }
    const sorted: string[] = [];
    for (const k of [...written].sort()) {
      if (INDEX_KEY.test(k)) return null;
      if (!this.omit.has(k)) sorted.push(k);
    }
    if (typeof kind === "string") this.orders.set(kind, { written, sorted });
    return sorted;
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const POOL: Buffer[] = [];
const ORDERS = new Map<string, Map<string, KeyOrder>>();
const NO_KEYS: readonly string[] = [];
const SETUPS = new WeakMap<readonly string[], { readonly omit: ReadonlySet<string>; readonly orders: Map<string, KeyOrder> }>();
