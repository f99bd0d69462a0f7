//! A snapshot as one SQL relation for DuckDB: the active files left after pruning, read with
//! `read_parquet` (files of equal layout and partition values together; a file with a deletion
//! vector alone, filtered on `file_row_number`), partition values as typed constants from the
//! log, physical → logical names (column mapping by name or by field id), NULL for columns a
//! file lacks, and casts to the table schema (type widening included). With a predicate, the
//! relation is filtered by it, so the plan's SQL is always exactly the table's rows.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::layout::{FileColumn, FileLayouts};
use super::predicate;
use super::prune::{bind, keep_file, PruneColumn};
use super::sql::{convert, duck_type, null_of, parquet_path, partition_literal, quote_ident};
use crate::delta::deletion_vector::bitmap::read_deleted_rows;
use crate::delta::replay::ActiveFile;
use crate::delta::schema::{ColumnMappingMode, DataType, StructField, StructType};
use crate::delta::stats::parse_stats;
use crate::delta::storage::{not_found, Storage};
use crate::delta::uri::FileLocation;
use crate::delta::Snapshot;
use crate::error::{ErrorCode, NativeError, Result};

/// A column of the scan's relation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanColumn {
    pub name: String,
    /// The Delta type (`long`, `struct<a:string>`, ...).
    #[serde(rename = "type")]
    pub delta_type: String,
    pub duckdb_type: String,
    pub partition: bool,
}

/// What a scan reads and how much pruning saved.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ScanStats {
    pub files_total: usize,
    pub files_scanned: usize,
    pub files_pruned: usize,
    pub files_with_deletion_vectors: usize,
    /// Rows of the scanned files deleted by their deletion vectors.
    pub rows_deleted_by_deletion_vectors: u64,
    pub bytes_scanned: i64,
    /// Conjuncts of the predicate used for pruning / not understood by pruning.
    pub conjuncts_used: usize,
    pub conjuncts_ignored: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanPlan {
    pub format_version: u32,
    pub table_root: String,
    pub version: u64,
    pub columns: Vec<ScanColumn>,
    /// The relation: `SELECT <columns> ...` (filtered by the predicate when one was given).
    pub sql: String,
    pub stats: ScanStats,
}

/// A data file to read.
pub struct FileRead<'a> {
    pub path: String,
    pub partition_values: &'a BTreeMap<String, Option<String>>,
    /// Row indexes to drop (sorted); `None` without a deletion vector.
    pub deleted: Option<Vec<u64>>,
    /// Keep only these row indexes instead (change data: rows a DV newly deleted).
    pub only: Option<Vec<u64>>,
}

/// Where a logical file is on the local file system.
pub fn local_path(storage: &dyn Storage, location: &FileLocation) -> Result<String> {
    let path = match location {
        FileLocation::Relative(p) => storage
            .local_path(p)
            .and_then(|p| p.to_str().map(str::to_string)),
        FileLocation::Local(p) => Some(p.clone()),
        FileLocation::Remote(_) => None,
    };
    let path = path.ok_or_else(|| {
        NativeError::new(
            ErrorCode::StorageIo,
            format!(
                "cannot read {}: only local files can be read",
                location.as_str()
            ),
        )
        .with("path", location.as_str())
    })?;
    if !Path::new(&path).is_file() {
        return Err(not_found(&path).with("file", location.as_str()));
    }
    Ok(path)
}

/// The table's columns with their physical names.
pub struct TableColumns<'a> {
    pub fields: Vec<(&'a StructField, String, bool)>,
    pub mode: ColumnMappingMode,
}

impl<'a> TableColumns<'a> {
    pub fn of(snapshot: &'a Snapshot) -> Result<TableColumns<'a>> {
        TableColumns::new(
            &snapshot.schema,
            &snapshot.metadata.partition_columns,
            snapshot.column_mapping,
        )
    }

    /// The columns of `schema` (a writer's pending schema, or a snapshot's).
    pub fn new(
        schema: &'a StructType,
        partition_columns: &[String],
        mode: ColumnMappingMode,
    ) -> Result<TableColumns<'a>> {
        let mut fields = Vec::new();
        for field in &schema.fields {
            let partition = partition_columns.contains(&field.name);
            fields.push((field, field.physical_name(mode)?.to_string(), partition));
        }
        Ok(TableColumns { fields, mode })
    }

