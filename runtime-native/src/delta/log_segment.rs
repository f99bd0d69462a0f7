//! Which files make up a snapshot: the newest usable checkpoint at or before the version, plus
//! the commits after it (PROTOCOL.md "Checkpoints", "Action Reconciliation").
//!
//! A listing groups `_delta_log` into commits and *complete* checkpoints (a multi-part checkpoint
//! with a missing part is ignored, as the protocol requires). A segment is then a list of replay
//! plans, best first: each older checkpoint (or the empty table before commit 0) whose following
//! commits are all present is a fallback in case reading a newer checkpoint fails.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::Arc;

use super::log_files::{classify, padded, CheckpointName, LogFile, LogFileKind, LOG_DIR};
use super::storage::Storage;
use crate::error::{ErrorCode, NativeError, Result};

/// One complete checkpoint: a single file, or every part of a multi-part one in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointFiles {
    pub version: u64,
    pub files: Vec<LogFile>,
}

impl CheckpointFiles {
    /// `classic`, `multi-part`, `v2-json` or `v2-parquet`.
    pub fn kind(&self) -> &'static str {
        match self.files.first().map(|f| &f.kind) {
            Some(LogFileKind::Checkpoint(CheckpointName::MultiPart { .. })) => "multi-part",
            Some(LogFileKind::Checkpoint(CheckpointName::Uuid { format })) => match format {
                super::log_files::CheckpointFormat::Json => "v2-json",
                super::log_files::CheckpointFormat::Parquet => "v2-parquet",
            },
            _ => "classic",
        }
    }
}

/// The recognised files of `_delta_log` (from some version on).
#[derive(Debug, Clone, Default)]
pub struct LogListing {
    pub commits: BTreeMap<u64, LogFile>,
    /// Complete checkpoints per version, preferred first.
    pub checkpoints: BTreeMap<u64, Vec<CheckpointFiles>>,
    /// The smallest version of any listed log file (commit, checkpoint or part).
    pub first_version: Option<u64>,
    pub warnings: Vec<String>,
}

fn preference(files: &CheckpointFiles) -> u8 {
    match files.kind() {
        "classic" => 0,
        "v2-parquet" => 1,
        "v2-json" => 2,
        _ => 3,
    }
}

/// Lists `_delta_log` from `from_version` on (everything when `None`).
pub fn list_log(storage: &dyn Storage, from_version: Option<u64>) -> Result<LogListing> {
    let start = from_version.map(padded).unwrap_or_default();
    let mut listing = LogListing::default();
    let mut parts: BTreeMap<(u64, u32), Vec<LogFile>> = BTreeMap::new();
    for meta in storage.list_from(LOG_DIR, &start)? {
        let Some(file) = classify(meta) else { continue };
        match &file.kind {
            LogFileKind::Commit => {
                listing.first_version.get_or_insert(file.version);
                listing.commits.insert(file.version, file);
            }
            LogFileKind::Checkpoint(CheckpointName::MultiPart { parts: count, .. }) => {
                listing.first_version.get_or_insert(file.version);
                parts.entry((file.version, *count)).or_default().push(file);
            }
            LogFileKind::Checkpoint(_) => {
                listing.first_version.get_or_insert(file.version);
                let version = file.version;
                listing
                    .checkpoints
                    .entry(version)
                    .or_default()
                    .push(CheckpointFiles {
                        version,
                        files: vec![file],
                    });
            }
            LogFileKind::Compacted { .. } | LogFileKind::Checksum => {}
        }
    }
    for ((version, count), mut files) in parts {
        files.sort_by_key(|f| match f.kind {
            LogFileKind::Checkpoint(CheckpointName::MultiPart { part, .. }) => part,
            _ => 0,
        });
        let complete = files.len() == count as usize
            && files.iter().enumerate().all(|(i, f)| {
                matches!(f.kind, LogFileKind::Checkpoint(CheckpointName::MultiPart { part, .. }) if part as usize == i + 1)
            });
        if complete {
            listing
                .checkpoints
                .entry(version)
                .or_default()
                .push(CheckpointFiles { version, files });
        } else {
            listing.warnings.push(format!(
                "ignored the incomplete {count}-part checkpoint at version {version} ({} of {count} parts present)",
                files.len()
            ));
        }
    }
    for candidates in listing.checkpoints.values_mut() {
        candidates.sort_by_key(preference);
    }
    Ok(listing)
}

/// How to rebuild one version: optionally a checkpoint, then commits in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayPlan {
    pub checkpoint: Option<CheckpointFiles>,
    /// Commits after the checkpoint (or from version 0), ascending, up to the target version.
    pub commits: PlanCommits,
}

/// The commits of a replay plan: a suffix of the run of commits that ends at the segment's
/// version, shared by every plan of the segment (a log of many checkpoints has as many plans,
/// and copying the commits into each would cost checkpoints × commits).
#[derive(Debug, Clone)]
pub struct PlanCommits {
    run: Arc<[LogFile]>,
    start: usize,
}

impl PlanCommits {
    fn suffix(run: &Arc<[LogFile]>, start: usize) -> PlanCommits {
        PlanCommits {
            run: Arc::clone(run),
            start: start.min(run.len()),
        }
    }
}

