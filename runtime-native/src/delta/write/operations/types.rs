//! The operations, their options and results, and the table they run against.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use super::super::super::parquet::ParquetReader;
use super::super::super::storage::Storage;
use super::super::data::{DataSource, WritePolicy};
use crate::duckdb::Database;

/// `{appId, version}` of a `txn` action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TxnSpec {
    pub app_id: String,
    pub version: i64,
}

/// A domain metadata change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DomainSpec {
    pub domain: String,
    #[serde(default)]
    pub configuration: String,
    #[serde(default)]
    pub removed: bool,
}

/// Options every operation takes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommitOptions {
    /// Provenance recorded under `commitInfo.cpgc` (run_id, plan_id, ...).
    #[serde(default)]
    pub metadata: Map<String, Json>,
    pub txn: Option<TxnSpec>,
    #[serde(default)]
    pub domain_metadata: Vec<DomainSpec>,
    pub max_retries: Option<u32>,
    /// Write a checkpoint when the interval says so (default true).
    pub checkpoint: Option<bool>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "operation", rename_all = "camelCase", deny_unknown_fields)]
pub enum Operation {
    #[serde(rename_all = "camelCase")]
    Create {
        schema_string: String,
        #[serde(default)]
        partition_columns: Vec<String>,
        #[serde(default)]
        configuration: BTreeMap<String, String>,
        name: Option<String>,
        description: Option<String>,
        #[serde(default)]
        features: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Write {
        mode: WriteMode,
        source: DataSource,
        predicate: Option<String>,
        #[serde(default)]
        policy: WritePolicy,
    },
    #[serde(rename_all = "camelCase")]
    SetProperties {
        #[serde(default)]
        set: BTreeMap<String, String>,
        #[serde(default)]
        unset: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    AddColumns { fields: Vec<Json> },
    #[serde(rename_all = "camelCase")]
    EnableFeatures { features: Vec<String> },
    /// Only the commit options' domain metadata / txn.
    SetDomainMetadata,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WriteMode {
    Append,
    Overwrite,
    ReplaceWhere,
}

/// What an operation did (msgpack to the facade).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationResult {
    pub format_version: u32,
    pub operation: String,
    /// The committed version, or the current one when skipped.
    pub version: Option<u64>,
    /// True when the `txn` had already been committed: nothing was written.
    pub skipped: bool,
    pub attempts: u32,
    pub rebased_over: Vec<u64>,
    pub added_files: u64,
    pub removed_files: u64,
    pub num_added_records: u64,
    pub checkpoint_version: Option<u64>,
    pub cleaned_log_files: Vec<String>,
    pub warnings: Vec<String>,
}

/// The table and engines an operation works with.
pub struct Context<'a> {
    pub storage: &'a dyn Storage,
    pub root: &'a Path,
    pub parquet: &'a dyn ParquetReader,
    pub db: &'a mut Database,
}
