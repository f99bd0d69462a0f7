//! The source of a write: its FROM clause, the projection casting it to the table schema, and
//! the sort order of the policy.

use super::super::super::schema::{DataType, StructType};
use super::{quote_ident, sql_string, DataSource, WritePolicy, CHANGE_TYPE};
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::Value;

/// DuckDB's spelling of a Delta type; a type cpgc cannot write is an error.
pub fn duckdb_type(data_type: &DataType) -> Result<String> {
    crate::sql_text::duckdb_type(data_type, None).map_err(|other| {
        NativeError::new(
            ErrorCode::DeltaSchemaMismatch,
            format!("cpgc cannot write columns of type {other}"),
        )
        .with("type", other.as_str())
    })
}

/// The FROM clause of a source.
pub fn source_relation(source: &DataSource) -> Result<String> {
    match (&source.sql, &source.files) {
        (Some(sql), None) => Ok(format!("({sql})")),
        (None, Some(files)) if !files.is_empty() => Ok(format!(
            "read_parquet([{}])",
            files
                .iter()
                .map(|f| sql_string(f))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err(NativeError::invalid_argument(
            "the data source needs exactly one of sql or files (non-empty)",
        )
        .with("option", "source")),
    }
}

fn source_columns(db: &mut Database, relation: &str) -> Result<Vec<String>> {
    let result = db.query(&format!("DESCRIBE SELECT * FROM {relation} AS __cpgc_src"))?;
    Ok(result
        .rows
        .into_iter()
        .filter_map(|row| match row.into_iter().next() {
            Some(Value::Str(name)) => Some(name),
            _ => None,
        })
        .collect())
}

/// `SELECT` list casting the source's columns to the table schema (logical names).
pub fn projection(
    db: &mut Database,
    relation: &str,
    schema: &StructType,
    change_data: bool,
) -> Result<Vec<String>> {
    let present = source_columns(db, relation)?;
    for name in &present {
        if schema.field(name).is_none() && !(change_data && name == CHANGE_TYPE) {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("the data has column {name:?}, which is not in the table schema"),
            )
            .with("column", name.clone()));
        }
    }
    schema
        .fields
        .iter()
        .map(|field| {
            let ty = duckdb_type(&field.data_type)?;
            let ident = quote_ident(&field.name);
            let value = if present.contains(&field.name) {
                format!("CAST({ident} AS {ty})")
            } else if field.nullable {
                format!("CAST(NULL AS {ty})")
            } else {
                return Err(NativeError::new(
                    ErrorCode::DeltaSchemaMismatch,
                    format!(
                        "the data lacks column {:?}, which is not nullable",
                        field.name
                    ),
                )
                .with("column", field.name.clone()));
            };
            let value = if field.nullable {
                value
            } else {
                format!(
                    "CASE WHEN {value} IS NULL THEN error({}) ELSE {value} END",
                    sql_string(&format!(
                        "DELTA_SCHEMA_MISMATCH: NULL in non-nullable column {}",
                        field.name
                    ))
                )
            };
            Ok(format!("{value} AS {ident}"))
        })
        .chain(change_data.then(|| {
            Ok(format!(
                "CAST({q} AS VARCHAR) AS {q}",
                q = quote_ident(CHANGE_TYPE)
            ))
        }))
        .collect()
}

pub(super) fn order_by(policy: &WritePolicy, schema: &StructType) -> Result<String> {
    if policy.zorder_by.is_empty() {
        return Ok(String::new());
    }
    for c in &policy.zorder_by {
        if schema.field(c).is_none() {
            return Err(NativeError::invalid_argument(format!(
                "zorderBy column {c:?} is not in the table schema"
            ))
            .with("option", "zorderBy"));
        }
    }
    Ok(format!(
        " ORDER BY {}",
        policy
            .zorder_by
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}
