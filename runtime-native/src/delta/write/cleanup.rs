//! Expired-log cleanup (PROTOCOL.md "Metadata Cleanup"): log files older than
//! `delta.logRetentionDuration` (default 30 days) are deleted, but only below a checkpoint that
//! keeps every unexpired version reconstructable: the boundary is the newest complete
//! checkpoint at or below the oldest unexpired commit. `_last_checkpoint` and anything newer
//! stay.

use std::collections::BTreeMap;
use std::path::Path;

use super::super::log_files::{LogFileKind, LOG_DIR};
use super::super::log_segment::list_log;
use super::super::storage::Storage;
use crate::error::{NativeError, Result};

/// Parses `interval 30 days`, `30 days`, `1 week`, `12 hours`, ... into milliseconds.
pub fn parse_interval_ms(text: &str) -> Option<i64> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.strip_prefix("interval").unwrap_or(&text).trim();
    let mut parts = text.split_whitespace();
    let n: i64 = parts.next()?.parse().ok()?;
    let unit = parts.next().unwrap_or("milliseconds");
    let ms = match unit.trim_end_matches('s') {
        "week" => 604_800_000,
        "day" => 86_400_000,
        "hour" => 3_600_000,
        "minute" | "min" => 60_000,
        "second" | "sec" => 1000,
        "millisecond" | "m" => 1,
        _ => return None,
    };
    n.checked_mul(ms)
}

/// A duration property in milliseconds, or its default.
pub fn duration_property(
    configuration: &BTreeMap<String, String>,
    key: &str,
    default_ms: i64,
) -> Result<i64> {
    match configuration.get(key) {
        None => Ok(default_ms),
        Some(text) => parse_interval_ms(text).ok_or_else(|| {
            NativeError::invalid_argument(format!(
                "table property {key} = {text:?} is not an interval such as \"interval 30 days\""
            ))
            .with("property", key)
        }),
    }
}

pub const DEFAULT_LOG_RETENTION_MS: i64 = 30 * 86_400_000;

/// Deletes expired log files of the table at `root`; returns the deleted names.
pub fn cleanup_expired_logs(
    storage: &dyn Storage,
    root: &Path,
    retention_ms: i64,
    now_ms: i64,
) -> Result<Vec<String>> {
    let cutoff = now_ms.saturating_sub(retention_ms);
    let listing = list_log(storage, None)?;
    let first_unexpired = listing
        .commits
        .values()
        .find(|c| c.meta.modified_ms >= cutoff)
        .map(|c| c.version)
        .or_else(|| listing.latest_version());
    let Some(limit) = first_unexpired else {
        return Ok(Vec::new());
    };
    let Some(boundary) = listing
        .checkpoints
        .range(..=limit)
        .next_back()
        .map(|(v, _)| *v)
    else {
        return Ok(Vec::new());
    };
    let mut deleted = Vec::new();
    for file in storage.list_from(LOG_DIR, "")? {
        let Some(meta) = super::super::log_files::classify(file) else {
            continue;
        };
        let removable = meta.version < boundary
            && meta.meta.modified_ms < cutoff
            && matches!(
                meta.kind,
                LogFileKind::Commit
                    | LogFileKind::Checkpoint(_)
                    | LogFileKind::Checksum
                    | LogFileKind::Compacted { .. }
            );
        if removable {
            let path = root.join(LOG_DIR).join(&meta.meta.name);
            if std::fs::remove_file(&path).is_ok() {
                deleted.push(meta.meta.name.clone());
            }
        }
    }
    Ok(deleted)
}
