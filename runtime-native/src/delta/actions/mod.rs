//! The actions of the Delta log (PROTOCOL.md, "Actions"), and parsing them from newline-delimited
//! JSON (commits, JSON checkpoints) or from checkpoint rows rendered as JSON objects.
//!
//! Unknown actions and unknown fields are ignored, as the protocol requires. A line that is not a
//! JSON object, or a known action with ill-typed fields, is a `DELTA_LOG_CORRUPT` error naming the
//! file, the version and the 1-based line.

mod file;
mod parse;

pub use file::{Add, Cdc, DeletionVector, Remove};
pub use parse::{
    parse_action_lines, parse_action_rows, parse_action_value, parse_action_values, ActionSource,
};

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// `protocol`: the reader/writer versions and table features a client must implement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Protocol {
    pub min_reader_version: i32,
    pub min_writer_version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_features: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer_features: Option<Vec<String>>,
}

/// `metaData.format`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Format {
    #[serde(default = "parquet")]
    pub provider: String,
    #[serde(default, deserialize_with = "string_map")]
    pub options: BTreeMap<String, String>,
}

fn parquet() -> String {
    "parquet".to_string()
}

impl Default for Format {
    fn default() -> Self {
        Format {
            provider: parquet(),
            options: BTreeMap::new(),
        }
    }
}

/// `metaData`: schema, partition columns and table properties.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "or_default")]
    pub format: Format,
    pub schema_string: String,
    #[serde(default, deserialize_with = "or_default")]
    pub partition_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<i64>,
    #[serde(default, deserialize_with = "string_map")]
    pub configuration: BTreeMap<String, String>,
}

/// `txn`: the latest version an application committed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Txn {
    pub app_id: String,
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<i64>,
}

/// `domainMetadata`: configuration of a named metadata domain (`removed` = tombstone).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainMetadata {
    pub domain: String,
    pub configuration: String,
    #[serde(default, deserialize_with = "or_default")]
    pub removed: bool,
}

/// `checkpointMetadata` (V2 checkpoints only).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckpointMetadata {
    pub version: i64,
    #[serde(default, deserialize_with = "string_map")]
    pub tags: BTreeMap<String, String>,
}

/// `sidecar` (V2 checkpoints only): a Parquet file in `_delta_log/_sidecars` with file actions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sidecar {
    pub path: String,
    #[serde(default)]
    pub size_in_bytes: Option<i64>,
    #[serde(default)]
    pub modification_time: Option<i64>,
}

/// One action of the log.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Protocol(Protocol),
    Metadata(Metadata),
    Add(Box<Add>),
    Remove(Box<Remove>),
    Cdc(Box<Cdc>),
    Txn(Txn),
    /// `commitInfo` is free-form JSON (provenance); kept as is.
    CommitInfo(serde_json::Value),
    DomainMetadata(DomainMetadata),
    CheckpointMetadata(CheckpointMetadata),
    Sidecar(Sidecar),
}

/// A JSON `null` becomes the type's default.
fn or_default<'de, D, T>(deserializer: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A string map that may be `null`, and whose `null` values are dropped (Parquet maps may hold
/// null values where the JSON form omits the key).
pub(crate) fn string_map<'de, D>(
    deserializer: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error>
where
    D: Deserializer<'de>,
{
    let map: Option<BTreeMap<String, Option<String>>> = Option::deserialize(deserializer)?;
    Ok(map
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect())
}

/// A string map whose values may be `null` (partition values: `null` is a null partition).
pub(crate) fn nullable_string_map<'de, D>(
    deserializer: D,
) -> std::result::Result<BTreeMap<String, Option<String>>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::deserialize(deserializer)?.unwrap_or_default())
}
