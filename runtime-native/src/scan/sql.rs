//! SQL text for DuckDB: quoting, Delta → DuckDB types, typed partition literals, paths that
//! `read_parquet` must not expand as globs, and the conversion of a file column to its logical
//! column (physical → logical names inside nested types, casts to the table type).

use crate::delta::schema::{ColumnMappingMode, DataType, StructType};
use crate::error::{ErrorCode, NativeError, Result};

pub use crate::sql_text::{quote_ident, sql_string};

/// A path for `read_parquet`: DuckDB expands `*`, `?` and `[` as globs, so each becomes a
/// one-character class (`[*]`, `[?]`, `[[]`) that matches only itself.
pub fn parquet_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '*' | '?' | '[' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            other => out.push(other),
        }
    }
    sql_string(&out)
}

/// The DuckDB type of a Delta type (logical field names); `void` columns only ever hold NULL,
/// so they read as VARCHAR.
pub fn duck_type(data_type: &DataType) -> String {
    crate::sql_text::duckdb_type(data_type, Some("VARCHAR")).unwrap_or_else(|other| other)
}

/// A typed NULL.
pub fn null_of(data_type: &DataType) -> String {
    format!("CAST(NULL AS {})", duck_type(data_type))
}

fn has_zone(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with('Z') || t.ends_with('z') || {
        // `+hh`, `+hh:mm`, `-hhmm` after the time part
        let tail: Vec<char> = t.chars().rev().take(6).collect();
        tail.contains(&'+') || t.get(10..).is_some_and(|rest| rest.contains('-'))
    }
}

/// The SQL literal of a partition value (serialized per PROTOCOL.md "Partition Value
/// Serialization"); `None` is a null partition.
pub fn partition_literal(
    value: Option<&str>,
    data_type: &DataType,
    column: &str,
) -> Result<String> {
    let Some(value) = value else {
        return Ok(null_of(data_type));
    };
    match data_type {
        DataType::Primitive("string") => Ok(format!("CAST({} AS VARCHAR)", sql_string(value))),
        DataType::Primitive("binary") => Ok(format!("encode({})", sql_string(value))),
        // Timestamps without an offset are UTC.
        DataType::Primitive("timestamp") if !has_zone(value) => Ok(format!(
            "CAST({} AS TIMESTAMP WITH TIME ZONE)",
            sql_string(&format!("{value}+00"))
        )),
        DataType::Primitive(_) | DataType::Decimal { .. } => Ok(format!(
            "CAST({} AS {})",
            sql_string(value),
            duck_type(data_type)
        )),
        _ => Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            format!("partition column {column:?} has a nested type"),
        )
        .with("column", column)),
    }
}

/// Converts the file expression `expr` (physical names) to the logical column of `data_type`:
/// renames nested struct fields under column mapping and casts to the table type (type
/// widening, older files with narrower types, nested fields missing from older files).
pub fn convert(
    expr: &str,
    data_type: &DataType,
    mode: ColumnMappingMode,
    depth: usize,
) -> Result<String> {
    if mode == ColumnMappingMode::None || !data_type.contains_struct() {
        return Ok(format!("CAST({expr} AS {})", duck_type(data_type)));
    }
    match data_type {
        DataType::Struct(s) => struct_pack(expr, s, mode, depth),
        DataType::Array { element, .. } => {
            let x = format!("x{depth}");
            Ok(format!(
                "list_transform({expr}, lambda {x}: {})",
                convert(&x, element, mode, depth + 1)?
            ))
        }
        DataType::Map { key, value, .. } => {
            let x = format!("x{depth}");
            Ok(format!(
                "map_from_entries(list_transform(map_entries({expr}), lambda {x}: struct_pack(key := {}, value := {})))",
                convert(&format!("{x}.key"), key, mode, depth + 1)?,
                convert(&format!("{x}.value"), value, mode, depth + 1)?
            ))
        }
        _ => Ok(format!("CAST({expr} AS {})", duck_type(data_type))),
    }
}

fn struct_pack(
    expr: &str,
    s: &StructType,
    mode: ColumnMappingMode,
    depth: usize,
) -> Result<String> {
    let mut fields = Vec::with_capacity(s.fields.len());
    for field in &s.fields {
        let inner = format!("({expr}).{}", quote_ident(field.physical_name(mode)?));
        fields.push(format!(
            "{} := {}",
            quote_ident(&field.name),
            convert(&inner, &field.data_type, mode, depth + 1)?
        ));
    }
    Ok(format!(
        "CASE WHEN {expr} IS NULL THEN NULL ELSE struct_pack({}) END",
        fields.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delta::schema::parse_type_name;

    #[test]
    fn quoting_and_globs() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(
            parquet_path("/t/x=a[1]*?/f.parquet"),
            "'/t/x=a[[]1][*][?]/f.parquet'"
        );
    }

    #[test]
    fn partition_literals_are_typed() {
        let t = |n: &str| parse_type_name(n).unwrap();
        assert_eq!(
            partition_literal(Some("2021-01-01 00:00:00"), &t("timestamp"), "c").unwrap(),
            "CAST('2021-01-01 00:00:00+00' AS TIMESTAMP WITH TIME ZONE)"
        );
        assert_eq!(
            partition_literal(Some("2021-01-01T00:00:00.000Z"), &t("timestamp"), "c").unwrap(),
            "CAST('2021-01-01T00:00:00.000Z' AS TIMESTAMP WITH TIME ZONE)"
        );
        assert_eq!(
            partition_literal(None, &t("long"), "c").unwrap(),
            "CAST(NULL AS BIGINT)"
        );
        assert_eq!(
            partition_literal(Some("1.5"), &t("decimal(5,2)"), "c").unwrap(),
            "CAST('1.5' AS DECIMAL(5,2))"
        );
    }
}
