/**
 * Errors of the native runtime. Every failure of `runtime-native` surfaces as a `NativeError`
 * with one of these stable codes (the table with more context is in runtime-native/README.md;
 * the Rust enum is `ErrorCode` in runtime-native/src/error.rs, and a Rust test checks that
 * every native code is listed here).
 */

/** Codes raised by the Rust addon. */
export const NATIVE_ADDON_ERROR_CODES = {
  INVALID_ARGUMENT: "a native function got missing or ill-typed arguments, or invalid options",
  DUCKDB_LOAD_FAILED: "libduckdb could not be loaded from the given path, or lacks a needed symbol",
  DUCKDB_OPEN_FAILED: "DuckDB refused to create the database or its connection",
  DUCKDB_QUERY_FAILED: "DuckDB reported an error for the SQL; details.errorType holds its class (PARSER, BINDER, CATALOG, ...)",
  DUCKDB_UNSUPPORTED_TYPE: "a result column has a type the wire format does not carry; cast it in SQL (e.g. to VARCHAR)",
  DATABASE_CLOSED: "the database handle was already closed",
  ENCODE_FAILED: "the result could not be encoded as msgpack",
  NAPI_FAILED: "a Node-API call failed unexpectedly",
  INTERNAL: "an invariant of the native runtime does not hold (a bug)",
  PANIC: "Rust code panicked; the panic was caught and node keeps running",
  STORAGE_IO: "reading or listing the table's files failed (details.path)",
  STORAGE_NOT_FOUND: "a file the runtime needed does not exist (details.path)",
  DELTA_TABLE_NOT_FOUND: "the path holds no Delta table: no such directory, or no commits or checkpoints in _delta_log",
  DELTA_VERSION_NOT_FOUND: "the requested version does not exist (details.latest) or can no longer be rebuilt from the log (details.earliest)",
  DELTA_TIMESTAMP_OUT_OF_RANGE: "the requested timestamp is before the earliest commit (details.earliest)",
  DELTA_LOG_INCOMPLETE: "the log misses a file it needs: a commit (details.missingVersion), a checkpoint part or a sidecar",
  DELTA_LOG_CORRUPT: "a log file is invalid: garbled JSON (details.version, details.line), ill-typed action, bad path encoding, checkpoint without protocol/metaData",
  DELTA_SCHEMA_INVALID: "the table schema cannot be parsed, uses an unknown type (details.type), or misses column mapping names",
  DELTA_UNSUPPORTED_FEATURE: "the table needs table features cpgc does not implement (details.features, details.kind = reader | writer)",
  DELTA_UNSUPPORTED_PROTOCOL: "the table needs a Delta protocol version cpgc does not implement (details.minReaderVersion)",
  DELTA_COMMIT_CONFLICT: "a concurrent commit conflicts with this transaction (details.winningVersion, details.conflict); nothing was committed",
  DELTA_COMMIT_RETRIES_EXHAUSTED: "every commit attempt lost the race to other writers (details.attempts)",
  DELTA_TABLE_EXISTS: "creating a table where a Delta table already exists (details.version)",
  DELTA_UNSUPPORTED_SETTING: "a write-policy setting the engine cannot honour (details.setting); never silently dropped",
  DELTA_SCHEMA_MISMATCH: "data or a schema change does not fit the table schema (details.column)",
  DELTA_OPERATION_NOT_ALLOWED: "the operation is not allowed on this table (details.reason: appendOnly, retention, columnMapping, schemaChange — with details.change and details.column: the change needs all data rewritten in the same commit)",
  DELTA_DELETION_VECTOR_CORRUPT: "a deletion vector cannot be decoded, or its row count differs from its cardinality (details.deletionVector)",
  DELTA_VERSION_MOVED: "the table is not at the commit option expectedVersion any more (details.expected, details.actual): it moved before the read, or another writer won the commit race; nothing was committed",
} as const;

