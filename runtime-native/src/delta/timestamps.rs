//! Commit timestamps and time travel by timestamp.
//!
//! A commit's timestamp is its `commitInfo.inCommitTimestamp` when in-commit timestamps are
//! enabled for that version (`delta.enableInCommitTimestamps`, from
//! `delta.inCommitTimestampEnablementVersion` on), otherwise the modification time of its commit
//! file. File times are made strictly increasing (a commit older than its predecessor counts as
//! one millisecond after it), as Delta does for history and time travel.

use std::collections::BTreeMap;

use serde_json::Value;

use super::actions::{parse_action_lines, Action, ActionSource, Metadata};
use super::log_files::LogFile;
use super::storage::Storage;
use crate::error::{ErrorCode, NativeError, Result};

/// In-commit timestamp settings of the latest metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IctConfig {
    pub enabled: bool,
    pub enablement_version: Option<u64>,
    pub enablement_timestamp: Option<i64>,
}

impl IctConfig {
    /// The config of a table state; a state without metadata has in-commit timestamps off.
    pub fn of(metadata: Option<&Metadata>) -> IctConfig {
        metadata.map(IctConfig::from_metadata).unwrap_or_default()
    }

    pub fn from_metadata(metadata: &Metadata) -> IctConfig {
        let get = |key: &str| metadata.configuration.get(key).map(String::as_str);
        IctConfig {
            enabled: get("delta.enableInCommitTimestamps") == Some("true"),
            enablement_version: get("delta.inCommitTimestampEnablementVersion")
                .and_then(|v| v.parse().ok()),
            enablement_timestamp: get("delta.inCommitTimestampEnablementTimestamp")
                .and_then(|v| v.parse().ok()),
        }
    }

    /// Whether `version`'s timestamp is its in-commit timestamp.
    pub fn applies_to(&self, version: u64) -> bool {
        self.enabled && version >= self.enablement_version.unwrap_or(0)
    }
}

/// The `commitInfo` of a parsed commit.
pub fn commit_info(actions: &[Action]) -> Option<&Value> {
    actions.iter().find_map(|a| match a {
        Action::CommitInfo(info) => Some(info),
        _ => None,
    })
}

/// Reads and parses one commit file.
pub fn read_commit(storage: &dyn Storage, commit: &LogFile) -> Result<Vec<Action>> {
    let path = commit.path();
    let bytes = storage.read(&path).map_err(|e| match e.code {
        ErrorCode::StorageNotFound => NativeError::new(
            ErrorCode::DeltaLogIncomplete,
            format!(
                "the commit of version {} vanished while reading the log",
                commit.version
            ),
        )
        .with("version", commit.version.to_string())
        .with("path", path.clone()),
        _ => e,
    })?;
    parse_action_lines(
        &bytes,
        &ActionSource {
            file: &path,
            version: Some(commit.version),
        },
    )
}

/// The in-commit timestamp of a commit whose timestamp must be one.
pub fn in_commit_timestamp(actions: &[Action], version: u64) -> Result<i64> {
    in_commit_timestamp_of(commit_info(actions), version)
}

/// The `inCommitTimestamp` of a `commitInfo` (missing = DELTA_LOG_CORRUPT).
pub fn in_commit_timestamp_of(info: Option<&Value>, version: u64) -> Result<i64> {
    info.and_then(|info| info.get("inCommitTimestamp"))
        .and_then(Value::as_i64)
        .ok_or_else(|| {
            NativeError::new(
                ErrorCode::DeltaLogCorrupt,
                format!("the commit of version {version} has no commitInfo.inCommitTimestamp although in-commit timestamps are enabled"),
            )
            .with("version", version.to_string())
        })
}

/// Modification times made strictly increasing, per version.
pub fn adjusted_file_times(commits: &BTreeMap<u64, LogFile>) -> BTreeMap<u64, i64> {
    let mut out = BTreeMap::new();
    let mut previous: Option<i64> = None;
    for (version, file) in commits {
        let time = match previous {
            Some(p) if file.meta.modified_ms <= p => p.saturating_add(1),
            _ => file.meta.modified_ms,
        };
        previous = Some(time);
        out.insert(*version, time);
    }
    out
}

