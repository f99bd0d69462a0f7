//! Update: schema, partitioning, properties, features and a write in one commit, read back
//! through the scan path.

use serde_json::{json, Value as Json};

use super::super::super::schema::ColumnMappingMode;
use super::super::super::snapshot::VersionSpec;
use super::fixture::{code, table, Table};
use crate::error::ErrorCode;

fn field(name: &str, t: Json, nullable: bool) -> Json {
    json!({"name": name, "type": t, "nullable": nullable, "metadata": {}})
}

fn schema(fields: &[Json]) -> String {
    json!({"type": "struct", "fields": fields}).to_string()
}

fn base() -> Vec<Json> {
    vec![
        field("id", json!("long"), false),
        field("name", json!("string"), true),
        field("p", json!("string"), true),
    ]
}

/// A table partitioned by `p` with rows 0..4 (`name` = `n<id>`, p = a for id < 2, else b).
fn created(configuration: Json) -> Option<Table> {
    let mut t = table()?;
    t.run(
        json!({
            "operation": "create",
            "schemaString": schema(&base()),
            "partitionColumns": ["p"],
            "configuration": configuration,
            "data": {"source": {"sql": "SELECT range AS id, 'n' || range AS name, CASE WHEN range < 2 THEN 'a' ELSE 'b' END AS p FROM range(4)"}},
        }),
        json!({}),
    )
    .unwrap();
    Some(t)
}

fn update(change: Json) -> Json {
    let mut op = change;
    op["operation"] = json!("update");
    op
}

#[test]
fn a_type_change_a_drop_an_added_non_null_column_and_new_partitioning_commit_with_the_overwrite() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    let fields = vec![
        field("id", json!("string"), false),
        field("p", json!("string"), true),
        field("score", json!("double"), false),
    ];
    let change = json!({
        "schema": {"schemaString": schema(&fields)},
        "partitionColumns": [],
    });
    // Without the overwrite, the first rule that needs one refuses it.
    let e = code(t.run(update(change.clone()), json!({})));
    assert_eq!(e.code, ErrorCode::DeltaOperationNotAllowed);
    assert_eq!(e.detail("reason"), Some("schemaChange"));
    assert_eq!(e.detail("change"), Some("type"));
    assert_eq!(e.detail("column"), Some("id"));
    assert_eq!(t.snapshot().version, 0);

    let mut with_write = change;
    with_write["write"] = json!({"mode": "overwrite", "source": {"sql": "SELECT 'x' || range AS id, 'c' AS p, range * 0.5 AS score FROM range(3)"}});
    let result = t
        .run(
            update(with_write),
            json!({"domainMetadata": [{"domain": "cpgc", "configuration": "{}"}]}),
        )
        .unwrap();
    assert_eq!(result.version, Some(1));
    assert_eq!(result.operation, "WRITE");
    assert_eq!((result.removed_files, result.added_files), (2, 1));
    let kinds = t.kinds(1);
    for kind in ["protocol", "metaData", "domainMetadata", "remove", "add"] {
        assert!(kinds.iter().any(|k| k == kind), "{kinds:?} lacks {kind}");
    }
    let info = t.commit_info(1);
    assert_eq!(info["operationParameters"]["mode"], "Overwrite");
    assert_eq!(info["operationParameters"]["droppedColumns"], "[\"name\"]");
    assert_eq!(info["operationParameters"]["retypedColumns"], "[\"id\"]");
    assert_eq!(info["operationParameters"]["addedColumns"], "[\"score\"]");
    let s = t.snapshot();
    assert!(s.metadata.partition_columns.is_empty());
    assert_eq!(
        s.schema
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["id", "p", "score"]
    );
    // The new files follow the new partitioning (none) and schema.
    assert!(s.files[0].add.partition_values.is_empty());
    assert_eq!(
        t.scan("id, p, score", "id"),
        ["x0|c|0.0", "x1|c|0.5", "x2|c|1.0"]
    );
    // Time travel still reads the old version with its schema.
    assert_eq!(
        t.scan_at(VersionSpec::Version(0), "id, name", "id"),
        ["0|n0", "1|n1", "2|n2", "3|n3"]
    );
}

