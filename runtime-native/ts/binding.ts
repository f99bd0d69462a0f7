/**
 * The whole surface of the native addon (`cpgc-native.node`), declared in one place.
 *
 * Only `runtime-native/index.ts` loads the binary; everything else goes through its typed facade.
 * Values cross the boundary as msgpack buffers; failures are thrown as JS `Error`s with a stable
 * `code` (see ./errors.ts) and a `details` object of strings. The Rust side is
 * `runtime-native/src/napi/exports.rs`; a Rust test checks that every export is listed here.
 */

declare const databaseHandleBrand: unique symbol;

/** An opaque native database handle (a `napi_external`). Closed handles stay safe to pass. */
export interface DatabaseHandle {
  readonly [databaseHandleBrand]: "cpgc.DatabaseHandle";
}

export interface NativeBinding {
  /** Version of the cpgc-native crate. */
  version(): string;
  /** Loads libduckdb from `libPath` (once per process and path) and returns its version, e.g. `v1.4.1`. */
  duckdbVersion(libPath: string): string;
  /**
   * Opens a new in-memory DuckDB database with one connection.
   * `options` is the msgpack encoding of `{ threads?: number, memoryLimit?: string }`
   * (unknown keys are an INVALID_ARGUMENT).
   */
  open(libPath: string, options: Uint8Array): DatabaseHandle;
  /**
   * Runs `sql` (one or more statements; the last one's result is returned) and returns the
   * msgpack encoding of `{ columns: [{ name, type }], rows: [[value, ...], ...] }`.
   */
  query(db: DatabaseHandle, sql: string): Uint8Array;
  /** Closes the database. Closing again, or querying after close, throws DATABASE_CLOSED. */
  close(db: DatabaseHandle): void;
  /**
   * Loads a snapshot of the Delta table at `tablePath` (a local directory). `options` is the
   * msgpack encoding of `{ version?: bigint, timestampMs?: bigint, files?: "all" | "none" |
   * "withoutNumRecords" }` (at most one of version / timestampMs; neither = the latest version).
   * Returns the msgpack encoding of `DeltaSnapshot` (./delta-types.ts). `libPath` is libduckdb,
   * loaded only when a Parquet checkpoint must be read (by databases pooled for the process).
   */
  deltaSnapshot(libPath: string, tablePath: string, options: Uint8Array): Uint8Array;
  /**
   * The latest state of many Delta tables in one call, loaded on a few native threads: `request`
   * is the msgpack encoding of `{ tables: string[], files?: "none" | "withoutNumRecords"
   * (default "none"), threads?: number }`. Returns the msgpack encoding of `{ formatVersion,
   * tables: [{ tablePath, table: DeltaTableSummary | null, error: { code, message, details } |
   * null }] }` in the order asked; one table's failure is its `error`.
   */
  deltaObserve(libPath: string, request: Uint8Array): Uint8Array;
  /**
   * The commit history of the Delta table at `tablePath`, newest first. `options` is the msgpack
   * encoding of `{ limit?: number }`. Returns the msgpack encoding of `DeltaHistory`.
   */
  deltaHistory(libPath: string, tablePath: string, options: Uint8Array): Uint8Array;
  /**
   * One Delta write operation (create [with data], write, update, setProperties, addColumns,
   * enableFeatures, setDomainMetadata) as one commit. `request` is the msgpack encoding of `{ op, commit }`
   * (./delta-write.ts); `db` is a database handle whose session the source SQL runs in, or null
   * for a fresh in-memory database. Returns the msgpack encoding of `DeltaWriteResult`.
   */
  deltaWrite(libPath: string, db: DatabaseHandle | null, tablePath: string, request: Uint8Array): Uint8Array;
  /** Writes a classic checkpoint of the latest version; msgpack `{ formatVersion, version, path, actions, addFiles }`. */
  deltaCheckpoint(libPath: string, tablePath: string): Uint8Array;
  /** Vacuums the table; `options` = msgpack `{ retentionHours?, dryRun?, enforceRetention? }`, or `{ untracked: true, minAgeMs?, dryRun? }` to delete only files no log entry references; msgpack `{ formatVersion, dryRun, files, retentionMs }`. */
  deltaVacuum(libPath: string, tablePath: string, options: Uint8Array): Uint8Array;
  /**
   * Plans a scan of the Delta table at `tablePath`: `options` is the msgpack encoding of
   * `{ version?: bigint, timestampMs?: bigint, predicate?: string }`. Returns the msgpack encoding
   * of `DeltaScanPlan` (./scan-types.ts): SQL for DuckDB plus files scanned / pruned.
   */
  deltaScan(libPath: string, tablePath: string, options: Uint8Array): Uint8Array;
  /**
   * Plans the change data feed of versions `from..=to` (`options`: msgpack `{ from: bigint, to?: bigint }`).
   * Returns the msgpack encoding of `DeltaChangesPlan` (./scan-types.ts).
   */
  deltaChanges(libPath: string, tablePath: string, options: Uint8Array): Uint8Array;
  /** Panics inside Rust on purpose (tests prove a panic becomes a PANIC error, not a crash). */
  __panicForTest(message: string): never;
}

/** Names of all native functions, checked when the addon is loaded. */
export const NATIVE_FUNCTIONS = [
  "version",
  "duckdbVersion",
  "open",
  "query",
  "close",
  "deltaSnapshot",
  "deltaObserve",
  "deltaHistory",
  "deltaWrite",
  "deltaCheckpoint",
  "deltaVacuum",
  "deltaScan",
  "deltaChanges",
  "__panicForTest",
] as const satisfies readonly (keyof NativeBinding)[];
