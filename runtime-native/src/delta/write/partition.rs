//! Partition directories and values (PROTOCOL.md "Partition Value Serialization").
//!
//! Values are recorded in `add.partitionValues` (the source of truth); the directory names are
//! only a convention: `col=<Hive-escaped value>`, `__HIVE_DEFAULT_PARTITION__` for null. An
//! `add.path` is a URI, so the escaped directory is percent-encoded once more.

use super::super::schema::DataType;
use crate::error::{ErrorCode, NativeError, Result};

/// Directory name of a null partition value.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Hive's escaping of a partition value in a directory name (as Spark does it).
pub fn hive_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        let needs = (c as u32) < 0x20
            || matches!(
                c,
                '"' | '#'
                    | '%'
                    | '\''
                    | '*'
                    | '/'
                    | ':'
                    | '='
                    | '?'
                    | '\\'
                    | '\u{7f}'
                    | '{'
                    | '['
                    | ']'
                    | '^'
            );
        if needs {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `col=value/` segments for the partition values, in partition-column order.
pub fn partition_dir(values: &[(String, Option<String>)]) -> String {
    values
        .iter()
        .map(|(col, value)| {
            let v = match value {
                None => NULL_PARTITION.to_string(),
                Some(v) => hive_escape(v),
            };
            format!("{}={v}", hive_escape(col))
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes a relative path for `add.path` (everything but unreserved characters, `/`
/// and `=` is escaped; the read side decodes exactly once).
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/' | b'=') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SQL that renders partition column `column` (a quoted identifier) of type `data_type` as the
/// protocol's string form, or NULL.
pub fn value_sql(column: &str, data_type: &DataType, name: &str) -> Result<String> {
    Ok(match data_type {
        DataType::Primitive("string") => format!("NULLIF({column}, '')"),
        DataType::Primitive("date") => format!("strftime({column}, '%Y-%m-%d')"),
        DataType::Primitive("timestamp") => {
            format!("strftime(timezone('UTC', {column}), '%Y-%m-%d %H:%M:%S.%f')")
        }
        DataType::Primitive("timestamp_ntz") => {
            format!("strftime({column}, '%Y-%m-%d %H:%M:%S.%f')")
        }
        DataType::Primitive(
            "boolean" | "byte" | "short" | "integer" | "long" | "float" | "double",
        )
        | DataType::Decimal { .. } => format!("CAST({column} AS VARCHAR)"),
        other => {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("column {name:?} of type {other} cannot be a partition column"),
            )
            .with("column", name))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_escape_like_hive_and_paths_encode_once_more() {
        let dir = partition_dir(&[("p".into(), Some("a/b=c%".into())), ("q".into(), None)]);
        assert_eq!(dir, "p=a%2Fb%3Dc%25/q=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(
            encode_uri_path(&format!("{dir}/part 1.parquet")),
            "p=a%252Fb%253Dc%2525/q=__HIVE_DEFAULT_PARTITION__/part%201.parquet"
        );
        assert_eq!(hive_escape("ü x"), "ü x");
    }
}
