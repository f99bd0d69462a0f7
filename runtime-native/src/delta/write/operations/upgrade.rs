//! Protocol upgrades an operation needs (table features, domain metadata).

use std::collections::BTreeSet;

use super::super::super::snapshot::Snapshot;
use super::super::protocol::{protocol_features, protocol_for};
use super::super::transaction::Transaction;
use crate::error::Result;

pub(super) fn upgrade_for(
    s: &Snapshot,
    txn: &mut Transaction,
    mut wanted: BTreeSet<String>,
    domain: bool,
) -> Result<()> {
    if domain {
        wanted.insert("domainMetadata".into());
    }
    let (_, have) = protocol_features(&s.protocol);
    let (have_reader, _) = protocol_features(&s.protocol);
    let missing: BTreeSet<String> = wanted
        .into_iter()
        .filter(|f| !have.contains(f) && !have_reader.contains(f))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let protocol = protocol_for(&missing, Some(&s.protocol))?;
    if protocol != s.protocol {
        txn.protocol = Some(protocol);
    }
    Ok(())
}

pub(super) fn ensure_domain_feature(
    s: &Snapshot,
    txn: &mut Transaction,
    domain: bool,
) -> Result<()> {
    if domain {
        upgrade_for(s, txn, BTreeSet::new(), true)?;
    }
    Ok(())
}
