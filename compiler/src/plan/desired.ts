/**
 * Manifest → DesiredState: what the specs want each table to be, in the terms the diff compares
 * with the lake (Delta schema, canonical properties, features) and apply executes (sources,
 * SQL, writer settings, expectations). Pure: paths are resolved with node:path only.
 *
 * Decisions:
 * - Role: a dataset with an ndjson/csv/parquet/delta source is `source`, with an extractor
 *   `extract`, without a source `managed`; a view's role is its `materialize` (compile already
 *   applied `defaults.materialize`, else `view`).
 * - Features: the policy's, plus what cpgc's own use of the table requires — `domainMetadata`
 *   (the durable state is a domain metadata), `columnMapping` under column_mapping: name,
 *   `timestampNtz` when a column is a timestamp without zone — so a table cpgc created never
 *   shows a feature the spec "did not ask for".
 * - reads / row_deciding / lineage use top-level input columns (`ast_nodes.span.bstart` reads
 *   `span`): digests are per top-level column. A view whose row-deciding columns compile could
 *   not attribute (`row_deciding: null`) reads, and is row-decided by, every input column.
 * - Extract datasets (extract.ts): their source options are templated with the variables, and
 *   each carries its extractor's tree; the templated options are part of spec_hash and of the
 *   config hash (a `-var source_root=…` makes saved plans stale and re-extracts).
 * - Views: `cache` and `incremental` come from the manifest; an incremental key that is not an
 *   output column is a plan error (CPG1412). A `materialize: table` view with a key is
 *   recomputed in full but written as the difference by key (diff-data.ts).
 */
import { relative, resolve } from "node:path";
import { fingerprint } from "../artifacts/canonical.js";
import { decideStatsColumns } from "../artifacts/stats-columns.js";
import type { DatasetArtifact, Manifest, ManifestColumn, ViewArtifact } from "../compile/manifest.js";
import type { EffectivePolicy } from "../spec/effective-policy.js";
import type { ExpectationSpec } from "../spec/schema/index.js";
import { deltaSchemaOf } from "./columns.js";
import { resolveExtracts, type ExtractOutcome, type TemplateValue } from "./extract.js";
import {
  TABLE_STATE_FORMAT,
  type DeltaFieldJson,
  type DesiredColumn,
  type DesiredExtract,
  type DesiredSource,
  type DesiredState,
  type DesiredTable,
  type DesiredWriter,
  type PlanError,
  type TableRole,
} from "./model.js";
import { policyProperties } from "./properties.js";

export interface DesiredContext {
  /** Absolute directory of the config file (sources are relative to it). */
  readonly configDir: string;
  /** Absolute lake root. */
  readonly lakeRoot: string;
  /** Config variables with `-var` overrides (extract source options are templated with them). */
  readonly variables?: Readonly<Record<string, TemplateValue>>;
}

export function desiredState(manifest: Manifest, ctx: DesiredContext): DesiredState {
  const datasets = new Map(manifest.datasets.map((d) => [d.name, d]));
  const views = new Map(manifest.views.map((v) => [v.name, v]));
  const columnsOf = (name: string): readonly ManifestColumn[] => datasets.get(name)?.columns ?? views.get(name)?.columns ?? [];
  const extracts = resolveExtracts(
    manifest.datasets.flatMap((d) => {
      const extractor = d.source?.["extractor"];
      if (typeof extractor !== "string") return [];
      return [{ name: d.name, columns: d.columns, extractor, options: (d.source?.["options"] as Record<string, unknown> | undefined) ?? {} }];
    }),
    ctx.variables ?? {},
  );
  const tables: DesiredTable[] = [];
  for (const name of manifest.order) {
    const d = datasets.get(name);
    if (d) tables.push(datasetTable(d, ctx, extracts.get(name) ?? null));
    const v = views.get(name);
    if (v) tables.push(viewTable(v, columnsOf));
  }
  const extractOptions = Object.fromEntries([...extracts].map(([n, e]) => [n, e.options]));
  return {
    project: manifest.project,
    // Where specs are written (defined_at) is not what they mean: moving a spec leaves saved plans valid.
    config_hash: fingerprint(
      { manifest, lake_root: relative(ctx.configDir, ctx.lakeRoot).split("\\").join("/"), ...(extracts.size > 0 ? { extract_options: extractOptions } : {}) },
      { omitKeys: ["defined_at"] },
    ),
    lake_root: ctx.lakeRoot,
    tables,
  };
}