    pub fn scan_columns(&self) -> Vec<ScanColumn> {
        self.fields
            .iter()
            .map(|(f, _, partition)| ScanColumn {
                name: f.name.clone(),
                delta_type: f.data_type.to_string(),
                duckdb_type: duck_type(&f.data_type),
                partition: *partition,
            })
            .collect()
    }

    /// `SELECT` list for a file with `layout`, `extra` columns appended.
    fn select_list(
        &self,
        layout: &[FileColumn],
        partition_values: &BTreeMap<String, Option<String>>,
    ) -> Result<(Vec<String>, String)> {
        let mut exprs = Vec::with_capacity(self.fields.len());
        let mut key = String::new();
        for (field, physical, partition) in &self.fields {
            let alias = quote_ident(&field.name);
            if *partition {
                let value = partition_values
                    .get(physical)
                    .and_then(|v| v.as_deref())
                    .filter(|v| !v.is_empty());
                let literal = partition_literal(value, &field.data_type, &field.name)?;
                key.push_str(&literal);
                key.push('\u{1}');
                exprs.push(format!("{literal} AS {alias}"));
                continue;
            }
            let by_id = match (self.mode, field.field_id()) {
                (ColumnMappingMode::Id, Some(id)) => layout.iter().find(|c| c.field_id == Some(id)),
                _ => None,
            };
            let column = by_id.or_else(|| layout.iter().find(|c| c.name == *physical));
            match column {
                None => {
                    key.push_str("-\u{1}");
                    exprs.push(format!("{} AS {alias}", null_of(&field.data_type)));
                }
                Some(column) => {
                    key.push_str(&column.signature);
                    key.push('\u{1}');
                    let source = quote_ident(&column.name);
                    let expr = match (&field.data_type, column.duck_type.as_deref()) {
                        // An instant stored without the UTC flag (INT96, legacy writers): UTC.
                        (DataType::Primitive("timestamp"), Some(t)) if !t.contains("TIME ZONE") => format!(
                            "CAST(CAST(CAST({source} AS TIMESTAMP) AS VARCHAR) || '+00' AS TIMESTAMP WITH TIME ZONE)"
                        ),
                        (data_type, _) => convert(&source, data_type, self.mode, 0)?,
                    };
                    exprs.push(format!("{expr} AS {alias}"));
                }
            }
        }
        Ok((exprs, key))
    }

    /// A relation with no rows and the table's columns.
    pub fn empty_sql(&self) -> String {
        let exprs: Vec<String> = self
            .fields
            .iter()
            .map(|(f, _, _)| format!("{} AS {}", null_of(&f.data_type), quote_ident(&f.name)))
            .collect();
        format!("SELECT {} WHERE false", exprs.join(", "))
    }

    /// `UNION ALL` of the files' `SELECT`s (`extra` columns appended to each: `(sql, alias)`).
    pub fn union_sql(
        &self,
        files: &[FileRead<'_>],
        layouts: &BTreeMap<String, Vec<FileColumn>>,
        extra: &dyn Fn(usize) -> Vec<String>,
    ) -> Result<String> {
        // Groups of files read by one read_parquet: key → (select list, files).
        let mut groups: BTreeMap<String, (Vec<String>, Vec<usize>)> = BTreeMap::new();
        let mut singles: Vec<String> = Vec::new();
        for (index, file) in files.iter().enumerate() {
            let layout = layouts.get(&file.path).map(Vec::as_slice).unwrap_or(&[]);
            let (mut exprs, mut key) = self.select_list(layout, file.partition_values)?;
            let extras = extra(index);
            key.push_str(&extras.join("\u{3}"));
            exprs.extend(extras);
            let filter = match (&file.deleted, &file.only) {
                (Some(rows), _) if !rows.is_empty() => Some(format!("NOT ({})", row_set(rows))),
                (_, Some(rows)) => Some(row_set(rows)),
                _ => None,
            };
            match filter {
                Some(filter) => singles.push(format!(
                    "SELECT {} FROM read_parquet([{}], file_row_number = true) WHERE {filter}",
                    exprs.join(", "),
                    parquet_path(&file.path)
                )),
                None => {
                    let entry = groups.entry(key).or_insert_with(|| (exprs, Vec::new()));
                    entry.1.push(index);
                }
            }
        }
        let mut parts: Vec<String> = Vec::new();
        for (exprs, members) in groups.into_values() {
            let paths: Vec<String> = members
                .iter()
                .map(|i| parquet_path(&files[*i].path))
                .collect();
            parts.push(format!(
                "SELECT {} FROM read_parquet([{}])",
                exprs.join(", "),
                paths.join(", ")
            ));
        }
        parts.extend(singles);
        Ok(parts.join("\nUNION ALL\n"))
    }
}

/// `file_row_number IN (...)` for sorted rows: ranges for runs, a list for the rest.
fn row_set(rows: &[u64]) -> String {
    let mut singles: Vec<String> = Vec::new();
    let mut ranges: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        if j - i >= 7 {
            ranges.push(format!(
                "file_row_number BETWEEN {} AND {}",
                rows[i], rows[j]
            ));
        } else {
            singles.extend(rows[i..=j].iter().map(u64::to_string));
        }
        i = j + 1;
    }
    if !singles.is_empty() {
        ranges.push(format!(
            "file_row_number IN (SELECT unnest([{}]::BIGINT[]))",
            singles.join(", ")
        ));
    }
    if ranges.is_empty() {
        "false".to_string()
    } else {
        ranges.join(" OR ")
    }
}

