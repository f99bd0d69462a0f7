//! Per-file statistics (PROTOCOL.md "Per-file Statistics"): `numRecords`, `tightBounds`, and
//! per-column `minValues`, `maxValues`, `nullCount` mirroring the schema (keyed by physical
//! column names under column mapping).
//!
//! They come from the JSON string `add.stats`, or from the struct `add.stats_parsed` of
//! checkpoints written with `delta.checkpoint.writeStatsAsStruct`. Statistics are optional hints:
//! unparseable ones are dropped (and reported), never guessed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::actions::Add;

/// Parsed statistics of one file.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Physical rows in the data file (deletion vectors not subtracted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub num_records: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tight_bounds: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_values: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_values: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_count: Option<Value>,
}

/// The statistics object as written; unknown keys are skipped without being materialized.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawStats {
    #[serde(default)]
    num_records: Option<Value>,
    #[serde(default)]
    tight_bounds: Option<Value>,
    #[serde(default)]
    min_values: Option<Value>,
    #[serde(default)]
    max_values: Option<Value>,
    #[serde(default)]
    null_count: Option<Value>,
}

/// Only `numRecords` (the rest is skipped, not parsed into values).
#[derive(Deserialize)]
struct CountOnly {
    #[serde(default, rename = "numRecords")]
    num_records: Option<Value>,
}

fn count(value: Option<Value>) -> std::result::Result<Option<i64>, InvalidStats> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().filter(|n| *n >= 0).map(Some).ok_or(InvalidStats),
    }
}

fn object(value: Option<Value>) -> Option<Value> {
    value.filter(Value::is_object)
}

impl RawStats {
    fn into_stats(self) -> std::result::Result<Stats, InvalidStats> {
        Ok(Stats {
            num_records: count(self.num_records)?,
            tight_bounds: self.tight_bounds.as_ref().and_then(Value::as_bool),
            min_values: object(self.min_values),
            max_values: object(self.max_values),
            null_count: object(self.null_count),
        })
    }
}

/// Statistics that are present but cannot be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidStats;

fn json_text(add: &Add) -> Option<&str> {
    add.stats.as_deref().filter(|t| !t.trim().is_empty())
}

/// Derived structs also accept JSON arrays (fields by position): statistics must be objects.
fn parse_object<'a, T: Deserialize<'a>>(text: &'a str) -> std::result::Result<T, InvalidStats> {
    if !text.trim_start().starts_with('{') {
        return Err(InvalidStats);
    }
    serde_json::from_str(text).map_err(|_| InvalidStats)
}

/// The statistics of `add`: `Ok(None)` when it has none.
pub fn parse_stats(add: &Add) -> std::result::Result<Option<Stats>, InvalidStats> {
    let raw: RawStats = match (json_text(add), &add.stats_parsed) {
        (Some(text), _) => parse_object(text)?,
        (None, None | Some(Value::Null)) => return Ok(None),
        (None, Some(value)) if value.is_object() => {
            serde_json::from_value(value.clone()).map_err(|_| InvalidStats)?
        }
        (None, Some(_)) => return Err(InvalidStats),
    };
    raw.into_stats().map(Some)
}

/// Only `numRecords` of `add` (cheaper than [`parse_stats`]): `Ok(None)` when unknown.
pub fn num_records(add: &Add) -> std::result::Result<Option<i64>, InvalidStats> {
    match (json_text(add), &add.stats_parsed) {
        (Some(text), _) => count(parse_object::<CountOnly>(text)?.num_records),
        (None, None | Some(Value::Null)) => Ok(None),
        (None, Some(value)) => count(value.get("numRecords").cloned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(stats: Option<&str>, parsed: Option<Value>) -> Add {
        let mut add: Add = serde_json::from_str(r#"{"path":"a","size":1}"#).unwrap();
        add.stats = stats.map(str::to_string);
        add.stats_parsed = parsed;
        add
    }

    #[test]
    fn json_and_struct_stats() {
        let s = parse_stats(&add(
            Some(r#"{"numRecords":4,"minValues":{"key":1},"maxValues":{"key":4},"nullCount":{"key":0},"tightBounds":true}"#),
            None,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(s.num_records, Some(4));
        assert_eq!(s.tight_bounds, Some(true));
        assert_eq!(s.min_values, Some(serde_json::json!({"key": 1})));

        let s = parse_stats(&add(
            None,
            Some(serde_json::json!({"numRecords": 7, "minValues": null})),
        ))
        .unwrap()
        .unwrap();
        assert_eq!((s.num_records, s.min_values), (Some(7), None));
        assert_eq!(parse_stats(&add(None, None)), Ok(None));
        assert_eq!(
            num_records(&add(
                Some(r#"{"numRecords":4,"minValues":{"a":[1,{"b":2}]}}"#),
                None
            )),
            Ok(Some(4))
        );
        assert_eq!(
            num_records(&add(None, Some(serde_json::json!({"numRecords": 7})))),
            Ok(Some(7))
        );
        assert_eq!(num_records(&add(None, None)), Ok(None));
        assert_eq!(parse_stats(&add(Some(""), None)), Ok(None));
    }

    #[test]
    fn garbled_stats_are_reported() {
        assert_eq!(
            parse_stats(&add(Some("{\"numRecords\":"), None)),
            Err(InvalidStats)
        );
        assert_eq!(parse_stats(&add(Some("[1]"), None)), Err(InvalidStats));
        assert_eq!(
            parse_stats(&add(Some(r#"{"numRecords":-1}"#), None)),
            Err(InvalidStats)
        );
    }
}