function datasetTable(d: DatasetArtifact, ctx: DesiredContext, extract: ExtractOutcome | null): DesiredTable {
  const source = desiredSource(d.source, ctx.configDir, extract?.options);
  const role: TableRole = source === null ? "managed" : source.format === "extractor" ? "extract" : "source";
  const columns: DesiredColumn[] = d.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, ...(c.renamed_from !== undefined ? { renamed_from: c.renamed_from } : {}) }));
  const stats = decideStatsColumns({ columns: d.columns, lineage: { columns: [], tables: [], joinKeys: [], filterColumns: [], functions: [] } }, d.policy, d.columns).columns;
  const expectations: ExpectationSpec[] = [];
  const notNull = unique([...d.primary_key, ...d.columns.filter((c) => !c.nullable).map((c) => c.name)]);
  if (notNull.length > 0) expectations.push({ not_null: notNull });
  if (d.primary_key.length > 0) expectations.push({ unique: [...d.primary_key] });
  for (const c of d.checks) expectations.push({ sql: `SELECT * FROM ${quote(d.name)} WHERE NOT (${c.expr})`, name: c.name });
  return table({
    name: d.name,
    kind: "dataset",
    role,
    defined_at: d.defined_at,
    columns,
    policy: d.policy,
    stats,
    view: null,
    inputs: [],
    reads: {},
    row_deciding: {},
    lineage: {},
    source,
    expectations,
    extract: extract?.extract ?? null,
    errors: extract?.errors ?? [],
  });
}

function viewTable(v: ViewArtifact, columnsOf: (name: string) => readonly ManifestColumn[]): DesiredTable {
  const inputs = [...v.lineage.tables].sort();
  const top = (source: string): [string, string] | null => {
    const [t, c] = source.split(".");
    return t !== undefined && c !== undefined ? [t, c] : null;
  };
  const reads: Record<string, Set<string>> = Object.fromEntries(inputs.map((t) => [t, new Set<string>()]));
  const deciding: Record<string, Set<string>> = Object.fromEntries(inputs.map((t) => [t, new Set<string>()]));
  const lineage: Record<string, string[]> = {};
  for (const c of v.lineage.columns) {
    const sources = unique(c.sources.flatMap((s) => (top(s) ? [top(s)!.join(".")] : []))).sort();
    lineage[c.name] = sources;
    for (const s of sources) reads[top(s)![0]]?.add(top(s)![1]);
  }
  if (v.row_deciding === null) {
    for (const t of inputs) for (const c of columnsOf(t)) (reads[t]!.add(c.name), deciding[t]!.add(c.name));
  } else {
    for (const s of v.row_deciding) {
      const tc = top(s);
      if (tc) (reads[tc[0]]?.add(tc[1]), deciding[tc[0]]?.add(tc[1]));
    }
  }
  const sorted = (r: Record<string, Set<string>>) => Object.fromEntries(Object.entries(r).map(([t, s]) => [t, [...s].sort()]));
  const errors: PlanError[] = [];
  const notes: string[] = [];
  if (v.incremental !== undefined && !v.columns.some((c) => c.name === v.incremental!.key)) {
    errors.push({
      code: "CPG1412",
      message: `incremental.key ${v.incremental.key} is not an output column of the view`,
      hints: [`the output columns: ${v.columns.map((c) => c.name).join(", ")}`],
    });
  }
  if (v.incremental !== undefined && v.materialize === "view") notes.push(`incremental.key ${v.incremental.key} is used only with materialize: incremental or table (this view is materialize: view)`);
  if (v.incremental === undefined && v.materialize === "incremental") notes.push("materialize: incremental without incremental.key: every refresh rematerializes the view in full");
  return table({
    name: v.name,
    kind: "view",
    role: v.materialize,
    defined_at: v.defined_at,
    columns: v.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    policy: v.policy,
    stats: v.stats.columns,
    view: v,
    inputs,
    reads: sorted(reads),
    row_deciding: sorted(deciding),
    lineage,
    source: null,
    expectations: [...v.expectations],
    extract: null,
    errors,
    notes,
    ...(v.cache !== undefined ? { cache: v.cache } : {}),
    ...(v.incremental !== undefined && v.materialize !== "view" ? { incremental: { key: v.incremental.key } } : {}),
  });
}

