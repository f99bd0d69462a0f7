/**
 * Builders for the planner's tests: manifests written by hand (datasets, views with lineage), the
 * desired state they map to (through the real desiredState), observed lakes, and an apply
 * simulator that turns a plan's steps into the lake they imply — mirroring what
 * runtime-native/ts/apply/execute.ts records (state completion: inputs, digests, fingerprints).
 */
import { createHash } from "node:crypto";
import { decideStatsColumns } from "../../../compiler/src/artifacts/stats-columns.js";
import type { DatasetArtifact, Manifest, ManifestColumn, ViewArtifact } from "../../../compiler/src/compile/manifest.js";
import { desiredState } from "../../../compiler/src/plan/desired.js";
import { planChanges } from "../../../compiler/src/plan/diff.js";
import { deltaReads } from "../../../compiler/src/plan/impact.js";
import { carriedDigests, KEY_DIGEST_PREFIX, readerDigests, ROW_DIGEST } from "../../../compiler/src/plan/digests.js";
import type {
  DeltaFieldJson,
  DesiredState,
  DesiredTable,
  ObservedSource,
  ObservedState,
  ObservedTable,
  Plan,
  PlanOptions,
  TableOp,
  TableState,
} from "../../../compiler/src/plan/model.js";
import type { EffectivePolicy } from "../../../compiler/src/spec/effective-policy.js";
import type { ExpectationSpec } from "../../../compiler/src/spec/schema/index.js";

export type Present = Extract<ObservedTable, { status: "present" }>;

export const CTX = { configDir: "/project", lakeRoot: "/project/.cpg/lake" };
export const OPTIONS: PlanOptions = { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [], variables: {} };
export const META = { cpgc_version: "0.1.0", plan_id: "plan-1", created_at: "2025-01-01T00:00:00.000Z" };
export const ENGINE = "duckdb-test";

// ─── Manifests ──────────────────────────────────────────────────────────────────────────────────

export const POLICY: EffectivePolicy = {
  write: {
    partition_by: [],
    zorder_by: [],
    target_file_size_bytes: 134_217_728,
    stats_policy: "auto",
    stats_columns: [],
    stats_max_columns: 32,
    writer: { compression: "zstd", compression_level: null, row_group_size: 122_880, dictionary: [], bloom_filter: [] },
  },
  schema: { mode: "merge", column_mapping: "none" },
  features: [],
  maintenance: { checkpoint_interval: 10, log_retention_seconds: 2_592_000, vacuum_retention_seconds: 604_800 },
};

export interface PolicyChange {
  readonly write?: Partial<EffectivePolicy["write"]>;
  readonly writer?: Partial<EffectivePolicy["write"]["writer"]>;
  readonly schema?: Partial<EffectivePolicy["schema"]>;
  readonly features?: EffectivePolicy["features"];
  readonly maintenance?: Partial<EffectivePolicy["maintenance"]>;
}

export function policy(p: PolicyChange = {}): EffectivePolicy {
  return {
    write: { ...POLICY.write, ...p.write, writer: { ...POLICY.write.writer, ...p.writer } },
    schema: { ...POLICY.schema, ...p.schema },
    features: p.features ?? POLICY.features,
    maintenance: { ...POLICY.maintenance, ...p.maintenance },
  };
}

/** `"id int64!"` → a not-null int64 column; `"old>new utf8"` renames old to new. */
export function col(spec: string): ManifestColumn {
  const space = spec.indexOf(" ");
  const [head, rest] = [spec.slice(0, space), spec.slice(space + 1).trim()];
  const notNull = rest.endsWith("!");
  const type = notNull ? rest.slice(0, -1).trim() : rest;
  const [from, name] = head.includes(">") ? head.split(">") : [undefined, head];
  return { name: name!, type, nullable: !notNull, ...(from !== undefined ? { renamed_from: from } : {}) };
}

export interface DatasetOptions {
  readonly source?: Readonly<Record<string, unknown>> | null;
  readonly policy?: PolicyChange;
  readonly primary_key?: readonly string[];
  readonly checks?: readonly { name: string; expr: string }[];
}

