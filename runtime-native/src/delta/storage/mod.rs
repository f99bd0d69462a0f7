//! Where a table's files live. The log engine only talks to [`Storage`]; [`LocalStorage`] reads a
//! local directory and [`MemoryStorage`] keeps files in memory for tests. One contract suite
//! (`contract.rs`) runs against every implementation.
//!
//! # Contract
//! - Paths are relative to the table root, `/`-separated, without a leading `/`
//!   (e.g. `_delta_log/00000000000000000000.json`).
//! - [`Storage::list_from`] returns the files (not directories) directly inside a directory whose
//!   names are `>= start`, sorted by name in byte order. A directory that does not exist lists
//!   as empty.
//! - [`Storage::read`] returns a whole file; a missing file is a `STORAGE_NOT_FOUND` error.
//! - [`Storage::put_if_absent`] creates a file atomically with its whole content, or reports
//!   [`PutOutcome::AlreadyExists`] and leaves the existing file untouched. A reader never sees a
//!   partially written file.

mod local;
mod memory;

#[cfg(test)]
mod contract;

pub use local::LocalStorage;
pub use memory::MemoryStorage;

use std::path::PathBuf;

use crate::error::{ErrorCode, NativeError, Result};

/// One listed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMeta {
    /// The file name (last path segment).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Last modification time, milliseconds since the Unix epoch.
    pub modified_ms: i64,
}

/// The result of [`Storage::put_if_absent`]: losing a race is a value, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Created,
    AlreadyExists,
}

/// The files of one table (see the module docs for the contract).
pub trait Storage {
    /// Files directly inside `dir` with a name `>= start`, sorted by name.
    fn list_from(&self, dir: &str, start: &str) -> Result<Vec<FileMeta>>;
    /// The whole content of the file at `path`.
    fn read(&self, path: &str) -> Result<Vec<u8>>;
    /// Creates `path` with `bytes` unless it exists.
    fn put_if_absent(&self, path: &str, bytes: &[u8]) -> Result<PutOutcome>;
    /// The file's path on the local file system, when it has one (engines that read files
    /// themselves, like DuckDB for Parquet, need it).
    fn local_path(&self, path: &str) -> Option<PathBuf>;
    /// Human-readable location of the table, for messages.
    fn describe(&self) -> String;
}

/// Joins a directory and a name (`""` is the table root).
pub fn join(dir: &str, name: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Splits a storage path into (directory, file name).
pub fn split(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(at) => (&path[..at], &path[at + 1..]),
        None => ("", path),
    }
}

/// The STORAGE_NOT_FOUND error for `path`.
pub fn not_found(path: &str) -> NativeError {
    NativeError::new(ErrorCode::StorageNotFound, format!("{path} does not exist"))
        .with("path", path)
}

/// Refuses paths that could escape the table root or are not relative.
pub fn check_path(path: &str) -> Result<()> {
    let bad = path.starts_with('/')
        || path.contains('\0')
        || path.split('/').any(|segment| segment == "..");
    if bad {
        return Err(NativeError::invalid_argument(format!(
            "storage path {path:?} must be relative to the table root, without '..'"
        ))
        .with("path", path));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_and_split() {
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("_delta_log", "a.json"), "_delta_log/a.json");
        assert_eq!(join("_delta_log/", "a.json"), "_delta_log/a.json");
        assert_eq!(split("_delta_log/a.json"), ("_delta_log", "a.json"));
        assert_eq!(split("a.json"), ("", "a.json"));
    }

    #[test]
    fn paths_must_stay_inside_the_table() {
        assert!(check_path("_delta_log/x.json").is_ok());
        assert!(check_path("/etc/passwd").is_err());
        assert!(check_path("a/../../b").is_err());
    }
}
