//! Reading less of a checkpoint: which columns and fields of a Parquet file a [`Projection`]
//! needs (the file's `parquet_schema` says which exist), the SQL that reads only those as typed
//! columns, and the rows turned into JSON values or, for a summarized `add`, straight into the
//! action (no JSON text rendered and parsed again). Pure: [`super::duckdb_parquet`] runs the SQL.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::actions::Add;
use super::parquet::{summary_fields, ParquetRow, Projection};
use crate::wire::Value;

/// A SQL string literal.
pub(crate) fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A SQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Dotted paths (`add`, `add.path`, `add.stats_parsed.numRecords`, ...) of a Parquet schema given
/// as `parquet_schema` rows in depth-first order: (name, number of children).
pub(crate) fn schema_paths(rows: &[(String, u64)]) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    // (path of the group, children still to come); the root's path is empty.
    let mut stack: Vec<(String, u64)> = Vec::new();
    for (index, (name, children)) in rows.iter().enumerate() {
        let path = if index == 0 {
            String::new()
        } else {
            while stack.last().is_some_and(|(_, left)| *left == 0) {
                stack.pop();
            }
            let Some((parent, left)) = stack.last_mut() else {
                break;
            };
            *left -= 1;
            let path = if parent.is_empty() {
                name.clone()
            } else {
                format!("{parent}.{name}")
            };
            paths.insert(path.clone());
            path
        };
        if *children > 0 {
            stack.push((path, *children));
        }
    }
    paths
}

/// One column of a projected query: where its value goes in the row object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A whole top-level column.
    Column(String),
    /// Whether the file action `column` is present in the row (a boolean).
    Present(String),
    /// A field of the file action `column` (`stats_parsed.numRecords` for the nested count).
    Field(String, String),
}

/// A projected query over one Parquet schema: its typed SELECT list, where each column goes, and
/// which columns tell that a row holds a wanted action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Projected {
    select: Vec<String>,
    pub targets: Vec<Target>,
    /// `… IS NOT NULL` of every wanted action column (Column and Present targets).
    present: Vec<String>,
}

impl Projected {
    /// The SELECT list.
    pub fn select(&self) -> String {
        self.select.join(", ")
    }

    /// The WHERE condition that keeps exactly the rows [`rows_of`] keeps: those with any wanted
    /// action (a checkpoint row holds one action; most rows of a summary are tombstones and app
    /// transactions, dropped in the scan rather than turned into values).
    pub fn filter(&self) -> String {
        self.present.join(" OR ")
    }
}

/// The projected query of `projection` over a file with `paths` (see [`schema_paths`]); `None`
/// when the file has none of the wanted columns.
pub(crate) fn projected_select(
    projection: Projection,
    paths: &BTreeSet<String>,
) -> Option<Projected> {
    let mut select = Vec::new();
    let mut targets = Vec::new();
    let mut present = Vec::new();
    let top_level = paths.iter().filter(|p| !p.contains('.'));
    for column in top_level.filter(|c| projection.keeps(c)) {
        let quoted = ident(column);
        let fields = summary_fields(column).filter(|_| projection.summarizes_files());
        // A file action without its identifying fields is read whole: the parser reports it.
        let summarizable = ["path", "size"]
            .iter()
            .all(|f| paths.contains(&format!("{column}.{f}")));
        let Some(fields) = fields.filter(|_| summarizable) else {
            present.push(format!("{quoted} IS NOT NULL"));
            select.push(quoted);
            targets.push(Target::Column(column.clone()));
            continue;
        };
        present.push(format!("{quoted} IS NOT NULL"));
        select.push(format!("{quoted} IS NOT NULL"));
        targets.push(Target::Present(column.clone()));
        for field in fields {
            let path = format!("{column}.{field}");
            if !paths.contains(&path) {
                continue;
            }
            if *field == "stats_parsed" {
                if paths.contains(&format!("{path}.numRecords")) {
                    select.push(format!("{quoted}.\"stats_parsed\".\"numRecords\""));
                    targets.push(Target::Field(
                        column.clone(),
                        "stats_parsed.numRecords".into(),
                    ));
                }
                continue;
            }
            select.push(format!("{quoted}.{}", ident(field)));
            targets.push(Target::Field(column.clone(), (*field).to_string()));
        }
    }
    if select.is_empty() {
        return None;
    }
    Some(Projected {
        select,
        targets,
        present,
    })
}

