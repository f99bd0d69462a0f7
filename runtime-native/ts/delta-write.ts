/**
 * Writing Delta tables through the native runtime: every operation is one atomic commit with
 * optimistic concurrency (put-if-absent + conflict checks + bounded retries).
 *
 * ```ts
 * createDeltaTable("lake/events", { schema: [{ name: "id", type: "long" }], partitionColumns: [] });
 * appendToDeltaTable("lake/events", { sql: "SELECT 1 AS id" }, { commit: { metadata: { run_id: "r1" }, txn: { appId: "cpgc", version: 7 } } });
 * // One commit: a new column, a property, the data, and cpgc's state.
 * updateDeltaTable("lake/events", {
 *   schema: { schemaString: deltaSchemaString([{ name: "id", type: "long" }, { name: "kind", type: "string" }]) },
 *   set: { "delta.enableChangeDataFeed": "true" },
 *   write: { mode: "overwrite", source: { sql: "SELECT 1 AS id, 'a' AS kind" } },
 * }, { commit: { domainMetadata: [cpgcStateDomain({ spec_hash: "s2" })], txn: { appId: "cpgc", version: 8 } } });
 * ```
 *
 * Failures are NativeErrors (DELTA_COMMIT_CONFLICT, DELTA_COMMIT_RETRIES_EXHAUSTED,
 * DELTA_VERSION_MOVED, DELTA_TABLE_EXISTS, DELTA_UNSUPPORTED_SETTING, DELTA_SCHEMA_MISMATCH,
 * DELTA_OPERATION_NOT_ALLOWED, ...; see ./errors.ts).
 */

import path from "node:path";

import type { DatabaseHandle } from "./binding.js";
import { NativeError } from "./errors.js";
import { callNative, libraryPath, loadBinding } from "./load.js";
import { decodeMsgpack, encodeMsgpack } from "./wire.js";

/** A Delta schema field (PROTOCOL.md "Schema Serialization Format"). */
export interface DeltaFieldSpec {
  name: string;
  type: string | { type: "struct"; fields: DeltaFieldSpec[] } | { type: "array"; elementType: DeltaFieldSpec["type"]; containsNull: boolean } | { type: "map"; keyType: DeltaFieldSpec["type"]; valueType: DeltaFieldSpec["type"]; valueContainsNull: boolean };
  nullable?: boolean;
  metadata?: Record<string, unknown>;
}

/** Options every write operation takes. */
export interface DeltaCommitOptions {
  /** Provenance under `commitInfo.cpgc` (e.g. `{ run_id, plan_id }`). */
  metadata?: Record<string, string | number | boolean | null>;
  /** Idempotent resume: skipped (result.skipped) when the table already has this app's txn at >= version. */
  txn?: { appId: string; version: number };
  /** Domain metadata to set (or remove) in the same commit — cpgc's durable per-table state. */
  domainMetadata?: { domain: string; configuration: string; removed?: boolean }[];
  /** Attempts after the first lost race (default 100). */
  maxRetries?: number;
  /** Write the checkpoint the interval asks for (default true). */
  checkpoint?: boolean;
  /**
   * The version the caller decided on (e.g. a plan's pin): the staleness check and the commit are
   * one step. The operation reads the table only when its latest version is this one, and when
   * another writer commits first the commit fails instead of rebasing — both DELTA_VERSION_MOVED
   * (`details.expected`, `details.actual`), nothing committed, the files written deleted. A
   * `txn` already in the table still returns `skipped: true`. Not for a create (where a table
   * exists, it already fails with DELTA_TABLE_EXISTS): INVALID_ARGUMENT.
   */
  expectedVersion?: number;
}

