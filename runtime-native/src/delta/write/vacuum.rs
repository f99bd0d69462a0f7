//! `vacuum`: deletes data files that no snapshot within the retention period references.
//!
//! Referenced = the latest snapshot's files (and their deletion-vector files) plus every file a
//! commit still in the log (or a checkpoint's tombstone) removed at or after `now - retention` (such files belong to
//! snapshots a reader may still time-travel to). Candidates are the files under the table root
//! older than the cutoff, as [`super::data_files`] lists them (not `_delta_log`, not hidden
//! directories — but `_change_data`, whose files only `cdc` actions of retained commits name,
//! the staging directories a writer killed mid-write leaves, and partition directories).
//! A retention shorter than `delta.deletedFileRetentionDuration` (default 7 days) is refused
//! unless `enforce_retention` is false. Dry run lists the files without deleting them.

use std::collections::BTreeSet;
use std::path::Path;

use super::super::actions::Action;
use super::super::log_segment::list_log;
use super::super::snapshot::Snapshot;
use super::super::storage::Storage;
use super::super::timestamps::read_commit;
use super::cleanup::duration_property;
use super::data_files::{deletion_vector_path, list_data_files, partition_prefixes, relative_path};
use crate::error::{ErrorCode, NativeError, Result};

pub const DEFAULT_DELETED_FILE_RETENTION_MS: i64 = 7 * 86_400_000;

/// The outcome of a vacuum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacuumResult {
    pub dry_run: bool,
    /// Relative paths deleted (or that would be).
    pub files: Vec<String>,
    pub retention_ms: i64,
}

/// Vacuums the table at `root` (see the module docs).
pub fn vacuum(
    storage: &dyn Storage,
    root: &Path,
    snapshot: &Snapshot,
    retention_ms: Option<i64>,
    enforce_retention: bool,
    dry_run: bool,
    now_ms: i64,
) -> Result<VacuumResult> {
    let table_retention = duration_property(
        &snapshot.metadata.configuration,
        "delta.deletedFileRetentionDuration",
        DEFAULT_DELETED_FILE_RETENTION_MS,
    )?;
    let retention = retention_ms.unwrap_or(table_retention);
    if retention < 0 {
        return Err(
            NativeError::invalid_argument("the retention must not be negative")
                .with("option", "retentionHours"),
        );
    }
    if enforce_retention && retention < table_retention {
        return Err(NativeError::new(
            ErrorCode::DeltaOperationNotAllowed,
            format!("a retention of {} h is shorter than the table's delta.deletedFileRetentionDuration ({} h); readers of older snapshots or concurrent writers may lose files. Pass enforceRetention: false to do it anyway", retention / 3_600_000, table_retention / 3_600_000),
        )
        .with("reason", "retention"));
    }
    let cutoff = now_ms.saturating_sub(retention);
    let mut keep: BTreeSet<String> = BTreeSet::new();
    for file in &snapshot.files {
        keep.extend(relative_path(&file.add.path, root));
        keep.extend(
            file.add
                .deletion_vector
                .as_ref()
                .and_then(|dv| deletion_vector_path(dv, root)),
        );
    }
    // Tombstones the snapshot still carries (from a checkpoint, after its commits were cleaned up).
    for remove in snapshot
        .tombstones
        .iter()
        .filter(|r| r.deletion_timestamp.is_none_or(|t| t >= cutoff))
    {
        keep.extend(relative_path(&remove.path, root));
    }
    let listing = list_log(storage, None)?;
    for commit in listing.commits.values() {
        let recent_commit = commit.meta.modified_ms >= cutoff;
        for action in read_commit(storage, commit)? {
            match action {
                Action::Remove(r)
                    if recent_commit || r.deletion_timestamp.is_none_or(|t| t >= cutoff) =>
                {
                    keep.extend(relative_path(&r.path, root));
                    keep.extend(
                        r.deletion_vector
                            .as_ref()
                            .and_then(|dv| deletion_vector_path(dv, root)),
                    );
                }
                Action::Cdc(c) if recent_commit => keep.extend(relative_path(&c.path, root)),
                Action::Add(a) if recent_commit => keep.extend(relative_path(&a.path, root)),
                _ => {}
            }
        }
    }
    let candidates: Vec<String> = list_data_files(root, &partition_prefixes(snapshot))
        .into_iter()
        .filter(|f| f.modified_ms < cutoff && !keep.contains(&f.path))
        .map(|f| f.path)
        .collect();
    if !dry_run {
        for path in &candidates {
            let _ = std::fs::remove_file(root.join(path));
        }
    }
    Ok(VacuumResult {
        dry_run,
        files: candidates,
        retention_ms: retention,
    })
}
