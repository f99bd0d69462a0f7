/**
 * Write plans of the one-pass canonical writer (canonical-writer.ts): for objects of one `kind`
 * with one own-key order (what one factory makes), the members in sorted key order with each
 * key's msgpack bytes, compiled into a function that writes them. The compiled code holds only
 * numbers (key bytes, positions, lengths) computed here, never text from the encoded value.
 */

/** What a plan's writer writes into: the canonical writer. */
export interface PlanTarget {
  buf: Buffer;
  pos: number;
  room(n: number): void;
  string(s: string): void;
  value(v: unknown): void;
}

export interface Plan {
  /** Object.keys of the objects the plan is for. */
  readonly written: readonly string[];
  /** Writes such an object as a map, given its member values in `written` order at `values[base…]`. */
  readonly write: (w: PlanTarget, values: readonly unknown[], base: number) => void;
}

/** An own key that a plain object keeps ahead of the others (an array index), which the sorted copy would reorder. */
const INDEX_KEY = /^(?:0|[1-9]\d*)$/;

/** The keys to write, in order; null when an index-like key makes plain-object order differ. */
export function sortedKeys(written: readonly string[], omit: ReadonlySet<string>): string[] | null {
  const sorted: string[] = [];
  for (const k of [...written].sort()) {
    if (INDEX_KEY.test(k)) return null;
    if (!omit.has(k)) sorted.push(k);
  }
  return sorted;
}

/**
 * A plan for objects of `kind` with own keys `written` (`pack`: msgpackr's encoding); null when
 * an index-like key rules one out, or when the map would not be a fixmap (16 members or more).
 */
export function planFor(kind: string, written: readonly string[], omit: ReadonlySet<string>, pack: (v: unknown) => Uint8Array): Plan | null {
  const keys = sortedKeys(written, omit);
  if (keys === null || keys.length >= 0x10) return null;
  const kindAt = keys.indexOf("kind");
  // the kind's bytes follow its key's: the same in every object of the plan
  const heads = keys.map((k, i) => [...pack(k), ...(i === kindAt ? pack(kind) : [])]);
  return { written, write: compile(heads, keys.map((k) => written.indexOf(k)), kindAt) };
}

/** `bytes` appended at `p` in `b`, made room for first. */
function put(bytes: readonly number[]): string {
  return `if (p + ${bytes.length} > b.length) { w.pos = p; w.room(${bytes.length}); b = w.buf; } ${bytes.map((x) => `b[p++] = ${x};`).join(" ")}`;
}

/**
 * The writer of a plan, unrolled: per key its bytes as constants and its value from a fixed
 * position, nulls and booleans written in place (most members of AST nodes), anything else by
 * the writer. A fixmap whose header byte is set once the defined members are counted.
 */
function compile(heads: readonly (readonly number[])[], from: readonly number[], kindAt: number): Plan["write"] {
  for (const n of [...heads.flat(), ...from]) if (!Number.isInteger(n)) throw new Error("internal: plan numbers");
  const leaf = (byte: number) => `{ if (p >= b.length) { w.pos = p; w.room(1); b = w.buf; } b[p++] = ${byte}; }`;
  const members = heads.map((head, j) =>
    j === kindAt
      ? `c++; ${put(head)}`
      : `x = v[base + ${from[j]!}]; if (x !== undefined) { c++; ${put(head)}
        if (x === null) ${leaf(0xc0)} else if (x === false) ${leaf(0xc2)} else if (x === true) ${leaf(0xc3)}
        else { w.pos = p; if (typeof x === "string") w.string(x); else w.value(x); b = w.buf; p = w.pos; } }`,
  );
  const body = `w.room(1); let b = w.buf, p = w.pos, c = 0, x; const at = p++;\n${members.join("\n")}\nb[at] = 0x80 | c; w.pos = p;`;
  return new Function(`return function writePlan(w, v, base) {\n${body}\n};`)() as Plan["write"];
}
