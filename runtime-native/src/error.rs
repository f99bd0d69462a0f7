//! The one error type of the native runtime.
//!
//! Every failure that crosses the Node-API boundary becomes a JS `Error` whose `code` property is
//! one of [`ErrorCode::as_str`], whose `message` is [`NativeError::message`] and whose `details`
//! property is an object of string values ([`NativeError::details`]). The codes are stable: they
//! are part of the contract with `runtime-native/index.ts` (see the table in
//! `runtime-native/README.md`). Add variants, never rename or reuse one.

use std::cell::Cell;
use std::fmt;
use std::sync::Once;

/// Stable error codes. The string form (`as_str`) is what JavaScript sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A native function was called with missing or ill-typed arguments.
    InvalidArgument,
    /// `libduckdb` could not be loaded, or lacks a symbol this crate needs.
    DuckdbLoadFailed,
    /// DuckDB refused to create the database or the connection (e.g. a bad `memory_limit`).
    DuckdbOpenFailed,
    /// DuckDB reported an error for a statement; `details.errorType` holds DuckDB's error class.
    DuckdbQueryFailed,
    /// A result column has a DuckDB type the wire format does not carry; cast it in SQL.
    DuckdbUnsupportedType,
    /// The database handle was closed (or was never a cpgc database handle).
    DatabaseClosed,
    /// The result could not be encoded as msgpack.
    EncodeFailed,
    /// A Node-API call failed in an unexpected way.
    NapiFailed,
    /// An invariant of this crate does not hold (a bug).
    Internal,
    /// Rust code panicked; the panic was caught at the boundary and node keeps running.
    Panic,
    /// Reading or listing the table's storage failed (`details.path`).
    StorageIo,
    /// A file the storage was asked for does not exist (`details.path`).
    StorageNotFound,
    /// The path holds no Delta table: no `_delta_log` with commits or checkpoints.
    DeltaTableNotFound,
    /// The requested version does not exist or can no longer be reconstructed from the log.
    DeltaVersionNotFound,
    /// The requested timestamp is before the earliest commit that can be reconstructed.
    DeltaTimestampOutOfRange,
    /// The log misses files it needs: a gap in commit versions, a missing checkpoint part or
    /// sidecar without an older usable checkpoint.
    DeltaLogIncomplete,
    /// A log file is not valid: garbled JSON line (`details.version`, `details.line`), an action
    /// with ill-typed fields, a checkpoint without protocol or metadata, a bad URI-encoded path.
    DeltaLogCorrupt,
    /// The table's schema string cannot be parsed, or uses a type cpgc does not know.
    DeltaSchemaInvalid,
    /// The table needs a table feature cpgc does not implement (`details.features`).
    DeltaUnsupportedFeature,
    /// The table needs a Delta protocol version cpgc does not implement.
    DeltaUnsupportedProtocol,
    /// A deletion vector cannot be decoded: bad bitmap, checksum or size, or its row count differs
    /// from the log's cardinality (`details.deletionVector`).
    DeltaDeletionVectorCorrupt,
    /// A concurrent commit conflicts with this transaction (`details.winningVersion`,
    /// `details.conflict`); the transaction was not committed.
    DeltaCommitConflict,
    /// Every commit attempt lost the race to other writers (`details.attempts`).
    DeltaCommitRetriesExhausted,
    /// Creating a table where one already exists (`details.version`).
    DeltaTableExists,
    /// A write-policy setting the engine cannot honour (`details.setting`); never dropped silently.
    DeltaUnsupportedSetting,
    /// Data or a schema change does not fit the table's schema (`details.column`).
    DeltaSchemaMismatch,
    /// The operation is not allowed on this table (`details.reason`: append-only table,
    /// retention shorter than the table's, ...).
    DeltaOperationNotAllowed,
    /// The table is no longer at the version the caller expected (`details.expected`,
    /// `details.actual`): it moved before the read, or another writer won the commit race.
    /// Nothing was committed.
    DeltaVersionMoved,
}

