//! The commit option `expectedVersion`: the staleness check and the commit as one step. The
//! operation runs only when the table is at that version, and a lost commit race fails with
//! `DELTA_VERSION_MOVED` instead of rebasing — even over a blind append that would not conflict.
//! Files written for a commit that did not happen are deleted.

use serde_json::{json, Value as Json};

use super::fixture::{code, commit_lines, table, Racing, Table};
use crate::error::ErrorCode;

fn created() -> Option<Table> {
    let mut t = table()?;
    t.run(
        json!({
            "operation": "create",
            "schemaString": json!({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": true, "metadata": {}}]}).to_string(),
            "data": {"source": {"sql": "SELECT range AS id FROM range(3)"}},
        }),
        json!({}),
    )
    .unwrap();
    Some(t)
}

fn append(sql: &str) -> Json {
    json!({"operation": "write", "mode": "append", "source": {"sql": sql}})
}

fn foreign_append() -> [Json; 2] {
    [
        json!({"commitInfo": {"operation": "OTHER"}}),
        json!({"add": {"path": "other.parquet", "partitionValues": {}, "size": 1, "modificationTime": 1, "dataChange": true}}),
    ]
}

#[test]
fn at_the_expected_version_the_commit_is_the_next_version() {
    let Some(mut t) = created() else { return };
    let result = t
        .run(append("SELECT 7 AS id"), json!({"expectedVersion": 0}))
        .unwrap();
    assert_eq!(result.version, Some(1));
    assert_eq!(result.attempts, 1);
    assert_eq!(t.scan("id", "id"), ["0", "1", "2", "7"]);
}

#[test]
fn a_table_that_moved_before_the_read_is_refused_without_writing() {
    let Some(mut t) = created() else { return };
    t.run(append("SELECT 5 AS id"), json!({})).unwrap();
    let before = t.data_files();
    let e = code(t.run(append("SELECT 7 AS id"), json!({"expectedVersion": 0})));
    assert_eq!(e.code, ErrorCode::DeltaVersionMoved);
    assert_eq!(e.detail("expected"), Some("0"));
    assert_eq!(e.detail("actual"), Some("1"));
    assert!(e.message.contains("moved from version 0 to 1"), "{}", e.message);
    assert_eq!(t.snapshot().version, 1);
    assert_eq!(t.data_files(), before);
}

#[test]
fn losing_the_race_fails_instead_of_rebasing_and_leaves_no_files() {
    let Some(mut t) = created() else { return };
    let before = t.data_files();
    let root = t.root.clone();
    // Without expectedVersion this blind append would rebase over the competitor's.
    let racing = Racing::new(&root, |s| commit_lines(s, 1, &foreign_append()));
    let e = code(t.run_on(
        &racing,
        append("SELECT 7 AS id"),
        json!({"expectedVersion": 0, "txn": {"appId": "cpgc:p1", "version": 0}}),
    ));
    assert_eq!(e.code, ErrorCode::DeltaVersionMoved);
    assert_eq!(e.detail("expected"), Some("0"));
    assert_eq!(e.detail("actual"), Some("1"));
    let s = t.snapshot();
    assert_eq!(s.version, 1);
    assert!(s.txns.is_empty());
    // The competitor's commit is the only one; the data file written for ours is gone.
    assert_eq!(t.kinds(1), ["commitInfo", "add"]);
    assert_eq!(t.data_files(), before);
}

#[test]
fn a_metadata_change_losing_the_race_fails_too() {
    let Some(mut t) = created() else { return };
    let root = t.root.clone();
    let racing = Racing::new(&root, |s| commit_lines(s, 1, &foreign_append()));
    let e = code(t.run_on(
        &racing,
        json!({"operation": "setProperties", "set": {"cpgc.owner": "me"}}),
        json!({"expectedVersion": 0}),
    ));
    assert_eq!(e.code, ErrorCode::DeltaVersionMoved);
    assert!(!t.snapshot().metadata.configuration.contains_key("cpgc.owner"));
}

#[test]
fn a_resumed_operation_whose_txn_committed_is_skipped_although_the_version_moved() {
    let Some(mut t) = created() else { return };
    let commit = json!({"expectedVersion": 0, "txn": {"appId": "cpgc:p1", "version": 0}});
    assert_eq!(
        t.run(append("SELECT 7 AS id"), commit.clone())
            .unwrap()
            .version,
        Some(1)
    );
    let again = t.run(append("SELECT 7 AS id"), commit).unwrap();
    assert!(again.skipped);
    assert_eq!(again.version, Some(1));
}

#[test]
fn expected_version_is_not_an_option_of_create() {
    let Some(mut t) = table() else { return };
    let e = code(t.run(
        json!({
            "operation": "create",
            "schemaString": json!({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": true, "metadata": {}}]}).to_string(),
        }),
        json!({"expectedVersion": 0}),
    ));
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(e.detail("option"), Some("expectedVersion"));
    assert!(!t.root.join("_delta_log").exists());
}
