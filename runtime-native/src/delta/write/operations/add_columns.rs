//! Add columns: nullable columns appended to the schema (fresh physical names and ids under
//! column mapping). An update with a new schema does the same and more; this stays for callers
//! that only add.

use serde_json::{json, Value as Json};

use super::super::super::schema::parse_schema;
use super::super::super::snapshot::Snapshot;
use super::super::protocol::{check_write, needed_features};
use super::super::transaction::Transaction;
use super::metadata::with_column_mapping;
use super::upgrade::upgrade_for;
use crate::error::{ErrorCode, NativeError, Result};

pub(super) fn add_columns(
    s: &Snapshot,
    fields: &[Json],
    txn: &mut Transaction,
    domain: bool,
) -> Result<()> {
    check_write(&s.protocol, &s.metadata, &s.schema, true)?;
    let mut schema_json: Json = serde_json::from_str(&s.metadata.schema_string)
        .map_err(|e| NativeError::new(ErrorCode::DeltaSchemaInvalid, e.to_string()))?;
    let Some(list) = schema_json.get_mut("fields").and_then(Json::as_array_mut) else {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            "the schema has no fields list",
        ));
    };
    for field in fields {
        let field_name = field
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string();
        if s.schema.field(&field_name).is_some() {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("column {field_name:?} already exists"),
            )
            .with("column", field_name));
        }
        if field.get("nullable").and_then(Json::as_bool) == Some(false) {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!(
                    "added column {field_name:?} must be nullable (existing rows have no value)"
                ),
            )
            .with("column", field_name));
        }
        list.push(field.clone());
    }
    let mut metadata = s.metadata.clone();
    let schema_string = with_column_mapping(
        &schema_json.to_string(),
        &mut metadata.configuration,
        Some(&s.schema),
    )?;
    let schema = parse_schema(&schema_string)?;
    metadata.schema_string = schema_string;
    upgrade_for(s, txn, needed_features(&schema, &metadata), domain)?;
    txn.operation_parameters.insert(
        "columns".into(),
        json!(serde_json::to_string(fields).unwrap_or_default()),
    );
    txn.metadata = Some(metadata);
    Ok(())
}