impl From<Vec<LogFile>> for PlanCommits {
    fn from(commits: Vec<LogFile>) -> PlanCommits {
        PlanCommits {
            run: commits.into(),
            start: 0,
        }
    }
}

impl Deref for PlanCommits {
    type Target = [LogFile];
    fn deref(&self) -> &[LogFile] {
        self.run.get(self.start..).unwrap_or_default()
    }
}

impl PartialEq for PlanCommits {
    fn eq(&self, other: &PlanCommits) -> bool {
        **self == **other
    }
}

impl Eq for PlanCommits {}

impl<'a> IntoIterator for &'a PlanCommits {
    type Item = &'a LogFile;
    type IntoIter = std::slice::Iter<'a, LogFile>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The plans that rebuild `version`, best (newest checkpoint) first.
#[derive(Debug, Clone)]
pub struct LogSegment {
    pub version: u64,
    pub plans: Vec<ReplayPlan>,
}

impl LogListing {
    /// The newest version this listing can name.
    pub fn latest_version(&self) -> Option<u64> {
        let commit = self.commits.keys().next_back().copied();
        let checkpoint = self.checkpoints.keys().next_back().copied();
        commit.max(checkpoint)
    }

    /// The first version of `from ..= version` without a commit, if any.
    fn first_missing(&self, from: u64, version: u64) -> Option<u64> {
        let mut expected = from;
        for v in self.commits.range(from..).map(|(v, _)| *v) {
            if v > version {
                break;
            }
            if v != expected {
                return Some(expected);
            }
            expected = v.checked_add(1)?;
        }
        (expected <= version).then_some(expected)
    }

    /// The segment for `target` (the latest version when `None`).
    pub fn segment(&self, target: Option<u64>, table: &str) -> Result<LogSegment> {
        let Some(latest) = self.latest_version() else {
            return Err(NativeError::new(
                ErrorCode::DeltaTableNotFound,
                format!("{table} is not a Delta table: {LOG_DIR} holds no commits or checkpoints"),
            )
            .with("path", table));
        };
        let version = target.unwrap_or(latest);
        if version > latest {
            return Err(NativeError::new(
                ErrorCode::DeltaVersionNotFound,
                format!(
                    "version {version} of {table} does not exist; the latest version is {latest}"
                ),
            )
            .with("version", version.to_string())
            .with("latest", latest.to_string()));
        }
        // The run of present commits that ends at `version`: `run_start ..= version` (empty
        // when `version` itself has no commit). A plan from checkpoint c needs c+1 ..= version.
        let mut run_start = version.saturating_add(1);
        for v in self.commits.range(..=version).rev().map(|(v, _)| *v) {
            if v.checked_add(1) != Some(run_start) {
                break;
            }
            run_start = v;
        }
        let run: Arc<[LogFile]> = self
            .commits
            .range(run_start..)
            .take_while(|(v, _)| **v <= version)
            .map(|(_, f)| f.clone())
            .collect();
        let mut plans = Vec::new();
        let mut first_gap = None;
        let mut plan_after = |after: Option<u64>, checkpoint: Option<&CheckpointFiles>| {
            let first = after.map_or(0, |a| a.saturating_add(1));
            if first >= run_start || after == Some(version) {
                let start = usize::try_from(first.saturating_sub(run_start)).unwrap_or(usize::MAX);
                plans.push(ReplayPlan {
                    checkpoint: checkpoint.cloned(),
                    commits: PlanCommits::suffix(&run, start),
                });
            } else if first_gap.is_none() {
                first_gap = self.first_missing(first, version);
            }
        };
        for (_, candidates) in self.checkpoints.range(..=version).rev() {
            for checkpoint in candidates {
                plan_after(Some(checkpoint.version), Some(checkpoint));
            }
        }
        if self.commits.contains_key(&0) {
            plan_after(None, None);
        }
        if !plans.is_empty() {
            return Ok(LogSegment { version, plans });
        }
        Err(match first_gap {
            Some(missing) => NativeError::new(
                ErrorCode::DeltaLogIncomplete,
                format!(
                    "cannot rebuild version {version} of {table}: the commit of version {missing} is missing from {LOG_DIR} and no later checkpoint covers it"
                ),
            )
            .with("version", version.to_string())
            .with("missingVersion", missing.to_string()),
            None if self.checkpoints.range(version..).next().is_none() => NativeError::new(
                ErrorCode::DeltaLogIncomplete,
                format!(
                    "cannot rebuild version {version} of {table}: the commit of version 0 is missing and there is no checkpoint at or before version {version}"
                ),
            )
            .with("version", version.to_string())
            .with("missingVersion", "0"),
            None => {
                let earliest = self.first_version.unwrap_or(latest);
                NativeError::new(
                    ErrorCode::DeltaVersionNotFound,
                    format!(
                        "version {version} of {table} can no longer be rebuilt: there is no checkpoint at or before it and the log starts at version {earliest}"
                    ),
                )
                .with("version", version.to_string())
                .with("earliest", earliest.to_string())
            }
        })
    }
}
