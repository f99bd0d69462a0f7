//! Reading checkpoint and sidecar Parquet files. The log engine only needs rows as JSON objects
//! (one per row, column name → value, structs as objects, maps as objects with string keys), so
//! the engine that decodes Parquet (DuckDB, see `duckdb_parquet.rs`) stays outside the log code
//! and tests can use [`MemoryParquet`].

use std::collections::BTreeMap;

use super::storage::Storage;
use crate::error::Result;

/// Reads Parquet files of a table's storage.
pub trait ParquetReader {
    /// Every row of the Parquet file at storage path `path`, as JSON object text.
    /// A missing file is a `STORAGE_NOT_FOUND` error.
    fn read_rows(&self, storage: &dyn Storage, path: &str) -> Result<Vec<String>>;
}

/// Parquet "files" given as JSON rows, for tests. A path must also exist in the storage (so
/// deleting it there makes it missing).
#[derive(Debug, Default)]
pub struct MemoryParquet {
    files: BTreeMap<String, Vec<String>>,
}

impl MemoryParquet {
    pub fn new() -> MemoryParquet {
        MemoryParquet::default()
    }

    /// Registers the rows of `path`.
    pub fn insert(&mut self, path: &str, rows: Vec<String>) {
        self.files.insert(path.to_string(), rows);
    }
}

impl ParquetReader for MemoryParquet {
    fn read_rows(&self, storage: &dyn Storage, path: &str) -> Result<Vec<String>> {
        storage.read(path)?;
        Ok(self.files.get(path).cloned().unwrap_or_default())
    }
}
