//! Table history: the `commitInfo` and timestamp of every commit still in the log, newest first.
//!
//! Only what the history needs is read: the listing (commit file times), the newest commits up
//! to the limit, and the latest `metaData` (whether commits carry in-commit timestamps) — from
//! the newest commit after the checkpoint that has one, else from the checkpoint's non-file
//! rows. No file actions are replayed.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use serde::Serialize;

use super::actions::{Action, Metadata};
use super::checkpoint::read_checkpoint_projected;
use super::log_files::LogFile;
use super::log_segment::{list_log, LogSegment};
use super::parquet::{ParquetReader, Projection};
use super::storage::Storage;
use super::timestamps::{
    adjusted_file_times, commit_info, in_commit_timestamp, read_commit, IctConfig,
};
use crate::error::{NativeError, Result};

/// One commit of the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub version: u64,
    /// Commit timestamp, ms since the epoch (in-commit timestamp or adjusted file time).
    pub timestamp: i64,
    /// Whether `timestamp` is an in-commit timestamp.
    pub in_commit_timestamp: bool,
    /// The commit's `commitInfo`, if it has one.
    pub commit_info: Option<serde_json::Value>,
}

/// Commits the metadata lookup read, by version (the history takes them instead of reading
/// them again).
#[derive(Default)]
struct Commits(BTreeMap<u64, Vec<Action>>);

impl Commits {
    fn take(&mut self, storage: &dyn Storage, file: &LogFile) -> Result<Vec<Action>> {
        match self.0.remove(&file.version) {
            Some(actions) => Ok(actions),
            None => read_commit(storage, file),
        }
    }

    fn get(&mut self, storage: &dyn Storage, file: &LogFile) -> Result<&[Action]> {
        Ok(match self.0.entry(file.version) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(read_commit(storage, file)?),
        })
    }
}

fn last_metadata(actions: &[Action]) -> Option<&Metadata> {
    actions.iter().rev().find_map(|a| match a {
        Action::Metadata(m) => Some(m),
        _ => None,
    })
}

/// The `metaData` in effect at the segment's version, trying its replay plans best first (a
/// checkpoint that cannot be read falls back to the next plan, as replay does).
fn latest_metadata(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    segment: &LogSegment,
    commits: &mut Commits,
) -> Result<Option<Metadata>> {
    let mut first_error: Option<NativeError> = None;
    for plan in &segment.plans {
        for file in plan.commits.iter().rev() {
            if let Some(metadata) = last_metadata(commits.get(storage, file)?) {
                return Ok(Some(metadata.clone()));
            }
        }
        let Some(checkpoint) = &plan.checkpoint else {
            return Ok(None);
        };
        match read_checkpoint_projected(storage, parquet, checkpoint, Projection::NonFile) {
            Ok(actions) => return Ok(last_metadata(&actions).cloned()),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(None),
    }
}

/// The history, newest first, at most `limit` entries.
pub fn history(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    limit: Option<usize>,
) -> Result<Vec<HistoryEntry>> {
    let listing = list_log(storage, None)?;
    let segment = listing.segment(None, &storage.describe())?;
    let mut commits = Commits::default();
    let ict = IctConfig::of(latest_metadata(storage, parquet, &segment, &mut commits)?.as_ref());
    let file_times = adjusted_file_times(&listing.commits);
    let mut entries = Vec::new();
    for (version, file) in listing
        .commits
        .iter()
        .rev()
        .filter(|(v, _)| **v <= segment.version)
    {
        if limit.is_some_and(|l| entries.len() >= l) {
            break;
        }
        let actions = commits.take(storage, file)?;
        let uses_ict = ict.applies_to(*version);
        let timestamp = if uses_ict {
            in_commit_timestamp(&actions, *version)?
        } else {
            file_times
                .get(version)
                .copied()
                .unwrap_or(file.meta.modified_ms)
        };
        entries.push(HistoryEntry {
            version: *version,
            timestamp,
            in_commit_timestamp: uses_ict,
            commit_info: commit_info(&actions).cloned(),
        });
    }
    Ok(entries)
}
