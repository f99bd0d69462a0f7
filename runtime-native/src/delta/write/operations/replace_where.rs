//! Replace where: remove the files with matching rows, rewrite their other rows, append the new
//! rows (and, with change data feed, the cdc files).
//!
//! Only the files whose partition values and statistics may hold a matching row are read at
//! all: the predicate's simple conjuncts (`key IN ('a', 'b')`, `key = 1`, ranges, `IS NULL`;
//! [`crate::scan::predicate`]) prune the others with the same conservative rules as a scan
//! ([`crate::scan::prune`]) — a file they prune cannot hold a matching row, so it is neither
//! removed nor rewritten. A predicate pruning does not understand (a top-level `OR`, a
//! subquery) reads every file, as before.

use serde_json::Value as Json;

use super::super::super::uri::FileLocation;
use super::super::change_data::{enabled as change_data_enabled, write_changes};
use super::super::data::{write_rows, WriteTarget};
use super::super::ids::uuid_v4;
use super::table::TableView;
use super::write::{outputs, Output};
use crate::delta::replay::ActiveFile;
use crate::delta::stats::parse_stats;
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};
use crate::scan::layout::read_layouts;
use crate::scan::plan::{FileRead, TableColumns};
use crate::scan::predicate;
use crate::scan::prune::{bind, keep_file, PruneColumn};

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
    // Indexes (into s.files) of the files that may hold matching rows; reads[i] is s.files[candidates[i]].
    let candidates = candidate_files(&table, s.files, predicate);
    if candidates.is_empty() {
        let added = write_rows(db, target, relation, None)?;
        return Ok(Replaced {
            removed: Vec::new(),
            added: outputs(added, false),
            cdc: Vec::new(),
        });
    }
    let mut reads = Vec::with_capacity(candidates.len());
    for file in candidates.iter().map(|&i| &s.files[i]) {
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
            let Ok(read) = usize::try_from(as_i(row.first())) else {
                continue;
            };
            let Some(&index) = candidates.get(read) else {
                continue;
            };
            removed.push(index);
            if as_i(row.get(1)) < as_i(row.get(2)) {
                partial.push(read.to_string());
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

/// The indexes of the files whose partition values and statistics may hold a row matching
/// `predicate` (all of them when pruning understands none of its conjuncts).
pub(super) fn candidate_files(
    table: &TableColumns,
    files: &[ActiveFile],
    predicate: &str,
) -> Vec<usize> {
    let columns: Vec<PruneColumn> = table
        .fields
        .iter()
        .map(|(f, physical, partition)| PruneColumn::new(f, physical, *partition))
        .collect();
    let parsed = predicate::parse(predicate);
    let bound = bind(&parsed.conjuncts, &columns);
    (0..files.len())
        .filter(|&i| {
            let file = &files[i];
            bound.is_empty()
                || keep_file(
                    &bound,
                    &file.add.partition_values,
                    parse_stats(&file.add).ok().flatten().as_ref(),
                )
        })
        .collect()
}