interface TableParts {
  readonly name: string;
  readonly kind: "dataset" | "view";
  readonly role: TableRole;
  readonly defined_at: string;
  readonly columns: readonly DesiredColumn[];
  readonly policy: EffectivePolicy;
  readonly stats: readonly string[];
  readonly view: ViewArtifact | null;
  readonly inputs: readonly string[];
  readonly reads: Readonly<Record<string, readonly string[]>>;
  readonly row_deciding: Readonly<Record<string, readonly string[]>>;
  readonly lineage: Readonly<Record<string, readonly string[]>>;
  readonly source: DesiredSource | null;
  readonly expectations: readonly ExpectationSpec[];
  readonly extract: DesiredExtract | null;
  readonly errors: readonly PlanError[];
  readonly notes?: readonly string[];
  readonly cache?: "memory" | "delta_staging";
  readonly incremental?: { readonly key: string };
}

function table(p: TableParts): DesiredTable {
  const schema = deltaSchemaOf(p.name, p.columns);
  const w = p.policy.write;
  const writer: DesiredWriter = {
    zorder_by: [...w.zorder_by],
    target_file_size_bytes: w.target_file_size_bytes,
    compression: w.writer.compression,
    compression_level: w.writer.compression_level,
    row_group_size: w.writer.row_group_size,
    dictionary: [...w.writer.dictionary],
    bloom_filter: w.writer.bloom_filter.map((b) => ({ column: b.column, fpp: b.fpp })),
  };
  const properties = policyProperties(p.policy, p.stats);
  const errors = [...(p.role === "view" ? [] : schema.errors), ...p.errors];
  const features = impliedFeatures(p.policy, schema.fields);
  const partition_by = [...w.partition_by];
  const sourceSpec = p.source === null ? null : { format: p.source.format, pattern: p.source.pattern, options: p.source.options };
  const spec_hash = fingerprint({
    format: TABLE_STATE_FORMAT,
    kind: p.kind,
    role: p.role,
    columns: p.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    partition_by,
    properties,
    features,
    schema: p.policy.schema,
    source: sourceSpec,
    extract: p.extract ?? undefined,
    ast_fingerprint: p.view?.ast_fingerprint ?? null,
    policy_hash: p.view?.policy_hash ?? null,
  });
  return {
    name: p.name,
    kind: p.kind,
    role: p.role,
    defined_at: p.defined_at,
    columns: p.columns,
    delta_schema: schema.fields,
    partition_by,
    properties,
    features,
    schema_mode: p.policy.schema.mode,
    column_mapping: p.policy.schema.column_mapping,
    writer,
    maintenance: { checkpoint_interval: p.policy.maintenance.checkpoint_interval, vacuum_retention_seconds: p.policy.maintenance.vacuum_retention_seconds },
    spec_hash,
    writer_hash: fingerprint(writer),
    ast_fingerprint: p.view?.ast_fingerprint ?? null,
    policy_hash: p.view?.policy_hash ?? null,
    sql: p.view?.sql ?? null,
    inputs: p.inputs,
    reads: p.reads,
    row_deciding: p.row_deciding,
    lineage: p.lineage,
    source: p.source,
    expectations: p.expectations,
    // A logical view is never written, so nothing checks its expectations.
    unique_key: p.role === "view" ? [] : uniqueKey(p.columns, p.expectations),
    notes: [...writerNotes(writer), ...(p.role === "view" ? [] : schema.notes), ...(p.notes ?? [])],
    ...(errors.length > 0 ? { errors } : {}),
    ...(p.extract !== null ? { extract: p.extract } : {}),
    ...(p.cache !== undefined ? { cache: p.cache } : {}),
    ...(p.incremental !== undefined ? { incremental: p.incremental } : {}),
  };
}

