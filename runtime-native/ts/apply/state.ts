/**
 * cpgc's durable per-table state in a table's `cpgc` domain metadata: decode / encode.
 *
 * The format is compiler/src/plan/state.ts' (parseTableState / encodeTableState, README of
 * compiler/src/plan): JSON with sorted keys, `format` = TABLE_STATE_FORMAT; anything else
 * decodes as null (an unknown state is no state).
 */

import { TABLE_STATE_FORMAT, type TableState } from "../../../compiler/src/plan/model.js";
import { CPGC_DOMAIN } from "../delta-write.js";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) out[key] = sortKeys(item);
  }
  return out;
}

/** The state recorded in a domain configuration (null when absent, garbled or of another format). */
export function parseState(configuration: string): TableState | null {
  try {
    const value = JSON.parse(configuration) as Partial<TableState> | null;
    if (value === null || typeof value !== "object" || value.format !== TABLE_STATE_FORMAT) return null;
    if (typeof value.spec_hash !== "string") return null;
    return value as TableState;
  } catch {
    return null;
  }
}

/** The domain configuration of a state (JSON, keys sorted at every depth). */
export function encodeState(state: TableState): string {
  return JSON.stringify(sortKeys(state));
}

/** The `domainMetadata` entry a commit carries to record `state`. */
export function stateDomain(state: TableState): { domain: string; configuration: string } {
  return { domain: CPGC_DOMAIN, configuration: encodeState(state) };
}

/** The state in a snapshot's domain metadata (null when none). */
export function snapshotState(snapshot: { readonly domainMetadata: readonly { readonly domain: string; readonly configuration: string }[] }): TableState | null {
  const entry = snapshot.domainMetadata.find((d) => d.domain === CPGC_DOMAIN);
  return entry === undefined ? null : parseState(entry.configuration);
}

/** Whether a commit's commitInfo carries cpgc provenance (`cpgc.plan_id` or `cpgc.run_id`). */
export function isCpgcCommit(info: Readonly<Record<string, unknown>> | null): boolean {
  const cpgc = info?.["cpgc"];
  if (cpgc === null || typeof cpgc !== "object") return false;
  const { plan_id: planId, run_id: runId } = cpgc as Record<string, unknown>;
  return typeof planId === "string" || typeof runId === "string";
}
