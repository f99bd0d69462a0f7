/**
 * Observation: what the lake holds for a desired state. Reads only — Delta logs (the tables'
 * snapshots in one native call, without file lists where possible: checkpoints are read only as
 * far as metadata and file totals need), history back to cpgc's last commit, the source files of
 * datasets (size + sha256, streamed), `_cpgc_views`, and the Delta tables nobody claims.
 *
 * - A table is `absent` without a `_delta_log` (or with one that holds no commit yet),
 *   `unreadable` with the NativeError code of any other failure, else `present`.
 * - Drift: the commits after the newest commit whose commitInfo carries cpgc provenance
 *   (`commitInfo.cpgc.plan_id` / `run_id`), oldest first; null when the log no longer reaches
 *   such a commit (or never had one).
 * - Sources: fingerprint = sha256 of the canonical encoding of (format, options, declared
 *   columns, files as [path relative to the config dir, size, sha256]); a Delta source pins
 *   its table id and version instead of files. With `digests`, the source's column digests are
 *   computed when the fingerprint differs from the table's recorded `source_fingerprint`.
 * - Extract datasets: their extractor's tree, resolved and scanned once per extractor, and the
 *   extractor's version (extract.ts).
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { fingerprint } from "../../../compiler/src/artifacts/canonical.js";
import type {
  DeltaFieldJson,
  DesiredState,
  DesiredTable,
  DriftCommit,
  ObservedLogicalView,
  ObservedSource,
  ObservedState,
  ObservedTable,
  TableState,
} from "../../../compiler/src/plan/model.js";
import { TXN_APP_PREFIX, VIEWS_TABLE } from "../../../compiler/src/plan/model.js";
import type { Database } from "../../index.js";
import { countSnapshotRows, loadDeltaHistory, loadDeltaSnapshot, observeDeltaTables } from "../delta.js";
import type { DeltaAppTransaction, DeltaHistoryEntry, DeltaProtocol, DeltaSnapshot } from "../delta-types.js";
import { NativeError } from "../errors.js";
import { columnDigests } from "./digest.js";
import { engineVersion, withDatabase } from "./engine.js";
import { observeExtractSources } from "./extract.js";
import { configDirOf, hashFile, matchFiles, relativePath } from "./files.js";
import { sourceRelationSql, withSourceErrors, type SourceTable } from "./source.js";
import { cpgcPlanId, isCpgcCommit, snapshotState } from "./state.js";
import { readLogicalViews } from "./views.js";

export interface ObserveOptions {
  /** Engine session for row counts from Parquet footers, `_cpgc_views` and source digests (default: a private one when needed). */
  readonly db?: Database;
  /** Compute source column digests when a source's fingerprint changed. */
  readonly digests?: boolean;
  /** The config directory (default: derived from each source's location and pattern). */
  readonly configDir?: string;
}

// ─── Tables ─────────────────────────────────────────────────────────────────────────────────────

const LEGACY_WRITER: readonly (readonly [number, readonly string[]])[] = [
  [2, ["appendOnly", "invariants"]],
  [3, ["checkConstraints"]],
  [4, ["changeDataFeed", "generatedColumns"]],
  [5, ["columnMapping"]],
  [6, ["identityColumns"]],
];

/** Reader and writer features in effect, legacy protocol versions mapped to the features they imply; sorted. */
export function protocolFeatures(protocol: DeltaProtocol): string[] {
  const out = new Set<string>([...(protocol.readerFeatures ?? []), ...(protocol.writerFeatures ?? [])]);
  if (protocol.minReaderVersion === 2) out.add("columnMapping");
  if (protocol.minWriterVersion < 7) {
    for (const [version, features] of LEGACY_WRITER) if (protocol.minWriterVersion >= version) features.forEach((f) => out.add(f));
  }
  return [...out].sort();
}

function driftOf(entry: DeltaHistoryEntry): DriftCommit {
  const info = entry.commitInfo;
  const text = (key: string): string | null => (typeof info?.[key] === "string" ? (info[key] as string) : null);
  return { version: entry.version, timestamp: entry.timestamp ?? null, operation: text("operation"), engine: text("engineInfo") };
}

