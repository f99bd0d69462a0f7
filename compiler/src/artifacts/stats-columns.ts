/**
 * The stats-column decision for a materialized view: which output columns get Delta min/max/null
 * statistics, and why each candidate was kept or left out. Recorded as an artifact.
 *
 *   decideStatsColumns(view, policy, schemaColumns) → { policy, columns, decisions }
 *
 * stats_policy:
 * - off: no columns.
 * - explicit: exactly `stats_columns`.
 * - auto: `stats_columns` when given, else the derived set: zorder_by ∪ join keys ∪ filter
 *   columns ∪ partition_by. Join keys and filter columns are base `table.column`s (lineage); each
 *   maps to the output columns whose only source it is (a pass-through or a single-source
 *   expression); a key no output column carries is not a candidate.
 * Then every candidate is checked against the table's schema (present; a type Delta keeps stats
 * for: primitives, not struct / list / map / binary / unknown) and the kept ones are capped at
 * stats_max_columns. Order: by first reason (zorder, join, filter, partition), then output order.
 * Pure; the output is sorted data ready for canonical encoding.
 */
import type { ManifestColumn } from "../compile/manifest.js";
import type { QueryLineage } from "../policy/bind/index.js";
import type { EffectivePolicy } from "../spec/effective-policy.js";

export type StatsReason = "stats_columns" | "zorder_by" | "join_key" | "filter_column" | "partition_by";
export type StatsOutcome = "kept" | "not_in_schema" | "type_without_stats" | "over_cap";

export interface StatsColumnDecision {
  readonly column: string;
  /** Why the column was a candidate, in reason order. */
  readonly reasons: readonly StatsReason[];
  /** For join / filter reasons: the base columns that led here, sorted. */
  readonly sources: readonly string[];
  readonly outcome: StatsOutcome;
}

export interface StatsColumnsResult {
  readonly policy: EffectivePolicy["write"]["stats_policy"];
  /** The columns that get statistics, in decision order. */
  readonly columns: readonly string[];
  /** Every candidate, kept or not, in decision order. */
  readonly decisions: readonly StatsColumnDecision[];
}

/** What the decision reads from a view artifact. */
export interface StatsView {
  readonly columns: readonly ManifestColumn[];
  readonly lineage: QueryLineage;
}

const REASON_ORDER: readonly StatsReason[] = ["stats_columns", "zorder_by", "join_key", "filter_column", "partition_by"];

/** Whether Delta keeps min/max statistics for a column of this (Arrow type string) type. */
export function typeKeepsStats(type: string): boolean {
  if (/^(struct|list|large_list|fixed_size_list|map)</.test(type)) return false;
  return !["binary", "large_binary", "null", "INTERVAL", "unknown"].includes(type);
}

export function decideStatsColumns(view: StatsView, policy: Pick<EffectivePolicy, "write">, schemaColumns: readonly ManifestColumn[]): StatsColumnsResult {
  const w = policy.write;
  if (w.stats_policy === "off") return { policy: "off", columns: [], decisions: [] };
  const candidates = new Map<string, { reasons: Set<StatsReason>; sources: Set<string> }>();
  const add = (column: string, reason: StatsReason, source?: string) => {
    let c = candidates.get(column);
    if (!c) candidates.set(column, (c = { reasons: new Set(), sources: new Set() }));
    c.reasons.add(reason);
    if (source !== undefined) c.sources.add(source);
  };
  if (w.stats_policy === "explicit" || w.stats_columns.length > 0) {
    for (const c of w.stats_columns) add(c, "stats_columns");
  } else {
    for (const c of w.zorder_by) add(c, "zorder_by");
    const carriers = (base: string) => view.lineage.columns.filter((c) => c.sources.length === 1 && c.sources[0] === base).map((c) => c.name);
    for (const k of view.lineage.joinKeys) for (const c of carriers(k)) add(c, "join_key", k);
    for (const k of view.lineage.filterColumns) for (const c of carriers(k)) add(c, "filter_column", k);
    for (const c of w.partition_by) add(c, "partition_by");
  }

  const position = new Map(view.columns.map((c, i) => [c.name, i]));
  const rank = (reasons: Set<StatsReason>) => Math.min(...[...reasons].map((r) => REASON_ORDER.indexOf(r)));
  const ordered = [...candidates.entries()].sort(([a, ca], [b, cb]) => rank(ca.reasons) - rank(cb.reasons) || (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));

  const schema = new Map(schemaColumns.map((c) => [c.name, c]));
  const columns: string[] = [];
  const decisions = ordered.map(([column, c]): StatsColumnDecision => {
    const col = schema.get(column);
    let outcome: StatsOutcome;
    if (!col) outcome = "not_in_schema";
    else if (!typeKeepsStats(col.type)) outcome = "type_without_stats";
    else if (columns.length >= w.stats_max_columns) outcome = "over_cap";
    else outcome = "kept";
    if (outcome === "kept") columns.push(column);
    return { column, reasons: REASON_ORDER.filter((r) => c.reasons.has(r)), sources: [...c.sources].sort(), outcome };
  });
  return { policy: w.stats_policy, columns, decisions };
}
