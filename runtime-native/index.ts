/**
 * The typed facade of cpgc's native runtime — the only module that loads the addon binary.
 *
 * ```ts
 * const db = openDatabase({ threads: 2, memoryLimit: "1GB" });
 * try {
 *   const { columns, rows } = db.query("SELECT 42 AS answer");
 * } finally {
 *   db.close();
 * }
 * ```
 *
 * Delta tables: `loadDeltaSnapshot(path, { version | timestamp })`, `observeDeltaTables(paths)`
 * (many tables' state in one call), `loadDeltaHistory(path)`,
 * `countSnapshotRows(snapshot, { db })` (./ts/delta.ts; shapes in ./ts/delta-types.ts).
 *
 * Every failure is a {@link NativeError} with a stable `code` (see ./ts/errors.ts and
 * runtime-native/README.md). Value mapping (number vs bigint, BLOB, MAP, ...) is in ./ts/wire.ts.
 */

import type { DatabaseHandle, NativeBinding } from "./ts/binding.js";
import { NativeError } from "./ts/errors.js";
import { callNative, libraryPath, loadBinding as load } from "./ts/load.js";
import { decodeResult, encodeOpenOptions, type SqlValue, type WireColumn } from "./ts/wire.js";

export { NativeError, isNativeErrorCode, NATIVE_ADDON_ERROR_CODES, FACADE_ERROR_CODES } from "./ts/errors.js";
export type { NativeErrorCode, NativeErrorDetails, NativeAddonErrorCode, FacadeErrorCode } from "./ts/errors.js";
export type { NativeBinding, DatabaseHandle } from "./ts/binding.js";
export type { SqlValue } from "./ts/wire.js";
export { locateAddon, locateDuckdbLibrary, duckdbPlatformPackage, findProjectRoot } from "./ts/locate.js";
export {
  loadDeltaSnapshot,
  observeDeltaTables,
  loadDeltaHistory,
  parseTimestamp,
  formatDeltaType,
  countSnapshotRows,
  type DeltaSnapshotOptions,
  type ObserveDeltaTablesOptions,
  type DeltaTableObservation,
  type DeltaHistoryOptions,
  type RowCount,
  type SqlRunner,
} from "./ts/delta.js";
export {
  deltaWrite,
  createDeltaTable,
  appendToDeltaTable,
  overwriteDeltaTable,
  replaceWhereDeltaTable,
  setDeltaTableProperties,
  addDeltaTableColumns,
  enableDeltaTableFeatures,
  setDeltaDomainMetadata,
  cpgcStateDomain,
  getCpgcState,
  checkpointDeltaTable,
  vacuumDeltaTable,
  updateDeltaTable,
  cleanupUntrackedFiles,
  deltaSchemaString,
  CPGC_DOMAIN,
  type DeltaFieldSpec,
  type DeltaCommitOptions,
  type DeltaWritePolicy,
  type DeltaDataSource,
  type DeltaWriteResult,
  type DeltaWriteCallOptions,
  type CreateDeltaTableSpec,
  type CpgcTableState,
  type VacuumOptions,
  type DeltaTableFeature,
  type DeltaTableChange,
  type DeltaSchemaChange,
  type DeltaUpdateWrite,
  type CleanupUntrackedOptions,
  type CleanupUntrackedResult,
} from "./ts/delta-write.js";
export type {
  DeltaSnapshot,
  DeltaHistory,
  DeltaHistoryEntry,
  DeltaField,
  DeltaDataType,
  DeltaStructType,
  DeltaArrayType,
  DeltaMapType,
  DeltaProtocol,
  DeltaMetadata,
  DeltaFile,
  DeltaFileStats,
  DeltaDeletionVector,
  DeltaLogSegment,
  DeltaFileSelection,
  DeltaSnapshotSummary,
  DeltaAppTransaction,
  DeltaTableSummary,
} from "./ts/delta-types.js";
export {
  planDeltaScan,
  planDeltaChanges,
  scanDeltaTable,
  registerDeltaView,
  projectSql,
  quoteIdent,
  type DeltaScanOptions,
  type DeltaScanResult,
  type ScanRunner,
} from "./ts/scan.js";
export type { DeltaScanPlan, DeltaScanColumn, DeltaScanStats, DeltaChangesPlan } from "./ts/scan-types.js";

