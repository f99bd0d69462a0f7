//! `vacuum`: deletes data files that no snapshot within the retention period references.
//!
//! Referenced = the latest snapshot's files (and their deletion-vector files) plus every file a
//! commit still in the log (or a checkpoint's tombstone) removed at or after `now - retention` (such files belong to
//! snapshots a reader may still time-travel to). Candidates are the files under the table root
//! older than the cutoff, outside `_delta_log` and outside hidden (`.`/`_`) directories — except
//! `_change_data`, whose files are only ever referenced by `cdc` actions of retained commits,
//! and the staging directories (`_cpgc_staging_*`) a writer killed mid-write leaves behind.
//! A retention shorter than `delta.deletedFileRetentionDuration` (default 7 days) is refused
//! unless `enforce_retention` is false. Dry run lists the files without deleting them.

use std::collections::BTreeSet;
use std::path::Path;

use super::super::actions::Action;
use super::super::deletion_vector;
use super::super::log_segment::list_log;
use super::super::snapshot::Snapshot;
use super::super::storage::Storage;
use super::super::timestamps::read_commit;
use super::super::uri::{decode_file_path, FileLocation};
use super::cleanup::duration_property;
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

fn relative(raw: &str) -> Option<String> {
    match decode_file_path(raw).ok()? {
        FileLocation::Relative(p) => Some(p),
        _ => None,
    }
}

fn walk(
    root: &Path,
    dir: &Path,
    prefix: &str,
    cutoff_ms: i64,
    out: &mut Vec<String>,
) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            // `_change_data` holds cdc files; `_cpgc_staging_*` is left by a writer killed mid-write.
            let listed =
                prefix.is_empty() && (name == "_change_data" || name.starts_with("_cpgc_staging_"));
            let hidden = name.starts_with('.') || (name.starts_with('_') && !listed);
            if !hidden {
                walk(root, &entry.path(), &rel, cutoff_ms, out)?;
            }
            continue;
        }
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        if modified < cutoff_ms {
            out.push(rel);
        }
    }
    Ok(())
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
        keep.insert(file.location.as_str().to_string());
        if let Some(dv) = &file.add.deletion_vector {
            if let Ok(Some(FileLocation::Relative(path))) = deletion_vector::file_location(dv) {
                keep.insert(path);
            }
        }
    }
    // Tombstones the snapshot still carries (from a checkpoint, after its commits were cleaned up).
    for remove in snapshot
        .tombstones
        .iter()
        .filter(|r| r.deletion_timestamp.is_none_or(|t| t >= cutoff))
    {
        keep.extend(relative(&remove.path));
    }
    let listing = list_log(storage, None)?;
    for commit in listing.commits.values() {
        let recent_commit = commit.meta.modified_ms >= cutoff;
        for action in read_commit(storage, commit)? {
            match action {
                Action::Remove(r)
                    if recent_commit || r.deletion_timestamp.is_none_or(|t| t >= cutoff) =>
                {
                    keep.extend(relative(&r.path));
                    if let Some(dv) = &r.deletion_vector {
                        if let Ok(Some(FileLocation::Relative(path))) =
                            deletion_vector::file_location(dv)
                        {
                            keep.insert(path);
                        }
                    }
                }
                Action::Cdc(c) if recent_commit => keep.extend(relative(&c.path)),
                Action::Add(a) if recent_commit => keep.extend(relative(&a.path)),
                _ => {}
            }
        }
    }
    let mut candidates = Vec::new();
    walk(root, root, "", cutoff, &mut candidates)?;
    candidates.retain(|path| !keep.contains(path));
    candidates.sort();
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