export function dataset(name: string, columns: readonly string[], o: DatasetOptions = {}): DatasetArtifact {
  return {
    name,
    columns: columns.map(col),
    source: o.source === undefined ? { ndjson: `data/${name}.ndjson` } : o.source,
    policy: policy(o.policy),
    primary_key: o.primary_key ?? [],
    checks: o.checks ?? [],
    defined_at: `specs/${name}.yaml:2`,
  };
}

export interface ViewOptions {
  readonly materialize?: ViewArtifact["materialize"];
  /** Output column → `table.column` sources. */
  readonly lineage: Readonly<Record<string, readonly string[]>>;
  readonly types?: Readonly<Record<string, string>>;
  readonly joinKeys?: readonly string[];
  readonly filterColumns?: readonly string[];
  readonly row_deciding?: readonly string[] | null;
  /** Stands for the query: the fingerprint and SQL derive from it. */
  readonly query?: string;
  readonly policy?: PolicyChange;
  readonly policy_hash?: string;
  readonly expectations?: readonly ExpectationSpec[];
}

export function view(name: string, o: ViewOptions): ViewArtifact {
  const columns = Object.keys(o.lineage).map((c) => ({ name: c, type: o.types?.[c] ?? "int64", nullable: true }));
  const tables = [...new Set(Object.values(o.lineage).flat().concat(o.joinKeys ?? [], o.filterColumns ?? []).map((s) => s.split(".")[0]!))].sort();
  const lineage = { columns: columns.map((c) => ({ name: c.name, sources: [...(o.lineage[c.name] ?? [])].sort() })), tables, joinKeys: [...(o.joinKeys ?? [])], filterColumns: [...(o.filterColumns ?? [])], functions: [] };
  const query = o.query ?? `${name}:${JSON.stringify(o.lineage)}`;
  const pol = policy(o.policy);
  return {
    name,
    materialize: o.materialize ?? "table",
    ast_fingerprint: sha(query),
    policy_hash: o.policy_hash ?? "policy-1",
    sql: `SELECT /* ${query} */ 1`,
    columns,
    lineage,
    variables: [],
    policy: pol,
    stats: decideStatsColumns({ columns, lineage }, pol, columns),
    expectations: o.expectations ?? [],
    row_deciding: o.row_deciding === undefined ? [...new Set([...(o.joinKeys ?? []), ...(o.filterColumns ?? [])])].sort() : o.row_deciding,
    defined_at: `specs/views.yaml:${name.length}`,
  };
}

export function manifest(...tables: (DatasetArtifact | ViewArtifact)[]): Manifest {
  const isView = (t: DatasetArtifact | ViewArtifact): t is ViewArtifact => "materialize" in t;
  return {
    format_version: "1.3",
    project: "test",
    policy_hash: "policy-1",
    function_catalog_hash: "catalog-1",
    order: tables.map((t) => t.name),
    datasets: tables.filter((t): t is DatasetArtifact => !isView(t)),
    views: tables.filter(isView),
  };
}

export function desired(...tables: (DatasetArtifact | ViewArtifact)[]): DesiredState {
  return desiredState(manifest(...tables), CTX);
}

// ─── Observed lakes ─────────────────────────────────────────────────────────────────────────────

export function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function source(name: string, files: readonly string[] = [`data/${name}.ndjson`], over: Partial<ObservedSource> = {}): ObservedSource {
  const list = files.map((f) => ({ path: f, size: 100, sha256: sha(`${name}:${f}`) }));
  return { files: list, fingerprint: sha(JSON.stringify(list)), digests: null, digest_engine: null, error: null, ...over };
}

/** A lake where nothing exists yet (sources present for source datasets). */
export function emptyLake(d: DesiredState): ObservedState {
  const tables: Record<string, ObservedTable> = {};
  const sources: Record<string, ObservedSource> = {};
  for (const t of d.tables) {
    if (t.role === "view") continue;
    tables[t.name] = { name: t.name, status: "absent" };
    if (t.role === "source") sources[t.name] = source(t.name);
  }
  return { lake_root: d.lake_root, observed_at: META.created_at, tables, sources, logical_views: {}, views_table_version: null, views_table_id: null, orphans: [], engine_version: ENGINE };
}

