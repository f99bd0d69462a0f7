//! The change data feed of versions `from..=to` (PROTOCOL.md "Change Data Files"): per commit,
//! its `cdc` files when it has any (they carry `_change_type`); otherwise its data-changing
//! `add` (insert) and `remove` (delete) actions — and, for a file whose deletion vector changed
//! in the commit, only the rows the new vector deletes (delete) or restores (insert). Every row
//! gets `_commit_version` and `_commit_timestamp`. The columns are those of the schema at `to`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::layout::FileLayouts;
use super::plan::{local_path, FileRead, ScanColumn, TableColumns};
use super::sql::{quote_ident, sql_string};
use crate::delta::actions::{Action, DeletionVector};
use crate::delta::deletion_vector::bitmap::read_deleted_rows;
use crate::delta::log_segment::list_log;
use crate::delta::storage::Storage;
use crate::delta::timestamps::{commit_timestamps, read_commit, IctConfig};
use crate::delta::uri::decode_file_path;
use crate::delta::Snapshot;
use crate::error::{ErrorCode, NativeError, Result};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangesPlan {
    pub format_version: u32,
    pub table_root: String,
    pub from_version: u64,
    pub to_version: u64,
    pub columns: Vec<ScanColumn>,
    pub sql: String,
    /// Commits read from cdc files / derived from add and remove actions.
    pub commits_from_cdc_files: usize,
    pub commits_from_file_actions: usize,
    pub files_read: usize,
}

enum Change {
    /// All rows of a cdc file (its own `_change_type`).
    Cdc,
    Insert,
    Delete,
}

struct Pending {
    version: u64,
    timestamp_ms: i64,
    change: Change,
    path: String,
    partition_values: BTreeMap<String, Option<String>>,
    deleted: Option<Vec<u64>>,
    only: Option<Vec<u64>>,
}

fn rows_of(storage: &dyn Storage, dv: Option<&DeletionVector>) -> Result<Vec<u64>> {
    dv.map_or(Ok(Vec::new()), |dv| read_deleted_rows(storage, dv))
}

fn minus(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter()
        .filter(|r| b.binary_search(r).is_err())
        .copied()
        .collect()
}