/**
 * Columns every committed version is unique and not null on: the first `unique` expectation
 * (severity error: checked before each commit) over top-level columns that are not nullable or
 * checked not null — a dataset's primary key becomes both. Digests are keyed by it
 * (compiler/src/plan/digests.ts); NULL keys would let rows swap values unseen.
 */
function uniqueKey(columns: readonly DesiredColumn[], expectations: readonly ExpectationSpec[]): string[] {
  const enforced = expectations.filter((e) => !("severity" in e) || e.severity !== "warn");
  const notNull = new Set([...columns.filter((c) => !c.nullable).map((c) => c.name), ...enforced.flatMap((e) => ("not_null" in e ? e.not_null : []))]);
  const names = new Set(columns.map((c) => c.name));
  for (const e of enforced) {
    if (!("unique" in e)) continue;
    if (e.unique.every((c) => names.has(c) && notNull.has(c))) return [...e.unique];
  }
  return [];
}

/** The policy's features plus the ones cpgc's own use of the table needs (see the header). */
function impliedFeatures(policy: EffectivePolicy, fields: readonly DeltaFieldJson[]): string[] {
  const out = new Set<string>([...policy.features, "domainMetadata"]);
  if (policy.schema.column_mapping === "name") out.add("columnMapping");
  if (fields.some((f) => JSON.stringify(f.type).includes('"timestamp_ntz"'))) out.add("timestampNtz");
  return [...out].sort();
}

/** DuckDB chooses dictionary encoding and bloom filters per column itself: say so instead of pretending. */
function writerNotes(w: DesiredWriter): string[] {
  const notes: string[] = [];
  if (w.dictionary.length > 0) {
    notes.push(`writer.dictionary [${w.dictionary.join(", ")}]: the engine (DuckDB) dictionary-encodes every column where it pays off and cannot be told per column; the list is recorded, not enforced`);
  }
  if (w.bloom_filter.length > 0) {
    const fpp = Math.min(...w.bloom_filter.map((b) => b.fpp));
    notes.push(
      `writer.bloom_filter [${w.bloom_filter.map((b) => b.column).join(", ")}]: the engine (DuckDB) writes a bloom filter for every dictionary-encoded column and takes one false-positive rate per file (${fpp}); per-column filters are recorded, not enforced`,
    );
  }
  return notes;
}

function desiredSource(source: Readonly<Record<string, unknown>> | null, configDir: string, extractOptions?: Readonly<Record<string, unknown>>): DesiredSource | null {
  if (source === null) return null;
  for (const format of ["ndjson", "csv", "parquet", "delta"] as const) {
    const pattern = source[format];
    if (typeof pattern === "string") {
      const options = (source["options"] as Record<string, unknown> | undefined) ?? {};
      return { format, pattern, location: resolve(configDir, pattern), options };
    }
  }
  const extractor = source["extractor"];
  if (typeof extractor === "string") {
    return { format: "extractor", pattern: extractor, location: configDir, options: { extractor, options: extractOptions ?? (source["options"] as Record<string, unknown> | undefined) ?? {} } };
  }
  return null;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
