//! The Delta functions the addon exports: read arguments, call into [`crate::delta`], encode.
//! Stateless: every call opens the table(s), rebuilds what it needs and returns msgpack (the
//! only thing kept between calls is the pool of DuckDB databases that read Parquet
//! checkpoints). The TypeScript declarations are `deltaSnapshot` / `deltaObserve` /
//! `deltaHistory` in `runtime-native/ts/binding.ts`.

use serde::{Deserialize, Serialize};

use super::env::Env;
use super::sys;
use crate::delta::batch::{load_for_selection, observe_tables, open_table, Txns, MAX_THREADS};
use crate::delta::duckdb_parquet::DuckdbParquet;
use crate::delta::history::{history, HistoryEntry};
use crate::delta::snapshot_wire::{
    snapshot_wire, table_summary_wire, FileSelection, TableSummaryWire,
};
use crate::delta::VersionSpec;
use crate::error::{NativeError, Result};
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
    let selection = options.files.unwrap_or_default();
    let snapshot = load_for_selection(&storage, &parquet, spec, selection, Txns::All)?;
    env.buffer(&wire::encode(&snapshot_wire(
        &snapshot, &storage, selection,
    )?)?)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ObserveRequest {
    tables: Vec<String>,
    files: Option<FileSelection>,
    threads: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorWire {
    code: &'static str,
    message: String,
    details: std::collections::BTreeMap<&'static str, String>,
}

impl ErrorWire {
    fn of(error: &NativeError) -> ErrorWire {
        ErrorWire {
            code: error.code.as_str(),
            message: error.message.clone(),
            details: error.details.iter().cloned().collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableWire<'a> {
    table_path: &'a str,
    table: Option<TableSummaryWire<'a>>,
    error: Option<ErrorWire>,
}

/// `deltaObserve(libPath, request: Buffer /* msgpack {tables: string[], files?, threads?} */)`
/// → msgpack `{formatVersion, tables: [{tablePath, table: DeltaTableSummary | null, error:
/// {code, message, details} | null}]}` in the order asked: the latest state of many tables
/// (metadata, totals, domains, the newest commit's commitInfo and txns; default `files:
/// "none"`), loaded on `threads` threads (default: the machine's parallelism). A table's failure
/// is its `error`; the call itself fails only for bad arguments.
pub fn delta_observe(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, request] = env.args::<2>(info, "deltaObserve")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let request: ObserveRequest = wire::decode(env.buffer_arg(request, "request")?, "request")?;
    let threads = match request.threads {
        Some(0) => {
            return Err(NativeError::invalid_argument("threads must be at least 1")
                .with("option", "threads"))
        }
        Some(n) => usize::try_from(n).unwrap_or(MAX_THREADS),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let selection = match request.files.unwrap_or(FileSelection::None) {
        FileSelection::All => {
            return Err(NativeError::invalid_argument(
                "observing lists at most the files without a numRecords statistic (files: none or withoutNumRecords)",
            )
            .with("option", "files"))
        }
        other => other,
    };
    // Each table is encoded where it is loaded; only its bytes are kept.
    let tables = observe_tables(
        &request.tables,
        &lib_path,
        selection,
        Txns::NewestCommit,
        threads,
        |path, loaded| {
            let wire = loaded.and_then(|(storage, snapshot)| {
                wire::encode(&TableWire {
                    table_path: path,
                    table: Some(table_summary_wire(&snapshot, storage, selection)?),
                    error: None,
                })
            });
            wire.or_else(|e| {
                wire::encode(&TableWire {
                    table_path: path,
                    table: None,
                    error: Some(ErrorWire::of(&e)),
                })
            })
        },
    )
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    env.buffer(&observe_wire(&tables))
}

/// msgpack `{formatVersion: 1, tables: [...]}` around already encoded table entries (as
/// `wire::encode` of `ObserveWire` would write it).
fn observe_wire(tables: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + tables.iter().map(Vec::len).sum::<usize>());
    out.push(0x82); // a map of two entries
    out.push(0xa0 | 13);
    out.extend_from_slice(b"formatVersion");
    out.push(1);
    out.push(0xa0 | 6);
    out.extend_from_slice(b"tables");
    match u32::try_from(tables.len()) {
        Ok(n) if n < 16 => out.push(0x90 | n as u8),
        Ok(n) if n <= u32::from(u16::MAX) => {
            out.push(0xdc);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        Ok(n) => {
            out.push(0xdd);
            out.extend_from_slice(&n.to_be_bytes());
        }
        Err(_) => {
            out.push(0xdd);
            out.extend_from_slice(&u32::MAX.to_be_bytes());
        }
    }
    for table in tables {
        out.extend_from_slice(table);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_observation_frame_is_what_rmp_serde_writes() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Entry {
            table_path: String,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Whole {
            format_version: u32,
            tables: Vec<Entry>,
        }
        for n in [0usize, 1, 15, 16, 300, 70_000] {
            let entries: Vec<Entry> = (0..n)
                .map(|i| Entry {
                    table_path: format!("t{i}"),
                })
                .collect();
            let encoded: Vec<Vec<u8>> = entries.iter().map(|e| wire::encode(e).unwrap()).collect();
            let whole = wire::encode(&Whole {
                format_version: 1,
                tables: entries,
            })
            .unwrap();
            assert_eq!(observe_wire(&encoded), whole, "{n} tables");
        }
    }
}
