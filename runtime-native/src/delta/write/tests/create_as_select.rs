//! Create with data: one version 0 holding protocol, metaData, the adds and the commit options'
//! txn / domain metadata; creation stays put-if-absent, and a losing creator's files go.

use serde_json::json;

use super::fixture::{code, commit_lines, table, Racing};
use crate::error::ErrorCode;

fn schema() -> String {
    json!({"type": "struct", "fields": [
        {"name": "id", "type": "long", "nullable": false, "metadata": {}},
        {"name": "name", "type": "string", "nullable": true, "metadata": {}},
        {"name": "p", "type": "string", "nullable": true, "metadata": {}},
    ]})
    .to_string()
}

fn ctas(configuration: serde_json::Value) -> serde_json::Value {
    json!({
        "operation": "create",
        "schemaString": schema(),
        "partitionColumns": ["p"],
        "configuration": configuration,
        "data": {"source": {"sql": "SELECT range AS id, 'n' || range AS name, CASE WHEN range < 2 THEN 'a' ELSE 'b' END AS p FROM range(5)"}, "policy": {"compression": "snappy"}},
    })
}

#[test]
fn version_0_holds_protocol_metadata_adds_txn_and_domain_metadata() {
    let Some(mut t) = table() else { return };
    let result = t
        .run(
            ctas(json!({})),
            json!({
                "metadata": {"run_id": "r1"},
                "txn": {"appId": "cpgc", "version": 3},
                "domainMetadata": [{"domain": "cpgc", "configuration": "{\"spec_hash\":\"s\"}"}],
            }),
        )
        .unwrap();
    assert_eq!(result.version, Some(0));
    assert_eq!(result.operation, "CREATE TABLE AS SELECT");
    assert_eq!((result.added_files, result.num_added_records), (2, 5));
    assert_eq!(
        t.kinds(0),
        [
            "commitInfo",
            "protocol",
            "metaData",
            "txn",
            "domainMetadata",
            "add",
            "add"
        ]
    );
    let info = t.commit_info(0);
    assert_eq!(info["operation"], "CREATE TABLE AS SELECT");
    assert_eq!(info["operationParameters"]["mode"], "ErrorIfExists");
    assert_eq!(info["operationParameters"]["partitionBy"], "[\"p\"]");
    assert_eq!(info["isBlindAppend"], false);
    assert_eq!(info["cpgc"]["run_id"], "r1");
    let s = t.snapshot();
    assert_eq!(s.version, 0);
    assert!(s
        .protocol
        .writer_features
        .iter()
        .flatten()
        .any(|f| f == "domainMetadata"));
    assert_eq!(s.txns["cpgc"].version, 3);
    assert_eq!(s.domains["cpgc"].configuration, "{\"spec_hash\":\"s\"}");
    assert_eq!(
        t.scan("id, name, p", "id"),
        ["0|n0|a", "1|n1|a", "2|n2|b", "3|n3|b", "4|n4|b"]
    );
    // A resumed apply creating again with the same txn: skipped, nothing written.
    let files = t.data_files();
    let again = t
        .run(
            ctas(json!({})),
            json!({"txn": {"appId": "cpgc", "version": 3}}),
        )
        .unwrap();
    assert!(again.skipped);
    assert_eq!(again.version, Some(0));
    assert_eq!(t.data_files(), files);
    // Another txn version: the table exists.
    let other = t.run(
        ctas(json!({})),
        json!({"txn": {"appId": "cpgc", "version": 4}}),
    );
    assert_eq!(code(other).code, ErrorCode::DeltaTableExists);
}

#[test]
fn under_column_mapping_the_first_files_hold_physical_names() {
    let Some(mut t) = table() else { return };
    t.run(ctas(json!({"delta.columnMapping.mode": "name"})), json!({}))
        .unwrap();
    let s = t.snapshot();
    let physical = s.schema.fields[0]
        .physical_name(s.column_mapping)
        .unwrap()
        .to_string();
    assert!(physical.starts_with("col-"));
    let file = t.root.join(&s.files[0].add.path);
    let names = t.rows(&format!(
        "SELECT name FROM parquet_schema('{}') WHERE name <> 'duckdb_schema' ORDER BY name",
        file.display()
    ));
    assert!(names.iter().all(|n| n.starts_with("col-")), "{names:?}");
    assert!(names.contains(&physical));
    assert_eq!(t.scan("count(*)", "1"), ["5"]);
}

#[test]
fn a_creator_that_loses_the_race_gets_table_exists_and_its_files_are_deleted() {
    let Some(mut t) = table() else { return };
    let root = t.root.clone();
    let winner = Racing::new(&root, |storage| {
        commit_lines(
            storage,
            0,
            &[
                json!({"commitInfo": {"operation": "CREATE TABLE"}}),
                json!({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}),
                json!({"metaData": {"id": "winner", "format": {"provider": "parquet", "options": {}}, "schemaString": schema(), "partitionColumns": [], "configuration": {}}}),
            ],
        )
    });
    let e = code(t.run_on(&winner, ctas(json!({})), json!({})));
    assert_eq!(e.code, ErrorCode::DeltaTableExists);
    assert_eq!(t.snapshot().metadata.id, "winner");
    assert!(t.snapshot().files.is_empty());
    assert_eq!(t.data_files(), Vec::<String>::new());
}

#[test]
fn an_existing_table_is_refused_before_any_file_is_written() {
    let Some(mut t) = table() else { return };
    t.run(ctas(json!({})), json!({})).unwrap();
    let before = t.data_files();
    let e = code(t.run(ctas(json!({})), json!({})));
    assert_eq!(e.code, ErrorCode::DeltaTableExists);
    assert_eq!(e.detail("version"), Some("0"));
    assert_eq!(t.data_files(), before);
}

#[test]
fn data_that_does_not_fit_creates_nothing() {
    let Some(mut t) = table() else { return };
    let mut op = ctas(json!({}));
    op["data"]["source"]["sql"] = json!("SELECT 1 AS id, 'x' AS p, 2 AS extra");
    let e = code(t.run(op, json!({})));
    assert_eq!(e.code, ErrorCode::DeltaSchemaMismatch);
    assert!(!t
        .root
        .join(crate::delta::log_files::commit_path(0))
        .exists());
    assert_eq!(t.data_files(), Vec::<String>::new());
}
