//! Per-file statistics (PROTOCOL.md "Per-file Statistics") from DuckDB's `COPY ... RETURN_STATS`:
//! `numRecords`, and `minValues` / `maxValues` / `nullCount` for the stats columns (nested struct
//! fields as nested objects).
//!
//! Stats columns: `delta.dataSkippingStatsColumns` (comma-separated, nested names with dots,
//! a struct selects its leaves) or else the first `delta.dataSkippingNumIndexedCols` (default
//! 32, `-1` = all) leaf columns; partition columns never. Arrays and maps get no statistics.
//! min/max are written for numbers (decimals as JSON numbers when they have at most 15
//! significant digits), strings, dates and timestamps; strings are
//! cut to 32 characters (max then gets U+10FFFF appended so it stays an upper bound);
//! timestamps are written with millisecond precision, min rounded down and max up.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::super::schema::{ColumnMappingMode, DataType, StructType};
use crate::error::Result;

/// Characters of a string min/max kept.
pub const STRING_PREFIX_LENGTH: usize = 32;
const DEFAULT_NUM_INDEXED_COLS: i64 = 32;

/// A leaf column with statistics: its physical path and type.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsColumn {
    pub path: Vec<String>,
    pub logical: Vec<String>,
    pub data_type: DataType,
}

fn split_names(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .map(|item| {
            item.trim()
                .split('.')
                .map(|p| p.trim().trim_matches('`').to_string())
                .collect::<Vec<_>>()
        })
        .filter(|p| p.iter().all(|s| !s.is_empty()))
        .collect()
}

fn leaves(
    schema: &StructType,
    mode: ColumnMappingMode,
    prefix: &[String],
    logical_prefix: &[String],
    out: &mut Vec<StatsColumn>,
) -> Result<()> {
    for field in &schema.fields {
        let mut path = prefix.to_vec();
        path.push(field.physical_name(mode)?.to_string());
        let mut logical = logical_prefix.to_vec();
        logical.push(field.name.clone());
        match &field.data_type {
            DataType::Struct(inner) => leaves(inner, mode, &path, &logical, out)?,
            DataType::Array { .. } | DataType::Map { .. } => {}
            other => out.push(StatsColumn {
                path,
                logical,
                data_type: other.clone(),
            }),
        }
    }
    Ok(())
}

/// The stats columns of a table.
pub fn stats_columns(
    schema: &StructType,
    partition_columns: &[String],
    configuration: &BTreeMap<String, String>,
    mode: ColumnMappingMode,
) -> Result<Vec<StatsColumn>> {
    let data = StructType {
        fields: schema
            .fields
            .iter()
            .filter(|f| !partition_columns.contains(&f.name))
            .cloned()
            .collect(),
    };
    let mut all = Vec::new();
    leaves(&data, mode, &[], &[], &mut all)?;
    if let Some(list) = configuration.get("delta.dataSkippingStatsColumns") {
        let wanted = split_names(list);
        return Ok(all
            .into_iter()
            .filter(|c| wanted.iter().any(|w| c.logical.starts_with(w)))
            .collect());
    }
    let n = configuration
        .get("delta.dataSkippingNumIndexedCols")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(DEFAULT_NUM_INDEXED_COLS);
    if n >= 0 {
        all.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    }
    Ok(all)
}

/// Splits DuckDB's `"a"."b"` column key into names.
pub fn parse_column_key(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = key.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out
}

