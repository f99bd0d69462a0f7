//! The data files of a transaction that certainly did not commit (a lost creation race, a
//! conflict, retries exhausted, a pinned version that moved) are deleted, best effort: no commit
//! will ever reference them, and leaving them would only wait for `vacuum` or
//! `cleanupUntrackedFiles`. Directories are left alone (a concurrent writer may be about to write
//! into them).

use std::path::Path;

use serde_json::Value as Json;

use super::super::super::uri::{decode_file_path, FileLocation};
use super::super::transaction::Transaction;
use crate::error::{ErrorCode, NativeError};

/// Whether `error` from [`Transaction::commit`] means nothing was committed.
pub(super) fn not_committed(error: &NativeError) -> bool {
    matches!(
        error.code,
        ErrorCode::DeltaTableExists
            | ErrorCode::DeltaCommitConflict
            | ErrorCode::DeltaCommitRetriesExhausted
            | ErrorCode::DeltaVersionMoved
    )
}

/// Deletes the files of the transaction's `add` and `cdc` actions.
pub(super) fn abandon(root: &Path, txn: &Transaction) {
    for body in txn.adds.iter().chain(&txn.cdc) {
        let Some(raw) = body.get("path").and_then(Json::as_str) else {
            continue;
        };
        if let Ok(FileLocation::Relative(relative)) = decode_file_path(raw) {
            let _ = std::fs::remove_file(root.join(relative));
        }
    }
}
