//! File actions: `add`, `remove`, `cdc`, and the deletion vector descriptor they carry.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{nullable_string_map, string_map as tags_map};

/// `deletionVector`: which rows of the data file are logically deleted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletionVector {
    /// `u` (relative path derived from a UUID), `i` (inline) or `p` (absolute path).
    pub storage_type: String,
    pub path_or_inline_dv: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i32>,
    pub size_in_bytes: i32,
    /// Number of rows this DV deletes.
    pub cardinality: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_row_index: Option<i64>,
}

impl DeletionVector {
    /// The derived `uniqueId`: `<storageType><pathOrInlineDv>[@<offset>]`.
    pub fn unique_id(&self) -> String {
        match self.offset {
            Some(offset) => format!("{}{}@{offset}", self.storage_type, self.path_or_inline_dv),
            None => format!("{}{}", self.storage_type, self.path_or_inline_dv),
        }
    }
}

fn yes() -> bool {
    true
}

/// `add`: a logical file (data file + optional DV) present in the table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Add {
    /// URI-encoded path (see [`crate::delta::uri`]).
    pub path: String,
    #[serde(default, deserialize_with = "nullable_string_map")]
    pub partition_values: BTreeMap<String, Option<String>>,
    pub size: i64,
    #[serde(default)]
    pub modification_time: Option<i64>,
    #[serde(default = "yes")]
    pub data_change: bool,
    /// Statistics as a JSON string (commits, and checkpoints with writeStatsAsJson).
    #[serde(default)]
    pub stats: Option<String>,
    /// Statistics as a struct (checkpoints with writeStatsAsStruct), rendered as JSON. The
    /// checkpoint column is snake_case.
    #[serde(default, rename = "stats_parsed")]
    pub stats_parsed: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "tags_map")]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub deletion_vector: Option<DeletionVector>,
    #[serde(default)]
    pub base_row_id: Option<i64>,
    #[serde(default)]
    pub default_row_commit_version: Option<i64>,
    #[serde(default)]
    pub clustering_provider: Option<String>,
}

impl Add {
    /// An `add` with only the fields a summary reads; the others as a parsed action that lacks
    /// them has them (no partition values, tags or row tracking; `dataChange` true).
    pub fn summary(
        path: String,
        size: i64,
        stats: Option<String>,
        stats_parsed: Option<serde_json::Value>,
        deletion_vector: Option<DeletionVector>,
    ) -> Add {
        Add {
            path,
            partition_values: BTreeMap::new(),
            size,
            modification_time: None,
            data_change: true,
            stats,
            stats_parsed,
            tags: BTreeMap::new(),
            deletion_vector,
            base_row_id: None,
            default_row_commit_version: None,
            clustering_provider: None,
        }
    }
}

/// `remove`: a tombstone for a logical file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Remove {
    pub path: String,
    #[serde(default)]
    pub deletion_timestamp: Option<i64>,
    #[serde(default = "yes")]
    pub data_change: bool,
    #[serde(default)]
    pub extended_file_metadata: Option<bool>,
    #[serde(default, deserialize_with = "nullable_string_map")]
    pub partition_values: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub size: Option<i64>,
    #[serde(default)]
    pub deletion_vector: Option<DeletionVector>,
    #[serde(default)]
    pub base_row_id: Option<i64>,
    #[serde(default)]
    pub default_row_commit_version: Option<i64>,
}

/// `cdc`: a change data file of one commit (never part of a snapshot's files).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cdc {
    pub path: String,
    #[serde(default, deserialize_with = "nullable_string_map")]
    pub partition_values: BTreeMap<String, Option<String>>,
    pub size: i64,
    #[serde(default)]
    pub data_change: bool,
    #[serde(default, deserialize_with = "tags_map")]
    pub tags: BTreeMap<String, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_id_follows_the_protocol() {
        let mut dv = DeletionVector {
            storage_type: "u".into(),
            path_or_inline_dv: "ab^-aqEH.-t@S}K{vb[*k^".into(),
            offset: Some(4),
            size_in_bytes: 40,
            cardinality: 6,
            max_row_index: None,
        };
        assert_eq!(dv.unique_id(), "uab^-aqEH.-t@S}K{vb[*k^@4");
        dv.offset = None;
        dv.storage_type = "i".into();
        assert_eq!(dv.unique_id(), "iab^-aqEH.-t@S}K{vb[*k^");
    }
}
