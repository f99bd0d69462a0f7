//! Table history: the `commitInfo` and timestamp of every commit still in the log, newest first.

use serde::Serialize;

use super::log_segment::list_log;
use super::parquet::ParquetReader;
use super::snapshot::replay;
use super::storage::Storage;
use super::timestamps::{
    adjusted_file_times, commit_info, in_commit_timestamp, read_commit, IctConfig,
};
use crate::error::Result;

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

/// The history, newest first, at most `limit` entries.
pub fn history(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    limit: Option<usize>,
) -> Result<Vec<HistoryEntry>> {
    let latest = replay(storage, parquet, None)?;
    let ict = IctConfig::of(latest.state.metadata.as_ref());
    let listing = list_log(storage, None)?;
    let file_times = adjusted_file_times(&listing.commits);
    let mut entries = Vec::new();
    for (version, file) in listing
        .commits
        .iter()
        .rev()
        .filter(|(v, _)| **v <= latest.version)
    {
        if limit.is_some_and(|l| entries.len() >= l) {
            break;
        }
        let actions = read_commit(storage, file)?;
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
