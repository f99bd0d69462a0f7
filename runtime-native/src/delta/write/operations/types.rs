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
    /// The version the caller last saw (e.g. a plan's pin): the operation reads the table only
    /// when its latest version is this one, and a lost commit race fails instead of rebasing —
    /// both `DELTA_VERSION_MOVED` (`details.expected`, `details.actual`). Not for a create
    /// (put-if-absent on version 0 already fails with `DELTA_TABLE_EXISTS`).
    pub expected_version: Option<u64>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "operation", rename_all = "camelCase", deny_unknown_fields)]
pub enum Operation {
    Create(CreateSpec),
    #[serde(rename_all = "camelCase")]
    Write {
        mode: WriteMode,
        source: DataSource,
        predicate: Option<String>,
        #[serde(default)]
        policy: WritePolicy,
    },
    /// Schema, partitioning, properties, features and a write, in one commit.
    Update(UpdateSpec),
    #[serde(rename_all = "camelCase")]
    SetProperties {
        #[serde(default)]
        set: BTreeMap<String, String>,
        #[serde(default)]
        unset: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    AddColumns {
        fields: Vec<Json>,
    },
    #[serde(rename_all = "camelCase")]
    EnableFeatures {
        features: Vec<String>,
    },
    /// Only the commit options' domain metadata / txn.
    SetDomainMetadata,
}

/// A new table (version 0), optionally with its first rows (create table as select).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSpec {
    pub schema_string: String,
    #[serde(default)]
    pub partition_columns: Vec<String>,
    #[serde(default)]
    pub configuration: BTreeMap<String, String>,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub features: Vec<String>,
    pub data: Option<CreateData>,
}

/// The rows a create writes into version 0.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateData {
    pub source: DataSource,
    #[serde(default)]
    pub policy: WritePolicy,
}

/// The new logical schema of an update (top-level fields, without column-mapping metadata).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchemaChange {
    pub schema_string: String,
    /// New name → old name.
    #[serde(default)]
    pub renames: BTreeMap<String, String>,
}

/// The write of an update, executed against the updated schema and partitioning.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WriteSpec {
    pub mode: WriteMode,
    pub source: DataSource,
    pub predicate: Option<String>,
    #[serde(default)]
    pub policy: WritePolicy,
}

/// An update: every part is optional; all of them go into one commit.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateSpec {
    pub schema: Option<SchemaChange>,
    pub partition_columns: Option<Vec<String>>,
    #[serde(default)]
    pub set: BTreeMap<String, String>,
    #[serde(default)]
    pub unset: Vec<String>,
    #[serde(default)]
    pub features: Vec<String>,
    pub write: Option<WriteSpec>,
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