impl ErrorCode {
    /// Every code, in declaration order (used by tests that keep the docs in sync).
    pub const ALL: [ErrorCode; 28] = [
        ErrorCode::InvalidArgument,
        ErrorCode::DuckdbLoadFailed,
        ErrorCode::DuckdbOpenFailed,
        ErrorCode::DuckdbQueryFailed,
        ErrorCode::DuckdbUnsupportedType,
        ErrorCode::DatabaseClosed,
        ErrorCode::EncodeFailed,
        ErrorCode::NapiFailed,
        ErrorCode::Internal,
        ErrorCode::Panic,
        ErrorCode::StorageIo,
        ErrorCode::StorageNotFound,
        ErrorCode::DeltaTableNotFound,
        ErrorCode::DeltaVersionNotFound,
        ErrorCode::DeltaTimestampOutOfRange,
        ErrorCode::DeltaLogIncomplete,
        ErrorCode::DeltaLogCorrupt,
        ErrorCode::DeltaSchemaInvalid,
        ErrorCode::DeltaUnsupportedFeature,
        ErrorCode::DeltaUnsupportedProtocol,
        ErrorCode::DeltaDeletionVectorCorrupt,
        ErrorCode::DeltaCommitConflict,
        ErrorCode::DeltaCommitRetriesExhausted,
        ErrorCode::DeltaTableExists,
        ErrorCode::DeltaUnsupportedSetting,
        ErrorCode::DeltaSchemaMismatch,
        ErrorCode::DeltaOperationNotAllowed,
        ErrorCode::DeltaVersionMoved,
    ];

    /// The stable string that JavaScript sees as `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::DuckdbLoadFailed => "DUCKDB_LOAD_FAILED",
            ErrorCode::DuckdbOpenFailed => "DUCKDB_OPEN_FAILED",
            ErrorCode::DuckdbQueryFailed => "DUCKDB_QUERY_FAILED",
            ErrorCode::DuckdbUnsupportedType => "DUCKDB_UNSUPPORTED_TYPE",
            ErrorCode::DatabaseClosed => "DATABASE_CLOSED",
            ErrorCode::EncodeFailed => "ENCODE_FAILED",
            ErrorCode::NapiFailed => "NAPI_FAILED",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::Panic => "PANIC",
            ErrorCode::StorageIo => "STORAGE_IO",
            ErrorCode::StorageNotFound => "STORAGE_NOT_FOUND",
            ErrorCode::DeltaTableNotFound => "DELTA_TABLE_NOT_FOUND",
            ErrorCode::DeltaVersionNotFound => "DELTA_VERSION_NOT_FOUND",
            ErrorCode::DeltaTimestampOutOfRange => "DELTA_TIMESTAMP_OUT_OF_RANGE",
            ErrorCode::DeltaLogIncomplete => "DELTA_LOG_INCOMPLETE",
            ErrorCode::DeltaLogCorrupt => "DELTA_LOG_CORRUPT",
            ErrorCode::DeltaSchemaInvalid => "DELTA_SCHEMA_INVALID",
            ErrorCode::DeltaUnsupportedFeature => "DELTA_UNSUPPORTED_FEATURE",
            ErrorCode::DeltaUnsupportedProtocol => "DELTA_UNSUPPORTED_PROTOCOL",
            ErrorCode::DeltaDeletionVectorCorrupt => "DELTA_DELETION_VECTOR_CORRUPT",
            ErrorCode::DeltaCommitConflict => "DELTA_COMMIT_CONFLICT",
            ErrorCode::DeltaCommitRetriesExhausted => "DELTA_COMMIT_RETRIES_EXHAUSTED",
            ErrorCode::DeltaTableExists => "DELTA_TABLE_EXISTS",
            ErrorCode::DeltaUnsupportedSetting => "DELTA_UNSUPPORTED_SETTING",
            ErrorCode::DeltaSchemaMismatch => "DELTA_SCHEMA_MISMATCH",
            ErrorCode::DeltaOperationNotAllowed => "DELTA_OPERATION_NOT_ALLOWED",
            ErrorCode::DeltaVersionMoved => "DELTA_VERSION_MOVED",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with a stable code, a human message and optional string details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeError {
    pub code: ErrorCode,
    pub message: String,
    /// Extra facts (sorted by key when they reach JS as an object).
    pub details: Vec<(&'static str, String)>,
}

impl NativeError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        NativeError {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Adds one detail (builder style).
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.details.push((key, value.into()));
        self
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        NativeError::new(ErrorCode::InvalidArgument, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        NativeError::new(ErrorCode::Internal, message)
    }

    /// The error for a caught panic, from the panic payload (and the location recorded by
    /// the hook of [`install_panic_hook`], when installed).
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let text = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown panic payload".to_string()
        };
        let error = NativeError::new(ErrorCode::Panic, format!("native panic: {text}"));
        match PANIC_LOCATION.with(|l| l.take()) {
            Some(location) => error.with("location", location),
            None => error,
        }
    }

