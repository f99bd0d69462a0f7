//! `cleanupUntrackedFiles`: deletes the data files a crashed or killed writer left behind —
//! files under the table root that no `add`, `remove` or `cdc` action of any commit or
//! checkpoint still in `_delta_log` names (nor a deletion vector of one), modified at least
//! `min_age_ms` ago.
//!
//! Unlike [`super::vacuum`], which deletes files the log stopped needing (removed longer ago
//! than the retention, so time travel to older versions ends there), this keeps every file the
//! log mentions at all: only never-committed files go, so it is safe at any time while the
//! caller holds the table's lock (no writer between writing its files and committing them) —
//! hence the default minimum age of 0. The same listing as vacuum's decides what counts as a
//! data file ([`super::data_files`]). A log that cannot be read completely (a checkpoint that
//! fails to load) is an error: nothing is deleted on partial knowledge.

use std::collections::BTreeSet;
use std::path::Path;

use super::super::actions::Action;
use super::super::checkpoint::read_checkpoint;
use super::super::log_segment::list_log;
use super::super::parquet::ParquetReader;
use super::super::snapshot::Snapshot;
use super::super::storage::Storage;
use super::super::timestamps::read_commit;
use super::data_files::{deletion_vector_path, list_data_files, partition_prefixes, relative_path};
use crate::error::{NativeError, Result};

/// Every root-relative path the log's file actions (and their deletion vectors) name.
fn referenced(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    root: &Path,
) -> Result<BTreeSet<String>> {
    let listing = list_log(storage, None)?;
    let mut actions = Vec::new();
    for commit in listing.commits.values() {
        actions.extend(read_commit(storage, commit)?);
    }
    for checkpoint in listing.checkpoints.values().flatten() {
        actions.extend(read_checkpoint(storage, parquet, checkpoint)?);
    }
    let mut out = BTreeSet::new();
    for action in &actions {
        let (path, dv) = match action {
            Action::Add(a) => (&a.path, a.deletion_vector.as_ref()),
            Action::Remove(r) => (&r.path, r.deletion_vector.as_ref()),
            Action::Cdc(c) => (&c.path, None),
            _ => continue,
        };
        out.extend(relative_path(path, root));
        out.extend(dv.and_then(|dv| deletion_vector_path(dv, root)));
    }
    Ok(out)
}

/// Deletes (or with `dry_run` only lists) the untracked files; returns their relative paths.
pub fn cleanup_untracked(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    root: &Path,
    snapshot: &Snapshot,
    min_age_ms: i64,
    dry_run: bool,
    now_ms: i64,
) -> Result<Vec<String>> {
    if min_age_ms < 0 {
        return Err(
            NativeError::invalid_argument("minAgeMs must not be negative")
                .with("option", "minAgeMs"),
        );
    }
    let keep = referenced(storage, parquet, root)?;
    let newest = now_ms.saturating_sub(min_age_ms);
    let files: Vec<String> = list_data_files(root, &partition_prefixes(snapshot))
        .into_iter()
        .filter(|f| f.modified_ms <= newest && !keep.contains(&f.path))
        .map(|f| f.path)
        .collect();
    if !dry_run {
        for path in &files {
            let _ = std::fs::remove_file(root.join(path));
        }
    }
    Ok(files)
}
