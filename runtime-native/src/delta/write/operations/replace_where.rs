//! Replace where: remove the files with matching rows, rewrite their other rows, append the new
//! rows (and, with change data feed, the cdc files).

use serde_json::Value as Json;

use super::super::super::uri::FileLocation;
use super::super::change_data::{enabled as change_data_enabled, write_changes};
use super::super::data::{write_rows, WriteTarget};
use super::super::ids::uuid_v4;
use super::table::TableView;
use super::write::{outputs, Output};
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};
use crate::scan::layout::read_layouts;
use crate::scan::plan::{FileRead, TableColumns};

/// What replace where does: the indexes (into the snapshot's files) of the files to remove,
/// the files added (new rows, and rows of removed files that stay), the cdc actions.
pub(super) struct Replaced {
    pub(super) removed: Vec<usize>,
    pub(super) added: Vec<Output>,
    pub(super) cdc: Vec<Json>,
}

/// Replace where: the active files holding rows that match `predicate` are removed, their
/// other rows rewritten, and the rows of `relation` appended. With change data feed and a
/// partial rewrite, the deleted and appended rows also go to cdc files ([`super::super::change_data`]).
pub(super) fn replace_where(
    db: &mut Database,
    target: &WriteTarget,
    s: &TableView,
    predicate: &str,
    relation: &str,
) -> Result<Replaced> {
    if s.files.is_empty() {
        let added = write_rows(db, target, relation, None)?;
        return Ok(Replaced {
            removed: Vec::new(),
            added: outputs(added, false),
            cdc: Vec::new(),
        });
    }
    // The current rows (logical columns, as a scan reads them) with the file they live in —
    // under the schema being committed: an update changes it in the same commit only in ways
    // old files can be read with (added columns, renames and drops under column mapping).
    let table = TableColumns::new(s.schema, &s.metadata.partition_columns, s.column_mapping)?;
    let mut reads = Vec::with_capacity(s.files.len());
    for file in s.files {
        if file.add.deletion_vector.is_some() {
            return Err(NativeError::new(
                ErrorCode::DeltaUnsupportedFeature,
                "replaceWhere over files with deletion vectors is not supported",
            )
            .with("features", "deletionVectors")
            .with("kind", "writer"));
        }
        let FileLocation::Relative(rel) = &file.location else {
            return Err(NativeError::new(
                ErrorCode::StorageIo,
                "replaceWhere needs files inside the table directory",
            )
            .with("path", file.location.as_str()));
        };
        let abs = target.root.join(rel);
        let abs = abs
            .to_str()
            .ok_or_else(|| NativeError::invalid_argument("the table path is not UTF-8"))?
            .to_string();
        reads.push(FileRead {
            path: abs,
            partition_values: &file.add.partition_values,
            deleted: None,
            only: None,
        });
    }
    let paths: Vec<String> = reads.iter().map(|r| r.path.clone()).collect();
    let layouts = read_layouts(db, &paths)?;
    let union = table.union_sql(&reads, &layouts, &|i| {
        vec![format!("CAST({i} AS BIGINT) AS __cpgc_file")]
    })?;
    let id = uuid_v4().replace('-', "");
    let view = format!("__cpgc_current_{id}");
    let new_rows = format!("__cpgc_new_{id}");
    db.query(&format!("CREATE TEMP VIEW {view} AS {union}"))?;
    let outcome = (|| {
        let hit = db.query(&format!("SELECT __cpgc_file, count(*) FILTER (WHERE coalesce(({predicate}), false)) AS matched, count(*) AS total FROM {view} GROUP BY __cpgc_file HAVING matched > 0 ORDER BY __cpgc_file"))?;
        let mut removed = Vec::new();
        let mut partial = Vec::new();
        for row in &hit.rows {
            let as_i = |v: Option<&crate::wire::Value>| match v {
                Some(crate::wire::Value::Int(i)) => *i,
                Some(crate::wire::Value::UInt(u)) => i64::try_from(*u).unwrap_or(i64::MAX),
                _ => -1,
            };
            let Ok(index) = usize::try_from(as_i(row.first())) else {
                continue;
            };
            if index >= s.files.len() {
                continue;
            }
            removed.push(index);
            if as_i(row.get(1)) < as_i(row.get(2)) {
                partial.push(index.to_string());
            }
        }
        let with_cdc = change_data_enabled(&s.metadata.configuration) && !partial.is_empty();
        let mut added = Vec::new();
        let mut cdc = Vec::new();
        if with_cdc {
            // The new rows are read twice (data files + cdc files): materialize them once.
            db.query(&format!(
                "CREATE TEMP TABLE {new_rows} AS SELECT * FROM {relation} AS __cpgc_src"
            ))?;
            added.extend(outputs(write_rows(db, target, &new_rows, None)?, false));
            cdc.extend(write_changes(db, target, &format!("(SELECT * EXCLUDE (__cpgc_file) FROM {view} WHERE coalesce(({predicate}), false))"), "delete")?);
            cdc.extend(write_changes(db, target, &new_rows, "insert")?);
        } else {
            added.extend(outputs(write_rows(db, target, relation, None)?, false));
        }
        if !partial.is_empty() {
            let kept = format!("(SELECT * EXCLUDE (__cpgc_file) FROM {view} WHERE __cpgc_file IN ({}) AND NOT coalesce(({predicate}), false))", partial.join(", "));
            added.extend(outputs(write_rows(db, target, &kept, None)?, true));
        }
        Ok(Replaced {
            removed,
            added,
            cdc,
        })
    })();
    let _ = db.query(&format!("DROP VIEW IF EXISTS {view}"));
    let _ = db.query(&format!("DROP TABLE IF EXISTS {new_rows}"));
    outcome
}
