/**
 * Policy lane step 6 — canonical encoding → ast_fingerprint.
 *
 * Prerequisites: the tree went through canonicalize and normalizePredicates (lane.ts does this);
 * the fingerprint of a raw parse would count identifier case, operand order and the like.
 *
 * The fingerprint is the sha256 (hex) of the canonical encoding (artifacts/canonical.ts: msgpack,
 * keys sorted, no records extension) of the tree without source ranges. The tree holds meaning
 * only: parentheses, comments, whitespace and keyword spelling are not nodes; identifier quoting
 * is kept only where it is part of the name (canonicalize drops it where it is not).
 */
import { canonicalEncode, fingerprint } from "../artifacts/canonical.js";
import type { Query } from "../sql/index.js";

const OPTIONS = { omitKeys: ["range"] } as const;

/** The canonical encoding of a (canonicalized) tree: what the fingerprint hashes. */
export function canonicalAstEncoding(query: Query): Uint8Array {
  return canonicalEncode(query, OPTIONS);
}

/** ast_fingerprint: sha256 hex of {@link canonicalAstEncoding}. */
export function astFingerprint(query: Query): string {
  return fingerprint(query, OPTIONS);
}