/// The timestamp of every listed commit, ascending by version.
pub fn commit_timestamps(
    storage: &dyn Storage,
    commits: &BTreeMap<u64, LogFile>,
    ict: &IctConfig,
) -> Result<Vec<(u64, i64)>> {
    let file_times = adjusted_file_times(commits);
    let mut out = Vec::with_capacity(commits.len());
    for (version, file) in commits {
        let time = if ict.applies_to(*version) {
            in_commit_timestamp(&read_commit(storage, file)?, *version)?
        } else {
            file_times
                .get(version)
                .copied()
                .unwrap_or(file.meta.modified_ms)
        };
        out.push((*version, time));
    }
    Ok(out)
}

/// The newest version committed at or before `timestamp_ms`.
///
/// With in-commit timestamps enabled part-way, only versions on the same side of the enablement
/// are considered (PROTOCOL.md "In-Commit Timestamps"). A timestamp after the latest commit
/// yields the latest version; one before the earliest commit is DELTA_TIMESTAMP_OUT_OF_RANGE.
pub fn version_at(timestamps: &[(u64, i64)], ict: &IctConfig, timestamp_ms: i64) -> Result<u64> {
    let in_range = |version: u64| match (
        ict.enabled,
        ict.enablement_version,
        ict.enablement_timestamp,
    ) {
        (true, Some(from), Some(at)) => (timestamp_ms >= at) == (version >= from),
        _ => true,
    };
    let candidates: Vec<&(u64, i64)> = timestamps.iter().filter(|(v, _)| in_range(*v)).collect();
    candidates
        .iter()
        .filter(|(_, t)| *t <= timestamp_ms)
        .map(|(v, _)| *v)
        .max()
        .ok_or_else(|| {
            let earliest = candidates.iter().map(|(_, t)| *t).min();
            NativeError::new(
                ErrorCode::DeltaTimestampOutOfRange,
                match earliest {
                    Some(e) => format!("timestamp {timestamp_ms} is before the earliest available commit ({e} ms since the epoch)"),
                    None => format!("no commit can be matched to timestamp {timestamp_ms}"),
                },
            )
            .with("timestamp", timestamp_ms.to_string())
            .with("earliest", earliest.map(|e| e.to_string()).unwrap_or_default())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delta::log_files::{LogFileKind, LOG_DIR};
    use crate::delta::storage::FileMeta;

    fn commit(version: u64, modified_ms: i64) -> (u64, LogFile) {
        (
            version,
            LogFile {
                version,
                kind: LogFileKind::Commit,
                meta: FileMeta {
                    name: format!("{version:020}.json"),
                    size: 1,
                    modified_ms,
                },
            },
        )
    }

    #[test]
    fn file_times_are_made_strictly_increasing() {
        let commits: BTreeMap<u64, LogFile> = [
            commit(0, 100),
            commit(1, 100),
            commit(2, 50),
            commit(3, 500),
        ]
        .into();
        let times: Vec<i64> = adjusted_file_times(&commits).into_values().collect();
        assert_eq!(times, [100, 101, 102, 500]);
        assert!(LOG_DIR.starts_with('_'));
    }

    #[test]
    fn version_at_picks_the_newest_commit_not_after_the_timestamp() {
        let ts = [(0, 100), (1, 200), (2, 300)];
        let ict = IctConfig::default();
        assert_eq!(version_at(&ts, &ict, 250).unwrap(), 1);
        assert_eq!(version_at(&ts, &ict, 300).unwrap(), 2);
        assert_eq!(version_at(&ts, &ict, 10_000).unwrap(), 2);
        let err = version_at(&ts, &ict, 99).unwrap_err();
        assert_eq!(err.code, ErrorCode::DeltaTimestampOutOfRange);
    }

    #[test]
    fn in_commit_timestamp_enablement_splits_the_search() {
        // Versions 0-1 use file times, 2-3 in-commit timestamps; version 1's file time (70) is
        // later than the enablement, which must not make it a match for timestamps after it.
        let ts = [(0, 10), (1, 70), (2, 50), (3, 60)];
        let ict = IctConfig {
            enabled: true,
            enablement_version: Some(2),
            enablement_timestamp: Some(50),
        };
        assert_eq!(version_at(&ts, &ict, 15).unwrap(), 0);
        assert_eq!(version_at(&ts, &ict, 55).unwrap(), 2);
        assert_eq!(version_at(&ts, &ict, 1500).unwrap(), 3);
        assert_eq!(version_at(&ts, &ict, 45).unwrap(), 0);
        assert!(version_at(&ts, &ict, 5).is_err());
    }
}
