//! Type widening (PROTOCOL.md "Type Widening"): readers must validate every type change recorded
//! in `delta.typeChanges` and refuse the ones they do not support.

use serde_json::Value;

use super::schema::{parse_type_name, DataType, StructField};
use crate::error::{ErrorCode, NativeError, Result};

pub const TYPE_CHANGES_KEY: &str = "delta.typeChanges";

fn integer_rank(name: &str) -> Option<u8> {
    match name {
        "byte" => Some(1),
        "short" => Some(2),
        "integer" => Some(3),
        "long" => Some(4),
        _ => None,
    }
}

/// Whether `from → to` is a widening the protocol defines.
pub fn is_supported_change(from: &DataType, to: &DataType) -> bool {
    use DataType::{Decimal, Primitive};
    match (from, to) {
        (Primitive(f), Primitive(t)) => match (integer_rank(f), integer_rank(t)) {
            (Some(a), Some(b)) => a < b,
            _ => matches!(
                (*f, *t),
                ("float", "double")
                    | ("byte", "double")
                    | ("short", "double")
                    | ("integer", "double")
                    | ("date", "timestamp_ntz")
            ),
        },
        (
            Decimal {
                precision: p,
                scale: s,
            },
            Decimal {
                precision: p2,
                scale: s2,
            },
        ) => p2 >= p && s2 >= s && (p2 - p) >= (s2 - s),
        (Primitive(f), Decimal { precision, scale }) => {
            // The protocol text allows byte/short/integer -> decimal(10 + k1, k2); Delta's own
            // implementation (and the preview feature's tables) use the integer type's own digit
            // count (byte 3, short 5). Both are lossless: every value fits the target decimal.
            let digits = match *f {
                "byte" => 3,
                "short" => 5,
                "integer" => 10,
                "long" => 20,
                _ => return false,
            };
            *precision >= digits && (precision - digits) >= *scale
        }
        _ => false,
    }
}

fn unsupported(field: &str, from: &str, to: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaUnsupportedFeature,
        format!("column {field:?} had its type changed from {from} to {to}; cpgc cannot read that type change (feature typeWidening)"),
    )
    .with("features", "typeWidening")
    .with("kind", "reader")
    .with("column", field)
    .with("typeChange", format!("{from}->{to}"))
}

/// Validates the `delta.typeChanges` of one field (not its nested fields).
pub fn check_field(field: &StructField) -> Result<()> {
    let Some(changes) = field.metadata.get(TYPE_CHANGES_KEY) else {
        return Ok(());
    };
    // Normally a JSON array; tolerate it being a JSON string holding one.
    let parsed;
    let changes = match changes {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
            &parsed
        }
        other => other,
    };
    let Some(changes) = changes.as_array() else {
        return Err(unsupported(&field.name, "?", "?"));
    };
    for change in changes {
        let from = change
            .get("fromType")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let to = change.get("toType").and_then(Value::as_str).unwrap_or("?");
        let ok = match (parse_type_name(from), parse_type_name(to)) {
            (Ok(f), Ok(t)) => is_supported_change(&f, &t),
            _ => false,
        };
        if !ok {
            return Err(unsupported(&field.name, from, to));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> DataType {
        parse_type_name(name).unwrap()
    }

    #[test]
    fn protocol_widenings_are_supported() {
        for (from, to) in [
            ("byte", "long"),
            ("short", "integer"),
            ("integer", "double"),
            ("float", "double"),
            ("date", "timestamp_ntz"),
            ("decimal(10,2)", "decimal(20,2)"),
            ("decimal(10,2)", "decimal(20,5)"),
            ("byte", "decimal(4,1)"),
            ("short", "decimal(6,1)"),
            ("integer", "decimal(11,1)"),
            ("long", "decimal(21,1)"),
        ] {
            assert!(is_supported_change(&t(from), &t(to)), "{from} -> {to}");
        }
    }

    #[test]
    fn narrowing_and_odd_changes_are_not() {
        for (from, to) in [
            ("long", "integer"),
            ("double", "float"),
            ("long", "double"),
            ("string", "long"),
            ("decimal(10,2)", "decimal(10,3)"),
            ("timestamp", "timestamp_ntz"),
            ("byte", "decimal(3,1)"),
            ("long", "decimal(20,1)"),
        ] {
            assert!(!is_supported_change(&t(from), &t(to)), "{from} -> {to}");
        }
    }
}
