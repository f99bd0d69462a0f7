/**
 * Delta tables through the native runtime: snapshots (with time travel), the state of many
 * tables at once (observing a lake), and history.
 *
 * ```ts
 * const snapshot = loadDeltaSnapshot("lake/events", { version: 3 });
 * snapshot.files.length; formatDeltaType(snapshot.schema[0].type);
 * for (const { tablePath, table, error } of observeDeltaTables(["lake/a", "lake/b"])) { ... }
 * ```
 *
 * Failures are NativeErrors with the codes of ./errors.ts (DELTA_* for the log itself).
 */

import { existsSync } from "node:fs";
import path from "node:path";

import type { DeltaDataType, DeltaFile, DeltaFileSelection, DeltaHistory, DeltaSnapshot, DeltaTableSummary } from "./delta-types.js";
import { isNativeErrorCode, NativeError } from "./errors.js";
import { callNative, libraryPath, loadBinding } from "./load.js";
import { decodeMsgpack, encodeMsgpack } from "./wire.js";

export interface DeltaSnapshotOptions {
  /** Time travel to this version. */
  version?: number | bigint;
  /** Time travel to the newest version committed at or before this instant (see {@link parseTimestamp}). */
  timestamp?: Date | number | string;
  /**
   * Which active files to return (default `all`); `summary` always covers every file. `none` or
   * `withoutNumRecords` keep large tables cheap when only totals are needed.
   */
  files?: DeltaFileSelection;
  /** libduckdb (used to read Parquet checkpoints). Default: the installed npm package's. */
  libraryPath?: string;
}

export interface ObserveDeltaTablesOptions {
  /** `none` (default), or `withoutNumRecords` to list the files whose row count needs their Parquet footer. */
  files?: Exclude<DeltaFileSelection, "all">;
  /** Native threads loading the tables (default: the machine's parallelism). */
  threads?: number;
  /** libduckdb (used to read Parquet checkpoints). Default: the installed npm package's. */
  libraryPath?: string;
}

/** One table of {@link observeDeltaTables}: its state, or the error reading it raised. */
export type DeltaTableObservation =
  | { readonly tablePath: string; readonly table: DeltaTableSummary; readonly error: null }
  | { readonly tablePath: string; readonly table: null; readonly error: NativeError };

export interface DeltaHistoryOptions {
  /** At most this many commits, newest first. */
  limit?: number;
  libraryPath?: string;
}

/**
 * Milliseconds since the epoch of a Date, a number of milliseconds, a string of digits
 * (milliseconds), or an ISO-8601 date / date-time (UTC unless it carries an offset).
 */
export function parseTimestamp(value: Date | number | string): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "number") ms = value;
  else if (/^-?\d+$/.test(value.trim())) ms = Number(value.trim());
  else {
    const text = value.trim().replace(" ", "T");
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
    ms = Date.parse(text.includes("T") && !hasZone ? `${text}Z` : text);
  }
  if (!Number.isSafeInteger(ms)) {
    throw new NativeError("INVALID_ARGUMENT", `invalid timestamp ${JSON.stringify(String(value))}: expected an ISO-8601 date-time or milliseconds since the epoch`, {
      option: "timestamp",
    });
  }
  return ms;
}

function checkFormat<T extends { formatVersion: number }>(value: unknown, what: string): T {
  if (typeof value !== "object" || value === null || (value as { formatVersion?: unknown }).formatVersion !== 1) {
    throw new NativeError("INVALID_RESULT", `the native ${what} does not have formatVersion 1`);
  }
  return value as T;
}

/** Loads a snapshot of the Delta table at `tablePath` (latest version unless time-travelling). */
export function loadDeltaSnapshot(tablePath: string, options: DeltaSnapshotOptions = {}): DeltaSnapshot {
  const wire: { version?: bigint; timestampMs?: bigint; files?: DeltaFileSelection } = {};
  if (options.version !== undefined && options.timestamp !== undefined) {
    throw new NativeError("INVALID_ARGUMENT", "give either version or timestamp, not both", { option: "version" });
  }
  if (options.version !== undefined) {
    const v = options.version;
    if (!(typeof v === "bigint" ? v >= 0n : Number.isSafeInteger(v) && v >= 0)) {
      throw new NativeError("INVALID_ARGUMENT", `version must be a non-negative integer, got ${String(v)}`, { option: "version" });
    }
    wire.version = BigInt(v);
  }
  if (options.timestamp !== undefined) wire.timestampMs = BigInt(parseTimestamp(options.timestamp));
  checkFiles(options.files);
  if (options.files !== undefined) wire.files = options.files;
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const bytes = callNative(() => native.deltaSnapshot(library, path.resolve(tablePath), encodeMsgpack(wire)));
  return checkFormat<DeltaSnapshot>(decodeMsgpack(bytes, "Delta snapshot"), "Delta snapshot");
}

