//! The write policy and the COPY options it becomes.
//!
//! Checked against DuckDB 1.5.6: `COMPRESSION`, `COMPRESSION_LEVEL`, `ROW_GROUP_SIZE`,
//! `ROW_GROUP_SIZE_BYTES`, `BLOOM_FILTER_FALSE_POSITIVE_RATIO` (the tests write with each).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{ErrorCode, NativeError, Result};

/// The write policy (camelCase keys from the facade; unknown keys are refused).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WritePolicy {
    #[serde(default)]
    pub zorder_by: Vec<String>,
    pub target_file_size: Option<u64>,
    pub compression: Option<String>,
    pub compression_level: Option<i32>,
    pub row_group_size: Option<u64>,
    pub row_group_size_bytes: Option<u64>,
    /// Per-column dictionary encoding choices: DuckDB decides itself → unsupported.
    pub dictionary_columns: Option<BTreeMap<String, bool>>,
    /// Per-column bloom filters: DuckDB decides itself → unsupported.
    pub bloom_filter_columns: Option<Vec<String>>,
    /// False-positive rate of the bloom filters DuckDB writes (for dictionary-encoded columns),
    /// in (0, 1): DuckDB's `BLOOM_FILTER_FALSE_POSITIVE_RATIO` (default 0.01).
    pub bloom_filter_fpp: Option<f64>,
}

fn unsupported(setting: &str, why: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaUnsupportedSetting,
        format!("write setting {setting} cannot be honoured: {why}"),
    )
    .with("setting", setting)
}

/// The COPY options of the policy.
pub fn copy_options(policy: &WritePolicy) -> Result<Vec<String>> {
    if policy
        .bloom_filter_columns
        .as_ref()
        .is_some_and(|c| !c.is_empty())
    {
        return Err(unsupported("bloomFilterColumns", "DuckDB's Parquet writer chooses bloom filters itself (for dictionary-encoded columns); they cannot be set per column"));
    }
    if policy
        .dictionary_columns
        .as_ref()
        .is_some_and(|c| !c.is_empty())
    {
        return Err(unsupported("dictionaryColumns", "DuckDB's Parquet writer chooses dictionary encoding itself; it cannot be set per column"));
    }
    let compression = policy
        .compression
        .clone()
        .unwrap_or_else(|| "zstd".to_string())
        .to_ascii_lowercase();
    if ![
        "zstd",
        "snappy",
        "gzip",
        "lz4",
        "lz4_raw",
        "brotli",
        "uncompressed",
    ]
    .contains(&compression.as_str())
    {
        return Err(unsupported("compression", &format!("DuckDB does not write {compression:?} (zstd, snappy, gzip, lz4, lz4_raw, brotli, uncompressed)")));
    }
    let mut options = vec![
        "FORMAT parquet".to_string(),
        format!("COMPRESSION {compression}"),
        "RETURN_STATS true".to_string(),
    ];
    if let Some(level) = policy.compression_level {
        if compression != "zstd" {
            return Err(unsupported(
                "compressionLevel",
                &format!("DuckDB sets a level only for zstd, not {compression}"),
            ));
        }
        if !(1..=22).contains(&level) {
            return Err(unsupported("compressionLevel", "zstd levels are 1 to 22"));
        }
        options.push(format!("COMPRESSION_LEVEL {level}"));
    }
    if let Some(rows) = policy.row_group_size {
        if rows == 0 {
            return Err(
                NativeError::invalid_argument("rowGroupSize must be positive")
                    .with("option", "rowGroupSize"),
            );
        }
        options.push(format!("ROW_GROUP_SIZE {rows}"));
    }
    if let Some(bytes) = policy.row_group_size_bytes {
        options.push(format!("ROW_GROUP_SIZE_BYTES {bytes}"));
    }
    if let Some(fpp) = policy.bloom_filter_fpp {
        // DuckDB refuses 0 and fails inside its writer above 1 (an allocation error), so the
        // range is checked here.
        if !(fpp.is_finite() && fpp > 0.0 && fpp < 1.0) {
            return Err(NativeError::invalid_argument(format!(
                "bloomFilterFpp must be a number between 0 and 1 (exclusive), not {fpp}"
            ))
            .with("option", "bloomFilterFpp"));
        }
        options.push(format!("BLOOM_FILTER_FALSE_POSITIVE_RATIO {fpp}"));
    }
    Ok(options)
}