/** The write policy (settings DuckDB cannot honour are DELTA_UNSUPPORTED_SETTING). */
export interface DeltaWritePolicy {
  /** Sort-on-write columns (a plain ORDER BY, not a Z-curve). */
  zorderBy?: string[];
  /** Approximate file size in bytes (DuckDB FILE_SIZE_BYTES; files roll over after a row group). */
  targetFileSize?: number;
  compression?: "zstd" | "snappy" | "gzip" | "lz4" | "lz4_raw" | "brotli" | "uncompressed";
  /** zstd level 1–22 (zstd only). */
  compressionLevel?: number;
  rowGroupSize?: number;
  rowGroupSizeBytes?: number;
  /** Unsupported by DuckDB (per-column choices): setting them raises DELTA_UNSUPPORTED_SETTING. */
  dictionaryColumns?: Record<string, boolean>;
  bloomFilterColumns?: string[];
  /**
   * False-positive rate of the bloom filters DuckDB writes (it chooses the columns: the
   * dictionary-encoded ones), in (0, 1); DuckDB's BLOOM_FILTER_FALSE_POSITIVE_RATIO, default 0.01.
   * Outside the range: INVALID_ARGUMENT.
   */
  bloomFilterFpp?: number;
}

/** Rows to write: a DuckDB query, or Parquet files to read. */
export type DeltaDataSource = { sql: string } | { files: string[] };

export interface DeltaWriteResult {
  formatVersion: 1;
  operation: string;
  /** The committed version (the current one when skipped). */
  version: number | null;
  skipped: boolean;
  attempts: number;
  /** Versions other writers committed first; this commit was rebased over them. */
  rebasedOver: number[];
  addedFiles: number;
  removedFiles: number;
  numAddedRecords: number;
  checkpointVersion: number | null;
  cleanedLogFiles: string[];
  warnings: string[];
}

export interface DeltaWriteCallOptions {
  commit?: DeltaCommitOptions;
  /** Run source SQL in this database's session (its tables and views are visible). */
  db?: { readonly handle: DatabaseHandle } | DatabaseHandle;
  libraryPath?: string;
}

/** Table features cpgc can enable. */
export type DeltaTableFeature = "appendOnly" | "changeDataFeed" | "columnMapping" | "domainMetadata" | "timestampNtz";

export interface CreateDeltaTableSpec {
  schema: DeltaFieldSpec[];
  partitionColumns?: string[];
  configuration?: Record<string, string>;
  name?: string;
  description?: string;
  /** Table features to enable beyond those the schema and configuration need. */
  features?: DeltaTableFeature[];
  /** The first rows, written into version 0 with the table (CREATE TABLE AS SELECT). */
  data?: { source: DeltaDataSource; policy?: DeltaWritePolicy };
}

function normalizeField(field: DeltaFieldSpec): unknown {
  const type = (t: DeltaFieldSpec["type"]): unknown => {
    if (typeof t === "string") return t;
    if (t.type === "struct") return { type: "struct", fields: t.fields.map(normalizeField) };
    if (t.type === "array") return { type: "array", elementType: type(t.elementType), containsNull: t.containsNull };
    return { type: "map", keyType: type(t.keyType), valueType: type(t.valueType), valueContainsNull: t.valueContainsNull };
  };
  return { name: field.name, type: type(field.type), nullable: field.nullable ?? true, metadata: field.metadata ?? {} };
}

/** The Delta `schemaString` of fields. */
export function deltaSchemaString(fields: DeltaFieldSpec[]): string {
  return JSON.stringify({ type: "struct", fields: fields.map(normalizeField) });
}

function handleOf(db: DeltaWriteCallOptions["db"]): DatabaseHandle | null {
  if (db === undefined) return null;
  if (typeof db === "object" && db !== null && "handle" in db) return db.handle;
  return db as DatabaseHandle;
}

function checkCommit(options: DeltaCommitOptions | undefined): DeltaCommitOptions {
  const commit = options ?? {};
  if (commit.txn !== undefined && !(typeof commit.txn.appId === "string" && commit.txn.appId !== "" && Number.isSafeInteger(commit.txn.version))) {
    throw new NativeError("INVALID_ARGUMENT", "commit.txn needs a non-empty appId and an integer version", { option: "txn" });
  }
  if (commit.maxRetries !== undefined && !(Number.isSafeInteger(commit.maxRetries) && commit.maxRetries >= 0)) {
    throw new NativeError("INVALID_ARGUMENT", "commit.maxRetries must be a non-negative integer", { option: "maxRetries" });
  }
  if (commit.expectedVersion !== undefined && !(Number.isSafeInteger(commit.expectedVersion) && commit.expectedVersion >= 0)) {
    throw new NativeError("INVALID_ARGUMENT", "commit.expectedVersion must be a non-negative integer", { option: "expectedVersion" });
  }
  return commit;
}

