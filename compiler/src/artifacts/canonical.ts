import { createHash } from "node:crypto";
import * as crypto from "node:crypto";
import { Packr } from "msgpackr";
import { Writer, type Fallback } from "./canonical-writer.js";

/**
 * Canonical encoding: msgpack of a plain value with object keys sorted, no msgpackr records
 * extension, `undefined` members dropped, -0 as 0, and the given keys (e.g. source `range`)
 * omitted at every depth. Equal meaning → equal bytes → equal fingerprint, on every machine.
 *
 * The definition is `packr.pack(canonicalize(value))` with the Packr options below
 * (`referenceCanonicalEncode`). `canonicalEncode` writes the same bytes in one pass without
 * building the sorted copy first (canonical-writer.ts; fingerprints are taken of every view's
 * tree, so this is on the policy lane's hot path); tests/unit/artifacts/canonical.test.ts checks
 * the two agree.
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
  const w = Writer.open(opts.omitKeys ?? NO_KEYS, FALLBACK);
  w.value(value);
  // a copy: the writer's buffer is reused by the next encoding (Buffer#slice would share it)
  return Buffer.from(w.bytes());
}

/** sha256 hex of the canonical encoding. */
export function fingerprint(value: unknown, opts: CanonicalOptions = {}): string {
  const w = Writer.open(opts.omitKeys ?? NO_KEYS, FALLBACK);
  w.value(value);
  return sha256Hex(w.bytes());
}

// crypto.hash (Node ≥ 20.12) hashes in one call, without a Hash object.
const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: "hex") => string }).hash;

function sha256Hex(data: Uint8Array): string {
  return oneShot ? oneShot("sha256", data, "hex") : createHash("sha256").update(data).digest("hex");
}

const NO_KEYS: readonly string[] = [];
const FALLBACK: Fallback = {
  pack: (v) => packr.pack(v),
  packObject: (o, omitKeys) => packr.pack(canonicalize(o, { omitKeys })),
};
