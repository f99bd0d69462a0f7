//! The schema evolution rules, one case per rule, without IO.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::*;
use crate::delta::schema::{parse_schema, ColumnMappingMode, FIELD_ID_KEY, PHYSICAL_NAME_KEY};
use crate::error::{ErrorCode, NativeError};

fn field(name: &str, t: Json, nullable: bool) -> Json {
    json!({"name": name, "type": t, "nullable": nullable, "metadata": {}})
}

fn schema(fields: &[Json]) -> String {
    json!({"type": "struct", "fields": fields}).to_string()
}

/// A table: its schema string, partition columns and configuration.
struct Table {
    schema_string: String,
    partition_columns: Vec<String>,
    configuration: BTreeMap<String, String>,
}

fn plain(fields: &[Json], partition: &[&str]) -> Table {
    Table {
        schema_string: schema(fields),
        partition_columns: partition.iter().map(|s| s.to_string()).collect(),
        configuration: BTreeMap::new(),
    }
}

/// The same table created under column mapping `name` (ids and physical names assigned).
fn mapped(fields: &[Json], partition: &[&str]) -> Table {
    let mut configuration = BTreeMap::from([("delta.columnMapping.mode".into(), "name".into())]);
    let schema_string =
        super::super::metadata::with_column_mapping(&schema(fields), &mut configuration, None)
            .unwrap();
    Table {
        schema_string,
        partition_columns: partition.iter().map(|s| s.to_string()).collect(),
        configuration,
    }
}

struct Ask<'a> {
    schema: Option<String>,
    renames: &'a [(&'a str, &'a str)],
    partition: Option<Vec<String>>,
    rewrite: bool,
    enabling: bool,
}

fn ask() -> Ask<'static> {
    Ask {
        schema: None,
        renames: &[],
        partition: None,
        rewrite: false,
        enabling: false,
    }
}

fn run(table: &Table, a: &Ask) -> (Result<Evolved>, BTreeMap<String, String>) {
    let old = parse_schema(&table.schema_string).unwrap();
    let mut configuration = table.configuration.clone();
    if a.enabling {
        configuration.insert("delta.columnMapping.mode".into(), "name".into());
    }
    let mode = match configuration
        .get("delta.columnMapping.mode")
        .map(String::as_str)
    {
        Some("name") => ColumnMappingMode::Name,
        Some("id") => ColumnMappingMode::Id,
        _ => ColumnMappingMode::None,
    };
    let change = a.schema.as_ref().map(|s| SchemaChange {
        schema_string: s.clone(),
        renames: a
            .renames
            .iter()
            .map(|(n, o)| (n.to_string(), o.to_string()))
            .collect(),
    });
    let result = evolve(
        &EvolveInput {
            old_schema_string: &table.schema_string,
            old: &old,
            old_partition_columns: &table.partition_columns,
            mode,
            enabling_mapping: a.enabling,
            change: change.as_ref(),
            partition_columns: a.partition.as_deref(),
            rewrite: a.rewrite,
        },
        &mut configuration,
    );
    (result, configuration)
}

fn refused(result: Result<Evolved>, change: &str, column: &str) -> NativeError {
    let e = result.expect_err("refused");
    assert_eq!(e.code, ErrorCode::DeltaOperationNotAllowed, "{}", e.message);
    assert_eq!(e.detail("reason"), Some("schemaChange"));
    assert_eq!(e.detail("change"), Some(change), "{}", e.message);
    assert_eq!(e.detail("column"), Some(column), "{}", e.message);
    e
}

fn meta(schema_string: &str, column: &str) -> (Option<String>, Option<i64>) {
    let s = parse_schema(schema_string).unwrap();
    let f = s.field(column).unwrap();
    (
        f.metadata
            .get(PHYSICAL_NAME_KEY)
            .and_then(Json::as_str)
            .map(str::to_string),
        f.metadata.get(FIELD_ID_KEY).and_then(Json::as_i64),
    )
}

fn base() -> Vec<Json> {
    vec![
        field("id", json!("long"), false),
        field("name", json!("string"), true),
        field("p", json!("string"), true),
    ]
}