/// Plans the scan of `snapshot`, pruned by `predicate` (SQL text over the logical columns).
pub fn plan_scan(
    snapshot: &Snapshot,
    storage: &dyn Storage,
    layouts: &dyn FileLayouts,
    predicate: Option<&str>,
) -> Result<ScanPlan> {
    let table = TableColumns::of(snapshot)?;
    let prune_columns: Vec<PruneColumn> = table
        .fields
        .iter()
        .map(|(f, physical, partition)| PruneColumn::new(f, physical, *partition))
        .collect();
    let parsed = predicate.map(predicate::parse).unwrap_or_default();
    let bound = bind(&parsed.conjuncts, &prune_columns);
    let mut stats = ScanStats {
        files_total: snapshot.files.len(),
        conjuncts_used: bound.len(),
        conjuncts_ignored: parsed.ignored + (parsed.conjuncts.len() - bound.len()),
        ..ScanStats::default()
    };
    let mut kept: Vec<&ActiveFile> = Vec::new();
    for file in &snapshot.files {
        let file_stats = if bound.is_empty() {
            None
        } else {
            parse_stats(&file.add).ok().flatten()
        };
        if bound.is_empty() || keep_file(&bound, &file.add.partition_values, file_stats.as_ref()) {
            kept.push(file);
        }
    }
    stats.files_scanned = kept.len();
    stats.files_pruned = stats.files_total - kept.len();
    let mut reads = Vec::with_capacity(kept.len());
    for file in &kept {
        let deleted = match &file.add.deletion_vector {
            Some(dv) => {
                let rows = read_deleted_rows(storage, dv)?;
                stats.files_with_deletion_vectors += 1;
                stats.rows_deleted_by_deletion_vectors += rows.len() as u64;
                Some(rows)
            }
            None => None,
        };
        stats.bytes_scanned += file.add.size;
        reads.push(FileRead {
            path: local_path(storage, &file.location)?,
            partition_values: &file.add.partition_values,
            deleted,
            only: None,
        });
    }
    let paths: Vec<String> = reads.iter().map(|r| r.path.clone()).collect();
    let relation = if reads.is_empty() {
        table.empty_sql()
    } else {
        table.union_sql(&reads, &layouts.layouts(&paths)?, &|_| Vec::new())?
    };
    let sql = match predicate.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => format!("SELECT * FROM (\n{relation}\n) AS delta_scan WHERE ({p}\n)"),
        None => relation,
    };
    Ok(ScanPlan {
        format_version: 1,
        table_root: storage.describe(),
        version: snapshot.version,
        columns: table.scan_columns(),
        sql,
        stats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_sets_use_ranges_for_runs() {
        assert_eq!(
            row_set(&[1, 3]),
            "file_row_number IN (SELECT unnest([1, 3]::BIGINT[]))"
        );
        assert_eq!(
            row_set(&(10..20).chain([30]).collect::<Vec<_>>()),
            "file_row_number BETWEEN 10 AND 19 OR file_row_number IN (SELECT unnest([30]::BIGINT[]))"
        );
        assert_eq!(row_set(&[]), "false");
    }
}
