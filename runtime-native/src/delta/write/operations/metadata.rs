//! Table metadata checks and changes: cpgc domain metadata, column mapping (physical names and
//! ids of new fields), partition columns.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::super::super::actions::{DomainMetadata, Metadata};
use super::super::super::schema::{parse_schema, ColumnMappingMode, DataType, StructType};
use super::super::column_mapping::{assign_physical_names, max_field_id, MAX_COLUMN_ID_KEY};
use super::types::DomainSpec;
use crate::error::{ErrorCode, NativeError, Result};

pub(super) fn domains(specs: &[DomainSpec]) -> Result<Vec<DomainMetadata>> {
    specs
        .iter()
        .map(|d| {
            if d.domain.is_empty() || d.domain.starts_with("delta.") {
                return Err(NativeError::invalid_argument(format!(
                    "domain {:?} cannot be set by cpgc (empty, or a delta.* system domain)",
                    d.domain
                ))
                .with("option", "domainMetadata"));
            }
            Ok(DomainMetadata {
                domain: d.domain.clone(),
                configuration: d.configuration.clone(),
                removed: d.removed,
            })
        })
        .collect()
}

pub(super) fn column_mapping(metadata: &Metadata) -> ColumnMappingMode {
    match metadata
        .configuration
        .get("delta.columnMapping.mode")
        .map(String::as_str)
    {
        Some("name") => ColumnMappingMode::Name,
        Some("id") => ColumnMappingMode::Id,
        _ => ColumnMappingMode::None,
    }
}

/// Under column mapping (`name` or `id`), gives the fields without one a physical name and an
/// id above `delta.columnMapping.maxColumnId` (or the largest id in `existing`), and records the
/// new maximum; returns the schema string.
pub(super) fn with_column_mapping(
    schema_string: &str,
    configuration: &mut BTreeMap<String, String>,
    existing: Option<&StructType>,
) -> Result<String> {
    if !matches!(
        configuration
            .get("delta.columnMapping.mode")
            .map(String::as_str),
        Some("name" | "id")
    ) {
        return Ok(schema_string.to_string());
    }
    let mut schema: Json = serde_json::from_str(schema_string).map_err(|e| {
        NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            format!("the table schema is not valid JSON: {e}"),
        )
    })?;
    let recorded = configuration
        .get(MAX_COLUMN_ID_KEY)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let mut max_id = recorded
        .max(existing.map_or(0, max_field_id))
        .max(max_field_id(&parse_schema(schema_string)?));
    let Some(fields) = schema.get_mut("fields").and_then(Json::as_array_mut) else {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            "the schema has no fields list",
        ));
    };
    assign_physical_names(fields, &mut max_id)?;
    configuration.insert(MAX_COLUMN_ID_KEY.into(), max_id.to_string());
    Ok(schema.to_string())
}

pub(super) fn check_partition_columns(schema: &StructType, columns: &[String]) -> Result<()> {
    let mut seen = BTreeSet::new();
    for c in columns {
        let field = schema.field(c).ok_or_else(|| {
            NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("partition column {c:?} is not in the schema"),
            )
            .with("column", c.clone())
        })?;
        if matches!(
            field.data_type,
            DataType::Struct(_) | DataType::Array { .. } | DataType::Map { .. }
        ) || !seen.insert(c)
        {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("{c:?} cannot be a partition column (nested type or repeated)"),
            )
            .with("column", c.clone()));
        }
    }
    if columns.len() == schema.fields.len() && !columns.is_empty() {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaMismatch,
            "a table needs at least one column that is not a partition column",
        ));
    }
    Ok(())
}
