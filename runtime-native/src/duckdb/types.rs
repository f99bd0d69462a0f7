//! DuckDB logical types as a plain Rust tree ([`TypeInfo`]), built once per result column, so
//! that reading vectors never has to go back to the C API for type facts.

use std::sync::Arc;

use super::ffi::{self, Api, LogicalType, TypeId};
use crate::error::{ErrorCode, NativeError, Result};

/// Unit of a TIMESTAMP variant's stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Millis,
    Micros,
    Nanos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// The type of an untyped NULL (`SELECT NULL`).
    Null,
    Boolean,
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    UTinyInt,
    USmallInt,
    UInteger,
    UBigInt,
    HugeInt,
    UHugeInt,
    Float,
    Double,
    Varchar,
    Blob,
    Date,
    Time,
    TimeNs,
    TimeTz,
    Timestamp(TimeUnit),
    TimestampTz,
    Interval,
    Uuid,
    Decimal {
        width: u8,
        scale: u8,
        storage: TypeId,
    },
    Enum {
        storage: TypeId,
        values: Vec<String>,
    },
    List(Box<TypeInfo>),
    Array(Box<TypeInfo>, u64),
    Struct(Vec<(Arc<str>, TypeInfo)>),
    Map(Box<TypeInfo>, Box<TypeInfo>),
    /// A type the wire format does not carry (BIT, UNION, BIGNUM, ...).
    Unsupported,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeInfo {
    pub kind: Kind,
    /// The type as DuckDB spells it (or its alias, e.g. `JSON`).
    pub name: String,
}

impl TypeInfo {
    /// The first unsupported type inside this one, if any (for a precise error).
    pub fn find_unsupported(&self) -> Option<&TypeInfo> {
        match &self.kind {
            Kind::Unsupported => Some(self),
            Kind::List(child) | Kind::Array(child, _) => child.find_unsupported(),
            Kind::Struct(fields) => fields.iter().find_map(|(_, t)| t.find_unsupported()),
            Kind::Map(k, v) => k.find_unsupported().or_else(|| v.find_unsupported()),
            _ => None,
        }
    }

    /// Fails with DUCKDB_UNSUPPORTED_TYPE when a result column cannot be carried.
    pub fn ensure_supported(&self, column: &str) -> Result<()> {
        match self.find_unsupported() {
            None => Ok(()),
            Some(t) => {
                let inner = if std::ptr::eq(t, self) {
                    String::new()
                } else {
                    format!(" (because of {})", t.name)
                };
                Err(NativeError::new(
                    ErrorCode::DuckdbUnsupportedType,
                    format!(
                        "column \"{column}\" has type {}{inner}, which cpgc-native cannot return; \
                         cast it in SQL, e.g. CAST(... AS VARCHAR)",
                        self.name
                    ),
                )
                .with("column", column)
                .with("type", self.name.clone()))
            }
        }
    }
}

/// Owns a `duckdb_logical_type` and destroys it on drop.
pub struct LogicalTypeGuard<'a> {
    api: &'a Api,
    raw: LogicalType,
}

impl<'a> LogicalTypeGuard<'a> {
    /// Takes ownership of `raw` (which may be NULL; reading a NULL type is an INTERNAL error).
    pub fn new(api: &'a Api, raw: LogicalType) -> Self {
        LogicalTypeGuard { api, raw }
    }

    pub(crate) fn get(&self) -> Result<LogicalType> {
        if self.raw.is_null() {
            Err(NativeError::internal("DuckDB returned a NULL logical type"))
        } else {
            Ok(self.raw)
        }
    }
}

impl Drop for LogicalTypeGuard<'_> {
    fn drop(&mut self) {
        if !self.raw.is_null() {
            // SAFETY: raw is an owned logical type not destroyed elsewhere.
            unsafe { (self.api.duckdb_destroy_logical_type)(&mut self.raw) };
        }
    }
}