/** Commits after cpgc's newest commit, oldest first; null when the log does not reach one. */
export function observeDrift(tablePath: string, options: { firstLimit?: number } = {}): DriftCommit[] | null {
  for (let limit = options.firstLimit ?? 8; ; limit *= 8) {
    const { entries } = loadDeltaHistory(tablePath, { limit });
    const newest = entries.findIndex((e) => isCpgcCommit(e.commitInfo));
    if (newest >= 0) return entries.slice(0, newest).map(driftOf).reverse();
    if (entries.length < limit) return null;
  }
}

function schemaOf(snapshot: Pick<DeltaSnapshot, "metadata">): DeltaFieldJson[] {
  const parsed = JSON.parse(snapshot.metadata.schemaString) as { fields?: DeltaFieldJson[] };
  return (parsed.fields ?? []).map((f) => ({ name: f.name, type: f.type, nullable: f.nullable !== false, metadata: f.metadata ?? {} }));
}

function recordCount(snapshot: Pick<DeltaSnapshot, "summary" | "fileSelection" | "files">, db: Database | undefined): number | null {
  if (snapshot.summary.filesWithoutNumRecords > 0 && db === undefined) return null;
  try {
    return countSnapshotRows(snapshot, db === undefined ? {} : { db }).numRecords;
  } catch {
    return null;
  }
}

/** What observing a table reads of it: a full snapshot, or the summary of {@link observeDeltaTables}. */
type TableRead = Pick<DeltaSnapshot, "version" | "metadata" | "protocol" | "domainMetadata" | "commitInfo" | "summary" | "fileSelection" | "files">;

/**
 * The txn of the latest commit when cpgc made it: its provenance names the plan, and the plan's
 * txn (`cpgc:<plan_id>`) is in the table (null otherwise — a foreign commit's txn is not told
 * apart). `txnOf` looks an app id up among the table's app transactions.
 */
function latestTxn(read: TableRead, txnOf: (appId: string) => DeltaAppTransaction | undefined): { app_id: string; version: number } | null {
  const planId = cpgcPlanId(read.commitInfo);
  if (planId === null) return null;
  const txn = txnOf(`${TXN_APP_PREFIX}${planId}`);
  return txn === undefined ? null : { app_id: txn.appId, version: txn.version };
}

/** The observed state of a present table. */
function presentTable(name: string, tablePath: string, read: TableRead, txnOf: (appId: string) => DeltaAppTransaction | undefined, db: Database | undefined): ObservedTable {
  return {
    name,
    status: "present",
    table_id: read.metadata.id,
    version: read.version,
    schema: schemaOf(read),
    partition_columns: [...read.metadata.partitionColumns],
    properties: { ...read.metadata.configuration },
    features: protocolFeatures(read.protocol),
    protocol: { min_reader_version: read.protocol.minReaderVersion, min_writer_version: read.protocol.minWriterVersion },
    state: snapshotState(read),
    drift: isCpgcCommit(read.commitInfo) ? [] : observeDrift(tablePath),
    num_files: read.summary.numFiles,
    num_records: recordCount(read, db),
    latest_txn: latestTxn(read, txnOf),
  };
}

/** The observed state of a table whose snapshot could not be loaded. */
function failedTable(name: string, error: unknown): ObservedTable {
  if (!(error instanceof NativeError)) throw error;
  if (error.code === "DELTA_TABLE_NOT_FOUND") return { name, status: "absent" };
  return { name, status: "unreadable", error: { code: error.code, message: error.message } };
}

/** The observed state of one Delta table at `tablePath`. */
export function observeTable(name: string, tablePath: string, options: { db?: Database } = {}): ObservedTable {
  if (!existsSync(path.join(tablePath, "_delta_log"))) return { name, status: "absent" };
  try {
    const snapshot = loadDeltaSnapshot(tablePath, { files: "withoutNumRecords" });
    return presentTable(name, tablePath, snapshot, (appId) => snapshot.appTransactions.find((t) => t.appId === appId), options.db);
  } catch (error) {
    return failedTable(name, error);
  }
}

