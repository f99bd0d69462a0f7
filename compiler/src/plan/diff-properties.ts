/**
 * Table properties, features and writer settings of an existing table against the spec.
 *
 * - Properties: the keys cpgc manages are the desired ones plus the ones it set before
 *   (state.properties): a key dropped from the policy is unset, keys other writers set are left
 *   alone. Both sides go through canonicalPropertyValue. Set/unset is metadata-only; statistics
 *   keys are new-files-only (old files keep their stats); turning the change data feed on or off
 *   is forward-only (changes are recorded from this commit on). Column mapping, once on, stays on
 *   (Delta cannot turn it off): a spec without it gets a warning, never an unset.
 * - Features: each one the spec asks for and the protocol lacks is enabled, an irreversible
 *   protocol upgrade. A feature the table has and the spec does not ask for stays (protocols
 *   never downgrade): a warning when it is an opt-in feature that is actually in effect.
 * - Writer settings (compression, row groups, file size, z-order…) affect files written from now
 *   on: new-files-only, shown old → new when the state recorded the old settings.
 */
import type { Change, DesiredTable, DesiredWriter, ObservedTable } from "./model.js";
import { canonicalPropertyValue, FEATURE_PROPERTIES, P, propertyChangeClass } from "./properties.js";

type Present = Extract<ObservedTable, { status: "present" }>;

export interface PropertiesOutcome {
  readonly changes: readonly Change[];
  readonly set: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
  readonly features: readonly string[];
  readonly warnings: readonly string[];
  readonly unchanged: number;
}

/** Features that do nothing by themselves (implied by legacy protocols, or needed by cpgc itself). */
const INERT = new Set(["appendOnly", "invariants", "checkConstraints", "generatedColumns", "identityColumns", "domainMetadata", "timestampNtz", "vacuumProtocolCheck"]);

export function propertiesDiff(t: DesiredTable, obs: Present): PropertiesOutcome {
  const warnings: string[] = [];
  const keys = [...new Set([...Object.keys(t.properties), ...Object.keys(obs.state?.properties ?? {})])].sort();
  const set: Record<string, string> = {};
  const unset: string[] = [];
  const byClass = new Map<Change["class"], { name: string; before: string | null; after: string | null }[]>();
  let unchanged = 0;
  for (const key of keys) {
    const want = t.properties[key] === undefined ? undefined : canonicalPropertyValue(key, t.properties[key]!);
    const raw = obs.properties[key];
    const have = raw === undefined ? undefined : canonicalPropertyValue(key, raw);
    if (want === have) {
      unchanged++;
      continue;
    }
    if (want === undefined && key === P.columnMapping && have !== "none") {
      warnings.push(`${t.name}: column mapping stays on (mode ${have}): Delta cannot turn it off`);
      continue;
    }
    if (want === undefined) unset.push(key);
    else set[key] = want;
    const cls = propertyChangeClass(key);
    let list = byClass.get(cls);
    if (!list) byClass.set(cls, (list = []));
    list.push({ name: key, before: have ?? null, after: want ?? null });
  }
  const changes: Change[] = [];
  const reasons: Partial<Record<Change["class"], string>> = {
    "metadata-only": "table properties differ from the policy",
    "new-files-only": "statistics columns change: files written from now on get the new statistics",
    "forward-only": "change data feed setting changes: it applies to commits from now on",
  };
  for (const cls of ["metadata-only", "new-files-only", "forward-only"] as const) {
    const attributes = byClass.get(cls);
    if (attributes) changes.push({ kind: "properties", class: cls, reason: reasons[cls]!, attributes });
  }

  const have = new Set(obs.features);
  const features = t.features.filter((f) => !have.has(f));
  if (features.length > 0) {
    changes.push({
      kind: "features",
      class: "irreversible",
      reason: `enable table feature${features.length === 1 ? "" : "s"} ${features.join(", ")} (a protocol upgrade; it cannot be undone)`,
      attributes: features.map((f) => ({ name: f, before: null, after: "enabled" })),
    });
  }
  unchanged += t.features.length - features.length;
  const legacy = obs.protocol.min_writer_version < 7;
  for (const f of obs.features) {
    if (t.features.includes(f) || INERT.has(f)) continue;
    const prop = FEATURE_PROPERTIES[f];
    const inEffect = f === "columnMapping" ? (obs.properties[P.columnMapping] ?? "none") !== "none" : prop !== undefined && obs.properties[prop[0]] !== undefined && canonicalPropertyValue(prop[0], obs.properties[prop[0]]!) === prop[1];
    if (inEffect || !legacy) warnings.push(`${t.name}: table feature ${f} stays enabled (the spec no longer asks for it; protocols cannot be downgraded)`);
  }
  return { changes, set, unset, features, warnings, unchanged };
}

const WRITER_KEYS: readonly (keyof DesiredWriter)[] = ["compression", "compression_level", "row_group_size", "target_file_size_bytes", "zorder_by", "dictionary", "bloom_filter"];

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map((x) => (typeof x === "object" && x !== null ? `${(x as { column: string }).column}@${(x as { fpp: number }).fpp}` : String(x))).join(", ")}]` : String(v));

/** The writer change of an existing table (null when the settings are the ones recorded). */
export function writerDiff(t: DesiredTable, obs: Present): Change | null {
  const state = obs.state;
  if (state === null || state.writer_hash === t.writer_hash) return null;
  const before = state.writer;
  const attributes = before
    ? WRITER_KEYS.filter((k) => show(before[k]) !== show(t.writer[k])).map((k) => ({ name: `writer.${k}`, before: show(before[k]), after: show(t.writer[k]) }))
    : [];
  return {
    kind: "writer",
    class: "new-files-only",
    reason: "writer settings changed: files written from now on use them; existing files stay as they are",
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}