/// Builds the [`TypeInfo`] tree of a logical type (the guard keeps ownership).
pub fn type_info(api: &Api, ty: &LogicalTypeGuard<'_>) -> Result<TypeInfo> {
    let raw = ty.get()?;
    // SAFETY (whole function): raw is a valid logical type; each child type obtained below is
    // owned by a guard; strings returned by DuckDB are copied and freed by owned_c_string.
    let id = unsafe { (api.duckdb_get_type_id)(raw) };
    let alias = unsafe { api.owned_c_string((api.duckdb_logical_type_get_alias)(raw)) };
    let child = |raw_child: LogicalType| type_info(api, &LogicalTypeGuard::new(api, raw_child));

    let (kind, name): (Kind, String) = match id {
        ffi::TYPE_BOOLEAN => (Kind::Boolean, "BOOLEAN".into()),
        ffi::TYPE_TINYINT => (Kind::TinyInt, "TINYINT".into()),
        ffi::TYPE_SMALLINT => (Kind::SmallInt, "SMALLINT".into()),
        ffi::TYPE_INTEGER => (Kind::Integer, "INTEGER".into()),
        ffi::TYPE_BIGINT => (Kind::BigInt, "BIGINT".into()),
        ffi::TYPE_UTINYINT => (Kind::UTinyInt, "UTINYINT".into()),
        ffi::TYPE_USMALLINT => (Kind::USmallInt, "USMALLINT".into()),
        ffi::TYPE_UINTEGER => (Kind::UInteger, "UINTEGER".into()),
        ffi::TYPE_UBIGINT => (Kind::UBigInt, "UBIGINT".into()),
        ffi::TYPE_HUGEINT => (Kind::HugeInt, "HUGEINT".into()),
        ffi::TYPE_UHUGEINT => (Kind::UHugeInt, "UHUGEINT".into()),
        ffi::TYPE_FLOAT => (Kind::Float, "FLOAT".into()),
        ffi::TYPE_DOUBLE => (Kind::Double, "DOUBLE".into()),
        ffi::TYPE_VARCHAR => (Kind::Varchar, "VARCHAR".into()),
        ffi::TYPE_BLOB => (Kind::Blob, "BLOB".into()),
        ffi::TYPE_DATE => (Kind::Date, "DATE".into()),
        ffi::TYPE_TIME => (Kind::Time, "TIME".into()),
        ffi::TYPE_TIME_NS => (Kind::TimeNs, "TIME_NS".into()),
        ffi::TYPE_TIME_TZ => (Kind::TimeTz, "TIME WITH TIME ZONE".into()),
        ffi::TYPE_TIMESTAMP => (Kind::Timestamp(TimeUnit::Micros), "TIMESTAMP".into()),
        ffi::TYPE_TIMESTAMP_S => (Kind::Timestamp(TimeUnit::Seconds), "TIMESTAMP_S".into()),
        ffi::TYPE_TIMESTAMP_MS => (Kind::Timestamp(TimeUnit::Millis), "TIMESTAMP_MS".into()),
        ffi::TYPE_TIMESTAMP_NS => (Kind::Timestamp(TimeUnit::Nanos), "TIMESTAMP_NS".into()),
        ffi::TYPE_TIMESTAMP_TZ => (Kind::TimestampTz, "TIMESTAMP WITH TIME ZONE".into()),
        ffi::TYPE_INTERVAL => (Kind::Interval, "INTERVAL".into()),
        ffi::TYPE_UUID => (Kind::Uuid, "UUID".into()),
        ffi::TYPE_SQLNULL => (Kind::Null, "NULL".into()),
        ffi::TYPE_DECIMAL => {
            let width = unsafe { (api.duckdb_decimal_width)(raw) };
            let scale = unsafe { (api.duckdb_decimal_scale)(raw) };
            let storage = unsafe { (api.duckdb_decimal_internal_type)(raw) };
            (
                Kind::Decimal {
                    width,
                    scale,
                    storage,
                },
                format!("DECIMAL({width},{scale})"),
            )
        }
        ffi::TYPE_ENUM => {
            let storage = unsafe { (api.duckdb_enum_internal_type)(raw) };
            let size = unsafe { (api.duckdb_enum_dictionary_size)(raw) };
            let mut values = Vec::with_capacity(size as usize);
            for i in 0..u64::from(size) {
                let value =
                    unsafe { api.owned_c_string((api.duckdb_enum_dictionary_value)(raw, i)) };
                values.push(value.unwrap_or_default());
            }
            let listed: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
            let name = format!("ENUM({})", listed.join(", "));
            (Kind::Enum { storage, values }, name)
        }
        ffi::TYPE_LIST => {
            let item = child(unsafe { (api.duckdb_list_type_child_type)(raw) })?;
            let name = format!("{}[]", item.name);
            (Kind::List(Box::new(item)), name)
        }
        ffi::TYPE_ARRAY => {
            let item = child(unsafe { (api.duckdb_array_type_child_type)(raw) })?;
            let size = unsafe { (api.duckdb_array_type_array_size)(raw) };
            let name = format!("{}[{size}]", item.name);
            (Kind::Array(Box::new(item), size), name)
        }
        ffi::TYPE_MAP => {
            let key = child(unsafe { (api.duckdb_map_type_key_type)(raw) })?;
            let value = child(unsafe { (api.duckdb_map_type_value_type)(raw) })?;
            let name = format!("MAP({}, {})", key.name, value.name);
            (Kind::Map(Box::new(key), Box::new(value)), name)
        }
        ffi::TYPE_STRUCT => {
            let count = unsafe { (api.duckdb_struct_type_child_count)(raw) };
            let mut fields = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
            for i in 0..count {
                let field_name =
                    unsafe { api.owned_c_string((api.duckdb_struct_type_child_name)(raw, i)) }
                        .unwrap_or_default();
                let field_type = child(unsafe { (api.duckdb_struct_type_child_type)(raw, i) })?;
                fields.push((Arc::<str>::from(field_name), field_type));
            }
            let listed: Vec<String> = fields
                .iter()
                .map(|(n, t)| format!("{} {}", quote_identifier(n), t.name))
                .collect();
            let name = format!("STRUCT({})", listed.join(", "));
            (Kind::Struct(fields), name)
        }
        other => (Kind::Unsupported, unsupported_name(other).to_string()),
    };
    Ok(TypeInfo {
        kind,
        name: alias.filter(|a| !a.is_empty()).unwrap_or(name),
    })
}