    /// Looks up a detail by key.
    pub fn detail(&self, key: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message)
    }
}

impl std::error::Error for NativeError {}

pub type Result<T> = std::result::Result<T, NativeError>;

thread_local! {
    /// How many [`catch_panic`] frames are active on this thread.
    static CATCH_DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Where the last caught panic happened (set by the hook, taken by `from_panic`).
    static PANIC_LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

/// Runs `f`, turning a panic into a [`NativeError`] with code PANIC.
pub fn catch_panic<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    CATCH_DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCH_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    match outcome {
        Ok(result) => result,
        Err(payload) => Err(NativeError::from_panic(payload.as_ref())),
    }
}

/// Installs (once) a panic hook for this library's panics: a panic inside [`catch_panic`] is
/// silent (its message and location travel in the JS error instead); any other panic goes to
/// the previous hook. The hook only sees panics of this cdylib's own copy of std.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCH_DEPTH.with(Cell::get) > 0 {
                PANIC_LOCATION.with(|l| l.set(info.location().map(ToString::to_string)));
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_screaming_snake_case() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{s}");
        }
    }

    fn contains_word(text: &str, word: &str) -> bool {
        let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
        text.match_indices(word).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
        })
    }

    #[test]
    fn every_code_is_documented_in_readme_and_the_ts_facade() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in ["README.md", "ts/errors.ts"] {
            let text = std::fs::read_to_string(root.join(file))
                .unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
            for code in ErrorCode::ALL {
                assert!(
                    contains_word(&text, code.as_str()),
                    "{file} does not mention error code {code}"
                );
            }
        }
    }

    #[test]
    fn catch_panic_turns_a_panic_into_a_coded_error() {
        let err = catch_panic::<()>(|| panic!("boom {}", 42)).unwrap_err();
        assert_eq!(err.code, ErrorCode::Panic);
        assert!(err.message.contains("boom 42"), "{}", err.message);

        let err = catch_panic::<()>(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert_eq!(err.code, ErrorCode::Panic);
        assert_eq!(catch_panic(|| Ok(3)), Ok(3));
    }

    #[test]
    fn with_the_hook_a_caught_panic_records_its_location() {
        install_panic_hook();
        let err = catch_panic::<()>(|| panic!("located")).unwrap_err();
        assert!(
            err.detail("location")
                .is_some_and(|l| l.contains("error.rs")),
            "{err:?}"
        );
        // Nested catches keep working and the depth returns to zero.
        let outer = catch_panic(|| Ok(catch_panic::<()>(|| panic!("inner")).is_err()));
        assert_eq!(outer, Ok(true));
        assert_eq!(CATCH_DEPTH.with(Cell::get), 0);
    }

    #[test]
    fn details_and_display() {
        let err = NativeError::invalid_argument("bad").with("arg", "sql");
        assert_eq!(err.detail("arg"), Some("sql"));
        assert_eq!(err.detail("nope"), None);
        assert_eq!(err.to_string(), "[INVALID_ARGUMENT] bad");
    }
}