#[test]
fn an_equal_schema_keeps_the_recorded_text_and_configuration() {
    let t = mapped(&base(), &["p"]);
    // The caller's logical schema: no mapping metadata, keys in another order.
    let logical = r#"{"fields":[{"name":"id","type":"long","nullable":false},{"type":"string","name":"name"},{"name":"p","type":"string","nullable":true,"metadata":{}}],"type":"struct"}"#;
    let (result, configuration) = run(
        &t,
        &Ask {
            schema: Some(logical.into()),
            ..ask()
        },
    );
    let evolved = result.unwrap();
    assert!(!evolved.changed);
    assert_eq!(evolved.schema_string, t.schema_string);
    assert_eq!(evolved.partition_columns, ["p"]);
    assert_eq!(configuration, t.configuration);
}

#[test]
fn added_nullable_columns_and_relaxed_nullability_are_metadata_only() {
    let t = plain(&base(), &["p"]);
    let mut fields = base();
    fields[0]["nullable"] = json!(true);
    fields.push(field("extra", json!("double"), true));
    let (result, _) = run(
        &t,
        &Ask {
            schema: Some(schema(&fields)),
            ..ask()
        },
    );
    let evolved = result.unwrap();
    assert!(evolved.changed);
    assert_eq!(evolved.added, ["extra"]);
    assert!(evolved.dropped.is_empty() && evolved.retyped.is_empty());
    assert!(parse_schema(&evolved.schema_string).unwrap().fields[0].nullable);
}

#[test]
fn added_non_null_columns_tightened_nullability_and_type_changes_need_a_rewrite() {
    let t = plain(&base(), &["p"]);
    let mut added = base();
    added.push(field("extra", json!("long"), false));
    let mut tightened = base();
    tightened[1]["nullable"] = json!(false);
    let mut retyped = base();
    retyped[0]["type"] = json!("integer");
    let mut nested_old = base();
    nested_old.push(field(
        "s",
        json!({"type": "struct", "fields": [field("x", json!("long"), true)]}),
        true,
    ));
    let mut nested_new = nested_old.clone();
    nested_new[3]["type"]["fields"][0]["type"] = json!("string");
    for (table, fields, change, column) in [
        (&t, added, "addNotNull", "extra"),
        (&t, tightened, "nullability", "name"),
        (&t, retyped, "type", "id"),
        (&plain(&nested_old, &["p"]), nested_new, "type", "s"),
    ] {
        let a = Ask {
            schema: Some(schema(&fields)),
            ..ask()
        };
        refused(run(table, &a).0, change, column);
        // An overwrite in the same commit rewrites every row: allowed.
        let evolved = run(table, &Ask { rewrite: true, ..a }).0.unwrap();
        assert!(evolved.changed);
    }
}

#[test]
fn renames_and_drops_without_column_mapping_are_refused_naming_the_column() {
    let t = plain(&base(), &["p"]);
    let mut renamed = base();
    renamed[1]["name"] = json!("label");
    let e = refused(
        run(
            &t,
            &Ask {
                schema: Some(schema(&renamed)),
                renames: &[("label", "name")],
                ..ask()
            },
        )
        .0,
        "rename",
        "name",
    );
    assert!(e.message.contains("column mapping"), "{}", e.message);
    // Without `renames`, a new name is a drop + an add: the drop is refused.
    refused(
        run(
            &t,
            &Ask {
                schema: Some(schema(&renamed)),
                ..ask()
            },
        )
        .0,
        "drop",
        "name",
    );
    let evolved = run(
        &t,
        &Ask {
            schema: Some(schema(&renamed)),
            renames: &[("label", "name")],
            rewrite: true,
            ..ask()
        },
    )
    .0
    .unwrap();
    assert_eq!(
        evolved.renamed,
        BTreeMap::from([("label".to_string(), "name".to_string())])
    );
}