#[test]
fn a_rename_under_column_mapping_is_metadata_only_and_old_files_read_under_the_new_name() {
    let Some(mut t) = created(json!({"delta.columnMapping.mode": "name"})) else {
        return;
    };
    let files = t.snapshot().files.len();
    let mut fields = base();
    fields[1]["name"] = json!("label");
    let result = t
        .run(
            update(
                json!({"schema": {"schemaString": schema(&fields), "renames": {"label": "name"}}}),
            ),
            json!({"txn": {"appId": "cpgc", "version": 1}}),
        )
        .unwrap();
    assert_eq!(result.operation, "REPLACE COLUMNS");
    assert_eq!(result.added_files, 0);
    assert_eq!(t.kinds(1), ["commitInfo", "metaData", "txn"]);
    assert_eq!(
        t.commit_info(1)["operationParameters"]["renamedColumns"],
        "{\"label\":\"name\"}"
    );
    assert_eq!(t.snapshot().files.len(), files);
    assert_eq!(t.scan("id, label", "id"), ["0|n0", "1|n1", "2|n2", "3|n3"]);
    // New rows under the new name land in the same physical column.
    t.run(
        json!({"operation": "write", "mode": "append", "source": {"sql": "SELECT 9 AS id, 'nine' AS label, 'b' AS p"}}),
        json!({}),
    )
    .unwrap();
    assert_eq!(t.scan("label", "id DESC LIMIT 2"), ["nine", "n3"]);
    // Replace where reads the old files under the new name too.
    t.run(
        json!({"operation": "update", "write": {"mode": "replaceWhere", "predicate": "label = 'n1'", "source": {"sql": "SELECT 1 AS id, 'one' AS label, 'a' AS p"}}}),
        json!({}),
    )
    .unwrap();
    assert_eq!(
        t.scan("id, label, p", "id"),
        ["0|n0|a", "1|one|a", "2|n2|b", "3|n3|b", "9|nine|b"]
    );
}

#[test]
fn a_rename_without_column_mapping_is_refused_naming_the_column() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    let mut fields = base();
    fields[1]["name"] = json!("label");
    let e = code(t.run(
        update(json!({"schema": {"schemaString": schema(&fields), "renames": {"label": "name"}}})),
        json!({}),
    ));
    assert_eq!(e.code, ErrorCode::DeltaOperationNotAllowed);
    assert_eq!(
        (e.detail("change"), e.detail("column")),
        (Some("rename"), Some("name"))
    );
    assert_eq!(t.snapshot().version, 0);
    // The same rename with a rewrite of all data is fine.
    let result = t
        .run(
            update(json!({
                "schema": {"schemaString": schema(&fields), "renames": {"label": "name"}},
                "write": {"mode": "overwrite", "source": {"sql": "SELECT 5 AS id, 'five' AS label, 'a' AS p"}},
            })),
            json!({}),
        )
        .unwrap();
    assert_eq!(result.version, Some(1));
    assert_eq!(t.scan("id, label", "id"), ["5|five"]);
}

#[test]
fn a_column_dropped_under_mapping_and_added_again_reads_null_for_old_rows() {
    let Some(mut t) = created(json!({"delta.columnMapping.mode": "name"})) else {
        return;
    };
    let dropped: Vec<Json> = vec![base()[0].clone(), base()[2].clone()];
    t.run(
        update(json!({"schema": {"schemaString": schema(&dropped)}})),
        json!({}),
    )
    .unwrap();
    assert_eq!(t.scan("*", "id LIMIT 1"), ["0|a"]);
    let mut again = dropped.clone();
    again.push(field("name", json!("string"), true));
    t.run(
        update(json!({"schema": {"schemaString": schema(&again)}})),
        json!({}),
    )
    .unwrap();
    assert_eq!(t.scan("id, name", "id LIMIT 2"), ["0|NULL", "1|NULL"]);
    let s = t.snapshot();
    assert_eq!(
        s.metadata.configuration["delta.columnMapping.maxColumnId"],
        "4"
    );
}

#[test]
fn enabling_column_mapping_on_an_existing_table_keeps_its_files_readable() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    // Mode id on an existing table: refused (old files carry no field ids).
    let e = code(t.run(
        json!({"operation": "setProperties", "set": {"delta.columnMapping.mode": "id"}}),
        json!({}),
    ));
    assert_eq!(
        (e.code, e.detail("reason")),
        (ErrorCode::DeltaOperationNotAllowed, Some("columnMapping"))
    );
    let e = code(t.run(
        json!({"operation": "setProperties", "set": {"delta.columnMapping.mode": "names"}}),
        json!({}),
    ));
    assert_eq!(e.code, ErrorCode::InvalidArgument);

    t.run(
        json!({"operation": "setProperties", "set": {"delta.columnMapping.mode": "name"}}),
        json!({}),
    )
    .unwrap();
    let s = t.snapshot();
    assert_eq!(s.column_mapping, ColumnMappingMode::Name);
    assert_eq!(
        (s.protocol.min_reader_version, s.protocol.min_writer_version),
        (2, 5)
    );
    let physical: Vec<(&str, Option<i64>)> = s
        .schema
        .fields
        .iter()
        .map(|f| {
            (
                f.physical_name(ColumnMappingMode::Name).unwrap(),
                f.field_id(),
            )
        })
        .collect();
    assert_eq!(
        physical,
        [("id", Some(1)), ("name", Some(2)), ("p", Some(3))]
    );
    assert_eq!(
        s.metadata.configuration["delta.columnMapping.maxColumnId"],
        "3"
    );
    assert_eq!(t.scan("id, name, p", "id LIMIT 1"), ["0|n0|a"]);
    // Disabling it again: refused.
    let e = code(t.run(
        json!({"operation": "setProperties", "unset": ["delta.columnMapping.mode"]}),
        json!({}),
    ));
    assert_eq!(e.detail("reason"), Some("columnMapping"));
    // Now renames are metadata-only; old and new files read alike.
    let mut fields = base();
    fields[1]["name"] = json!("label");
    t.run(
        update(json!({
            "schema": {"schemaString": schema(&fields), "renames": {"label": "name"}},
            "write": {"mode": "append", "source": {"sql": "SELECT 7 AS id, 'seven' AS label, 'a' AS p"}},
        })),
        json!({}),
    )
    .unwrap();
    assert_eq!(
        t.scan("id, label", "id"),
        ["0|n0", "1|n1", "2|n2", "3|n3", "7|seven"]
    );
}