/// Plans `table_changes(from, to)`; `end` is the snapshot at `to`.
pub fn plan_changes(
    end: &Snapshot,
    storage: &dyn Storage,
    layouts: &dyn FileLayouts,
    from: u64,
) -> Result<ChangesPlan> {
    let to = end.version;
    if from > to {
        return Err(NativeError::invalid_argument(format!(
            "the start version {from} is after the end version {to}"
        ))
        .with("option", "from"));
    }
    let listing = list_log(storage, None)?;
    let ict = IctConfig::from_metadata(&end.metadata);
    let times: BTreeMap<u64, i64> = commit_timestamps(storage, &listing.commits, &ict)?
        .into_iter()
        .collect();
    let mut pending: Vec<Pending> = Vec::new();
    let (mut from_cdc, mut from_actions) = (0, 0);
    for version in from..=to {
        let commit = listing.commits.get(&version).ok_or_else(|| {
            NativeError::new(
                ErrorCode::DeltaVersionNotFound,
                format!("the commit of version {version} is no longer in the log; its changes cannot be read"),
            )
            .with("version", version.to_string())
        })?;
        let timestamp_ms = times
            .get(&version)
            .copied()
            .unwrap_or(commit.meta.modified_ms);
        let actions = read_commit(storage, commit)?;
        let has_cdc = actions.iter().any(|a| matches!(a, Action::Cdc(_)));
        let mut push = |change,
                        location: &str,
                        pv: &BTreeMap<String, Option<String>>,
                        deleted,
                        only|
         -> Result<()> {
            pending.push(Pending {
                version,
                timestamp_ms,
                change,
                path: local_path(storage, &decode_file_path(location)?)?,
                partition_values: pv.clone(),
                deleted,
                only,
            });
            Ok(())
        };
        if has_cdc {
            from_cdc += 1;
            for action in &actions {
                if let Action::Cdc(cdc) = action {
                    push(Change::Cdc, &cdc.path, &cdc.partition_values, None, None)?;
                }
            }
            continue;
        }
        from_actions += 1;
        let removes: BTreeMap<String, _> = actions
            .iter()
            .filter_map(|a| match a {
                Action::Remove(r) if r.data_change => Some((r.path.clone(), r)),
                _ => None,
            })
            .collect();
        let mut paired: Vec<String> = Vec::new();
        for action in &actions {
            let Action::Add(add) = action else { continue };
            if !add.data_change {
                continue;
            }
            let added = rows_of(storage, add.deletion_vector.as_ref())?;
            if let Some(remove) = removes.get(&add.path) {
                // Same data file, new deletion vector: only the rows whose state changed.
                paired.push(add.path.clone());
                let before = rows_of(storage, remove.deletion_vector.as_ref())?;
                let newly_deleted = minus(&added, &before);
                let restored = minus(&before, &added);
                if !newly_deleted.is_empty() {
                    push(
                        Change::Delete,
                        &add.path,
                        &add.partition_values,
                        None,
                        Some(newly_deleted),
                    )?;
                }
                if !restored.is_empty() {
                    push(
                        Change::Insert,
                        &add.path,
                        &add.partition_values,
                        None,
                        Some(restored),
                    )?;
                }
            } else {
                push(
                    Change::Insert,
                    &add.path,
                    &add.partition_values,
                    Some(added),
                    None,
                )?;
            }
        }
        for (path, remove) in &removes {
            if paired.contains(path) {
                continue;
            }
            let deleted = rows_of(storage, remove.deletion_vector.as_ref())?;
            push(
                Change::Delete,
                path,
                &remove.partition_values,
                Some(deleted),
                None,
            )?;
        }
    }
    let table = TableColumns::of(end)?;
    let mut columns = table.scan_columns();
    for (name, delta_type, duckdb_type) in [
        ("_change_type", "string", "VARCHAR"),
        ("_commit_version", "long", "BIGINT"),
        ("_commit_timestamp", "timestamp", "TIMESTAMP WITH TIME ZONE"),
    ] {
        columns.push(ScanColumn {
            name: name.into(),
            delta_type: delta_type.into(),
            duckdb_type: duckdb_type.into(),
            partition: false,
        });
    }
    let reads: Vec<FileRead<'_>> = pending
        .iter()
        .map(|p| FileRead {
            path: p.path.clone(),
            partition_values: &p.partition_values,
            deleted: p.deleted.clone(),
            only: p.only.clone(),
        })
        .collect();
    let extra = |i: usize| -> Vec<String> {
        let Some(p) = pending.get(i) else {
            return Vec::new();
        };
        let change = match p.change {
            Change::Cdc => "CAST(\"_change_type\" AS VARCHAR)".to_string(),
            Change::Insert => sql_string("insert"),
            Change::Delete => sql_string("delete"),
        };
        vec![
            format!("{change} AS {}", quote_ident("_change_type")),
            format!(
                "CAST({} AS BIGINT) AS {}",
                p.version,
                quote_ident("_commit_version")
            ),
            format!(
                "to_timestamp(CAST({} AS DOUBLE) / 1000) AS {}",
                p.timestamp_ms,
                quote_ident("_commit_timestamp")
            ),
        ]
    };
    let sql = if reads.is_empty() {
        let empty = table.empty_sql();
        empty.replacen(
            " WHERE false",
            ", CAST(NULL AS VARCHAR) AS \"_change_type\", CAST(NULL AS BIGINT) AS \"_commit_version\", CAST(NULL AS TIMESTAMP WITH TIME ZONE) AS \"_commit_timestamp\" WHERE false",
            1,
        )
    } else {
        let paths: Vec<String> = reads.iter().map(|r| r.path.clone()).collect();
        let relation = table.union_sql(&reads, &layouts.layouts(&paths)?, &extra)?;
        format!("SELECT * FROM (\n{relation}\n) AS delta_changes ORDER BY \"_commit_version\"")
    };
    Ok(ChangesPlan {
        format_version: 1,
        table_root: storage.describe(),
        from_version: from,
        to_version: to,
        columns,
        sql,
        commits_from_cdc_files: from_cdc,
        commits_from_file_actions: from_actions,
        files_read: reads.len(),
    })
}