// --- timestamps -------------------------------------------------------------------------------

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Microseconds since the epoch of `YYYY-MM-DD HH:MM:SS[.f][+HH[:MM]]` (offset applied).
pub fn parse_timestamp_micros(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_at(text.find([' ', 'T'])?);
    let rest = &rest[1..];
    let mut dp = date.split('-');
    let (y, m, d): (i64, i64, i64) = (
        dp.next()?.parse().ok()?,
        dp.next()?.parse().ok()?,
        dp.next()?.parse().ok()?,
    );
    let (time, offset_secs) = match rest.find(['+', '-']) {
        Some(at) => {
            let (t, off) = rest.split_at(at);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let mut parts = off[1..].split(':');
            let h: i64 = parts.next()?.parse().ok()?;
            let mi: i64 = parts.next().map_or(Some(0), |p| p.parse().ok())?;
            (t, sign * (h * 3600 + mi * 60))
        }
        None => (rest.trim_end_matches('Z'), 0),
    };
    let mut tp = time.split(':');
    let h: i64 = tp.next()?.parse().ok()?;
    let mi: i64 = tp.next()?.parse().ok()?;
    let sec_text = tp.next()?;
    let (s, frac) = sec_text.split_once('.').unwrap_or((sec_text, ""));
    let s: i64 = s.parse().ok()?;
    let mut micros_frac: i64 = 0;
    for (i, c) in frac.chars().take(6).enumerate() {
        micros_frac += i64::from(c.to_digit(10)?) * 10_i64.pow(5 - i as u32);
    }
    let secs = days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + s - offset_secs;
    Some(secs * 1_000_000 + micros_frac)
}

/// `YYYY-MM-DDTHH:MM:SS.mmm` (+`Z` when `utc`) of epoch milliseconds.
pub fn format_timestamp_ms(ms: i64, utc: bool) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    format!(
        "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}{}",
        if utc { "Z" } else { "" }
    )
}

fn stat_value(data_type: &DataType, text: &str, is_max: bool) -> Option<Value> {
    match data_type {
        DataType::Primitive("byte" | "short" | "integer" | "long") => {
            text.parse::<i64>().ok().map(Value::from)
        }
        DataType::Primitive("float" | "double") => {
            let v = text.parse::<f64>().ok().filter(|v| v.is_finite())?;
            serde_json::Number::from_f64(v).map(Value::Number)
        }
        DataType::Primitive("string") => {
            let count = text.chars().count();
            if count <= STRING_PREFIX_LENGTH {
                return Some(json!(text));
            }
            let prefix: String = text.chars().take(STRING_PREFIX_LENGTH).collect();
            Some(json!(if is_max {
                format!("{prefix}\u{10FFFF}")
            } else {
                prefix
            }))
        }
        DataType::Decimal { .. } => decimal_number(text),
        DataType::Primitive("date") => Some(json!(text.trim())),
        DataType::Primitive(t @ ("timestamp" | "timestamp_ntz")) => {
            let micros = parse_timestamp_micros(text)?;
            let ms = if is_max {
                micros.div_euclid(1000) + i64::from(micros.rem_euclid(1000) != 0)
            } else {
                micros.div_euclid(1000)
            };
            Some(json!(format_timestamp_ms(ms, *t == "timestamp")))
        }
        _ => None,
    }
}

/// A decimal statistic as a JSON number (as Spark writes them), when it has at most 15
/// significant digits — exactly what a double carries, so the number is the decimal's value.
/// Longer values get no min/max (a rounded bound could exclude rows).
fn decimal_number(text: &str) -> Option<Value> {
    let text = text.trim();
    let digits = text.trim_start_matches('-');
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let significant = format!("{int}{frac}");
    let significant = significant.trim_start_matches('0').trim_end_matches('0');
    if significant.len() > 15 {
        return None;
    }
    let v = text.parse::<f64>().ok().filter(|v| v.is_finite())?;
    serde_json::Number::from_f64(v).map(Value::Number)
}

fn insert_at(target: &mut Map<String, Value>, path: &[String], value: Value) {
    match path {
        [] => {}
        [last] => {
            target.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = target
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = entry {
                insert_at(inner, rest, value);
            }
        }
    }
}

