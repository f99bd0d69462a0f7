//! One attempt at committing a version: `_delta_log/<version>.json` is created with
//! put-if-absent, so two writers can never both create the same version. Losing the race is a
//! [`CommitAttempt::LostRace`] value the transaction handles (re-read, conflict check, retry).

use super::super::log_files::commit_path;
use super::super::storage::{PutOutcome, Storage};
use crate::error::Result;

/// What happened to one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitAttempt {
    /// The commit file was created: the table is now at this version.
    Committed { version: u64 },
    /// Another writer created this version first; nothing was written.
    LostRace { version: u64 },
}

/// Tries to create commit `version` with the newline-delimited JSON `body`.
pub fn try_commit(storage: &dyn Storage, version: u64, body: &[u8]) -> Result<CommitAttempt> {
    Ok(match storage.put_if_absent(&commit_path(version), body)? {
        PutOutcome::Created => CommitAttempt::Committed { version },
        PutOutcome::AlreadyExists => CommitAttempt::LostRace { version },
    })
}
