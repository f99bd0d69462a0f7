//! Write-side tests. Here, over in-memory storage: put-if-absent commits, lost races as values,
//! conflict rules, bounded retries. In the submodules, operations on a table in a temporary
//! directory with the real DuckDB ([`fixture`]): create with data, update, update conflicts,
//! the write policy, the untracked-file cleanup.

use serde_json::json;

use super::super::actions::{parse_action_lines, ActionSource, Metadata, Protocol};
use super::super::log_files::commit_path;
use super::super::storage::{MemoryStorage, Storage};
use super::committer::{try_commit, CommitAttempt};
use super::transaction::{OnLostRace, ReadScope, Transaction};
use crate::error::ErrorCode;

mod conflicts;
mod create_as_select;
mod expected_version;
mod fixture;
mod policy;
mod replace_where;
mod summary_reads;
mod untracked;
mod update;

fn created() -> MemoryStorage {
    let storage = MemoryStorage::default();
    let mut txn = Transaction::new(None, "CREATE TABLE");
    txn.protocol = Some(Protocol {
        min_reader_version: 1,
        min_writer_version: 2,
        reader_features: None,
        writer_features: None,
    });
    txn.metadata = Some(Metadata {
        id: "t".into(),
        name: None,
        description: None,
        format: Default::default(),
        schema_string: r#"{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}"#.into(),
        partition_columns: vec![],
        created_time: None,
        configuration: Default::default(),
    });
    assert_eq!(txn.commit(&storage, 3).unwrap().version, 0);
    storage
}

fn append(read_version: u64, path: &str) -> Transaction {
    let mut txn = Transaction::new(Some(read_version), "WRITE");
    txn.adds.push(json!({"path": path, "partitionValues": {}, "size": 1, "modificationTime": 1, "dataChange": true}));
    txn
}

#[test]
fn a_lost_race_is_a_value_and_the_file_is_untouched() {
    let storage = created();
    assert_eq!(
        try_commit(&storage, 1, b"{}\n").unwrap(),
        CommitAttempt::Committed { version: 1 }
    );
    assert_eq!(
        try_commit(&storage, 1, b"other\n").unwrap(),
        CommitAttempt::LostRace { version: 1 }
    );
    assert_eq!(storage.read(&commit_path(1)).unwrap(), b"{}\n");
}

#[test]
fn blind_appends_rebase_over_concurrent_appends() {
    let storage = created();
    append(0, "a.parquet").commit(&storage, 3).unwrap();
    let committed = append(0, "b.parquet").commit(&storage, 3).unwrap();
    assert_eq!(committed.version, 2);
    assert_eq!(committed.attempts, 2);
    assert_eq!(committed.rebased_over, vec![1]);
    let actions = parse_action_lines(
        &storage.read(&commit_path(2)).unwrap(),
        &ActionSource {
            file: "2",
            version: Some(2),
        },
    )
    .unwrap();
    assert_eq!(actions.len(), 2);
}

#[test]
fn a_concurrent_metadata_change_fails_the_transaction() {
    let storage = created();
    let mut change = Transaction::new(Some(0), "SET TBLPROPERTIES");
    change.metadata = created_metadata();
    change.commit(&storage, 3).unwrap();
    let err = append(0, "b.parquet").commit(&storage, 3).unwrap_err();
    assert_eq!(err.code, ErrorCode::DeltaCommitConflict);
    assert_eq!(err.detail("conflict"), Some("metadataChanged"));
    assert_eq!(err.detail("winningVersion"), Some("1"));
}

fn created_metadata() -> Option<Metadata> {
    let storage = created();
    let bytes = storage.read(&commit_path(0)).unwrap();
    parse_action_lines(
        &bytes,
        &ActionSource {
            file: "0",
            version: Some(0),
        },
    )
    .unwrap()
    .into_iter()
    .find_map(|a| match a {
        super::super::actions::Action::Metadata(m) => Some(m),
        _ => None,
    })
}

#[test]
fn a_data_reading_transaction_conflicts_with_concurrent_appends() {
    let storage = created();
    append(0, "a.parquet").commit(&storage, 3).unwrap();
    let mut overwrite = append(0, "c.parquet");
    overwrite.read_scope = ReadScope::Data;
    let err = overwrite.commit(&storage, 3).unwrap_err();
    assert_eq!(err.detail("conflict"), Some("concurrentAppend"));
}

#[test]
fn retries_are_bounded() {
    let storage = created();
    append(0, "a.parquet").commit(&storage, 3).unwrap();
    let err = append(0, "b.parquet").commit(&storage, 0).unwrap_err();
    assert_eq!(err.code, ErrorCode::DeltaCommitRetriesExhausted);
}

#[test]
fn creating_twice_is_table_exists() {
    let storage = created();
    let err = Transaction::new(None, "CREATE TABLE")
        .commit(&storage, 3)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DeltaTableExists);
}

#[test]
fn a_pinned_transaction_fails_on_a_lost_race_instead_of_rebasing() {
    let storage = created();
    append(0, "a.parquet").commit(&storage, 3).unwrap();
    append(1, "b.parquet").commit(&storage, 3).unwrap();
    let mut txn = append(0, "c.parquet");
    txn.on_lost_race = OnLostRace::Fail;
    let e = txn.commit(&storage, 3).unwrap_err();
    assert_eq!(e.code, ErrorCode::DeltaVersionMoved);
    assert_eq!(e.detail("expected"), Some("0"));
    // The newest version in the log, not just the one that was lost.
    assert_eq!(e.detail("actual"), Some("2"));
    assert!(storage.read(&commit_path(3)).is_err());
}