/**
 * The observed state of many Delta tables (name → state, in the order given), as
 * {@link observeTable} gives it for each, with the tables read in one native call. The plan's
 * txn is looked up among those the newest commit recorded — where cpgc's commits record it —
 * and, when not there, in the table's full snapshot.
 */
export function observeTables(tables: readonly { readonly name: string; readonly path: string }[], options: { db?: Database } = {}): Record<string, ObservedTable> {
  const withLog = tables.filter((t) => existsSync(path.join(t.path, "_delta_log")));
  const read = new Map(observeDeltaTables(withLog.map((t) => t.path), { files: "withoutNumRecords" }).map((r, i) => [withLog[i]?.name, r]));
  const out: Record<string, ObservedTable> = {};
  for (const table of tables) {
    const result = read.get(table.name);
    if (result === undefined) {
      out[table.name] = { name: table.name, status: "absent" };
      continue;
    }
    try {
      if (result.error !== null) throw result.error;
      const summary = result.table;
      const txnOf = (appId: string): DeltaAppTransaction | undefined =>
        summary.commitTxns?.find((t) => t.appId === appId) ??
        loadDeltaSnapshot(table.path, { version: summary.version, files: "none" }).appTransactions.find((t) => t.appId === appId);
      out[table.name] = presentTable(table.name, table.path, summary, txnOf, options.db);
    } catch (error) {
      out[table.name] = failedTable(table.name, error);
    }
  }
  return out;
}

// ─── Orphans ────────────────────────────────────────────────────────────────────────────────────

/** Delta tables under the lake root not in `claimed` (names relative to the root; `_` / `.` entries skipped). */
export function findOrphans(lakeRoot: string, claimed: ReadonlySet<string>, depth = 4): ObservedState["orphans"] {
  const root = path.resolve(lakeRoot);
  const walk = (dir: string, level: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith("_") || entry.startsWith(".")) continue;
      const full = path.join(dir, entry);
      let isDir = false;
      try {
        isDir = statSync(full).isDirectory();
      } catch {
        continue;
      }
      if (!isDir) continue;
      const name = relativePath(root, full);
      if (existsSync(path.join(full, "_delta_log"))) {
        if (!claimed.has(name)) found.push({ name, path: full });
      } else if (level + 1 < depth && !claimed.has(name)) walk(full, level + 1);
    }
  };
  const found: { name: string; path: string }[] = [];
  walk(root, 0);
  // An unreadable one is listed without version: plan shows it, --prune can still remove it.
  return observeDeltaTables(found.map((f) => f.path)).map(({ table }, i) => ({
    ...(found[i] as { name: string; path: string }),
    version: table?.version ?? null,
    table_id: table?.metadata.id ?? null,
  }));
}

// ─── Sources ────────────────────────────────────────────────────────────────────────────────────

export interface SourceFiles {
  /** Absolute paths, sorted. */
  readonly absolute: readonly string[];
  /** Relative to the config directory, sorted like `absolute`. */
  readonly files: ObservedSource["files"];
}

/** The files of a dataset's source, hashed (Delta and extractor sources: none). */
export function sourceFiles(table: Pick<DesiredTable, "source">, configDir?: string): SourceFiles {
  const source = table.source;
  if (source === null || source.format === "delta" || source.format === "extractor") return { absolute: [], files: [] };
  const base = configDirOf(source, configDir);
  const absolute = matchFiles(source.location);
  const files = absolute.map((file) => ({ path: relativePath(base, file), ...hashFile(file) }));
  return { absolute, files };
}

/** The fingerprint of what a source load reads: format, options, declared columns and files (or the Delta table's id and version). */
export function sourceFingerprint(table: Pick<DesiredTable, "columns" | "source">, files: ObservedSource["files"], delta?: { table_id: string; version: number } | null): string {
  const source = table.source;
  return fingerprint({
    format: source?.format ?? null,
    options: source?.options ?? {},
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    files: files.map((f) => [f.path, f.size, f.sha256]),
    delta: delta ?? null,
  });
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof NativeError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: (error as NodeJS.ErrnoException).code ?? "INTERNAL", message: error.message };
  return { code: "INTERNAL", message: String(error) };
}