#[test]
fn enabling_mapping_and_renaming_in_the_same_commit() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    let mut fields = base();
    fields[1]["name"] = json!("label");
    t.run(
        update(json!({
            "set": {"delta.columnMapping.mode": "name"},
            "schema": {"schemaString": schema(&fields), "renames": {"label": "name"}},
        })),
        json!({}),
    )
    .unwrap();
    let s = t.snapshot();
    assert_eq!(
        s.schema
            .field("label")
            .unwrap()
            .physical_name(ColumnMappingMode::Name)
            .unwrap(),
        "name"
    );
    assert_eq!(t.scan("label", "id LIMIT 1"), ["n0"]);
}

#[test]
fn properties_features_an_added_column_and_a_partial_replace_where_in_one_commit() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    let mut fields = base();
    fields.push(field("note", json!("string"), true));
    let result = t
        .run(
            update(json!({
                "schema": {"schemaString": schema(&fields)},
                "set": {"delta.enableChangeDataFeed": "true", "cpgc.owner": "me"},
                "features": ["domainMetadata"],
                "write": {"mode": "replaceWhere", "predicate": "id = 1", "source": {"sql": "SELECT 1 AS id, 'uno' AS name, 'a' AS p, 'new' AS note"}},
            })),
            json!({}),
        )
        .unwrap();
    assert_eq!(result.version, Some(1));
    let kinds = t.kinds(1);
    for kind in ["protocol", "metaData", "remove", "add", "cdc"] {
        assert!(kinds.iter().any(|k| k == kind), "{kinds:?} lacks {kind}");
    }
    let s = t.snapshot();
    assert_eq!(s.protocol.min_writer_version, 7);
    let features = s.protocol.writer_features.clone().unwrap_or_default();
    for f in [
        "changeDataFeed",
        "domainMetadata",
        "appendOnly",
        "invariants",
    ] {
        assert!(features.iter().any(|x| x == f), "{features:?} lacks {f}");
    }
    assert_eq!(s.metadata.configuration["cpgc.owner"], "me");
    assert_eq!(
        t.scan("id, name, note", "id"),
        ["0|n0|NULL", "1|uno|new", "2|n2|NULL", "3|n3|NULL"]
    );
    // The change feed of the commit: the replaced row and its replacement only.
    let cdc = t.rows(&format!(
        "SELECT id, _change_type FROM read_parquet('{}/_change_data/**/*.parquet') ORDER BY _change_type",
        t.root.display()
    ));
    assert_eq!(cdc, ["1|delete", "1|insert"]);
}

#[test]
fn an_update_that_changes_nothing_commits_no_metadata() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    let result = t
        .run(
            update(json!({"schema": {"schemaString": schema(&base())}, "partitionColumns": ["p"], "set": {}})),
            json!({"txn": {"appId": "cpgc", "version": 1}}),
        )
        .unwrap();
    assert_eq!(result.version, Some(1));
    assert_eq!(result.operation, "UPDATE");
    assert_eq!(t.kinds(1), ["commitInfo", "txn"]);
    assert_eq!(t.commit_info(1)["isBlindAppend"], true);
}

#[test]
fn a_partition_change_needs_the_overwrite() {
    let Some(mut t) = created(json!({})) else {
        return;
    };
    let e = code(t.run(update(json!({"partitionColumns": ["name"]})), json!({})));
    assert_eq!(
        (e.detail("change"), e.detail("column")),
        (Some("partitioning"), Some("name"))
    );
    t.run(
        update(json!({"partitionColumns": ["name"], "write": {"mode": "overwrite", "source": {"sql": "SELECT 1 AS id, 'x' AS name, 'a' AS p"}}})),
        json!({}),
    )
    .unwrap();
    let s = t.snapshot();
    assert_eq!(s.metadata.partition_columns, ["name"]);
    assert!(
        s.files[0].add.path.starts_with("name=x/"),
        "{}",
        s.files[0].add.path
    );
    assert_eq!(t.scan("id, name, p", "id"), ["1|x|a"]);
}

#[test]
fn an_append_only_table_refuses_an_overwrite_even_when_the_same_commit_lifts_it() {
    let Some(mut t) = created(json!({"delta.appendOnly": "true"})) else {
        return;
    };
    let e = code(t.run(
        update(json!({"unset": ["delta.appendOnly"], "write": {"mode": "overwrite", "source": {"sql": "SELECT 1 AS id, 'x' AS name, 'a' AS p"}}})),
        json!({}),
    ));
    assert_eq!(e.detail("reason"), Some("appendOnly"));
    assert_eq!(t.data_files().len(), 2);
}
