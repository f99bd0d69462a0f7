//! The Delta functions the addon exports: read arguments, call into [`crate::delta`], encode.
//! Stateless: every call opens the table, rebuilds what it needs and returns msgpack. The
//! TypeScript declarations are `deltaSnapshot` / `deltaHistory` in `runtime-native/ts/binding.ts`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::env::Env;
use super::sys;
use crate::delta::duckdb_parquet::DuckdbParquet;
use crate::delta::history::{history, HistoryEntry};
use crate::delta::snapshot_wire::{snapshot_wire, FileSelection};
use crate::delta::storage::LocalStorage;
use crate::delta::{load_snapshot, VersionSpec};
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SnapshotOptions {
    version: Option<u64>,
    timestamp_ms: Option<i64>,
    files: Option<FileSelection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HistoryOptions {
    limit: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryWire<'a> {
    format_version: u32,
    table_root: &'a str,
    entries: Vec<HistoryEntry>,
}

/// The table at `path`, which must be an existing directory.
fn open_table(path: &str) -> Result<LocalStorage> {
    if path.is_empty() {
        return Err(
            NativeError::invalid_argument("tablePath is empty").with("argument", "tablePath")
        );
    }
    if !Path::new(path).is_dir() {
        return Err(NativeError::new(
            ErrorCode::DeltaTableNotFound,
            format!("{path} is not a Delta table: no such directory"),
        )
        .with("path", path));
    }
    Ok(LocalStorage::new(path))
}

/// `deltaSnapshot(libPath, tablePath, options: Buffer /* msgpack {version?, timestampMs?, files?} */)`
/// → msgpack `DeltaSnapshot`.
pub fn delta_snapshot(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, table_path, options] = env.args::<3>(info, "deltaSnapshot")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let table_path = env.string_arg(table_path, "tablePath")?;
    let options: SnapshotOptions = wire::decode(env.buffer_arg(options, "options")?, "options")?;
    let spec = match (options.version, options.timestamp_ms) {
        (Some(_), Some(_)) => {
            return Err(NativeError::invalid_argument(
                "give either version or timestampMs, not both",
            )
            .with("option", "version"))
        }
        (Some(version), None) => VersionSpec::Version(version),
        (None, Some(timestamp)) => VersionSpec::Timestamp(timestamp),
        (None, None) => VersionSpec::Latest,
    };
    let storage = open_table(&table_path)?;
    let parquet = DuckdbParquet::new(lib_path);
    let snapshot = load_snapshot(&storage, &parquet, spec)?;
    let selection = options.files.unwrap_or_default();
    env.buffer(&wire::encode(&snapshot_wire(
        &snapshot, &storage, selection,
    )?)?)
}

/// `deltaHistory(libPath, tablePath, options: Buffer /* msgpack {limit?} */)` → msgpack
/// `{formatVersion, tableRoot, entries: [{version, timestamp, inCommitTimestamp, commitInfo}]}`,
/// newest first.
pub fn delta_history(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, table_path, options] = env.args::<3>(info, "deltaHistory")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let table_path = env.string_arg(table_path, "tablePath")?;
    let options: HistoryOptions = wire::decode(env.buffer_arg(options, "options")?, "options")?;
    let storage = open_table(&table_path)?;
    let parquet = DuckdbParquet::new(lib_path);
    let limit = options
        .limit
        .map(|l| usize::try_from(l).unwrap_or(usize::MAX));
    let entries = history(&storage, &parquet, limit)?;
    env.buffer(&wire::encode(&HistoryWire {
        format_version: 1,
        table_root: &table_path,
        entries,
    })?)
}
