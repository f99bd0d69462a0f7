//! SQL text the runtime generates for DuckDB: quoted identifiers, string literals, and DuckDB's
//! spelling of Delta types. One place, so the write path and scans always agree.

use crate::delta::schema::DataType;

/// A quoted identifier (`"` doubled).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal (`'` doubled).
pub fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// DuckDB's type for a Delta type (logical field names). A primitive DuckDB has no type for
/// (e.g. `void`) becomes `unknown` when given, else is returned as the error.
pub fn duckdb_type(data_type: &DataType, unknown: Option<&str>) -> Result<String, String> {
    Ok(match data_type {
        DataType::Primitive(name) => match *name {
            "string" => "VARCHAR".to_string(),
            "long" => "BIGINT".to_string(),
            "integer" => "INTEGER".to_string(),
            "short" => "SMALLINT".to_string(),
            "byte" => "TINYINT".to_string(),
            "float" => "FLOAT".to_string(),
            "double" => "DOUBLE".to_string(),
            "boolean" => "BOOLEAN".to_string(),
            "binary" => "BLOB".to_string(),
            "date" => "DATE".to_string(),
            "timestamp" => "TIMESTAMP WITH TIME ZONE".to_string(),
            "timestamp_ntz" => "TIMESTAMP".to_string(),
            other => match unknown {
                Some(fallback) => fallback.to_string(),
                None => return Err(other.to_string()),
            },
        },
        DataType::Decimal { precision, scale } => format!("DECIMAL({precision},{scale})"),
        DataType::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .map(|f| {
                    Ok(format!(
                        "{} {}",
                        quote_ident(&f.name),
                        duckdb_type(&f.data_type, unknown)?
                    ))
                })
                .collect::<Result<Vec<_>, String>>()?;
            format!("STRUCT({})", fields.join(", "))
        }
        DataType::Array { element, .. } => format!("{}[]", duckdb_type(element, unknown)?),
        DataType::Map { key, value, .. } => format!(
            "MAP({}, {})",
            duckdb_type(key, unknown)?,
            duckdb_type(value, unknown)?
        ),
    })
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from 32 hex digits.
pub fn uuid_from_hex(hex: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(sql_string("it's"), "'it''s'");
        assert_eq!(
            uuid_from_hex("0123456789abcdef0123456789abcdef"),
            "01234567-89ab-cdef-0123-456789abcdef"
        );
    }
}
