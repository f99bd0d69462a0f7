//! Classic single-file Parquet checkpoints (`n.checkpoint.parquet`) and `_last_checkpoint`.
//!
//! The snapshot's protocol, metadata, txns, domain metadata and active files are written as
//! JSON lines to a hidden temporary file, turned into Parquet by DuckDB (`read_json` with the
//! checkpoint schema → `COPY ... TO`), and renamed into place (atomic on a local file system; a
//! checkpoint is idempotent, so a concurrent writer producing the same one is harmless).
//! Remove tombstones younger than `delta.deletedFileRetentionDuration` (default 7 days) are
//! written as `remove` rows with their `deletionTimestamp` (vacuum and other writers see them
//! after the commits are cleaned up); expired ones are dropped, as the protocol allows.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::super::actions::{Add, Remove};
use super::super::log_files::{padded, LAST_CHECKPOINT, LOG_DIR};
use super::super::snapshot::Snapshot;
use super::cleanup::duration_property;
use super::data::sql_string;
use super::ids::{now_ms, uuid_v4};
use super::vacuum::DEFAULT_DELETED_FILE_RETENTION_MS;
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};

const DV: &str = "STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, \"offset\" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)";

fn columns() -> String {
    let cols = [
        ("txn", "STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)".to_string()),
        ("add", format!("STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags MAP(VARCHAR, VARCHAR), deletionVector {DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT, clusteringProvider VARCHAR)")),
        ("remove", format!("STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, deletionVector {DV})")),
        ("metaData", "STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT)".to_string()),
        ("protocol", "STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])".to_string()),
        ("domainMetadata", "STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)".to_string()),
    ];
    let inner = cols
        .iter()
        .map(|(name, ty)| format!("{}: {}", sql_string(name), sql_string(ty)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{{{inner}}}")
}

fn add_json(add: &Add) -> Value {
    let stats = add
        .stats
        .clone()
        .or_else(|| add.stats_parsed.as_ref().map(ToString::to_string));
    json!({
        "path": add.path,
        "partitionValues": add.partition_values,
        "size": add.size,
        "modificationTime": add.modification_time.unwrap_or(0),
        "dataChange": false,
        "stats": stats,
        "tags": if add.tags.is_empty() { Value::Null } else { json!(add.tags) },
        "deletionVector": add.deletion_vector,
        "baseRowId": add.base_row_id,
        "defaultRowCommitVersion": add.default_row_commit_version,
        "clusteringProvider": add.clustering_provider,
    })
}

fn remove_json(remove: &Remove) -> Value {
    json!({
        "path": remove.path,
        "deletionTimestamp": remove.deletion_timestamp,
        "dataChange": false,
        "extendedFileMetadata": remove.extended_file_metadata,
        "partitionValues": remove.partition_values,
        "size": remove.size,
        "deletionVector": remove.deletion_vector,
    })
}

fn io(what: &str, path: &Path, e: &std::io::Error) -> NativeError {
    NativeError::new(
        ErrorCode::StorageIo,
        format!("cannot {what} {}: {e}", path.display()),
    )
    .with("path", path.display().to_string())
}

fn utf8(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| NativeError::invalid_argument("the table path is not UTF-8"))
}

/// Writes a file atomically (temporary file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        uuid_v4()
    ));
    std::fs::write(&temp, bytes).map_err(|e| io("write", &temp, &e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io("rename", path, &e)
    })
}

/// What a checkpoint write produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointWritten {
    pub version: u64,
    pub path: String,
    pub actions: u64,
    pub add_files: u64,
}

/// Writes the checkpoint of `snapshot` under the table at `root`, then `_last_checkpoint`.
pub fn write_checkpoint(
    db: &mut Database,
    root: &Path,
    snapshot: &Snapshot,
) -> Result<CheckpointWritten> {
    let retention = duration_property(
        &snapshot.metadata.configuration,
        "delta.deletedFileRetentionDuration",
        DEFAULT_DELETED_FILE_RETENTION_MS,
    )?;
    let cutoff = now_ms().saturating_sub(retention);
    let log = root.join(LOG_DIR);
    let mut lines = vec![
        json!({ "protocol": snapshot.protocol }).to_string(),
        json!({ "metaData": snapshot.metadata }).to_string(),
    ];
    for txn in snapshot.txns.values() {
        lines.push(json!({ "txn": txn }).to_string());
    }
    for domain in snapshot.domains.values() {
        lines.push(json!({ "domainMetadata": domain }).to_string());
    }
    for file in &snapshot.files {
        lines.push(json!({ "add": add_json(&file.add) }).to_string());
    }
    for remove in snapshot
        .tombstones
        .iter()
        .filter(|r| r.deletion_timestamp.is_none_or(|t| t >= cutoff))
    {
        lines.push(json!({ "remove": remove_json(remove) }).to_string());
    }
    let id = uuid_v4();
    let json_temp: PathBuf = log.join(format!(".cpgc-checkpoint-{id}.json.tmp"));
    let parquet_temp: PathBuf = log.join(format!(".cpgc-checkpoint-{id}.parquet.tmp"));
    let mut body = lines.join("\n");
    body.push('\n');
    std::fs::write(&json_temp, body).map_err(|e| io("write", &json_temp, &e))?;
    let sql = format!(
        "COPY (SELECT txn, \"add\", remove, metaData, protocol, domainMetadata FROM read_json({}, columns = {}, format = 'newline_delimited', maximum_object_size = 1073741824)) TO {} (FORMAT parquet, COMPRESSION zstd)",
        sql_string(utf8(&json_temp)?),
        columns(),
        sql_string(utf8(&parquet_temp)?)
    );
    let copied = db.query(&sql);
    let _ = std::fs::remove_file(&json_temp);
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&parquet_temp);
        return Err(e);
    }
    let name = format!("{}.checkpoint.parquet", padded(snapshot.version));
    let target = log.join(&name);
    std::fs::rename(&parquet_temp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&parquet_temp);
        io("rename", &target, &e)
    })?;
    let size_in_bytes = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    let hint = json!({
        "version": snapshot.version,
        "size": lines.len(),
        "sizeInBytes": size_in_bytes,
        "numOfAddFiles": snapshot.files.len(),
    });
    write_atomic(&root.join(LAST_CHECKPOINT), hint.to_string().as_bytes())?;
    Ok(CheckpointWritten {
        version: snapshot.version,
        path: format!("{LOG_DIR}/{name}"),
        actions: lines.len() as u64,
        add_files: snapshot.files.len() as u64,
    })
}