#[test]
fn under_column_mapping_renames_and_drops_keep_physical_names_and_ids() {
    let t = mapped(&base(), &["p"]);
    let before_id = meta(&t.schema_string, "id");
    let before_name = meta(&t.schema_string, "name");
    // Rename name → label, drop nothing, swap nothing; add `name` anew.
    let fields = vec![
        field("id", json!("long"), false),
        field("label", json!("string"), true),
        field("p", json!("string"), true),
        field("name", json!("string"), true),
    ];
    let (result, configuration) = run(
        &t,
        &Ask {
            schema: Some(schema(&fields)),
            renames: &[("label", "name")],
            ..ask()
        },
    );
    let evolved = result.unwrap();
    assert_eq!(meta(&evolved.schema_string, "id"), before_id);
    assert_eq!(meta(&evolved.schema_string, "label"), before_name);
    let (physical, id) = meta(&evolved.schema_string, "name");
    assert_ne!(physical, before_name.0);
    assert_eq!(id, Some(4));
    assert_eq!(configuration["delta.columnMapping.maxColumnId"], "4");
    assert_eq!(evolved.added, ["name"]);

    // Drop `label` (id 2) and add `later`: ids never repeat (maxColumnId stays the floor).
    let t2 = Table {
        schema_string: evolved.schema_string.clone(),
        partition_columns: vec!["p".into()],
        configuration,
    };
    let fields = vec![
        field("id", json!("long"), false),
        field("p", json!("string"), true),
        field("name", json!("string"), true),
        field("later", json!("string"), true),
    ];
    let (result, configuration) = run(
        &t2,
        &Ask {
            schema: Some(schema(&fields)),
            ..ask()
        },
    );
    let evolved = result.unwrap();
    assert_eq!(evolved.dropped, ["label"]);
    assert_eq!(meta(&evolved.schema_string, "later").1, Some(5));
    assert_eq!(configuration["delta.columnMapping.maxColumnId"], "5");
}

#[test]
fn swapped_names_under_mapping_follow_the_renames() {
    let t = mapped(&base(), &[]);
    let fields = vec![
        field("id", json!("long"), false),
        field("p", json!("string"), true),
        field("name", json!("string"), true),
    ];
    let evolved = run(
        &t,
        &Ask {
            schema: Some(schema(&fields)),
            renames: &[("p", "name"), ("name", "p")],
            ..ask()
        },
    )
    .0
    .unwrap();
    assert_eq!(
        meta(&evolved.schema_string, "p"),
        meta(&t.schema_string, "name")
    );
    assert_eq!(
        meta(&evolved.schema_string, "name"),
        meta(&t.schema_string, "p")
    );
    assert!(evolved.dropped.is_empty() && evolved.added.is_empty());
}

#[test]
fn nested_mapping_metadata_is_carried_and_retyped_columns_get_fresh_names() {
    let mut fields = base();
    fields.push(field(
        "s",
        json!({"type": "struct", "fields": [field("x", json!("long"), true)]}),
        true,
    ));
    let t = mapped(&fields, &[]);
    let old = parse_schema(&t.schema_string).unwrap();
    let nested = |s: &crate::delta::schema::StructType| match &s.field("s").unwrap().data_type {
        crate::delta::schema::DataType::Struct(inner) => inner.fields[0].metadata.clone(),
        _ => unreachable!(),
    };
    let mut retyped = fields.clone();
    retyped[0]["type"] = json!("string");
    retyped[3]["metadata"] = json!({"comment": "kept"});
    let (result, _) = run(
        &t,
        &Ask {
            schema: Some(schema(&retyped)),
            rewrite: true,
            ..ask()
        },
    );
    let evolved = result.unwrap();
    let new = parse_schema(&evolved.schema_string).unwrap();
    assert_eq!(nested(&new), nested(&old));
    assert_eq!(new.field("s").unwrap().metadata["comment"], json!("kept"));
    assert_eq!(evolved.retyped, ["id"]);
    assert_ne!(
        meta(&evolved.schema_string, "id"),
        meta(&t.schema_string, "id")
    );
}

