//! Updates racing other writers: a metadata or protocol change conflicts with any concurrent
//! one; a metadata-only change rebases over blind appends; an update that rewrites data
//! conflicts with concurrent appends, and its files are deleted.

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

fn add_column() -> Json {
    json!({
        "operation": "update",
        "schema": {"schemaString": json!({"type": "struct", "fields": [
            {"name": "id", "type": "long", "nullable": true, "metadata": {}},
            {"name": "extra", "type": "string", "nullable": true, "metadata": {}},
        ]}).to_string()},
    })
}

/// Version 1 by a competitor: a metaData action with one more property.
fn metadata_change(t: &Table) -> Json {
    let mut metadata = serde_json::to_value(&t.snapshot().metadata).unwrap();
    metadata["configuration"]["other.writer"] = json!("was here");
    json!({"metaData": metadata})
}

fn blind_append() -> Json {
    json!({"add": {"path": "other.parquet", "partitionValues": {}, "size": 1, "modificationTime": 1, "dataChange": true}})
}

fn info() -> Json {
    json!({"commitInfo": {"operation": "OTHER"}})
}

#[test]
fn a_schema_change_conflicts_with_a_concurrent_metadata_change() {
    let Some(mut t) = created() else { return };
    let competitor = metadata_change(&t);
    let root = t.root.clone();
    let racing = Racing::new(&root, |s| commit_lines(s, 1, &[info(), competitor]));
    let e = code(t.run_on(&racing, add_column(), json!({})));
    assert_eq!(e.code, ErrorCode::DeltaCommitConflict);
    assert_eq!(e.detail("conflict"), Some("metadataChanged"));
    assert_eq!(e.detail("winningVersion"), Some("1"));
    assert_eq!(t.snapshot().version, 1);
}

#[test]
fn a_property_change_conflicts_with_a_concurrent_protocol_change() {
    let Some(mut t) = created() else { return };
    let root = t.root.clone();
    let racing = Racing::new(&root, |s| {
        commit_lines(
            s,
            1,
            &[
                info(),
                json!({"protocol": {"minReaderVersion": 1, "minWriterVersion": 4}}),
            ],
        )
    });
    let e = code(t.run_on(
        &racing,
        json!({"operation": "update", "set": {"cpgc.owner": "me"}}),
        json!({}),
    ));
    assert_eq!(e.detail("conflict"), Some("protocolChanged"));
}

#[test]
fn a_metadata_only_change_rebases_over_a_concurrent_blind_append() {
    let Some(mut t) = created() else { return };
    let root = t.root.clone();
    let racing = Racing::new(&root, |s| commit_lines(s, 1, &[info(), blind_append()]));
    let result = t.run_on(&racing, add_column(), json!({})).unwrap();
    assert_eq!(result.version, Some(2));
    assert_eq!(result.rebased_over, [1]);
    let s = t.snapshot();
    assert!(s.schema.field("extra").is_some());
    assert_eq!(s.files.len(), 2);
}

#[test]
fn an_update_that_rewrites_data_conflicts_with_a_concurrent_append_and_leaves_no_files() {
    let Some(mut t) = created() else { return };
    let before = t.data_files();
    let root = t.root.clone();
    let racing = Racing::new(&root, |s| commit_lines(s, 1, &[info(), blind_append()]));
    let mut op = add_column();
    op["write"] = json!({"mode": "overwrite", "source": {"sql": "SELECT 9 AS id, 'x' AS extra"}});
    let e = code(t.run_on(&racing, op, json!({})));
    assert_eq!(e.detail("conflict"), Some("concurrentAppend"));
    assert_eq!(t.data_files(), before);
}
