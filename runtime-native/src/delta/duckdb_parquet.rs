//! [`ParquetReader`] backed by DuckDB's `read_parquet`: each row comes back as `to_json(row)`,
//! which renders structs as objects and `MAP(VARCHAR, ...)` as objects — the JSON shape of the
//! actions. DuckDB is loaded and opened only when a table actually has a Parquet checkpoint.

use std::cell::RefCell;

use super::parquet::ParquetReader;
use super::storage::{not_found, Storage};
use crate::duckdb::{self, Database, OpenOptions};
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::Value;

/// Reads Parquet through an in-memory DuckDB database opened on first use.
pub struct DuckdbParquet {
    library: String,
    database: RefCell<Option<Database>>,
}

impl DuckdbParquet {
    /// `library` is the path of libduckdb (loaded on first use).
    pub fn new(library: impl Into<String>) -> DuckdbParquet {
        DuckdbParquet {
            library: library.into(),
            database: RefCell::new(None),
        }
    }
}

/// A SQL string literal.
fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl ParquetReader for DuckdbParquet {
    fn read_rows(&self, storage: &dyn Storage, path: &str) -> Result<Vec<String>> {
        let local = storage.local_path(path).ok_or_else(|| {
            NativeError::new(
                ErrorCode::StorageIo,
                format!("cannot read Parquet file {path}: the table is not on a local file system"),
            )
            .with("path", path)
        })?;
        if !local.is_file() {
            return Err(not_found(path));
        }
        let local = local.to_str().ok_or_else(|| {
            NativeError::new(
                ErrorCode::StorageIo,
                format!("the path of {path} is not UTF-8"),
            )
            .with("path", path)
        })?;
        let mut slot = self.database.borrow_mut();
        let database = match slot.as_mut() {
            Some(database) => database,
            None => slot.insert(Database::open(
                duckdb::load(&self.library)?,
                &OpenOptions::default(),
            )?),
        };
        let sql = format!(
            "SELECT CAST(to_json(t) AS VARCHAR) AS row FROM read_parquet({}) AS t",
            sql_string(local)
        );
        let result = database.query(&sql).map_err(|e| {
            NativeError::new(
                ErrorCode::DeltaLogCorrupt,
                format!("cannot read Parquet file {path}: {}", e.message),
            )
            .with("file", path)
        })?;
        result
            .rows
            .into_iter()
            .map(|row| match row.into_iter().next() {
                Some(Value::Str(text)) => Ok(text),
                _ => Err(NativeError::internal("to_json returned a non-string")),
            })
            .collect()
    }
}
