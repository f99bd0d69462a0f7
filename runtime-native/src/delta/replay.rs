//! Action reconciliation (PROTOCOL.md "Action Reconciliation"): replaying actions oldest first
//! into the state of one version.
//!
//! - the latest `protocol` and `metaData` win;
//! - `txn`: the latest version per app id wins; `domainMetadata`: the latest per domain wins,
//!   `removed: true` deletes it;
//! - files: a logical file is `(path, deletionVector.uniqueId)`. An `add` replaces whatever was
//!   active at its path (the newest pair per path wins); a `remove` deletes the active file at
//!   its path only when the DV ids match (removing `(p, dv1)` leaves `(p, dv2)` alone);
//! - a `remove` leaves a tombstone until an `add` of the same logical file (checkpoints keep
//!   them; vacuum honours them);
//! - `cdc` never adds to the snapshot; `commitInfo` is kept for the last commit only.

use std::collections::BTreeMap;

use super::actions::{Action, ActionSource, Add, DomainMetadata, Metadata, Protocol, Remove, Txn};
use super::deletion_vector;
use super::uri::{decode_file_path, FileLocation};
use crate::error::{NativeError, Result};

/// An active logical file.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveFile {
    pub add: Add,
    /// The decoded `add.path`.
    pub location: FileLocation,
    pub dv_id: Option<String>,
}

/// The reconciled state of the log up to some version.
#[derive(Debug, Default)]
pub struct TableState {
    pub protocol: Option<Protocol>,
    pub metadata: Option<Metadata>,
    /// Keyed by decoded path.
    pub files: BTreeMap<String, ActiveFile>,
    pub txns: BTreeMap<String, Txn>,
    pub domains: BTreeMap<String, DomainMetadata>,
    /// `commitInfo` of the last replayed commit (none after a checkpoint alone).
    pub commit_info: Option<serde_json::Value>,
    /// The `txn` actions of the last replayed commit (none after a checkpoint alone).
    pub commit_txns: Vec<Txn>,
    /// Remove tombstones by (decoded path, DV id): the newest remove of a logical file that no
    /// later add brought back (checkpoints carry them; vacuum honours them).
    pub tombstones: BTreeMap<(String, Option<String>), Remove>,
}

fn located(error: NativeError, source: &ActionSource) -> NativeError {
    let error = error.with("file", source.file);
    match source.version {
        Some(v) => {
            let mut error = error.with("version", v.to_string());
            error.message = format!("{} (version {v})", error.message);
            error
        }
        None => error,
    }
}

impl TableState {
    /// Applies the actions of one commit or checkpoint, in order.
    pub fn apply(
        &mut self,
        actions: Vec<Action>,
        source: &ActionSource,
        is_commit: bool,
    ) -> Result<()> {
        if is_commit {
            self.commit_info = None;
            self.commit_txns = actions
                .iter()
                .filter_map(|a| match a {
                    Action::Txn(t) => Some(t.clone()),
                    _ => None,
                })
                .collect();
        }
        for action in actions {
            self.apply_one(action).map_err(|e| located(e, source))?;
        }
        Ok(())
    }

    fn apply_one(&mut self, action: Action) -> Result<()> {
        match action {
            Action::Protocol(p) => self.protocol = Some(p),
            Action::Metadata(m) => self.metadata = Some(m),
            Action::Txn(t) => {
                self.txns.insert(t.app_id.clone(), t);
            }
            Action::DomainMetadata(d) => {
                if d.removed {
                    self.domains.remove(&d.domain);
                } else {
                    self.domains.insert(d.domain.clone(), d);
                }
            }
            Action::CommitInfo(info) => self.commit_info = Some(info),
            Action::Add(add) => {
                if let Some(dv) = &add.deletion_vector {
                    deletion_vector::validate(dv)?;
                }
                let location = decode_file_path(&add.path)?;
                let key = location.as_str().to_string();
                let dv_id = add.deletion_vector.as_ref().map(|dv| dv.unique_id());
                self.tombstones.remove(&(key.clone(), dv_id.clone()));
                self.files.insert(
                    key,
                    ActiveFile {
                        add: *add,
                        location,
                        dv_id,
                    },
                );
            }
            Action::Remove(remove) => {
                let key = decode_file_path(&remove.path)?.as_str().to_string();
                let dv_id = remove.deletion_vector.as_ref().map(|dv| dv.unique_id());
                if self
                    .files
                    .get(&key)
                    .is_some_and(|active| active.dv_id == dv_id)
                {
                    self.files.remove(&key);
                }
                self.tombstones.insert((key, dv_id), *remove);
            }
            Action::Cdc(_) | Action::CheckpointMetadata(_) | Action::Sidecar(_) => {}
        }
        Ok(())
    }
}