/** Observes one dataset's source (files, fingerprint, and digests when asked and changed). */
export function observeSource(
  table: DesiredTable,
  options: { readonly db?: Database; readonly digests?: boolean; readonly state?: TableState | null; readonly configDir?: string } = {},
): ObservedSource {
  const source = table.source;
  if (source === null) throw new NativeError("INVALID_ARGUMENT", `dataset ${table.name} has no source`, { dataset: table.name });
  let files: SourceFiles = { absolute: [], files: [] };
  let delta: { table_id: string; version: number } | null = null;
  try {
    if (source.format === "delta") {
      const snapshot = loadDeltaSnapshot(source.location, { files: "none" });
      delta = { table_id: snapshot.metadata.id, version: snapshot.version };
    } else files = sourceFiles(table, options.configDir);
  } catch (error) {
    return { files: files.files, fingerprint: sourceFingerprint(table, files.files, delta), digests: null, digest_engine: null, error: errorOf(error) };
  }
  const fp = sourceFingerprint(table, files.files, delta);
  if (source.format !== "delta" && source.format !== "extractor" && files.absolute.length === 0) {
    return { files: [], fingerprint: fp, digests: null, digest_engine: null, error: { code: "SOURCE_NOT_FOUND", message: `dataset ${table.name}: the source ${source.pattern} matches no file` } };
  }
  if (options.digests !== true || source.format === "extractor" || fp === options.state?.source_fingerprint) {
    return { files: files.files, fingerprint: fp, digests: null, digest_engine: null, error: null };
  }
  try {
    const digests = withDatabase(options.db, (db) => {
      const src: SourceTable = { name: table.name, columns: table.columns, source };
      return withSourceErrors(db, src, files.absolute, () => columnDigests(db, sourceRelationSql(db, src, files.absolute), table.columns.map((c) => c.name), table.unique_key));
    });
    return { files: files.files, fingerprint: fp, digests, digest_engine: engineVersion(), error: null };
  } catch (error) {
    return { files: files.files, fingerprint: fp, digests: null, digest_engine: null, error: errorOf(error) };
  }
}

// ─── The lake ───────────────────────────────────────────────────────────────────────────────────

/** The path of a desired table under the lake root. */
export function tablePath(lakeRoot: string, name: string): string {
  return path.join(path.resolve(lakeRoot), ...name.split("/"));
}

/** Observes every Delta table the desired state names, their sources, the logical views and the orphans. */
export function observeLake(desired: DesiredState, options: ObserveOptions = {}): ObservedState {
  const root = path.resolve(desired.lake_root);
  const deltaTables = desired.tables.filter((t) => t.role !== "view");
  const tables = observeTables(
    deltaTables.map((t) => ({ name: t.name, path: tablePath(root, t.name) })),
    options.db === undefined ? {} : { db: options.db },
  );
  const sources: Record<string, ObservedSource> = {};
  for (const table of deltaTables) {
    if (table.source === null || table.source.format === "extractor") continue;
    const current = tables[table.name];
    sources[table.name] = observeSource(table, {
      state: current?.status === "present" ? current.state : null,
      ...(options.db !== undefined ? { db: options.db } : {}),
      ...(options.digests !== undefined ? { digests: options.digests } : {}),
      ...(options.configDir !== undefined ? { configDir: options.configDir } : {}),
    });
  }
  Object.assign(sources, observeExtractSources(desired, options.configDir !== undefined ? { configDir: options.configDir } : {}));
  const observed = existsSync(path.join(root, VIEWS_TABLE, "_delta_log")) ? withDatabase(options.db, (db) => readLogicalViews(db, root)) : { version: null, tableId: null, views: [] };
  const logical: Record<string, ObservedLogicalView> = {};
  for (const view of observed.views) logical[view.name] = { name: view.name, ast_fingerprint: view.ast_fingerprint, policy_hash: view.policy_hash, sql: view.sql };
  return {
    lake_root: root,
    observed_at: new Date().toISOString(),
    tables,
    sources,
    logical_views: logical,
    views_table_version: observed.version,
    views_table_id: observed.tableId,
    orphans: existsSync(root) ? findOrphans(root, new Set(deltaTables.map((t) => t.name))) : [],
    engine_version: engineVersion(),
  };
}
