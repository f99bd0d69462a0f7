//! Values that cross the JS boundary, and their msgpack encoding (rmp-serde).
//!
//! A query result is encoded as the map `{columns: [{name, type}], rows: [[value, ...], ...]}`
//! (see `runtime-native/README.md` for how each DuckDB type is represented).

use std::sync::Arc;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::error::{ErrorCode, NativeError, Result};

/// One value of a result cell. Integers keep their exact 64-bit value; the TypeScript side
/// decodes them as `number` when |v| <= 2^53 and as `bigint` otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    /// Field name → value, in declaration order (a msgpack map with string keys).
    Struct(Vec<(Arc<str>, Value)>),
    /// MAP entries in order, encoded as an array of `{key, value}` maps (keys may be any type).
    Map(Vec<(Value, Value)>),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::UInt(u) => serializer.serialize_u64(*u),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::Str(s) => serializer.serialize_str(s),
            Value::Bytes(b) => serializer.serialize_bytes(b),
            Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Struct(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    map.serialize_entry(name.as_ref(), value)?;
                }
                map.end()
            }
            Value::Map(entries) => {
                let mut seq = serializer.serialize_seq(Some(entries.len()))?;
                for (key, value) in entries {
                    seq.serialize_element(&MapEntry { key, value })?;
                }
                seq.end()
            }
        }
    }
}

#[derive(Serialize)]
struct MapEntry<'a> {
    key: &'a Value,
    value: &'a Value,
}

/// A result column: its name and its DuckDB type written as DuckDB spells it
/// (`INTEGER`, `VARCHAR[]`, `STRUCT(a INTEGER)`, `MAP(VARCHAR, INTEGER)`, `DECIMAL(18,3)`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
}

/// A whole, materialized query result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryResult {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
}

/// Encodes any serializable value as msgpack, structs as maps keyed by field name.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    rmp_serde::to_vec_named(value).map_err(|e| {
        NativeError::new(
            ErrorCode::EncodeFailed,
            format!("msgpack encoding failed: {e}"),
        )
    })
}

/// Decodes a msgpack argument; a malformed one is an INVALID_ARGUMENT.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    rmp_serde::from_slice(bytes).map_err(|e| {
        NativeError::invalid_argument(format!("invalid {what}: {e}")).with("argument", what)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_result_is_a_map_with_named_fields() {
        let result = QueryResult {
            columns: vec![Column {
                name: "a".into(),
                type_name: "INTEGER".into(),
            }],
            rows: vec![vec![Value::Int(1)], vec![Value::Null]],
        };
        let bytes = encode(&result).unwrap();
        // fixmap(2) "columns" [ fixmap(2) "name" "a" "type" "INTEGER" ] "rows" [[1], [nil]]
        let mut expected = vec![0x82, 0xa7];
        expected.extend_from_slice(b"columns");
        expected.extend_from_slice(&[0x91, 0x82, 0xa4]);
        expected.extend_from_slice(b"name");
        expected.extend_from_slice(&[0xa1, b'a', 0xa4]);
        expected.extend_from_slice(b"type");
        expected.push(0xa7);
        expected.extend_from_slice(b"INTEGER");
        expected.push(0xa4);
        expected.extend_from_slice(b"rows");
        expected.extend_from_slice(&[0x92, 0x91, 0x01, 0x91, 0xc0]);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn large_integers_use_64_bit_encodings_and_bytes_use_bin() {
        assert_eq!(encode(&Value::Int(i64::MIN)).unwrap()[0], 0xd3);
        assert_eq!(encode(&Value::UInt(u64::MAX)).unwrap()[0], 0xcf);
        assert_eq!(encode(&Value::Int(-1)).unwrap(), vec![0xff]);
        assert_eq!(
            encode(&Value::Bytes(vec![1, 2])).unwrap(),
            vec![0xc4, 0x02, 0x01, 0x02]
        );
    }

    #[test]
    fn maps_are_arrays_of_key_value_entries() {
        let map = Value::Map(vec![(Value::Int(1), Value::Str("x".into()))]);
        let mut expected = vec![0x91, 0x82, 0xa3];
        expected.extend_from_slice(b"key");
        expected.extend_from_slice(&[0x01, 0xa5]);
        expected.extend_from_slice(b"value");
        expected.extend_from_slice(&[0xa1, b'x']);
        assert_eq!(encode(&map).unwrap(), expected);
    }

    #[test]
    fn decode_errors_are_invalid_arguments() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Opts {
            threads: u32,
        }
        let err = decode::<Opts>(&[0xc1], "options").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
    }
}