/// A result value as the JSON `to_json` would render it (maps as objects keyed by their keys'
/// text).
fn json_of(value: Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Int(i) => Json::from(i),
        Value::UInt(u) => Json::from(u),
        Value::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s),
        Value::Bytes(b) => Json::String(String::from_utf8_lossy(&b).into_owned()),
        Value::List(items) => Json::Array(items.into_iter().map(json_of).collect()),
        Value::Struct(fields) => Json::Object(
            fields
                .into_iter()
                .map(|(name, v)| (name.to_string(), json_of(v)))
                .collect(),
        ),
        Value::Map(entries) => Json::Object(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = match json_of(k) {
                        Json::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, json_of(v))
                })
                .collect(),
        ),
    }
}

/// The rows of a projected query's result; rows without any action are dropped. A row whose
/// only action is a summarized `add` with a string path and an integer size (all of them, in a
/// valid checkpoint) becomes the action directly; any other row becomes its JSON object, for the
/// log parser.
pub(crate) fn rows_of(result: Vec<Vec<Value>>, targets: &[Target]) -> Vec<ParquetRow> {
    let mut rows = Vec::with_capacity(result.len());
    for row in result {
        if let Some(add) = summary_add(&row, targets) {
            rows.push(ParquetRow::Add(Box::new(add)));
            continue;
        }
        let object = object_of(row, targets);
        if !object.is_empty() {
            rows.push(ParquetRow::Object(Json::Object(object)));
        }
    }
    rows
}

/// The `add` of a row that holds nothing else, when its fields are well-typed.
fn summary_add(row: &[Value], targets: &[Target]) -> Option<Add> {
    let mut present = false;
    let (mut path, mut size, mut stats, mut count, mut dv) = (None, None, None, None, None);
    for (value, target) in row.iter().zip(targets) {
        match (target, value) {
            (Target::Column(_), Value::Null) => {}
            (Target::Column(_), _) => return None,
            (Target::Present(column), Value::Bool(true)) if column == "add" => present = true,
            (Target::Present(_), Value::Bool(true)) => return None,
            (Target::Present(_), _) => {}
            (Target::Field(column, _), _) if column != "add" => {}
            (Target::Field(_, field), value) => match (field.as_str(), value) {
                ("path", Value::Str(p)) => path = Some(p.clone()),
                ("size", Value::Int(n)) => size = Some(*n),
                ("stats", Value::Str(s)) => stats = Some(s.clone()),
                ("stats", Value::Null) => {}
                ("stats_parsed.numRecords", v) => count = Some(json_of(v.clone())),
                ("deletionVector", Value::Null) => {}
                ("deletionVector", v) => {
                    dv = Some(serde_json::from_value(json_of(v.clone())).ok()?)
                }
                _ => return None,
            },
        }
    }
    if !present {
        return None;
    }
    let stats_parsed = count.map(|n| {
        let mut object = Map::new();
        object.insert("numRecords".into(), n);
        Json::Object(object)
    });
    Some(Add::summary(path?, size?, stats, stats_parsed, dv))
}