function toNumber(value: unknown): unknown {
  return typeof value === "bigint" ? Number(value) : value;
}

/** Runs one write operation (the general entry point; the helpers below build `op`). */
export function deltaWrite(tablePath: string, op: Record<string, unknown>, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const request = { op, commit: checkCommit(options.commit) };
  const bytes = callNative(() => native.deltaWrite(library, handleOf(options.db), path.resolve(tablePath), encodeMsgpack(request)));
  const result = decodeMsgpack(bytes, "Delta write result") as Record<string, unknown>;
  if (result["formatVersion"] !== 1) throw new NativeError("INVALID_RESULT", "the native Delta write result does not have formatVersion 1");
  for (const key of ["version", "attempts", "addedFiles", "removedFiles", "numAddedRecords", "checkpointVersion"]) result[key] = toNumber(result[key]);
  result["rebasedOver"] = (result["rebasedOver"] as unknown[]).map(toNumber);
  return result as unknown as DeltaWriteResult;
}

/**
 * Creates a table (version 0) with the smallest protocol its schema and configuration need; with
 * `spec.data`, its first rows are in the same commit. Put-if-absent: where a table exists (or
 * another creator wins the race) DELTA_TABLE_EXISTS, and the data files written are deleted —
 * unless `options.commit.txn` is already recorded in that table (a resumed apply): then
 * `skipped: true`.
 */
export function createDeltaTable(tablePath: string, spec: CreateDeltaTableSpec, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(
    tablePath,
    {
      operation: "create",
      schemaString: deltaSchemaString(spec.schema),
      partitionColumns: spec.partitionColumns ?? [],
      configuration: spec.configuration ?? {},
      ...(spec.name !== undefined ? { name: spec.name } : {}),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      features: spec.features ?? [],
      ...(spec.data !== undefined ? { data: { source: spec.data.source, policy: spec.data.policy ?? {} } } : {}),
    },
    options,
  );
}

/** The write of an update, executed against the updated schema and partitioning. */
export interface DeltaUpdateWrite {
  mode: "append" | "overwrite" | "replaceWhere";
  source: DeltaDataSource;
  /** replaceWhere only: DuckDB SQL over the (updated) table's columns. */
  predicate?: string;
  policy?: DeltaWritePolicy;
}

/** The new logical schema of an update. */
export interface DeltaSchemaChange {
  /** Top-level fields as a Delta schema string (see deltaSchemaString); column-mapping metadata in it is ignored. */
  schemaString: string;
  /** New name → old name. A field not named here continues the old field of its name. */
  renames?: Record<string, string>;
}

/** What one update commit changes; every part is optional. */
export interface DeltaTableChange {
  schema?: DeltaSchemaChange;
  /** Default: the current ones (under their new names). */
  partitionColumns?: string[];
  set?: Record<string, string>;
  unset?: string[];
  features?: DeltaTableFeature[];
  write?: DeltaUpdateWrite;
}

/**
 * Changes a table in ONE commit: schema, partitioning, properties, features and a write against
 * the result, plus the commit options' domain metadata and txn.
 *
 * Metadata-only (no data rewritten): added nullable columns, non-null → nullable, property and
 * feature changes (with the protocol upgrade they need; enabling `delta.columnMapping.mode` =
 * `name` gives existing columns their names as physical names), and under column mapping
 * renames and drops (columns keep their physical names and ids). Everything else — renames or
 * drops without column mapping, type changes, nullable → non-null, added non-null columns,
 * different partition columns — needs `write.mode: "overwrite"` in the same change, else
 * DELTA_OPERATION_NOT_ALLOWED with details `{reason: "schemaChange", change, column}`. Other
 * refusals: mapping mode changes other than none → name (`reason: columnMapping`), an
 * overwrite/replaceWhere of an append-only table (`reason: appendOnly`), bad renames
 * (DELTA_SCHEMA_MISMATCH), a concurrent metadata or protocol change (DELTA_COMMIT_CONFLICT).
 */
