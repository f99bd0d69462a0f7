/**
 * cpgc's durable per-table state in a table's `cpgc` domain metadata, read and written with the
 * compiler's codec (compiler/src/plan/state.ts: sorted-key JSON; anything unreadable is null).
 */

import type { TableState } from "../../../compiler/src/plan/model.js";
import { encodeTableState, parseTableState } from "../../../compiler/src/plan/state.js";
import { CPGC_DOMAIN } from "../delta-write.js";

export { encodeTableState, parseTableState };

/** The `domainMetadata` entry a commit carries to record `state`. */
export function stateDomain(state: TableState): { domain: string; configuration: string } {
  return { domain: CPGC_DOMAIN, configuration: encodeTableState(state) };
}

/** The state in a snapshot's domain metadata (null when none or unreadable). */
export function snapshotState(snapshot: { readonly domainMetadata: readonly { readonly domain: string; readonly configuration: string }[] }): TableState | null {
  const entry = snapshot.domainMetadata.find((d) => d.domain === CPGC_DOMAIN);
  return entry === undefined ? null : parseTableState(entry.configuration);
}

/** The plan id of a commit with cpgc provenance (`commitInfo.cpgc.plan_id`), else null. */
export function cpgcPlanId(info: Readonly<Record<string, unknown>> | null): string | null {
  const cpgc = info?.["cpgc"];
  if (cpgc === null || typeof cpgc !== "object") return null;
  const planId = (cpgc as Record<string, unknown>)["plan_id"];
  return typeof planId === "string" ? planId : null;
}

/** Whether a commit's commitInfo carries cpgc provenance (`cpgc.plan_id` or `cpgc.run_id`). */
export function isCpgcCommit(info: Readonly<Record<string, unknown>> | null): boolean {
  const cpgc = info?.["cpgc"];
  if (cpgc === null || typeof cpgc !== "object") return false;
  const { plan_id: planId, run_id: runId } = cpgc as Record<string, unknown>;
  return typeof planId === "string" || typeof runId === "string";
}