/** Codes raised by the TypeScript facade itself, before or around the addon. */
export const FACADE_ERROR_CODES = {
  NATIVE_ADDON_NOT_FOUND: "the built addon is missing; run `bash scripts/setup-native.sh`",
  NATIVE_ADDON_LOAD_FAILED: "the addon exists but could not be loaded or lacks functions; rebuild it",
  DUCKDB_LIBRARY_NOT_FOUND: "the @duckdb/node-bindings-<platform> package (libduckdb) is not installed",
  UNSUPPORTED_PLATFORM: "no native runtime for this operating system / architecture",
  INVALID_RESULT: "the addon returned bytes that do not decode to the expected shape",
  LOCK_HELD: "another cpgc apply holds the lake's lock (details: id, owner, pid, host, expiresAt); wait, or `cpgc force-unlock ID` when it is gone",
  LOCK_NOT_HELD: "the lake's lock is absent or carries another id (force-unlock with a wrong id; a lease that was taken over)",
  SOURCE_NOT_FOUND: "a dataset's source pattern matches no file (details.dataset, details.pattern)",
  SOURCE_SCHEMA_MISMATCH: "a source row does not fit the dataset's declared schema (details.dataset, details.column, details.file)",
  EXPECTATION_FAILED: "an expectation of severity error failed; the table was not committed (details.table, details.expectation)",
  PLAN_STALE: "a table moved since the plan pinned it, or the plan cannot be applied as saved (details.table)",
  PYTHON_NOT_FOUND: "python3 (or $CPGC_PYTHON) cannot be run; the Python extractor needs it (details.python)",
  EXTRACTOR_NOT_FOUND: "no extractor of that name, or its code is missing from the installation (details.extractor, details.path)",
  EXTRACTOR_FAILED: "an extractor worker crashed or exited non-zero (details.worker, details.exitCode, details.signal, details.stderrTail)",
  EXTRACT_SCHEMA_MISMATCH: "an extracted row does not fit the dataset's declared schema, or the schema asks for a column the extractor lacks (details.dataset, details.column, details.file)",
  EXTRACT_ROOT_NOT_FOUND: "the source root of an extract tree does not exist: a missing directory, or a stdlib:NAME that is not a standard-library package (details.root)",
  EXTRACT_OPTIONS_INVALID: "the extract datasets' options do not describe one tree per extractor (details.extractor, details.dataset, details.option)",
} as const;

export type NativeAddonErrorCode = keyof typeof NATIVE_ADDON_ERROR_CODES;
export type FacadeErrorCode = keyof typeof FACADE_ERROR_CODES;
export type NativeErrorCode = NativeAddonErrorCode | FacadeErrorCode;

export type NativeErrorDetails = Readonly<Record<string, string>>;

/** An error of the native runtime, with a stable `code` and optional string `details`. */
export class NativeError extends Error {
  override readonly name = "NativeError";
  readonly code: NativeErrorCode;
  readonly details: NativeErrorDetails | undefined;

  constructor(code: NativeErrorCode, message: string, details?: NativeErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isNativeErrorCode(code: unknown): code is NativeErrorCode {
  return typeof code === "string" && (Object.hasOwn(NATIVE_ADDON_ERROR_CODES, code) || Object.hasOwn(FACADE_ERROR_CODES, code));
}

function stringDetails(value: unknown): NativeErrorDetails | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const details: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string") details[key] = item;
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

/** Maps anything the addon threw into a `NativeError` (the original is kept as `cause`). */
export function toNativeError(thrown: unknown): NativeError {
  if (thrown instanceof NativeError) return thrown;
  if (thrown instanceof Error) {
    const { code, details } = thrown as Error & { code?: unknown; details?: unknown };
    if (isNativeErrorCode(code)) {
      return new NativeError(code, thrown.message, stringDetails(details), { cause: thrown });
    }
    return new NativeError("INTERNAL", `unexpected error from the native addon: ${thrown.message}`, undefined, { cause: thrown });
  }
  return new NativeError("INTERNAL", `unexpected non-error thrown by the native addon: ${String(thrown)}`, undefined, { cause: thrown });
}
