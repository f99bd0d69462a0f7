//! Reading checkpoint and sidecar Parquet files. The log engine only needs rows as JSON objects
//! (one per row, column name → value, structs as objects, maps as objects with string keys), so
//! the engine that decodes Parquet (DuckDB, see `duckdb_parquet.rs`) stays outside the log code
//! and tests can use [`MemoryParquet`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::actions::Add;
use super::storage::Storage;
use crate::error::{ErrorCode, NativeError, Result};

/// Which part of a checkpoint's rows the reader needs. Columns or fields a file lacks are simply
/// absent from the rows; rows left without any wanted column may be dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projection {
    /// Every column.
    All,
    /// The non-file actions (`protocol`, `metaData`, `txn`, `domainMetadata`,
    /// `checkpointMetadata`, `sidecar`) in full, and of each `add` only what identifies the
    /// logical file and what totals count: path, size, `stats`, `stats_parsed.numRecords`,
    /// deletion vector. No `remove` rows: a checkpoint's tombstones are not active files.
    FileSummary,
    /// [`Projection::FileSummary`] without the `txn` rows (the table's app transactions are then
    /// only those of the commits after the checkpoint).
    Totals,
    /// Only the non-file actions (no `add` / `remove` rows).
    NonFile,
}

/// The non-file action columns the projections keep whole.
pub const NON_FILE_COLUMNS: [&str; 6] = [
    "protocol",
    "metaData",
    "txn",
    "domainMetadata",
    "checkpointMetadata",
    "sidecar",
];

/// The fields of `column` that [`Projection::FileSummary`] and [`Projection::Totals`] keep
/// (`None`: the column is kept whole or dropped, see [`Projection::keeps`]).
pub fn summary_fields(column: &str) -> Option<&'static [&'static str]> {
    match column {
        "add" => Some(&["path", "size", "stats", "stats_parsed", "deletionVector"]),
        _ => None,
    }
}

impl Projection {
    /// Whether the projection keeps (some of) the top-level `column`.
    pub fn keeps(self, column: &str) -> bool {
        match self {
            Projection::All => true,
            Projection::FileSummary => NON_FILE_COLUMNS.contains(&column) || column == "add",
            Projection::Totals => {
                column != "txn" && (NON_FILE_COLUMNS.contains(&column) || column == "add")
            }
            Projection::NonFile => NON_FILE_COLUMNS.contains(&column),
        }
    }

    /// Whether `add` rows are reduced to [`summary_fields`].
    pub fn summarizes_files(self) -> bool {
        matches!(self, Projection::FileSummary | Projection::Totals)
    }

    /// `row` (a JSON object) reduced to the projection; `None` when nothing of it is kept.
    pub fn apply(self, row: &Value) -> Option<Value> {
        let Value::Object(object) = row else {
            return Some(row.clone());
        };
        if self == Projection::All {
            return Some(row.clone());
        }
        let mut out = Map::new();
        for (column, value) in object {
            if !self.keeps(column) || value.is_null() {
                continue;
            }
            let kept = match (self.summarizes_files(), summary_fields(column), value) {
                (true, Some(fields), Value::Object(fields_of)) => {
                    let mut reduced = Map::new();
                    for field in fields {
                        let Some(v) = fields_of.get(*field) else {
                            continue;
                        };
                        let v = match (*field, v) {
                            ("stats_parsed", Value::Object(stats)) => {
                                let mut only = Map::new();
                                if let Some(n) = stats.get("numRecords") {
                                    only.insert("numRecords".into(), n.clone());
                                }
                                Value::Object(only)
                            }
                            _ => v.clone(),
                        };
                        reduced.insert((*field).to_string(), v);
                    }
                    Value::Object(reduced)
                }
                _ => value.clone(),
            };
            out.insert(column.clone(), kept);
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }
}

/// Rows of a Parquet file, one JSON object per row (column name → value, structs as objects,
/// maps as objects with string keys): as text, or already as values.
#[derive(Debug, Clone, PartialEq)]
pub enum ParquetRows {
    Text(Vec<String>),
    Values(Vec<ParquetRow>),
}

/// One row given as a value.
#[derive(Debug, Clone, PartialEq)]
pub enum ParquetRow {
    /// The row's columns as a JSON object.
    Object(Value),
    /// A row whose only action is this summarized `add` (built by the reader from typed
    /// columns: what parsing `{"add": {path, size, stats, ...}}` gives).
    Add(Box<Add>),
}

impl ParquetRows {
    pub fn len(&self) -> usize {
        match self {
            ParquetRows::Text(rows) => rows.len(),
            ParquetRows::Values(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads Parquet files of a table's storage.
pub trait ParquetReader {
    /// The rows of the Parquet file at storage path `path`, reduced to `projection`. A missing
    /// file is a `STORAGE_NOT_FOUND` error.
    fn read_rows(
        &self,
        storage: &dyn Storage,
        path: &str,
        projection: Projection,
    ) -> Result<ParquetRows>;
}

/// Parquet "files" given as JSON rows, for tests. A path must also exist in the storage (so
/// deleting it there makes it missing). Projections are applied to the rows as a real reader
/// would.
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
    fn read_rows(
        &self,
        storage: &dyn Storage,
        path: &str,
        projection: Projection,
    ) -> Result<ParquetRows> {
        storage.read(path)?;
        let rows = self.files.get(path).cloned().unwrap_or_default();
        if projection == Projection::All {
            return Ok(ParquetRows::Text(rows));
        }
        let mut out = Vec::new();
        for row in rows {
            // Rows that are not JSON stay as they are: the log parser reports them.
            let Ok(value) = serde_json::from_str::<Value>(&row) else {
                out.push(row);
                continue;
            };
            if let Some(kept) = projection.apply(&value) {
                out.push(serde_json::to_string(&kept).map_err(|e| {
                    NativeError::new(ErrorCode::Internal, format!("cannot encode a row: {e}"))
                })?);
            }
        }
        Ok(ParquetRows::Text(out))
    }
}
