//! The table schema (`metaData.schemaString`, PROTOCOL.md "Schema Serialization Format") and
//! column mapping (logical name ↔ physical name / field id).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{ErrorCode, NativeError, Result};

pub const PHYSICAL_NAME_KEY: &str = "delta.columnMapping.physicalName";
pub const FIELD_ID_KEY: &str = "delta.columnMapping.id";

/// A Delta data type.
#[derive(Debug, Clone, PartialEq)]
pub enum DataType {
    /// `string`, `long`, `integer`, `short`, `byte`, `float`, `double`, `boolean`, `binary`,
    /// `date`, `timestamp`, `timestamp_ntz`, `void`.
    Primitive(&'static str),
    Decimal {
        precision: u8,
        scale: u8,
    },
    Struct(StructType),
    Array {
        element: Box<DataType>,
        contains_null: bool,
    },
    Map {
        key: Box<DataType>,
        value: Box<DataType>,
        value_contains_null: bool,
    },
}

/// A (possibly nested) column.
#[derive(Debug, Clone, PartialEq)]
pub struct StructField {
    pub name: String,
    pub data_type: DataType,
    pub nullable: bool,
    pub metadata: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StructType {
    pub fields: Vec<StructField>,
}

const PRIMITIVES: [&str; 13] = [
    "string",
    "long",
    "integer",
    "short",
    "byte",
    "float",
    "double",
    "boolean",
    "binary",
    "date",
    "timestamp",
    "timestamp_ntz",
    "void",
];

fn invalid(message: impl Into<String>) -> NativeError {
    NativeError::new(ErrorCode::DeltaSchemaInvalid, message)
}

fn parse_decimal(text: &str) -> Option<DataType> {
    if text == "decimal" {
        return Some(DataType::Decimal {
            precision: 10,
            scale: 0,
        });
    }
    let inner = text.strip_prefix("decimal(")?.strip_suffix(')')?;
    let (p, s) = inner.split_once(',')?;
    let precision: u8 = p.trim().parse().ok()?;
    let scale: u8 = s.trim().parse().ok()?;
    ((1..=38).contains(&precision) && scale <= precision)
        .then_some(DataType::Decimal { precision, scale })
}

/// Parses a type name such as `long` or `decimal(10,2)`.
pub fn parse_type_name(text: &str) -> Result<DataType> {
    if let Some(name) = PRIMITIVES.iter().find(|p| **p == text) {
        return Ok(DataType::Primitive(name));
    }
    parse_decimal(text).ok_or_else(|| {
        invalid(format!(
            "the schema uses type {text:?}, which cpgc does not support"
        ))
        .with("type", text)
    })
}

fn get_bool(object: &Map<String, Value>, key: &str, default: bool) -> Result<bool> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(invalid(format!(
            "schema key {key:?} must be a boolean, got {other}"
        ))),
    }
}

fn parse_type(value: &Value) -> Result<DataType> {
    let object = match value {
        Value::String(name) => return parse_type_name(name),
        Value::Object(object) => object,
        other => {
            return Err(invalid(format!(
                "a schema type must be a string or an object, got {other}"
            )))
        }
    };
    match object.get("type").and_then(Value::as_str) {
        Some("struct") => Ok(DataType::Struct(parse_struct(object)?)),
        Some("array") => Ok(DataType::Array {
            element: Box::new(parse_type(
                object
                    .get("elementType")
                    .ok_or_else(|| invalid("an array type lacks elementType"))?,
            )?),
            contains_null: get_bool(object, "containsNull", true)?,
        }),
        Some("map") => Ok(DataType::Map {
            key: Box::new(parse_type(
                object
                    .get("keyType")
                    .ok_or_else(|| invalid("a map type lacks keyType"))?,
            )?),
            value: Box::new(parse_type(
                object
                    .get("valueType")
                    .ok_or_else(|| invalid("a map type lacks valueType"))?,
            )?),
            value_contains_null: get_bool(object, "valueContainsNull", true)?,
        }),
        Some(other) => parse_type_name(other),
        None => Err(invalid("a schema type object lacks \"type\"")),
    }
}

