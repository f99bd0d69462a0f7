//! Column mapping mode `name` on write (PROTOCOL.md "Column Mapping"): every (nested) field
//! gets `delta.columnMapping.id` and `delta.columnMapping.physicalName` (`col-<uuid>`) when the
//! table is created or a column is added, `delta.columnMapping.maxColumnId` tracks the largest
//! id; data files hold the physical names (and the ids as Parquet field ids), statistics and
//! partition values are keyed by physical name. Logical names stay in the schema only.

use serde_json::{json, Map, Value as Json};

use super::super::schema::{
    ColumnMappingMode, DataType, StructType, FIELD_ID_KEY, PHYSICAL_NAME_KEY,
};
use super::data::{quote_ident, sql_string};
use super::ids::uuid_v4;
use crate::error::{ErrorCode, NativeError, Result};

/// The table property holding the largest column id handed out.
pub const MAX_COLUMN_ID_KEY: &str = "delta.columnMapping.maxColumnId";

fn assign_in_type(data_type: &mut Json, max_id: &mut i64) -> Result<()> {
    let Some(object) = data_type.as_object_mut() else {
        return Ok(());
    };
    match object.get("type").and_then(Json::as_str) {
        Some("struct") => {
            if let Some(fields) = object.get_mut("fields").and_then(Json::as_array_mut) {
                for field in fields {
                    assign_field(field, max_id)?;
                }
            }
        }
        Some("array") => {
            if let Some(element) = object.get_mut("elementType") {
                assign_in_type(element, max_id)?;
            }
        }
        Some("map") => {
            for key in ["keyType", "valueType"] {
                if let Some(inner) = object.get_mut(key) {
                    assign_in_type(inner, max_id)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn assign_field(field: &mut Json, max_id: &mut i64) -> Result<()> {
    let Some(object) = field.as_object_mut() else {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            "a schema field is not an object",
        ));
    };
    let metadata = object
        .entry("metadata")
        .or_insert_with(|| Json::Object(Map::new()));
    let Some(metadata) = metadata.as_object_mut() else {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            "a schema field's metadata is not an object",
        ));
    };
    if !metadata.contains_key(FIELD_ID_KEY) {
        *max_id += 1;
        metadata.insert(FIELD_ID_KEY.into(), json!(*max_id));
    }
    if !metadata.contains_key(PHYSICAL_NAME_KEY) {
        metadata.insert(
            PHYSICAL_NAME_KEY.into(),
            json!(format!("col-{}", uuid_v4())),
        );
    }
    if let Some(data_type) = object.get_mut("type") {
        assign_in_type(data_type, max_id)?;
    }
    Ok(())
}

/// Gives every field of `fields` (a schema's field list, nested fields included) that lacks
/// them a new id above `max_id` and a `col-<uuid>` physical name; `max_id` ends at the largest.
pub fn assign_physical_names(fields: &mut [Json], max_id: &mut i64) -> Result<()> {
    for field in fields {
        assign_field(field, max_id)?;
    }
    Ok(())
}

/// The largest `delta.columnMapping.id` in the schema (0 when none).
pub fn max_field_id(schema: &StructType) -> i64 {
    fn in_type(t: &DataType) -> i64 {
        match t {
            DataType::Struct(s) => s
                .fields
                .iter()
                .map(|f| f.field_id().unwrap_or(0).max(in_type(&f.data_type)))
                .max()
                .unwrap_or(0),
            DataType::Array { element, .. } => in_type(element),
            DataType::Map { key, value, .. } => in_type(key).max(in_type(value)),
            _ => 0,
        }
    }
    in_type(&DataType::Struct(schema.clone()))
}

/// Renames the nested struct fields of `expr` (logical names, already of the table type) to
/// their physical names; top-level names are the caller's alias.
pub fn physical_expr(
    expr: &str,
    data_type: &DataType,
    mode: ColumnMappingMode,
    depth: usize,
) -> Result<String> {
    if mode == ColumnMappingMode::None || !data_type.contains_struct() {
        return Ok(expr.to_string());
    }
    Ok(match data_type {
        DataType::Struct(s) => {
            let mut fields = Vec::with_capacity(s.fields.len());
            for field in &s.fields {
                let inner = format!("({expr}).{}", quote_ident(&field.name));
                fields.push(format!(
                    "{} := {}",
                    quote_ident(field.physical_name(mode)?),
                    physical_expr(&inner, &field.data_type, mode, depth + 1)?
                ));
            }
            format!(
                "CASE WHEN {expr} IS NULL THEN NULL ELSE struct_pack({}) END",
                fields.join(", ")
            )
        }
        DataType::Array { element, .. } => {
            let x = format!("__cpgc_x{depth}");
            format!(
                "list_transform({expr}, lambda {x}: {})",
                physical_expr(&x, element, mode, depth + 1)?
            )
        }
        DataType::Map { key, value, .. } => {
            let x = format!("__cpgc_x{depth}");
            format!(
                "map_from_entries(list_transform(map_entries({expr}), lambda {x}: struct_pack(key := {}, value := {})))",
                physical_expr(&format!("{x}.key"), key, mode, depth + 1)?,
                physical_expr(&format!("{x}.value"), value, mode, depth + 1)?
            )
        }
        _ => expr.to_string(),
    })
}

fn ids_of_type(data_type: &DataType, mode: ColumnMappingMode) -> Result<Option<String>> {
    Ok(match data_type {
        DataType::Struct(s) => {
            let mut entries = Vec::new();
            for field in &s.fields {
                entries.push(field_entry(field, mode)?);
            }
            Some(entries.join(", "))
        }
        DataType::Array { element, .. } => {
            ids_of_type(element, mode)?.map(|inner| format!("'element': {{{inner}}}"))
        }
        DataType::Map { key, value, .. } => {
            let mut parts = Vec::new();
            if let Some(k) = ids_of_type(key, mode)? {
                parts.push(format!("'key': {{{k}}}"));
            }
            if let Some(v) = ids_of_type(value, mode)? {
                parts.push(format!("'value': {{{v}}}"));
            }
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    })
}

fn field_entry(
    field: &super::super::schema::StructField,
    mode: ColumnMappingMode,
) -> Result<String> {
    let name = sql_string(field.physical_name(mode)?);
    let id = field.field_id();
    Ok(match (ids_of_type(&field.data_type, mode)?, id) {
        (None, Some(id)) => format!("{name}: {id}"),
        (Some(inner), Some(id)) => format!("{name}: {{'__duckdb_field_id': {id}, {inner}}}"),
        (Some(inner), None) => format!("{name}: {{{inner}}}"),
        (None, None) => String::new(),
    })
}

/// DuckDB's `FIELD_IDS` COPY option for the data columns (physical names → field ids), or
/// `None` without column mapping.
pub fn field_ids_option(
    schema: &StructType,
    partition_columns: &[String],
    mode: ColumnMappingMode,
) -> Result<Option<String>> {
    if mode == ColumnMappingMode::None {
        return Ok(None);
    }
    let mut entries = Vec::new();
    for field in schema
        .fields
        .iter()
        .filter(|f| !partition_columns.contains(&f.name))
    {
        let entry = field_entry(field, mode)?;
        if !entry.is_empty() {
            entries.push(entry);
        }
    }
    Ok((!entries.is_empty()).then(|| format!("FIELD_IDS {{{}}}", entries.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delta::schema::parse_schema;

    #[test]
    fn ids_and_physical_names_are_assigned_once_nested_included() {
        let mut schema: Json = serde_json::from_str(r#"{"type":"struct","fields":[
            {"name":"a","type":"long","nullable":true,"metadata":{}},
            {"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"string","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
            {"name":"l","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"z","type":"long","nullable":true,"metadata":{}}]},"containsNull":true},"nullable":true,"metadata":{}}]}"#).unwrap();
        let mut max = 0;
        assign_physical_names(schema["fields"].as_array_mut().unwrap(), &mut max).unwrap();
        assert_eq!(max, 5);
        let parsed = parse_schema(&schema.to_string()).unwrap();
        parsed
            .validate_column_mapping(ColumnMappingMode::Name)
            .unwrap();
        assert_eq!(max_field_id(&parsed), 5);
        assert!(parsed.fields[0]
            .physical_name(ColumnMappingMode::Name)
            .unwrap()
            .starts_with("col-"));
        let before = schema.clone();
        assign_physical_names(schema["fields"].as_array_mut().unwrap(), &mut max).unwrap();
        assert_eq!((schema, max), (before, 5));
        let ids = field_ids_option(&parsed, &[], ColumnMappingMode::Name)
            .unwrap()
            .unwrap();
        assert!(ids.contains("'__duckdb_field_id': 2"), "{ids}");
        assert!(ids.contains("'element': {'col-"), "{ids}");
        let expr = physical_expr(
            "\"s\"",
            &parsed.fields[1].data_type,
            ColumnMappingMode::Name,
            0,
        )
        .unwrap();
        assert!(
            expr.starts_with("CASE WHEN \"s\" IS NULL THEN NULL ELSE struct_pack(\"col-"),
            "{expr}"
        );
    }
}