/// A row as the JSON object of its actions.
fn object_of(row: Vec<Value>, targets: &[Target]) -> Map<String, Json> {
    let mut object = Map::new();
    let mut present: Option<&str> = None;
    for (value, target) in row.into_iter().zip(targets) {
        match target {
            Target::Column(column) => {
                if value != Value::Null {
                    object.insert(column.clone(), json_of(value));
                }
            }
            Target::Present(column) => {
                present = (value == Value::Bool(true)).then_some(column.as_str());
                if let Some(column) = present {
                    object.insert(column.to_string(), Json::Object(Map::new()));
                }
            }
            Target::Field(column, field) => {
                if present != Some(column.as_str()) {
                    continue;
                }
                let Some(Json::Object(action)) = object.get_mut(column) else {
                    continue;
                };
                match field.split_once('.') {
                    Some((parent, child)) => {
                        let mut nested = Map::new();
                        nested.insert(child.to_string(), json_of(value));
                        action.insert(parent.to_string(), Json::Object(nested));
                    }
                    None => {
                        action.insert(field.clone(), json_of(value));
                    }
                }
            }
        }
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(spec: &[(&str, u64)]) -> Vec<(String, u64)> {
        spec.iter().map(|(n, c)| ((*n).to_string(), *c)).collect()
    }

    #[test]
    fn schema_paths_follow_the_depth_first_tree() {
        let paths = schema_paths(&rows(&[
            ("duckdb_schema", 3),
            ("protocol", 2),
            ("minReaderVersion", 0),
            ("minWriterVersion", 0),
            ("add", 3),
            ("path", 0),
            ("partitionValues", 1),
            ("key_value", 2),
            ("key", 0),
            ("value", 0),
            ("stats_parsed", 1),
            ("numRecords", 0),
            ("txn", 1),
            ("appId", 0),
        ]));
        let expected = [
            "protocol",
            "protocol.minReaderVersion",
            "protocol.minWriterVersion",
            "add",
            "add.path",
            "add.partitionValues",
            "add.partitionValues.key_value",
            "add.partitionValues.key_value.key",
            "add.partitionValues.key_value.value",
            "add.stats_parsed",
            "add.stats_parsed.numRecords",
            "txn",
            "txn.appId",
        ];
        assert_eq!(
            paths,
            expected
                .iter()
                .map(|p| (*p).to_string())
                .collect::<BTreeSet<_>>()
        );
    }

    #[test]
    fn the_projection_reads_only_present_wanted_columns_and_fields() {
        let paths: BTreeSet<String> = [
            "protocol",
            "metaData",
            "add",
            "add.path",
            "add.size",
            "add.stats",
            "add.partitionValues",
            "add.stats_parsed",
            "add.stats_parsed.minValues",
            "remove",
            "remove.path",
            "remove.deletionTimestamp",
        ]
        .iter()
        .map(|p| (*p).to_string())
        .collect();
        let projected = projected_select(Projection::FileSummary, &paths).unwrap();
        let (select, targets) = (projected.select(), projected.targets.clone());
        assert_eq!(
            select,
            concat!(
                r#""add" IS NOT NULL, "add"."path", "add"."size", "add"."stats", "#,
                r#""metaData", "protocol""#,
            )
        );
        // Rows are kept when they hold a wanted action.
        assert_eq!(
            projected.filter(),
            r#""add" IS NOT NULL OR "metaData" IS NOT NULL OR "protocol" IS NOT NULL"#
        );
        let field = |c: &str, f: &str| Target::Field(c.into(), f.into());
        assert_eq!(
            targets,
            [
                Target::Present("add".into()),
                field("add", "path"),
                field("add", "size"),
                field("add", "stats"),
                Target::Column("metaData".into()),
                Target::Column("protocol".into()),
            ]
        );
        // Tombstones are not read for a summary; Totals also leaves out the app transactions.
        let mut with_txn = paths.clone();
        with_txn.insert("txn".into());
        let select = projected_select(Projection::Totals, &with_txn)
            .unwrap()
            .select();
        assert!(
            !select.contains("txn") && !select.contains("remove"),
            "{select}"
        );
        let select = projected_select(Projection::FileSummary, &with_txn)
            .unwrap()
            .select();
        assert!(select.contains(r#""txn""#), "{select}");
        let select = projected_select(Projection::NonFile, &paths)
            .unwrap()
            .select();
        assert_eq!(select, "\"metaData\", \"protocol\"");
        let only_files: BTreeSet<String> = ["add", "add.path"]
            .iter()
            .map(|p| (*p).to_string())
            .collect();
        assert_eq!(projected_select(Projection::NonFile, &only_files), None);
        // An add without size cannot be summarized: it is read whole (and refused by the parser).
        let select = projected_select(Projection::FileSummary, &only_files)
            .unwrap()
            .select();
        assert_eq!(select, r#""add""#);
        let mut with_counts = paths.clone();
        with_counts.insert("add.stats_parsed.numRecords".into());
        let select = projected_select(Projection::FileSummary, &with_counts)
            .unwrap()
            .select();
        assert!(
            select.contains(r#""add"."stats_parsed"."numRecords""#),
            "{select}"
        );
    }

    #[test]
    fn typed_rows_become_actions_or_objects_without_absent_actions() {
        let targets = [
            Target::Column("txn".into()),
            Target::Present("add".into()),
            Target::Field("add".into(), "path".into()),
            Target::Field("add".into(), "size".into()),
            Target::Field("add".into(), "stats_parsed.numRecords".into()),
            Target::Field("add".into(), "deletionVector".into()),
        ];
        let txn = Value::Struct(vec![
            ("appId".into(), Value::Str("a".into())),
            ("version".into(), Value::Int(3)),
        ]);
        let dv = Value::Struct(vec![
            ("storageType".into(), Value::Str("u".into())),
            ("pathOrInlineDv".into(), Value::Str("x".into())),
            ("sizeInBytes".into(), Value::Int(36)),
            ("cardinality".into(), Value::Int(2)),
        ]);
        let add = |path: Value, size: Value, dv: Value| {
            vec![
                Value::Null,
                Value::Bool(true),
                path,
                size,
                Value::Int(7),
                dv,
            ]
        };
        let rows = rows_of(
            vec![
                vec![
                    txn,
                    Value::Bool(false),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
                add(Value::Str("p".into()), Value::Int(10), Value::Null),
                add(Value::Str("q".into()), Value::Int(11), dv),
                vec![
                    Value::Null,
                    Value::Bool(false),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
                // Ill-typed: left to the parser, which reports it.
                add(Value::Null, Value::Int(12), Value::Null),
                vec![
                    Value::Map(vec![(Value::Str("k".into()), Value::Str("v".into()))]),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    Value::Null,
                ],
            ],
            &targets,
        );
        let parsed = |row: serde_json::Value| {
            let mut out = Vec::new();
            let source = super::super::actions::ActionSource {
                file: "x",
                version: None,
            };
            super::super::actions::parse_action_value(row, &source, 1, &mut out).map(|_| out)
        };
        assert_eq!(rows.len(), 5);
        assert_eq!(
            rows[0],
            ParquetRow::Object(serde_json::json!({"txn": {"appId": "a", "version": 3}}))
        );
        // The direct adds are what parsing their JSON gives.
        for (row, json) in [
            (
                &rows[1],
                serde_json::json!({"add": {"path": "p", "size": 10, "stats_parsed": {"numRecords": 7}, "deletionVector": null}}),
            ),
            (
                &rows[2],
                serde_json::json!({"add": {"path": "q", "size": 11, "stats_parsed": {"numRecords": 7}, "deletionVector": {"storageType": "u", "pathOrInlineDv": "x", "sizeInBytes": 36, "cardinality": 2}}}),
            ),
        ] {
            let ParquetRow::Add(add) = row else {
                panic!("{row:?}")
            };
            assert_eq!(
                parsed(json).unwrap(),
                [super::super::actions::Action::Add(add.clone())]
            );
        }
        let ParquetRow::Object(bad) = &rows[3] else {
            panic!("{:?}", rows[3])
        };
        assert!(parsed(bad.clone()).is_err());
        assert_eq!(
            rows[4],
            ParquetRow::Object(serde_json::json!({"txn": {"k": "v"}}))
        );
    }
}
