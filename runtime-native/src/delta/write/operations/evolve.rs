//! Schema evolution of an update: the new logical schema (top-level fields) against the table's.
//!
//! Each new field continues the old field named in `renames` (new name → old name), else the
//! old field of the same name (unless that one was renamed away); the others are added, and old
//! fields nothing continues are dropped. Whether old data files can still be read under the new
//! schema decides what is metadata-only and what needs all data rewritten in the same commit
//! (an overwrite):
//! - added nullable columns and non-null → nullable: metadata-only;
//! - renames and drops: metadata-only under column mapping (files are read by physical name or
//!   field id, which continued columns keep); without it a scan reads columns by name, so they
//!   need a rewrite;
//! - type changes (nested fields included), nullable → non-null, added non-null columns and a
//!   different partitioning: a rewrite.
//!
//! Refusals are `DELTA_OPERATION_NOT_ALLOWED` with `reason: schemaChange`, `change` (`rename`,
//! `drop`, `type`, `nullability`, `addNotNull`, `partitioning`) and `column`.
//!
//! Under column mapping, continued columns keep their physical names and field ids (nested ones
//! too); added and retyped columns get fresh ones ([`super::metadata::with_column_mapping`]).
//! When the update enables mapping (`none` → `name`), a continued column's physical name is its
//! old logical name — the name its data files use — as Delta does.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value as Json};

use super::super::super::schema::{
    parse_schema, ColumnMappingMode, DataType, StructField, StructType, PHYSICAL_NAME_KEY,
};
use super::metadata::{check_partition_columns, with_column_mapping};
use super::types::SchemaChange;
use crate::error::{ErrorCode, NativeError, Result};

/// What an update asks of the schema, and of the table it changes.
pub(super) struct EvolveInput<'a> {
    pub(super) old_schema_string: &'a str,
    pub(super) old: &'a StructType,
    pub(super) old_partition_columns: &'a [String],
    /// The mapping mode after the update's properties.
    pub(super) mode: ColumnMappingMode,
    /// The update turns column mapping on (`none` → `name`).
    pub(super) enabling_mapping: bool,
    pub(super) change: Option<&'a SchemaChange>,
    pub(super) partition_columns: Option<&'a [String]>,
    /// The same commit rewrites all data (an overwrite).
    pub(super) rewrite: bool,
}

/// The schema to commit and what changed.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Evolved {
    pub(super) schema_string: String,
    pub(super) partition_columns: Vec<String>,
    pub(super) added: Vec<String>,
    pub(super) dropped: Vec<String>,
    /// New name → old name.
    pub(super) renamed: BTreeMap<String, String>,
    pub(super) retyped: Vec<String>,
    /// The logical schema (names, order, types, nullability, field metadata) or the
    /// partitioning changed.
    pub(super) changed: bool,
}

/// Metadata keys cpgc manages: a caller's logical schema never sets them.
fn managed(key: &str) -> bool {
    key.starts_with("delta.columnMapping.") || key == "delta.typeChanges"
}

fn needs_rewrite(input: &EvolveInput, column: &str, change: &str, message: String) -> Result<()> {
    if input.rewrite {
        return Ok(());
    }
    Err(
        NativeError::new(ErrorCode::DeltaOperationNotAllowed, message)
            .with("reason", "schemaChange")
            .with("change", change)
            .with("column", column),
    )
}

fn mismatch(column: &str, message: String) -> NativeError {
    NativeError::new(ErrorCode::DeltaSchemaMismatch, message).with("column", column)
}

fn fields_json(schema_string: &str) -> Result<Vec<Json>> {
    let value: Json = serde_json::from_str(schema_string).map_err(|e| {
        NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            format!("the schema is not valid JSON: {e}"),
        )
    })?;
    match value.get("fields") {
        Some(Json::Array(fields)) => Ok(fields.clone()),
        _ => Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            "the schema has no fields list",
        )),
    }
}

