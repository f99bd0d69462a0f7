use serde_json::json;

use super::super::snapshot_wire::{snapshot_wire, FileSelection};
use super::*;

const MAPPED: &str = r#"{"type":"struct","fields":[
  {"name":"Company Name","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-a"}},
  {"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-c"}}]},"nullable":true,"metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-b"}}]}"#;

/// Decodes the msgpack wire form back into JSON for assertions.
fn wire_json(table: &Table) -> serde_json::Value {
    wire_json_with(table, FileSelection::All)
}

fn wire_json_with(table: &Table, selection: FileSelection) -> serde_json::Value {
    let snapshot = table.latest();
    let bytes =
        crate::wire::encode(&snapshot_wire(&snapshot, &table.storage, selection).unwrap()).unwrap();
    rmp_serde::from_slice(&bytes).unwrap()
}

#[test]
fn partition_values_and_stats_use_logical_names_under_column_mapping() {
    let table = Table::new();
    table.commit(0, &[
        protocol(2, 5, None),
        json!({"metaData": {"id": "t", "format": {"provider": "parquet", "options": {}}, "schemaString": MAPPED,
            "partitionColumns": ["Company Name"], "configuration": {"delta.columnMapping.mode": "name"}}}),
        json!({"add": {"path": "BH/part-0.parquet", "partitionValues": {"col-a": "BMS"}, "size": 1, "modificationTime": 1, "dataChange": true,
            "stats": "{\"numRecords\":4,\"minValues\":{\"col-b\":{\"col-c\":1}},\"nullCount\":{\"col-b\":{\"col-c\":0}}}"}}),
        json!({"add": {"path": "BH/part-1.parquet", "partitionValues": {"col-a": ""}, "size": 1, "modificationTime": 1, "dataChange": true,
            "stats": "{\"numRecords\":"}}),
    ]);
    let w = wire_json(&table);
    assert_eq!(w["columnMapping"], "name");
    assert_eq!(w["schema"][0]["physicalName"], "col-a");
    assert_eq!(w["schema"][0]["fieldId"], 1);
    assert_eq!(w["schema"][1]["type"]["fields"][0]["physicalName"], "col-c");
    let files = w["files"].as_array().unwrap();
    assert_eq!(files[0]["partitionValues"], json!({"Company Name": "BMS"}));
    assert_eq!(
        files[0]["stats"],
        json!({"numRecords": 4, "minValues": {"s": {"x": 1}}, "nullCount": {"s": {"x": 0}}})
    );
    // An empty partition value is null; garbled stats are dropped with a warning.
    assert_eq!(files[1]["partitionValues"], json!({"Company Name": null}));
    assert_eq!(files[1]["stats"], serde_json::Value::Null);
    assert!(w["warnings"][0]
        .as_str()
        .unwrap()
        .contains("BH/part-1.parquet"));
}

#[test]
fn the_wire_form_has_versioned_snapshot_facts() {
    let table = Table::created();
    table.commit(
        1,
        &[
            commit_info("WRITE"),
            add_dv("f1.parquet", 5, "ab^-aqEH.-t@S}K{vb[*k^", 2),
        ],
    );
    let w = wire_json(&table);
    assert_eq!(w["formatVersion"], 1);
    assert_eq!(w["version"], 1);
    assert_eq!(w["tableRoot"], "memory://");
    assert_eq!(
        w["protocol"],
        json!({"minReaderVersion": 1, "minWriterVersion": 2})
    );
    assert_eq!(w["metadata"]["partitionColumns"], json!(["p"]));
    assert_eq!(
        w["schema"][0],
        json!({"name": "id", "type": "long", "nullable": true, "metadata": {}})
    );
    assert_eq!(w["commitInfo"]["operation"], "WRITE");
    assert_eq!(w["logSegment"]["firstCommit"], 0);
    let dv = &w["files"][1]["deletionVector"];
    assert_eq!(dv["cardinality"], 2);
    assert_eq!(dv["uniqueId"], "uab^-aqEH.-t@S}K{vb[*k^@1");
    assert_eq!(
        dv["path"],
        "ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin"
    );
    assert_eq!(w["files"][0]["absolutePath"], serde_json::Value::Null);
}

#[test]
fn the_summary_covers_every_file_whatever_the_selection() {
    let table = Table::created();
    table.commit(1, &[add_dv("f1.parquet", 5, "ab^-aqEH.-t@S}K{vb[*k^", 2)]);
    table.commit(
        2,
        &[json!({"add": {"path": "nostats.parquet", "partitionValues": {}, "size": 7, "modificationTime": 1, "dataChange": true}})],
    );
    let expected = json!({"numFiles": 3, "sizeBytes": 207, "numRecords": 15, "filesWithoutNumRecords": 1, "deletedByDeletionVectors": 2});
    let all = wire_json_with(&table, FileSelection::All);
    assert_eq!(all["summary"], expected);
    assert_eq!(all["files"].as_array().map(Vec::len), Some(3));
    let none = wire_json_with(&table, FileSelection::None);
    assert_eq!(
        (none["summary"].clone(), none["files"].clone()),
        (expected.clone(), json!([]))
    );
    let missing = wire_json_with(&table, FileSelection::WithoutNumRecords);
    assert_eq!(missing["fileSelection"], "withoutNumRecords");
    assert_eq!(missing["files"][0]["path"], "nostats.parquet");
    assert_eq!(missing["files"].as_array().map(Vec::len), Some(1));
}