function checkFiles(files: DeltaFileSelection | undefined): void {
  if (files !== undefined && !["all", "none", "withoutNumRecords"].includes(files)) {
    throw new NativeError("INVALID_ARGUMENT", `files must be "all", "none" or "withoutNumRecords", got ${String(files)}`, { option: "files" });
  }
}

/**
 * The latest state of many Delta tables in one native call — what observing a lake needs:
 * metadata, protocol, domain metadata, file totals, and the newest commit's commitInfo and
 * `txn` actions ({@link DeltaTableSummary}). The tables are loaded on a few native threads and
 * their checkpoints read only as far as that needs (no tombstones, no app transactions, of each
 * file only path, size, statistics and deletion vector). Results come in the order of
 * `tablePaths`; a table that cannot be read (absent, corrupt, unsupported) has its NativeError
 * instead — nothing is thrown for it.
 */
export function observeDeltaTables(tablePaths: readonly string[], options: ObserveDeltaTablesOptions = {}): DeltaTableObservation[] {
  if (options.files !== undefined && options.files !== "none" && options.files !== "withoutNumRecords") {
    throw new NativeError("INVALID_ARGUMENT", `files must be "none" or "withoutNumRecords", got ${String(options.files)}`, { option: "files" });
  }
  if (options.threads !== undefined && !(Number.isSafeInteger(options.threads) && options.threads >= 1)) {
    throw new NativeError("INVALID_ARGUMENT", `threads must be a positive integer, got ${String(options.threads)}`, { option: "threads" });
  }
  if (tablePaths.length === 0) return [];
  const request = {
    tables: tablePaths.map((p) => path.resolve(p)),
    files: options.files ?? "none",
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  };
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const bytes = callNative(() => native.deltaObserve(library, encodeMsgpack(request)));
  type Wire = { tablePath: string; table: DeltaTableSummary | null; error: { code: string; message: string; details: Record<string, string> } | null };
  const result = checkFormat<{ formatVersion: 1; tables: Wire[] }>(decodeMsgpack(bytes, "Delta observation"), "Delta observation");
  if (!Array.isArray(result.tables) || result.tables.length !== tablePaths.length) {
    throw new NativeError("INVALID_RESULT", "the native Delta observation does not match the tables asked for");
  }
  return result.tables.map((wire, i): DeltaTableObservation => {
    const tablePath = tablePaths[i] as string;
    if (wire.table !== null) return { tablePath, table: checkFormat<DeltaTableSummary>(wire.table, "Delta table summary"), error: null };
    const error = wire.error ?? { code: "INTERNAL", message: "the native runtime returned neither a table nor an error", details: {} };
    const details = Object.keys(error.details).length > 0 ? error.details : undefined;
    return { tablePath, table: null, error: new NativeError(isNativeErrorCode(error.code) ? error.code : "INTERNAL", error.message, details) };
  });
}

/** The commit history of the Delta table at `tablePath`, newest first. */
export function loadDeltaHistory(tablePath: string, options: DeltaHistoryOptions = {}): DeltaHistory {
  const wire: { limit?: number } = {};
  if (options.limit !== undefined) {
    if (!(Number.isSafeInteger(options.limit) && options.limit >= 0)) {
      throw new NativeError("INVALID_ARGUMENT", `limit must be a non-negative integer, got ${String(options.limit)}`, { option: "limit" });
    }
    wire.limit = options.limit;
  }
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const bytes = callNative(() => native.deltaHistory(library, path.resolve(tablePath), encodeMsgpack(wire)));
  return checkFormat<DeltaHistory>(decodeMsgpack(bytes, "Delta history"), "Delta history");
}