fn metadata_mut(field: &mut Json) -> Option<&mut Map<String, Json>> {
    field
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

/// Calls `f` on the fields directly nested in a type JSON (through arrays and maps).
fn nested_fields(data_type: &mut Json, f: &mut dyn FnMut(&mut Json)) {
    let Some(object) = data_type.as_object_mut() else {
        return;
    };
    match object.get("type").and_then(Json::as_str) {
        Some("struct") => {
            for field in object
                .get_mut("fields")
                .and_then(Json::as_array_mut)
                .into_iter()
                .flatten()
            {
                f(field);
            }
        }
        Some("array") => {
            if let Some(element) = object.get_mut("elementType") {
                nested_fields(element, f);
            }
        }
        Some("map") => {
            for key in ["keyType", "valueType"] {
                if let Some(inner) = object.get_mut(key) {
                    nested_fields(inner, f);
                }
            }
        }
        _ => {}
    }
}

fn strip_managed(field: &mut Json) {
    if let Some(metadata) = metadata_mut(field) {
        metadata.retain(|k, _| !managed(k));
    }
    if let Some(data_type) = field.get_mut("type") {
        nested_fields(data_type, &mut strip_managed);
    }
}

fn type_of(field: &Json) -> Option<&Json> {
    field.get("type")
}

/// The field `name` of `old`, a struct type JSON.
fn old_nested<'a>(old: &'a Json, name: &str) -> Option<&'a Json> {
    match old.get("type").and_then(Json::as_str) {
        Some("struct") => old
            .get("fields")?
            .as_array()?
            .iter()
            .find(|f| f.get("name").and_then(Json::as_str) == Some(name)),
        _ => None,
    }
}

/// Copies the managed metadata of `old` (a field of the same logical type) into `new`, nested
/// fields included.
fn carry_managed(new: &mut Json, old: &Json) {
    if let (Some(target), Some(source)) = (
        metadata_mut(new),
        old.get("metadata").and_then(Json::as_object),
    ) {
        for (k, v) in source.iter().filter(|(k, _)| managed(k)) {
            target.insert(k.clone(), v.clone());
        }
    }
    if let (Some(new_type), Some(old_type)) = (new.get_mut("type"), type_of(old)) {
        carry_type(new_type, old_type);
    }
}

fn carry_type(new: &mut Json, old: &Json) {
    let Some(kind) = new.get("type").and_then(Json::as_str).map(str::to_string) else {
        return;
    };
    match kind.as_str() {
        "struct" => {
            for field in new
                .get_mut("fields")
                .and_then(Json::as_array_mut)
                .into_iter()
                .flatten()
            {
                let name = field
                    .get("name")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string();
                if let Some(old_field) = old_nested(old, &name) {
                    carry_managed(field, old_field);
                }
            }
        }
        "array" => {
            if let (Some(n), Some(o)) = (new.get_mut("elementType"), old.get("elementType")) {
                carry_type(n, o);
            }
        }
        "map" => {
            for key in ["keyType", "valueType"] {
                if let (Some(n), Some(o)) = (new.get_mut(key), old.get(key)) {
                    carry_type(n, o);
                }
            }
        }
        _ => {}
    }
}

/// Gives a field and its nested fields their logical names as physical names (mapping being
/// enabled: existing files use these names).
fn name_physically(field: &mut Json, physical: &str) {
    if let Some(metadata) = metadata_mut(field) {
        metadata.insert(PHYSICAL_NAME_KEY.into(), json!(physical));
    }
    if let Some(data_type) = field.get_mut("type") {
        nested_fields(data_type, &mut |nested| {
            let name = nested
                .get("name")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string();
            name_physically(nested, &name);
        });
    }
}

/// Equal as logical types: names, types and nullability, metadata ignored.
fn same_type(a: &DataType, b: &DataType) -> bool {
    match (a, b) {
        (DataType::Struct(x), DataType::Struct(y)) => {
            x.fields.len() == y.fields.len()
                && x.fields.iter().zip(&y.fields).all(|(f, g)| {
                    f.name == g.name
                        && f.nullable == g.nullable
                        && same_type(&f.data_type, &g.data_type)
                })
        }
        (
            DataType::Array {
                element: e,
                contains_null: n,
            },
            DataType::Array {
                element: f,
                contains_null: m,
            },
        ) => n == m && same_type(e, f),
        (
            DataType::Map {
                key: k,
                value: v,
                value_contains_null: n,
            },
            DataType::Map {
                key: l,
                value: w,
                value_contains_null: m,
            },
        ) => n == m && same_type(k, l) && same_type(v, w),
        _ => a == b,
    }
}

