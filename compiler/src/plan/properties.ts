/**
 * The Delta table properties a policy implies, in ONE canonical spelling — applied to the spec
 * side (policyProperties) and to what the lake holds (canonicalPropertyValue), so the two compare
 * equal whenever they mean the same thing and a plan after an apply is empty ("interval 30 days",
 * "30 days" and "interval 720 hours" are one value; "TRUE" is "true"; "010" is "10").
 *
 * Keys cpgc manages:
 * - delta.checkpointInterval                      maintenance.checkpoint_interval
 * - delta.logRetentionDuration                    maintenance.log_retention
 * - delta.deletedFileRetentionDuration            maintenance.vacuum_retention
 * - delta.dataSkippingStatsColumns                the stats-column decision, when it names columns
 * - delta.dataSkippingNumIndexedCols              otherwise: 0 (no stats) or stats_max_columns
 * - delta.columnMapping.mode                      schema.column_mapping: name
 * - the property that turns an opted-in feature on (the protocol only makes it possible):
 *   changeDataFeed → delta.enableChangeDataFeed, appendOnly → delta.appendOnly,
 *   deletionVectors → delta.enableDeletionVectors, rowTracking → delta.enableRowTracking,
 *   typeWidening → delta.enableTypeWidening, inCommitTimestamp → delta.enableInCommitTimestamps,
 *   v2Checkpoint → delta.checkpointPolicy = v2.
 */
import type { EffectivePolicy } from "../spec/effective-policy.js";
import type { ChangeClass } from "./model.js";

export const P = {
  checkpointInterval: "delta.checkpointInterval",
  logRetention: "delta.logRetentionDuration",
  deletedFileRetention: "delta.deletedFileRetentionDuration",
  statsColumns: "delta.dataSkippingStatsColumns",
  numIndexedCols: "delta.dataSkippingNumIndexedCols",
  columnMapping: "delta.columnMapping.mode",
  changeDataFeed: "delta.enableChangeDataFeed",
  appendOnly: "delta.appendOnly",
} as const;

/** Feature → the property (and value) that enables it once the protocol supports it. */
export const FEATURE_PROPERTIES: Readonly<Record<string, readonly [string, string]>> = {
  changeDataFeed: [P.changeDataFeed, "true"],
  appendOnly: [P.appendOnly, "true"],
  deletionVectors: ["delta.enableDeletionVectors", "true"],
  rowTracking: ["delta.enableRowTracking", "true"],
  typeWidening: ["delta.enableTypeWidening", "true"],
  inCommitTimestamp: ["delta.enableInCommitTimestamps", "true"],
  v2Checkpoint: ["delta.checkpointPolicy", "v2"],
};

const BOOLEAN_KEYS = new Set(Object.values(FEATURE_PROPERTIES).filter(([, v]) => v === "true").map(([k]) => k));
const INTEGER_KEYS = new Set<string>([P.checkpointInterval, P.numIndexedCols]);
const INTERVAL_KEYS = new Set<string>([P.logRetention, P.deletedFileRetention]);
const LOWERCASE_KEYS = new Set<string>([P.columnMapping, "delta.checkpointPolicy"]);

/**
 * The properties the effective policy implies. `statsColumns` is the stats-column decision
 * (artifacts/stats-columns: the view's `stats.columns`, or the same decision for a dataset).
 */
export function policyProperties(policy: EffectivePolicy, statsColumns: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    [P.checkpointInterval]: String(policy.maintenance.checkpoint_interval),
    [P.logRetention]: formatInterval(policy.maintenance.log_retention_seconds),
    [P.deletedFileRetention]: formatInterval(policy.maintenance.vacuum_retention_seconds),
  };
  const w = policy.write;
  if (statsColumns.length > 0) out[P.statsColumns] = statsColumns.join(",");
  // No column named: off / explicit mean no statistics; auto with nothing derived means Delta's
  // own rule, the first N columns (stats_max_columns; -1 = all).
  else if (w.stats_policy === "auto" && w.stats_columns.length === 0) out[P.numIndexedCols] = String(w.stats_max_columns);
  else out[P.numIndexedCols] = "0";
  if (policy.schema.column_mapping === "name") out[P.columnMapping] = "name";
  for (const f of policy.features) {
    const p = FEATURE_PROPERTIES[f];
    if (p) out[p[0]] = p[1];
  }
  return sortedRecord(out);
}

/** The canonical spelling of a property value (keys cpgc does not know are only trimmed). */
export function canonicalPropertyValue(key: string, value: string): string {
  const v = value.trim();
  if (BOOLEAN_KEYS.has(key)) return v.toLowerCase();
  if (LOWERCASE_KEYS.has(key)) return v.toLowerCase();
  if (INTEGER_KEYS.has(key)) return /^[+-]?\d+$/.test(v) ? String(Number.parseInt(v, 10)) : v;
  if (INTERVAL_KEYS.has(key)) {
    const seconds = parseInterval(v);
    return seconds === null ? v : formatInterval(seconds);
  }
  if (key === P.statsColumns) {
    return v
      .split(",")
      .map((c) => c.trim().replace(/^`(.*)`$/, "$1"))
      .filter((c) => c !== "")
      .join(",");
  }
  return v;
}

/** The change class of setting or unsetting a property (what it means for data already written). */
export function propertyChangeClass(key: string): ChangeClass {
  if (key === P.statsColumns || key === P.numIndexedCols) return "new-files-only";
  if (key === P.changeDataFeed) return "forward-only";
  return "metadata-only";
}

const UNITS: readonly (readonly [string, number])[] = [
  ["week", 604_800],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
  ["millisecond", 0.001],
  ["microsecond", 0.000_001],
];

/** Seconds of a Delta/Spark interval: `interval 30 days`, `30 days`, `1 day 12 hours`, `2 weeks`; null when not one. */
export function parseInterval(text: string): number | null {
  const body = text.trim().toLowerCase().replace(/^interval\s+/, "");
  const part = /(\d+)\s*([a-z]+?)s?(?=\s|$)/y;
  let seconds = 0;
  let pos = 0;
  let parts = 0;
  while (pos < body.length) {
    while (body[pos] === " ") pos++;
    if (pos >= body.length) break;
    part.lastIndex = pos;
    const m = part.exec(body);
    if (!m) return null;
    const unit = UNITS.find(([u]) => u === m[2]);
    if (!unit) return null;
    seconds += Number(m[1]) * unit[1];
    pos = part.lastIndex;
    parts++;
  }
  return parts === 0 ? null : Math.round(seconds);
}

/** The canonical interval: the largest of days / hours / minutes / seconds that divides evenly. */
export function formatInterval(seconds: number): string {
  for (const [unit, size] of UNITS.slice(1, 5)) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return `interval ${n} ${unit}${n === 1 ? "" : "s"}`;
    }
  }
  return `interval ${seconds} seconds`;
}

export function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
