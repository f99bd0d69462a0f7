//! The top-level columns of each data file (name, Parquet field id, DuckDB type and a signature
//! of the whole column), read from Parquet footers. The scan needs them to map column-mapping
//! ids, fill columns missing from older files with NULL, and group files of equal layout into
//! one `read_parquet`. [`DuckdbLayouts`] reads them with DuckDB's `parquet_schema`.

use std::collections::BTreeMap;

use super::sql::{parquet_path, sql_string};
use crate::duckdb::{self, Database, OpenOptions};
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::Value;

/// One `parquet_schema` row: name, field id, number of children, DuckDB type.
type SchemaRow = (String, Option<i64>, i64, Option<String>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileColumn {
    pub name: String,
    pub field_id: Option<i64>,
    /// DuckDB's type of a leaf column (`None` for groups: structs, lists, maps).
    pub duck_type: Option<String>,
    /// Names and types of the column and everything nested in it.
    pub signature: String,
}

/// Reads the layouts of data files (local absolute paths).
pub trait FileLayouts {
    fn layouts(&self, paths: &[String]) -> Result<BTreeMap<String, Vec<FileColumn>>>;
}

/// [`FileLayouts`] through an in-memory DuckDB database.
pub struct DuckdbLayouts<'a> {
    pub library: &'a str,
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    }
}

fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) => Some(*i),
        Value::UInt(u) => i64::try_from(*u).ok(),
        _ => None,
    }
}

/// Rebuilds the top-level columns from `parquet_schema` rows of one file (depth-first order,
/// the root first).
fn top_level(rows: &[SchemaRow]) -> Vec<FileColumn> {
    let mut out: Vec<FileColumn> = Vec::new();
    // Children still expected at each open level (the root's first).
    let mut pending: Vec<i64> = Vec::new();
    for (i, (name, field_id, children, duck_type)) in rows.iter().enumerate() {
        if i == 0 {
            pending.push(*children);
            continue;
        }
        let depth = pending.len();
        if let Some(top) = pending.last_mut() {
            *top -= 1;
        }
        if depth == 1 {
            out.push(FileColumn {
                name: name.clone(),
                field_id: *field_id,
                duck_type: if *children > 0 {
                    None
                } else {
                    duck_type.clone()
                },
                signature: String::new(),
            });
        }
        if let Some(column) = out.last_mut() {
            column.signature.push_str(&format!(
                "{depth}:{name}:{}:{children};",
                duck_type.as_deref().unwrap_or("")
            ));
        }
        if *children > 0 {
            pending.push(*children);
        }
        while pending.last() == Some(&0) {
            pending.pop();
        }
    }
    out
}

impl FileLayouts for DuckdbLayouts<'_> {
    fn layouts(&self, paths: &[String]) -> Result<BTreeMap<String, Vec<FileColumn>>> {
        if paths.is_empty() {
            return Ok(BTreeMap::new());
        }
        let mut db = Database::open(duckdb::load(self.library)?, &OpenOptions::default())?;
        read_layouts(&mut db, paths)
    }
}

/// The layouts of data files (local absolute paths), read in `db`.
pub fn read_layouts(
    db: &mut Database,
    paths: &[String],
) -> Result<BTreeMap<String, Vec<FileColumn>>> {
    let mut out = BTreeMap::new();
    for chunk in paths.chunks(2000) {
        let list: Vec<String> = chunk.iter().map(|p| parquet_path(p)).collect();
        let sql = format!(
            "SELECT file_name, name, field_id, COALESCE(num_children, 0), duckdb_type FROM parquet_schema([{}])",
            list.join(", ")
        );
        let result = db.query(&sql).map_err(|e| {
            NativeError::new(
                ErrorCode::StorageIo,
                format!(
                    "cannot read the Parquet footers of the table's data files: {}",
                    e.message
                ),
            )
        })?;
        let mut rows: BTreeMap<String, Vec<SchemaRow>> = BTreeMap::new();
        for row in &result.rows {
            let (Some(file), Some(name)) = (row.first().and_then(text), row.get(1).and_then(text))
            else {
                return Err(NativeError::internal(
                    "parquet_schema returned a row without file or name",
                ));
            };
            rows.entry(file).or_default().push((
                name,
                row.get(2).and_then(int),
                row.get(3).and_then(int).unwrap_or(0),
                row.get(4).and_then(text),
            ));
        }
        for (file, rows) in rows {
            out.insert(file, top_level(&rows));
        }
    }
    for path in paths {
        if !out.contains_key(path) {
            return Err(NativeError::internal(format!(
                "parquet_schema returned nothing for {}",
                sql_string(path)
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_columns_skip_nested_nodes() {
        let row = |n: &str, id: Option<i64>, c: i64, t: Option<&str>| {
            (n.to_string(), id, c, t.map(str::to_string))
        };
        let rows = vec![
            row("schema", None, 3, None),
            row("a", Some(1), 0, Some("BIGINT")),
            row("s", Some(2), 2, None),
            row("x", Some(3), 0, Some("INTEGER")),
            row("l", Some(4), 1, None),
            row("element", None, 0, Some("VARCHAR")),
            row("b", Some(5), 0, Some("VARCHAR")),
        ];
        let cols = top_level(&rows);
        let names: Vec<_> = cols
            .iter()
            .map(|c| (c.name.as_str(), c.field_id, c.duck_type.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("a", Some(1), Some("BIGINT")),
                ("s", Some(2), None),
                ("b", Some(5), Some("VARCHAR"))
            ]
        );
        assert!(cols[1].signature.contains("element"));
    }
}