export interface OpenOptions {
  /** Path of the DuckDB shared library. Default: the one in @duckdb/node-bindings-<platform>-<arch>. */
  libraryPath?: string;
  /** DuckDB `threads` (an integer >= 1). Default: DuckDB's (number of cores). */
  threads?: number;
  /** DuckDB `memory_limit`, e.g. `"2GB"`. Default: DuckDB's (80% of RAM). */
  memoryLimit?: string;
}

export interface Column extends WireColumn {
  /**
   * The property holding this column in each row object: the column name, or, for a repeated
   * name, the name suffixed `_1`, `_2`, ... (the first free one).
   */
  key: string;
}

export type Row = Record<string, SqlValue>;

export interface QueryResult {
  columns: Column[];
  rows: Row[];
}

/** The raw native binding (for modules of runtime-native/ts; errors it throws are not mapped). */
export function nativeBinding(): NativeBinding {
  return load();
}

/** Version of the native addon (the cpgc-native crate). */
export function nativeVersion(): string {
  const native = load();
  return callNative(() => native.version());
}

/** Version of the DuckDB library the runtime uses (or of the one at `libraryPath`), e.g. `v1.4.1`. */
export function duckdbVersion(libraryPathOverride?: string): string {
  const native = load();
  const library = libraryPath(libraryPathOverride);
  return callNative(() => native.duckdbVersion(library));
}

/** Test hook: makes Rust panic; the panic surfaces as a NativeError with code PANIC. */
export function __panicForTest(message: string): never {
  const native = load();
  return callNative(() => native.__panicForTest(message));
}

function validateOptions(options: OpenOptions): void {
  const { threads, memoryLimit, libraryPath: library } = options;
  if (library !== undefined) libraryPath(library);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 0xffff_ffff)) {
    throw new NativeError("INVALID_ARGUMENT", `threads must be an integer >= 1, got ${String(threads)}`, { option: "threads" });
  }
  if (memoryLimit !== undefined && (typeof memoryLimit !== "string" || memoryLimit.trim() === "")) {
    throw new NativeError("INVALID_ARGUMENT", "memoryLimit must be a non-empty string such as \"2GB\"", { option: "memoryLimit" });
  }
}

function rowKeys(columns: readonly WireColumn[]): string[] {
  const taken = new Set<string>();
  return columns.map(({ name }) => {
    let key = name;
    for (let n = 1; taken.has(key); n++) key = `${name}_${n}`;
    taken.add(key);
    return key;
  });
}

/** An open in-memory DuckDB database (one connection). Call {@link Database.close} when done. */
export class Database {
  readonly #binding: NativeBinding;
  readonly #handle: DatabaseHandle;

  /** @internal use {@link openDatabase} */
  constructor(binding: NativeBinding, handle: DatabaseHandle) {
    this.#binding = binding;
    this.#handle = handle;
  }

  /** The native handle (for facade modules such as Delta writes, whose source SQL runs in this session). */
  get handle(): DatabaseHandle {
    return this.#handle;
  }

  /** Runs `sql` and returns the last statement's rows as objects keyed by column. */
  query(sql: string): QueryResult {
    const bytes = callNative(() => this.#binding.query(this.#handle, sql));
    const wire = decodeResult(bytes);
    const keys = rowKeys(wire.columns);
    const columns = wire.columns.map((column, i) => ({ name: column.name, type: column.type, key: keys[i] ?? column.name }));
    const rows = wire.rows.map((values) => {
      const row: Row = {};
      values.forEach((value, i) => {
        // defineProperty: a column named "__proto__" must become a property, not a prototype.
        Object.defineProperty(row, keys[i] ?? String(i), { value, enumerable: true, writable: true, configurable: true });
      });
      return row;
    });
    return { columns, rows };
  }

  /** Closes the database. Closing twice, or querying after close, throws DATABASE_CLOSED. */
  close(): void {
    callNative(() => this.#binding.close(this.#handle));
  }
}

/** Opens a new in-memory DuckDB database. */
export function openDatabase(options: OpenOptions = {}): Database {
  validateOptions(options);
  const native = load();
  const library = libraryPath(options.libraryPath);
  const handle = callNative(() => native.open(library, encodeOpenOptions(options)));
  return new Database(native, handle);
}