fn parse_struct(object: &Map<String, Value>) -> Result<StructType> {
    let fields = object
        .get("fields")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("a struct type lacks its \"fields\" array"))?;
    let mut out = Vec::with_capacity(fields.len());
    for field in fields {
        let field = field
            .as_object()
            .ok_or_else(|| invalid("a struct field must be an object"))?;
        let name = field
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("a struct field lacks its name"))?;
        let data_type = parse_type(field.get("type").ok_or_else(|| {
            invalid(format!("field {name:?} lacks its type")).with("column", name)
        })?)
        .map_err(|e| {
            let mut e = e;
            e.message = format!("column {name:?}: {}", e.message);
            e.with("column", name)
        })?;
        let metadata = match field.get("metadata") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        out.push(StructField {
            name: name.to_string(),
            data_type,
            nullable: get_bool(field, "nullable", true)?,
            metadata,
        });
    }
    Ok(StructType { fields: out })
}

/// Parses `metaData.schemaString`.
pub fn parse_schema(schema_string: &str) -> Result<StructType> {
    let value: Value = serde_json::from_str(schema_string)
        .map_err(|e| invalid(format!("the table schema is not valid JSON: {e}")))?;
    match &value {
        Value::Object(object) if object.get("type").and_then(Value::as_str) == Some("struct") => {
            parse_struct(object)
        }
        _ => Err(invalid("the table schema must be a struct type")),
    }
}

/// `delta.columnMapping.mode`, as honoured for reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnMappingMode {
    None,
    Name,
    Id,
}

impl StructField {
    /// The column's name in data files, stats and partition values under `mode`.
    pub fn physical_name(&self, mode: ColumnMappingMode) -> Result<&str> {
        if mode == ColumnMappingMode::None {
            return Ok(&self.name);
        }
        self.metadata
            .get(PHYSICAL_NAME_KEY)
            .and_then(Value::as_str)
            .ok_or_else(|| {
                invalid(format!(
                    "column {:?} lacks {PHYSICAL_NAME_KEY} although column mapping is enabled",
                    self.name
                ))
                .with("column", self.name.clone())
            })
    }

    /// The column-mapping field id, if any.
    pub fn field_id(&self) -> Option<i64> {
        self.metadata.get(FIELD_ID_KEY).and_then(Value::as_i64)
    }
}

impl StructType {
    pub fn field(&self, name: &str) -> Option<&StructField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Checks that every (nested) field has what `mode` needs: a physical name, and for `id`
    /// mode a field id.
    pub fn validate_column_mapping(&self, mode: ColumnMappingMode) -> Result<()> {
        if mode == ColumnMappingMode::None {
            return Ok(());
        }
        for field in &self.fields {
            field.physical_name(mode)?;
            if mode == ColumnMappingMode::Id && field.field_id().is_none() {
                return Err(invalid(format!(
                    "column {:?} lacks {FIELD_ID_KEY} although column mapping mode is id",
                    field.name
                )));
            }
            field
                .data_type
                .visit_structs(&mut |s| s.validate_column_mapping(mode))?;
        }
        Ok(())
    }
}

impl DataType {
    /// Whether a struct occurs anywhere in this type (column mapping renames nested fields there).
    pub fn contains_struct(&self) -> bool {
        match self {
            DataType::Struct(_) => true,
            DataType::Array { element, .. } => element.contains_struct(),
            DataType::Map { key, value, .. } => key.contains_struct() || value.contains_struct(),
            _ => false,
        }
    }

    /// Calls `f` on the structs directly nested in this type (through arrays and maps).
    fn visit_structs(&self, f: &mut dyn FnMut(&StructType) -> Result<()>) -> Result<()> {
        match self {
            DataType::Struct(s) => f(s),
            DataType::Array { element, .. } => element.visit_structs(f),
            DataType::Map { key, value, .. } => {
                key.visit_structs(f)?;
                value.visit_structs(f)
            }
            DataType::Primitive(_) | DataType::Decimal { .. } => Ok(()),
        }
    }
}

impl fmt::Display for DataType {
    /// `long`, `decimal(10,2)`, `struct<a:string>`, `array<long>`, `map<string,long>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::Primitive(name) => f.write_str(name),
            DataType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            DataType::Struct(s) => {
                f.write_str("struct<")?;
                for (i, field) in s.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{}", field.name, field.data_type)?;
                }
                f.write_str(">")
            }
            DataType::Array { element, .. } => write!(f, "array<{element}>"),
            DataType::Map { key, value, .. } => write!(f, "map<{key},{value}>"),
        }
    }
}

#[cfg(test)]
mod tests;