/** `long`, `decimal(10,2)`, `struct<a:string,b:long>`, `array<string>`, `map<string,long>`. */
export function formatDeltaType(type: DeltaDataType): string {
  if (typeof type === "string") return type;
  switch (type.type) {
    case "struct":
      return `struct<${type.fields.map((f) => `${f.name}:${formatDeltaType(f.type)}`).join(",")}>`;
    case "array":
      return `array<${formatDeltaType(type.elementType)}>`;
    case "map":
      return `map<${formatDeltaType(type.keyType)},${formatDeltaType(type.valueType)}>`;
  }
}

/** Something that runs SQL (a `Database` of the facade). */
export interface SqlRunner {
  query(sql: string): { rows: readonly Record<string, unknown>[] };
}

export interface RowCount {
  /** Rows of the snapshot: physical rows minus rows deleted by deletion vectors. */
  readonly numRecords: number;
  readonly physicalRows: number;
  readonly deletedByDeletionVectors: number;
  /** Files whose row count came from the Parquet footer (no numRecords statistic, or forced). */
  readonly filesReadFromParquet: number;
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function parquetRowCounts(files: readonly DeltaFile[], db: SqlRunner): Map<string, number> {
  const counts = new Map<string, number>();
  const paths = files.map((file) => {
    if (file.absolutePath === null) {
      throw new NativeError("STORAGE_IO", `cannot read ${file.path}: only local files can be read`, { path: file.path });
    }
    if (!existsSync(file.absolutePath)) {
      throw new NativeError("STORAGE_NOT_FOUND", `data file ${file.path} of the table is missing`, { path: file.absolutePath });
    }
    return file.absolutePath;
  });
  for (let i = 0; i < paths.length; i += 500) {
    const chunk = paths.slice(i, i + 500);
    const { rows } = db.query(`SELECT file_name, num_rows FROM parquet_file_metadata([${chunk.map(sqlString).join(", ")}])`);
    for (const row of rows) counts.set(String(row["file_name"]), Number(row["num_rows"]));
  }
  return counts;
}

/**
 * Counts the rows of a snapshot: the summary's `numRecords` statistics plus Parquet footers
 * (through `db`) for the listed files without them — or footers of every file with
 * `{ fromParquet: true }` (needs `files: "all"`) — minus the cardinalities of deletion vectors.
 * `db` is needed only when a footer must be read.
 */
export function countSnapshotRows(snapshot: Pick<DeltaSnapshot, "summary" | "fileSelection" | "files">, options: { db?: SqlRunner; fromParquet?: boolean } = {}): RowCount {
  const { summary } = snapshot;
  const fromParquet = options.fromParquet === true;
  const listsAllUnknown = snapshot.fileSelection === "all" || snapshot.fileSelection === "withoutNumRecords";
  if ((fromParquet && snapshot.fileSelection !== "all") || (!listsAllUnknown && summary.filesWithoutNumRecords > 0)) {
    throw new NativeError("INVALID_ARGUMENT", `counting these rows needs the snapshot's files; load it with files: "${fromParquet ? "all" : "withoutNumRecords"}"`, {
      option: "files",
    });
  }
  const needFooter = snapshot.files.filter((f) => fromParquet || f.stats?.numRecords === undefined);
  let fromFooters = 0;
  if (needFooter.length > 0) {
    if (options.db === undefined) {
      throw new NativeError("INVALID_ARGUMENT", `${needFooter.length} file(s) have no numRecords statistic; pass a database to read their Parquet footers`, {
        option: "db",
      });
    }
    const counts = parquetRowCounts(needFooter, options.db);
    for (const file of needFooter) {
      const rows = counts.get(file.absolutePath ?? "");
      if (rows === undefined) throw new NativeError("INTERNAL", `DuckDB returned no row count for ${file.path}`);
      fromFooters += rows;
    }
  }
  const physicalRows = fromParquet ? fromFooters : summary.numRecords + fromFooters;
  const deleted = summary.deletedByDeletionVectors;
  return { numRecords: physicalRows - deleted, physicalRows, deletedByDeletionVectors: deleted, filesReadFromParquet: needFooter.length };
}
