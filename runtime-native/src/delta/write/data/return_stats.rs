//! Reading the rows of DuckDB's `COPY ... RETURN_STATS`.

use std::collections::BTreeMap;

use super::super::stats::parse_column_key;
use crate::error::{NativeError, Result};
use crate::wire::Value;

pub(super) fn as_str(value: &Value) -> Option<&str> {
    match value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

pub(super) fn as_u64(value: &Value) -> u64 {
    match value {
        Value::UInt(u) => *u,
        Value::Int(i) => u64::try_from(*i).unwrap_or(0),
        _ => 0,
    }
}

/// Column statistics of one RETURN_STATS row, keyed by column path.
pub(super) fn column_stats(value: &Value) -> BTreeMap<Vec<String>, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if let Value::Map(entries) = value {
        for (key, stats) in entries {
            let (Some(key), Value::Map(stats)) = (as_str(key), stats) else {
                continue;
            };
            let stats = stats
                .iter()
                .filter_map(|(k, v)| Some((as_str(k)?.to_string(), as_str(v)?.to_string())))
                .collect();
            out.insert(parse_column_key(key), stats);
        }
    }
    out
}

/// Indexes of RETURN_STATS' columns: filename, count, file_size_bytes, column_statistics,
/// partition_keys (absent without PARTITION_BY).
pub(super) fn stats_indexes(
    result: &crate::wire::QueryResult,
) -> Result<(usize, usize, usize, usize, Option<usize>)> {
    let idx = |n: &str| result.columns.iter().position(|c| c.name == n);
    match (
        idx("filename"),
        idx("count"),
        idx("file_size_bytes"),
        idx("column_statistics"),
    ) {
        (Some(f), Some(c), Some(s), Some(t)) => Ok((f, c, s, t, idx("partition_keys"))),
        _ => Err(NativeError::internal(
            "COPY ... RETURN_STATS returned unexpected columns",
        )),
    }
}

/// The value of `key` in a RETURN_STATS `partition_keys` map (`None` = null partition).
pub(super) fn partition_key(map: &Value, key: &str) -> Result<Option<String>> {
    let Value::Map(entries) = map else {
        return Err(NativeError::internal(
            "COPY ... PARTITION_BY returned no partition_keys map",
        ));
    };
    let (_, value) = entries
        .iter()
        .find(|(k, _)| as_str(k) == Some(key))
        .ok_or_else(|| {
            NativeError::internal(format!("COPY ... PARTITION_BY returned no value for {key}"))
        })?;
    Ok(as_str(value).map(str::to_string))
}