fn unsupported_name(id: TypeId) -> String {
    match id {
        ffi::TYPE_INVALID => "INVALID".into(),
        ffi::TYPE_UNION => "UNION".into(),
        ffi::TYPE_BIT => "BIT".into(),
        ffi::TYPE_ANY => "ANY".into(),
        ffi::TYPE_BIGNUM => "BIGNUM".into(),
        37 => "STRING_LITERAL".into(),
        38 => "INTEGER_LITERAL".into(),
        40 => "GEOMETRY".into(),
        41 => "VARIANT".into(),
        other => format!("DUCKDB_TYPE_{other}"),
    }
}

/// Quotes a struct field name the way DuckDB prints types: bare when it is a plain lowercase
/// identifier, else in double quotes with `"` doubled.
pub fn quote_identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(quote_identifier("a_1"), "a_1");
        assert_eq!(quote_identifier("A"), "\"A\"");
        assert_eq!(quote_identifier("my col"), "\"my col\"");
        assert_eq!(quote_identifier("1a"), "\"1a\"");
        assert_eq!(quote_identifier("x\"y"), "\"x\"\"y\"");
        assert_eq!(quote_identifier(""), "\"\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn unsupported_types_are_found_inside_nested_types() {
        let bit = TypeInfo {
            kind: Kind::Unsupported,
            name: "BIT".into(),
        };
        let list = TypeInfo {
            kind: Kind::List(Box::new(bit)),
            name: "BIT[]".into(),
        };
        let err = list.ensure_supported("c").unwrap_err();
        assert_eq!(err.code, ErrorCode::DuckdbUnsupportedType);
        assert_eq!(err.detail("type"), Some("BIT[]"));
        let int = TypeInfo {
            kind: Kind::Integer,
            name: "INTEGER".into(),
        };
        assert!(int.ensure_supported("c").is_ok());
    }
}
