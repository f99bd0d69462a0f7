//! Checkpoints: after a commit (every `delta.checkpointInterval` commits, with expired-log
//! cleanup) and on demand.

use super::super::super::snapshot::{load_snapshot, VersionSpec};
use super::super::checkpoint_writer::{write_checkpoint, CheckpointWritten};
use super::super::cleanup::{cleanup_expired_logs, duration_property, DEFAULT_LOG_RETENTION_MS};
use super::super::ids::now_ms;
use super::types::{Context, OperationResult};
use crate::error::Result;

/// Checkpoint + log cleanup after a commit; failures become warnings (the commit stands).
pub(super) fn post_commit(ctx: &mut Context, version: u64, result: &mut OperationResult) {
    let attempt = (|| -> Result<Option<CheckpointWritten>> {
        let snapshot = load_snapshot(ctx.storage, ctx.parquet, VersionSpec::Version(version))?;
        let interval = snapshot
            .metadata
            .configuration
            .get("delta.checkpointInterval")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(10);
        if version == 0 || version % interval != 0 {
            return Ok(None);
        }
        let written = write_checkpoint(ctx.db, ctx.root, &snapshot)?;
        if snapshot
            .metadata
            .configuration
            .get("delta.enableExpiredLogCleanup")
            .is_none_or(|v| v != "false")
        {
            let retention = duration_property(
                &snapshot.metadata.configuration,
                "delta.logRetentionDuration",
                DEFAULT_LOG_RETENTION_MS,
            )?;
            result.cleaned_log_files =
                cleanup_expired_logs(ctx.storage, ctx.root, retention, now_ms())?;
        }
        Ok(Some(written))
    })();
    match attempt {
        Ok(Some(written)) => result.checkpoint_version = Some(written.version),
        Ok(None) => {}
        Err(e) => result.warnings.push(format!(
            "version {version} was committed, but its checkpoint failed: {}",
            e.message
        )),
    }
}

/// Writes a checkpoint of the latest version now.
pub fn checkpoint_now(ctx: &mut Context) -> Result<CheckpointWritten> {
    let snapshot = load_snapshot(ctx.storage, ctx.parquet, VersionSpec::Latest)?;
    write_checkpoint(ctx.db, ctx.root, &snapshot)
}