#[test]
fn enabling_mapping_names_existing_columns_physically_by_their_logical_names() {
    let mut fields = base();
    fields.push(field(
        "s",
        json!({"type": "struct", "fields": [field("x", json!("long"), true)]}),
        true,
    ));
    let t = plain(&fields, &["p"]);
    let mut renamed = fields.clone();
    renamed[1]["name"] = json!("label");
    renamed.push(field("added", json!("long"), true));
    let (result, configuration) = run(
        &t,
        &Ask {
            schema: Some(schema(&renamed)),
            renames: &[("label", "name")],
            enabling: true,
            ..ask()
        },
    );
    let evolved = result.unwrap();
    let new = parse_schema(&evolved.schema_string).unwrap();
    new.validate_column_mapping(ColumnMappingMode::Name)
        .unwrap();
    assert_eq!(
        meta(&evolved.schema_string, "id"),
        (Some("id".into()), Some(1))
    );
    // The renamed column reads its files under its old name.
    assert_eq!(
        meta(&evolved.schema_string, "label").0.as_deref(),
        Some("name")
    );
    assert!(meta(&evolved.schema_string, "added")
        .0
        .unwrap()
        .starts_with("col-"));
    let crate::delta::schema::DataType::Struct(inner) = &new.field("s").unwrap().data_type else {
        unreachable!()
    };
    assert_eq!(
        inner.fields[0]
            .physical_name(ColumnMappingMode::Name)
            .unwrap(),
        "x"
    );
    assert_eq!(configuration["delta.columnMapping.maxColumnId"], "6");
    // Enabling alone (no schema given) changes only the mapping metadata.
    let evolved = run(
        &t,
        &Ask {
            enabling: true,
            ..ask()
        },
    )
    .0
    .unwrap();
    assert!(!evolved.changed);
    assert_eq!(
        meta(&evolved.schema_string, "p"),
        (Some("p".into()), Some(3))
    );
}

#[test]
fn partitioning_changes_need_a_rewrite_but_renaming_a_partition_column_under_mapping_does_not() {
    let t = plain(&base(), &["p"]);
    for partition in [
        vec![],
        vec!["name".to_string()],
        vec!["p".into(), "name".into()],
    ] {
        let a = Ask {
            partition: Some(partition.clone()),
            ..ask()
        };
        let column = partition
            .iter()
            .find(|c| *c != "p")
            .cloned()
            .unwrap_or_else(|| "p".into());
        refused(run(&t, &a).0, "partitioning", &column);
        let evolved = run(&t, &Ask { rewrite: true, ..a }).0.unwrap();
        assert_eq!(evolved.partition_columns, partition);
        assert!(evolved.changed);
    }
    // Dropping the partition column under mapping changes the partitioning too.
    let m = mapped(&base(), &["p"]);
    let dropped = schema(&base()[..2]);
    refused(
        run(
            &m,
            &Ask {
                schema: Some(dropped),
                ..ask()
            },
        )
        .0,
        "partitioning",
        "p",
    );
    // Renamed under mapping: the same partitioning under a new name.
    let mut renamed = base();
    renamed[2]["name"] = json!("part");
    let evolved = run(
        &m,
        &Ask {
            schema: Some(schema(&renamed)),
            renames: &[("part", "p")],
            ..ask()
        },
    )
    .0
    .unwrap();
    assert_eq!(evolved.partition_columns, ["part"]);
    assert_eq!(
        meta(&evolved.schema_string, "part"),
        meta(&m.schema_string, "p")
    );
}

#[test]
fn bad_renames_and_duplicate_names_are_schema_mismatches() {
    let t = mapped(&base(), &[]);
    let s = schema(&base());
    for (renames, column) in [
        (&[("nope", "id")][..], "nope"),
        (&[("name", "missing")][..], "missing"),
        (&[("name", "id"), ("p", "id")][..], "id"),
    ] {
        let e = run(
            &t,
            &Ask {
                schema: Some(s.clone()),
                renames,
                ..ask()
            },
        )
        .0
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::DeltaSchemaMismatch, "{}", e.message);
        assert_eq!(e.detail("column"), Some(column));
    }
    let mut dup = base();
    dup.push(field("ID", json!("long"), true));
    let e = run(
        &t,
        &Ask {
            schema: Some(schema(&dup)),
            ..ask()
        },
    )
    .0
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::DeltaSchemaMismatch);
}