/// The schema without managed metadata (what a caller declares).
fn logical(schema: &StructType) -> StructType {
    fn field(f: &StructField) -> StructField {
        let mut out = f.clone();
        out.metadata.retain(|k, _| !managed(k));
        out.data_type = data_type(&f.data_type);
        out
    }
    fn data_type(t: &DataType) -> DataType {
        match t {
            DataType::Struct(s) => DataType::Struct(logical(s)),
            DataType::Array {
                element,
                contains_null,
            } => DataType::Array {
                element: Box::new(data_type(element)),
                contains_null: *contains_null,
            },
            DataType::Map {
                key,
                value,
                value_contains_null,
            } => DataType::Map {
                key: Box::new(data_type(key)),
                value: Box::new(data_type(value)),
                value_contains_null: *value_contains_null,
            },
            other => other.clone(),
        }
    }
    StructType {
        fields: schema.fields.iter().map(field).collect(),
    }
}

fn check_names(schema: &StructType) -> Result<()> {
    let mut seen = BTreeSet::new();
    for f in &schema.fields {
        if f.name.is_empty() {
            return Err(mismatch("", "a column name is empty".into()));
        }
        // DuckDB (the engine writing and reading the files) folds identifier case.
        if !seen.insert(f.name.to_lowercase()) {
            return Err(mismatch(
                &f.name,
                format!(
                    "column {:?} appears twice (names are case-insensitive)",
                    f.name
                ),
            ));
        }
    }
    Ok(())
}

fn check_renames(
    renames: &BTreeMap<String, String>,
    new: &StructType,
    old: &StructType,
) -> Result<()> {
    let mut sources = BTreeSet::new();
    for (to, from) in renames {
        if new.field(to).is_none() {
            return Err(mismatch(
                to,
                format!("renames names {to:?}, which is not a column of the new schema"),
            ));
        }
        if old.field(from).is_none() {
            return Err(mismatch(
                from,
                format!("renames {from:?} → {to:?}, but the table has no column {from:?}"),
            ));
        }
        if !sources.insert(from.as_str()) {
            return Err(mismatch(
                from,
                format!("column {from:?} is renamed more than once"),
            ));
        }
    }
    Ok(())
}

