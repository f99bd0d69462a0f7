/**
 * Writing Delta tables through the native runtime: every operation is one atomic commit with
 * optimistic concurrency (put-if-absent + conflict checks + bounded retries).
 *
 * ```ts
 * createDeltaTable("lake/events", { schema: [{ name: "id", type: "long" }], partitionColumns: [] });
 * appendToDeltaTable("lake/events", { sql: "SELECT 1 AS id" }, { commit: { metadata: { run_id: "r1" }, txn: { appId: "cpgc", version: 7 } } });
 * ```
 *
 * Failures are NativeErrors (DELTA_COMMIT_CONFLICT, DELTA_COMMIT_RETRIES_EXHAUSTED,
 * DELTA_TABLE_EXISTS, DELTA_UNSUPPORTED_SETTING, DELTA_SCHEMA_MISMATCH,
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

export interface CreateDeltaTableSpec {
  schema: DeltaFieldSpec[];
  partitionColumns?: string[];
  configuration?: Record<string, string>;
  name?: string;
  description?: string;
  /** Table features to enable beyond those the schema and configuration need. */
  features?: ("appendOnly" | "changeDataFeed" | "columnMapping" | "domainMetadata" | "timestampNtz")[];
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

/** Creates a table (version 0) with the smallest protocol its schema and configuration need. */
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
    },
    options,
  );
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

/** Sets and/or unsets table properties (may upgrade the protocol, e.g. for delta.enableChangeDataFeed). */
export function setDeltaTableProperties(tablePath: string, changes: { set?: Record<string, string>; unset?: string[] }, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(tablePath, { operation: "setProperties", set: changes.set ?? {}, unset: changes.unset ?? [] }, options);
}

/** Adds (nullable) columns at the end of the schema. */
export function addDeltaTableColumns(tablePath: string, fields: DeltaFieldSpec[], options: DeltaWriteCallOptions = {}): DeltaWriteResult {
  return deltaWrite(tablePath, { operation: "addColumns", fields: fields.map(normalizeField) }, options);
}

/** Upgrades the protocol to support table features. */
export function enableDeltaTableFeatures(tablePath: string, features: NonNullable<CreateDeltaTableSpec["features"]>, options: DeltaWriteCallOptions = {}): DeltaWriteResult {
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
