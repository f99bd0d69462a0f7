import { createHash } from "node:crypto";
import { Packr } from "msgpackr";

/**
 * Canonical encoding: msgpack of a plain value with object keys sorted, no msgpackr records
 * extension, `undefined` members dropped, -0 as 0, and the given keys (e.g. source `range`)
 * omitted at every depth. Equal meaning → equal bytes → equal fingerprint, on every machine.
 */
const packr = new Packr({ useRecords: false, variableMapSize: true, int64AsType: "bigint" } as ConstructorParameters<typeof Packr>[0]);

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

export function canonicalEncode(value: unknown, opts: CanonicalOptions = {}): Uint8Array {
  return packr.pack(canonicalize(value, opts));
}

/** sha256 hex of the canonical encoding. */
export function fingerprint(value: unknown, opts: CanonicalOptions = {}): string {
  return createHash("sha256").update(canonicalEncode(value, opts)).digest("hex");
}