/// The schema an update commits (see the module docs); `configuration` gets the new
/// `delta.columnMapping.maxColumnId` under column mapping.
pub(super) fn evolve(
    input: &EvolveInput,
    configuration: &mut BTreeMap<String, String>,
) -> Result<Evolved> {
    let no_renames = BTreeMap::new();
    let (text, renames) = match input.change {
        Some(c) => (c.schema_string.as_str(), &c.renames),
        None => (input.old_schema_string, &no_renames),
    };
    let schema = parse_schema(text)?;
    check_names(&schema)?;
    check_renames(renames, &schema, input.old)?;
    let mut raw = fields_json(text)?;
    let old_raw = fields_json(input.old_schema_string)?;
    let renamed_away: BTreeSet<&str> = renames
        .iter()
        .filter(|(to, from)| to != from)
        .map(|(_, from)| from.as_str())
        .collect();

    let mut out = Evolved::default();
    // New name → the old name it continues.
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for (field, raw_field) in schema.fields.iter().zip(raw.iter_mut()) {
        strip_managed(raw_field);
        let source = match renames.get(&field.name) {
            Some(from) => input.old.field(from),
            None if renamed_away.contains(field.name.as_str()) => None,
            None => input.old.field(&field.name),
        };
        let Some(source) = source else {
            if !field.nullable {
                needs_rewrite(input, &field.name, "addNotNull", format!(
                    "adding column {:?} as non-nullable needs all data rewritten in the same commit (an overwrite): existing rows have no value",
                    field.name
                ))?;
            }
            out.added.push(field.name.clone());
            continue;
        };
        sources.insert(field.name.clone(), source.name.clone());
        if source.name != field.name {
            out.renamed.insert(field.name.clone(), source.name.clone());
        }
        if !same_type(&source.data_type, &field.data_type) {
            needs_rewrite(input, &field.name, "type", format!(
                "changing column {:?} from {} to {} needs all data rewritten in the same commit (an overwrite)",
                field.name, source.data_type, field.data_type
            ))?;
            // New data only: fresh physical name and id under column mapping.
            out.retyped.push(field.name.clone());
            continue;
        }
        if source.nullable && !field.nullable {
            needs_rewrite(input, &field.name, "nullability", format!(
                "making column {:?} non-nullable needs all data rewritten in the same commit (an overwrite)",
                field.name
            ))?;
        }
        if input.enabling_mapping {
            name_physically(raw_field, &source.name);
        } else if input.mode != ColumnMappingMode::None {
            let old_field = old_raw
                .iter()
                .find(|f| f.get("name").and_then(Json::as_str) == Some(source.name.as_str()));
            if let Some(old_field) = old_field {
                carry_managed(raw_field, old_field);
            }
        }
    }
    let continued: BTreeSet<&str> = sources.values().map(String::as_str).collect();
    out.dropped = input
        .old
        .fields
        .iter()
        .filter(|f| !continued.contains(f.name.as_str()))
        .map(|f| f.name.clone())
        .collect();
    if input.mode == ColumnMappingMode::None {
        for (to, from) in &out.renamed {
            needs_rewrite(input, from, "rename", format!(
                "renaming column {from:?} to {to:?} needs column mapping (delta.columnMapping.mode = name) or all data rewritten in the same commit (an overwrite): without mapping, files are read by column name"
            ))?;
        }
        for name in &out.dropped {
            needs_rewrite(input, name, "drop", format!(
                "dropping column {name:?} needs column mapping (delta.columnMapping.mode = name) or all data rewritten in the same commit (an overwrite): without mapping, a later column of that name would read the old values"
            ))?;
        }
    }

    // Partitioning: by default the old partition columns under their new names.
    let new_name: BTreeMap<&str, &str> = sources
        .iter()
        .map(|(to, from)| (from.as_str(), to.as_str()))
        .collect();
    out.partition_columns = match input.partition_columns {
        Some(columns) => columns.to_vec(),
        None => input
            .old_partition_columns
            .iter()
            .filter_map(|c| new_name.get(c.as_str()).map(|n| n.to_string()))
            .collect(),
    };
    check_partition_columns(&schema, &out.partition_columns)?;
    let same_partitioning = out.partition_columns.len() == input.old_partition_columns.len()
        && out
            .partition_columns
            .iter()
            .zip(input.old_partition_columns)
            .all(|(new, old)| sources.get(new) == Some(old));
    if !same_partitioning {
        let column = out
            .partition_columns
            .iter()
            .find(|c| {
                !sources
                    .get(*c)
                    .is_some_and(|from| input.old_partition_columns.contains(from))
            })
            .or_else(|| {
                input.old_partition_columns.iter().find(|old| {
                    !out.partition_columns
                        .iter()
                        .any(|n| sources.get(n) == Some(*old))
                })
            })
            .or(out.partition_columns.first())
            .cloned()
            .unwrap_or_default();
        needs_rewrite(input, &column, "partitioning", format!(
            "changing the partition columns from {:?} to {:?} needs all data rewritten in the same commit (an overwrite)",
            input.old_partition_columns, out.partition_columns
        ))?;
    }

    out.changed = !same_partitioning || logical(&schema) != logical(input.old);
    if !out.changed && !input.enabling_mapping {
        // Keep the recorded schema (its ids, its text): no metadata change for an equal schema.
        out.schema_string = input.old_schema_string.to_string();
        return Ok(out);
    }
    let text = json!({"type": "struct", "fields": raw}).to_string();
    out.schema_string = with_column_mapping(&text, configuration, Some(input.old))?;
    parse_schema(&out.schema_string)?.validate_column_mapping(input.mode)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