export function updateDeltaTable(tablePath: string, change: DeltaTableChange, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  const op: Record<string, unknown> = { operation: "update" };
  if (change.schema !== undefined) op["schema"] = { schemaString: change.schema.schemaString, renames: change.schema.renames ?? {} };
  if (change.partitionColumns !== undefined) op["partitionColumns"] = change.partitionColumns;
  if (change.set !== undefined) op["set"] = change.set;
  if (change.unset !== undefined) op["unset"] = change.unset;
  if (change.features !== undefined) op["features"] = change.features;
  if (change.write !== undefined) {
    const { mode, source, predicate, policy } = change.write;
    op["write"] = { mode, source, policy: policy ?? {}, ...(predicate !== undefined ? { predicate } : {}) };
  }
  return deltaWrite(tablePath, op, options);
}

function writeOp(mode: "append" | "overwrite" | "replaceWhere", source: DeltaDataSource, policy: DeltaWritePolicy | undefined, predicate?: string): Record<string, unknown> {
  return { operation: "write", mode, source, policy: policy ?? {}, ...(predicate !== undefined ? { predicate } : {}) };
}

/** Appends rows (a blind append: concurrent appends never conflict). */
export function appendToDeltaTable(tablePath: string, source: DeltaDataSource, options: DeltaWriteCallOptions & { policy?: DeltaWritePolicy } = {}): DeltaWriteResult {
  return deltaWrite(tablePath, writeOp("append", source, options.policy), options);
}

/** Replaces every row: removes all active files and adds the new ones in one commit. */
export function overwriteDeltaTable(tablePath: string, source: DeltaDataSource, options: DeltaWriteCallOptions & { policy?: DeltaWritePolicy } = {}): DeltaWriteResult {
  return deltaWrite(tablePath, writeOp("overwrite", source, options.policy), options);
}

/** Deletes the rows matching `predicate` (DuckDB SQL over the table's columns) and appends `source`, in one commit. */
export function replaceWhereDeltaTable(tablePath: string, predicate: string, source: DeltaDataSource, options: DeltaWriteCallOptions & { policy?: DeltaWritePolicy } = {}): DeltaWriteResult {
  return deltaWrite(tablePath, writeOp("replaceWhere", source, options.policy, predicate), options);
}

/** Sets and/or unsets table properties (may upgrade the protocol, e.g. for delta.enableChangeDataFeed; the rules of updateDeltaTable's set/unset). */
export function setDeltaTableProperties(tablePath: string, changes: { set?: Record<string, string>; unset?: string[] }, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(tablePath, { operation: "setProperties", set: changes.set ?? {}, unset: changes.unset ?? [] }, options);
}

/** Adds (nullable) columns at the end of the schema. */
export function addDeltaTableColumns(tablePath: string, fields: DeltaFieldSpec[], options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(tablePath, { operation: "addColumns", fields: fields.map(normalizeField) }, options);
}

/** Upgrades the protocol to support table features. */
export function enableDeltaTableFeatures(tablePath: string, features: DeltaTableFeature[], options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(tablePath, { operation: "enableFeatures", features }, options);
}

/** Sets (or with `removed: true` removes) metadata domains in one commit (enables the domainMetadata feature when needed). */
export function setDeltaDomainMetadata(tablePath: string, domains: NonNullable<DeltaCommitOptions["domainMetadata"]>, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(tablePath, { operation: "setDomainMetadata" }, { ...options, commit: { ...options.commit, domainMetadata: [...(options.commit?.domainMetadata ?? []), ...domains] } });
}

/** cpgc's durable per-table state, kept in the `cpgc` metadata domain (ARCHITECTURE "the lake is the state"). */
export interface CpgcTableState {
  spec_hash?: string;
  ast_fingerprint?: string;
  policy_hash?: string;
  /** Input table → version. */
  inputs?: Record<string, number>;
  [key: string]: unknown;
}

export const CPGC_DOMAIN = "cpgc";

/** The `cpgc` domain's configuration for a commit's `domainMetadata`. */
export function cpgcStateDomain(state: CpgcTableState): { domain: string; configuration: string } {
  const sorted = Object.fromEntries(Object.entries(state).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { domain: CPGC_DOMAIN, configuration: JSON.stringify(sorted) };
}

/** Reads cpgc's state from a snapshot's domain metadata (undefined when never set). */
export function getCpgcState(snapshot: { domainMetadata: readonly { domain: string; configuration: string }[] | Record<string, unknown> }): CpgcTableState | undefined {
  const domains = snapshot.domainMetadata;
  const entry = Array.isArray(domains)
    ? (domains as { domain: string; configuration: string }[]).find((d) => d.domain === CPGC_DOMAIN)
    : (domains as Record<string, { configuration?: string } | string | undefined>)[CPGC_DOMAIN];
  if (entry === undefined) return undefined;
  const text = typeof entry === "string" ? entry : entry.configuration;
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text) as CpgcTableState;
  } catch {
    throw new NativeError("DELTA_LOG_CORRUPT", "the cpgc domain metadata is not valid JSON", { domain: CPGC_DOMAIN });
  }
}

