//! Conflict rules (PROTOCOL.md, optimistic concurrency): when another writer committed first,
//! this transaction may still commit on top of the winner unless
//! - the winner changed the protocol or the metadata (schema, properties, partitioning);
//! - the winner recorded a `txn` for an application id this transaction also records
//!   (idempotent resume would be ambiguous);
//! - the winner changed a metadata domain this transaction also changes;
//! - the winner removed a file this transaction removes (concurrent delete);
//! - this transaction read the table's data (overwrite, replace where) and the winner added or
//!   removed data files (its view of the data is stale).
//!
//! Blind appends commute with each other and with everything but protocol/metadata changes.
//! So any metadata or protocol change conflicts with a concurrent one. A transaction that itself
//! changes the metadata (an update) without reading data still rebases over concurrent appends:
//! the changes an update makes without rewriting are exactly those under which files written
//! with the old schema stay readable (`operations/evolve.rs`); the others come with an
//! overwrite, which reads the data and so conflicts with them.

use std::collections::BTreeSet;

use super::super::actions::Action;
use super::transaction::{ReadScope, Transaction};
use crate::error::{ErrorCode, NativeError, Result};

fn conflict(version: u64, kind: &str, message: String) -> NativeError {
    NativeError::new(ErrorCode::DeltaCommitConflict, message)
        .with("winningVersion", version.to_string())
        .with("conflict", kind)
}

/// Checks one winning commit against `txn`.
pub fn check_winning_commit(txn: &Transaction, version: u64, winner: &[Action]) -> Result<()> {
    let removing: BTreeSet<&str> = txn
        .removes
        .iter()
        .filter_map(|r| r.get("path").and_then(|p| p.as_str()))
        .collect();
    for action in winner {
        match action {
            Action::Protocol(_) => {
                return Err(conflict(
                    version,
                    "protocolChanged",
                    format!("a concurrent commit (version {version}) changed the table's protocol"),
                ))
            }
            Action::Metadata(_) => {
                return Err(conflict(
                    version,
                    "metadataChanged",
                    format!("a concurrent commit (version {version}) changed the table's metadata"),
                ))
            }
            Action::Txn(t) if txn.txns.iter().any(|ours| ours.app_id == t.app_id) => {
                return Err(conflict(
                    version,
                    "concurrentTransaction",
                    format!(
                        "a concurrent commit (version {version}) recorded transaction {:?} version {}",
                        t.app_id, t.version
                    ),
                ))
            }
            Action::DomainMetadata(d) if txn.domains.iter().any(|ours| ours.domain == d.domain) => {
                return Err(conflict(
                    version,
                    "domainMetadataChanged",
                    format!(
                        "a concurrent commit (version {version}) changed metadata domain {:?}",
                        d.domain
                    ),
                ))
            }
            Action::Remove(r) if removing.contains(r.path.as_str()) => {
                return Err(conflict(
                    version,
                    "concurrentDelete",
                    format!(
                        "a concurrent commit (version {version}) removed {} which this transaction also removes",
                        r.path
                    ),
                ))
            }
            Action::Add(a) if txn.read_scope == ReadScope::Data && a.data_change => {
                return Err(conflict(
                    version,
                    "concurrentAppend",
                    format!(
                        "a concurrent commit (version {version}) added data this transaction did not read"
                    ),
                ))
            }
            Action::Remove(r) if txn.read_scope == ReadScope::Data && r.data_change => {
                return Err(conflict(
                    version,
                    "concurrentDelete",
                    format!(
                        "a concurrent commit (version {version}) removed data this transaction read"
                    ),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}