/// The stats JSON string of one file from DuckDB's per-column statistics (keyed by
/// [`parse_column_key`] paths → stat name → value text).
pub fn file_stats(
    num_records: u64,
    columns: &[StatsColumn],
    duckdb_stats: &BTreeMap<Vec<String>, BTreeMap<String, String>>,
) -> String {
    let (mut min, mut max, mut nulls) = (Map::new(), Map::new(), Map::new());
    for column in columns {
        let Some(stats) = duckdb_stats.get(&column.path) else {
            continue;
        };
        if let Some(n) = stats.get("null_count").and_then(|n| n.parse::<i64>().ok()) {
            insert_at(&mut nulls, &column.path, json!(n));
        }
        if let (Some(lo), Some(hi)) = (stats.get("min"), stats.get("max")) {
            if let (Some(lo), Some(hi)) = (
                stat_value(&column.data_type, lo, false),
                stat_value(&column.data_type, hi, true),
            ) {
                insert_at(&mut min, &column.path, lo);
                insert_at(&mut max, &column.path, hi);
            }
        }
    }
    let mut out = Map::new();
    out.insert("numRecords".into(), json!(num_records));
    out.insert("minValues".into(), Value::Object(min));
    out.insert("maxValues".into(), Value::Object(max));
    out.insert("nullCount".into(), Value::Object(nulls));
    Value::Object(out).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delta::schema::parse_schema;

    #[test]
    fn timestamps_round_to_milliseconds_outward() {
        let us = parse_timestamp_micros("2020-01-01 00:00:01.0005+01").unwrap();
        assert_eq!(us, (1_577_836_801 - 3600) * 1_000_000 + 500);
        assert_eq!(format_timestamp_ms(0, true), "1970-01-01T00:00:00.000Z");
        let ty = DataType::Primitive("timestamp_ntz");
        assert_eq!(
            stat_value(&ty, "2020-01-01 00:00:00.0015", false),
            Some(json!("2020-01-01T00:00:00.001"))
        );
        assert_eq!(
            stat_value(&ty, "2020-01-01 00:00:00.0015", true),
            Some(json!("2020-01-01T00:00:00.002"))
        );
        assert_eq!(format_timestamp_ms(-1, false), "1969-12-31T23:59:59.999");
    }

    #[test]
    fn decimals_are_numbers_when_a_double_holds_them_exactly() {
        let ty = DataType::Decimal {
            precision: 38,
            scale: 2,
        };
        assert_eq!(stat_value(&ty, "7.50", false), Some(json!(7.5)));
        assert_eq!(stat_value(&ty, "-0.01", true), Some(json!(-0.01)));
        assert_eq!(
            stat_value(&ty, "123456789012345.00", true),
            Some(json!(123_456_789_012_345.0))
        );
        assert_eq!(stat_value(&ty, "1234567890123456.00", true), None);
        assert_eq!(stat_value(&ty, "0.00", false), Some(json!(0.0)));
    }

    #[test]
    fn strings_are_truncated_with_an_upper_bound_max() {
        let long = "x".repeat(40);
        let ty = DataType::Primitive("string");
        assert_eq!(stat_value(&ty, &long, false), Some(json!("x".repeat(32))));
        assert_eq!(
            stat_value(&ty, &long, true),
            Some(json!(format!("{}\u{10FFFF}", "x".repeat(32))))
        );
    }

    #[test]
    fn stats_columns_follow_the_table_properties() {
        let schema = parse_schema(r#"{"type":"struct","fields":[
            {"name":"a","type":"long","nullable":true,"metadata":{}},
            {"name":"p","type":"string","nullable":true,"metadata":{}},
            {"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"string","nullable":true,"metadata":{}},{"name":"y","type":"double","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},
            {"name":"l","type":{"type":"array","elementType":"long","containsNull":true},"nullable":true,"metadata":{}}]}"#).unwrap();
        let parts = vec!["p".to_string()];
        let mut conf = BTreeMap::new();
        let names =
            |c: Vec<StatsColumn>| c.into_iter().map(|c| c.path.join(".")).collect::<Vec<_>>();
        assert_eq!(
            names(stats_columns(&schema, &parts, &conf, ColumnMappingMode::None).unwrap()),
            ["a", "s.x", "s.y"]
        );
        conf.insert("delta.dataSkippingNumIndexedCols".into(), "2".into());
        assert_eq!(
            names(stats_columns(&schema, &parts, &conf, ColumnMappingMode::None).unwrap()),
            ["a", "s.x"]
        );
        conf.insert("delta.dataSkippingStatsColumns".into(), "`s`.y, a".into());
        assert_eq!(
            names(stats_columns(&schema, &parts, &conf, ColumnMappingMode::None).unwrap()),
            ["a", "s.y"]
        );
        assert_eq!(parse_column_key(r#""s"."x""#), ["s", "x"]);
        assert_eq!(parse_column_key(r#""a.""b""#), ["a.\"b"]);
    }
}