export function plan(d: DesiredState, observed: ObservedState, options: Partial<PlanOptions> = {}): Plan {
  return planChanges(d, observed, { ...OPTIONS, ...options }, META);
}

/** The lake after planning and applying `d` from `observed` (default: an empty lake). */
export function applied(d: DesiredState, observed: ObservedState = emptyLake(d), options: Partial<PlanOptions> = {}): ObservedState {
  const p = plan(d, observed, options);
  if (p.errors.length > 0) throw new Error(`fixture plan has errors: ${JSON.stringify(p.errors)}`);
  return simulateApply(d, observed, p);
}

export function ops(p: Plan): Record<string, TableOp> {
  return Object.fromEntries(p.tables.map((t) => [t.name, t.op]));
}

export function tableOf(p: Plan, name: string) {
  const t = p.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name} in the plan`);
  return t;
}

export function presentOf(o: ObservedState, name: string): Present {
  const t = o.tables[name];
  if (t?.status !== "present") throw new Error(`${name} is not present`);
  return t;
}

/** A copy of the lake with one present table changed. */
export function withTable(o: ObservedState, name: string, f: (t: Present) => Present): ObservedState {
  return { ...o, tables: { ...o.tables, [name]: f(presentOf(o, name)) } };
}

export function withSource(o: ObservedState, name: string, s: ObservedSource): ObservedState {
  return { ...o, sources: { ...o.sources, [name]: s } };
}

/** A commit by another writer after cpgc's last one. */
export function drifted(o: ObservedState, name: string): ObservedState {
  return withTable(o, name, (t) => ({ ...t, version: t.version + 1, drift: [{ version: t.version + 1, timestamp: 1, operation: "WRITE", engine: "Apache-Spark/3.5.1" }], latest_txn: null }));
}

// ─── Apply simulator ────────────────────────────────────────────────────────────────────────────

const digestOf = (rows: number, ...parts: string[]) => `${rows}:${sha(parts.join("\u0000")).slice(0, 16)}`;

/** The lake the plan's steps imply, recorded the way apply records it. */
export function simulateApply(d: DesiredState, observed: ObservedState, p: Plan): ObservedState {
  const byName = new Map(d.tables.map((t) => [t.name, t]));
  const tables: Record<string, ObservedTable> = { ...observed.tables };
  const logical = { ...observed.logical_views };
  let orphans = [...observed.orphans];
  let viewsChanged = false;
  for (const tp of p.tables) {
    if (tp.op === "noop" || tp.op === "orphan") continue;
    if (tp.kind === "orphan") {
      orphans = orphans.filter((o) => o.name !== tp.name);
      continue;
    }
    const t = byName.get(tp.name);
    if (tp.role === "view") {
      viewsChanged = true;
      if (tp.op === "destroy" || !t) delete logical[tp.name];
      else logical[tp.name] = { name: t.name, ast_fingerprint: t.ast_fingerprint ?? "", policy_hash: t.policy_hash ?? "", sql: tp.step.register?.sql ?? t.sql ?? "" };
      continue;
    }
    if (!t) throw new Error(`plan names ${tp.name}, which is not desired`);
    if (logical[t.name]) {
      delete logical[t.name];
      viewsChanged = true;
    }
    tables[t.name] = commit(t, tp, tables, observed, byName, p.plan_id);
  }
  const views_table_version = viewsChanged ? (observed.views_table_version ?? -1) + 1 : observed.views_table_version;
  return { ...observed, tables, logical_views: logical, orphans, views_table_version, views_table_id: views_table_version === null ? null : "views-id" };
}

function withMapping(fields: readonly DeltaFieldJson[], props: Readonly<Record<string, string>>, prev: readonly DeltaFieldJson[], renames: Readonly<Record<string, string>>): DeltaFieldJson[] {
  if (props["delta.columnMapping.mode"] !== "name") return [...fields];
  const old = new Map(prev.map((f) => [f.name, f.metadata]));
  return fields.map((f, i) => ({ ...f, metadata: old.get(renames[f.name] ?? f.name) ?? { "delta.columnMapping.id": 100 + i, "delta.columnMapping.physicalName": `col-${f.name}` } }));
}

function commit(t: DesiredTable, tp: Plan["tables"][number], tables: Record<string, ObservedTable>, observed: ObservedState, byName: Map<string, DesiredTable>, planId: string): Present {
  const prev = tables[t.name]?.status === "present" ? (tables[t.name] as Present) : null;
  const step = tp.step;
  let properties: Record<string, string> = { ...(prev?.properties ?? {}) };
  if (step.create) properties = { ...step.create.properties };
  for (const [k, v] of Object.entries(step.alter?.set_properties ?? {})) properties[k] = v;
  for (const k of step.alter?.unset_properties ?? []) delete properties[k];
  if (properties["delta.columnMapping.mode"] === "name") properties["delta.columnMapping.maxColumnId"] = "999"; // a key the writer sets itself
  const fields = step.create?.schema ?? step.alter?.schema?.fields ?? prev?.schema ?? [];
  const schema = withMapping(fields, properties, prev?.schema ?? [], step.alter?.schema?.renames ?? {});
  const features = [...new Set([...(prev?.features ?? []), ...(step.create?.features ?? []), ...(step.alter?.features ?? [])])].sort();
  const planned = tp.state!;
  const write = step.write;
  const src = observed.sources[t.name];
  let state: TableState;
  if (write) {
    const inputs: Record<string, { version: number; digests: Record<string, string> }> = {};
    if (write.from.kind === "sql") {
      for (const [name, cols] of deltaReads(t, (n) => byName.get(n))) {
        const cur = tables[name];
        if (cur?.status !== "present") continue;
        inputs[name] = { version: cur.version, digests: readerDigests(cur.state?.digests, cols.size === 0 ? null : cols) };
      }
    }
    // As runtime-native/ts/apply/digest.ts: per column, the row entry, and the key entry with a
    // unique key. A source's are the observed ones when known; otherwise the rows are taken to
    // change exactly as the plan predicted (its dirty columns): a clean column keeps its digest,
    // the row entry changes with any dirty column, the key entry with a dirty key column.
    const digests: Record<string, string> = {};
    const seed = [t.name, String(prev?.version ?? -1), planId];
    const dirty = new Set(tp.dirty_columns);
    const carried = carriedDigests(prev?.state?.digests, t.columns) ?? {};
    const given = write.from.kind === "source" ? src?.digests : undefined;
    const fresh = (name: string, changed: boolean) => given?.[name] ?? (!changed && carried[name] !== undefined ? carried[name] : digestOf(10, ...seed, name));
    for (const c of t.columns) digests[c.name] = fresh(c.name, dirty.has(c.name));
    digests[ROW_DIGEST] = fresh(ROW_DIGEST, dirty.size > 0);
    if (t.unique_key.length > 0) {
      const key = `${KEY_DIGEST_PREFIX}${t.unique_key.join(",")}`;
      digests[key] = fresh(key, t.unique_key.some((k) => dirty.has(k)));
    }
    state = { ...planned, inputs, digests, digest_engine: ENGINE, source_fingerprint: write.from.kind === "source" ? (src?.fingerprint ?? null) : planned.source_fingerprint };
  } else {
    const current = prev?.state ?? null;
    state = { ...planned, inputs: current?.inputs ?? planned.inputs, source_fingerprint: planned.source_fingerprint };
  }
  return {
    name: t.name,
    status: "present",
    table_id: prev?.table_id ?? `id-${t.name}`,
    version: prev ? prev.version + 1 : 0,
    schema,
    partition_columns: [...(step.create?.partition_columns ?? step.alter?.partition_columns ?? prev?.partition_columns ?? [])],
    properties,
    features,
    protocol: { min_reader_version: features.includes("columnMapping") ? 3 : 1, min_writer_version: 7 },
    state,
    drift: [],
    num_files: 1,
    num_records: 10,
    latest_txn: { app_id: `cpgc:${planId}`, version: 0 },
  };
}
