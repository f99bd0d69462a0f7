/**
 * The durable per-table state, as the `cpgc` domain metadata of the table holds it: JSON with
 * keys sorted at every depth (the same state always encodes to the same text, so re-recording it
 * is a no-op in diffs of the log). A configuration this version cannot read — garbled JSON, an
 * unknown `format`, required fields missing — decodes as null: the plan then treats the table as
 * one cpgc has no state for (it adopts it) instead of trusting half a state.
 */
import { TABLE_STATE_FORMAT, type TableState } from "./model.js";

export function parseTableState(configuration: string): TableState | null {
  let value: unknown;
  try {
    value = JSON.parse(configuration);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (v["format"] !== TABLE_STATE_FORMAT) return null;
  const str = (k: string) => typeof v[k] === "string";
  const strOrNull = (k: string) => v[k] === null || typeof v[k] === "string";
  const obj = (k: string) => v[k] !== null && typeof v[k] === "object" && !Array.isArray(v[k]);
  if (!str("spec_hash") || !str("writer_hash") || !strOrNull("ast_fingerprint") || !strOrNull("policy_hash") || !strOrNull("sql")) return null;
  if (!Array.isArray(v["columns"]) || !obj("properties") || !obj("inputs")) return null;
  if (!strOrNull("source_fingerprint") || !strOrNull("digest_engine") || !(v["digests"] === null || obj("digests"))) return null;
  return value as TableState;
}

export function encodeTableState(state: TableState): string {
  return JSON.stringify(sortKeys(state));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const x = (value as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}