/** Writes a classic checkpoint of the latest version now. */
export function checkpointDeltaTable(tablePath: string, options: { libraryPath?: string } = {}): { version: number; path: string; actions: number; addFiles: number } {
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const raw = decodeMsgpack(callNative(() => native.deltaCheckpoint(library, path.resolve(tablePath))), "Delta checkpoint result") as Record<string, unknown>;
  return { version: Number(raw["version"]), path: String(raw["path"]), actions: Number(raw["actions"]), addFiles: Number(raw["addFiles"]) };
}

export interface VacuumOptions {
  /** Default: the table's delta.deletedFileRetentionDuration (7 days). */
  retentionHours?: number;
  dryRun?: boolean;
  /** Refuse a retention below the table's (default true). */
  enforceRetention?: boolean;
  libraryPath?: string;
}

/** Deletes (or with dryRun lists) data files no snapshot within the retention references. */
export function vacuumDeltaTable(tablePath: string, options: VacuumOptions = {}): { dryRun: boolean; files: string[]; retentionMs: number } {
  const wire: Record<string, unknown> = {};
  if (options.retentionHours !== undefined) {
    if (!(Number.isFinite(options.retentionHours) && options.retentionHours >= 0)) {
      throw new NativeError("INVALID_ARGUMENT", "retentionHours must be a non-negative number", { option: "retentionHours" });
    }
    wire["retentionHours"] = options.retentionHours;
  }
  if (options.dryRun !== undefined) wire["dryRun"] = options.dryRun;
  if (options.enforceRetention !== undefined) wire["enforceRetention"] = options.enforceRetention;
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const raw = decodeMsgpack(callNative(() => native.deltaVacuum(library, path.resolve(tablePath), encodeMsgpack(wire))), "Delta vacuum result") as Record<string, unknown>;
  return { dryRun: raw["dryRun"] === true, files: raw["files"] as string[], retentionMs: Number(raw["retentionMs"]) };
}

export interface CleanupUntrackedOptions {
  /** Only files modified at least this long ago (default 0: the caller holds the lake's lock, so no writer is between writing files and committing them). */
  minAgeMs?: number;
  dryRun?: boolean;
  libraryPath?: string;
}

export interface CleanupUntrackedResult {
  dryRun: boolean;
  /** Paths relative to the table root, sorted: deleted, or with dryRun those that would be. */
  files: string[];
}

/**
 * Deletes the data files a crashed writer left behind: files under the table directory (cdc files
 * under `_change_data` and the `_cpgc_staging_*` directories included; `_delta_log`, hidden files
 * and other `_`/`.` directories skipped) that no add/remove/cdc action of any commit or checkpoint
 * still in `_delta_log` names. Unlike vacuumDeltaTable, it never deletes a file the log mentions,
 * so time travel is unaffected.
 */
export function cleanupUntrackedFiles(tablePath: string, options: CleanupUntrackedOptions = {}): CleanupUntrackedResult {
  const wire: Record<string, unknown> = { untracked: true };
  if (options.minAgeMs !== undefined) {
    if (!(Number.isFinite(options.minAgeMs) && options.minAgeMs >= 0)) {
      throw new NativeError("INVALID_ARGUMENT", "minAgeMs must be a non-negative number", { option: "minAgeMs" });
    }
    wire["minAgeMs"] = options.minAgeMs;
  }
  if (options.dryRun !== undefined) wire["dryRun"] = options.dryRun;
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const raw = decodeMsgpack(callNative(() => native.deltaVacuum(library, path.resolve(tablePath), encodeMsgpack(wire))), "Delta untracked-file cleanup result") as Record<string, unknown>;
  return { dryRun: raw["dryRun"] === true, files: raw["files"] as string[] };
}
