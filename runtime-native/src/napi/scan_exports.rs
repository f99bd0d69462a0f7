//! The scan functions the addon exports: `deltaScan` (a snapshot as SQL, pruned by a predicate)
//! and `deltaChanges` (the change data feed of a version range as SQL). Stateless: each call
//! loads the snapshot, decodes deletion vectors, reads the data files' layouts with a private
//! DuckDB database and returns the plan as msgpack; the caller runs the SQL in its database.
//! TypeScript declarations: `runtime-native/ts/binding.ts`; facade: `runtime-native/ts/scan.ts`.

use serde::Deserialize;

use super::env::Env;
use super::sys;
use crate::delta::duckdb_parquet::DuckdbParquet;
use crate::delta::storage::LocalStorage;
use crate::delta::{load_snapshot, VersionSpec};
use crate::error::{ErrorCode, NativeError, Result};
use crate::scan::changes::plan_changes;
use crate::scan::layout::DuckdbLayouts;
use crate::scan::plan_scan;
use crate::wire;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ScanOptions {
    version: Option<u64>,
    timestamp_ms: Option<i64>,
    predicate: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ChangesOptions {
    from: u64,
    to: Option<u64>,
}

fn open_table(path: &str) -> Result<LocalStorage> {
    if path.is_empty() {
        return Err(
            NativeError::invalid_argument("tablePath is empty").with("argument", "tablePath")
        );
    }
    if !std::path::Path::new(path).is_dir() {
        return Err(NativeError::new(
            ErrorCode::DeltaTableNotFound,
            format!("{path} is not a Delta table: no such directory"),
        )
        .with("path", path));
    }
    Ok(LocalStorage::new(path))
}

/// `deltaScan(libPath, tablePath, options: msgpack {version?, timestampMs?, predicate?})` →
/// msgpack `ScanPlan`.
pub fn delta_scan(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, table_path, options] = env.args::<3>(info, "deltaScan")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let table_path = env.string_arg(table_path, "tablePath")?;
    let options: ScanOptions = wire::decode(env.buffer_arg(options, "options")?, "options")?;
    let spec = match (options.version, options.timestamp_ms) {
        (Some(_), Some(_)) => {
            return Err(NativeError::invalid_argument(
                "give either version or timestampMs, not both",
            )
            .with("option", "version"))
        }
        (Some(v), None) => VersionSpec::Version(v),
        (None, Some(t)) => VersionSpec::Timestamp(t),
        (None, None) => VersionSpec::Latest,
    };
    let storage = open_table(&table_path)?;
    let snapshot = load_snapshot(&storage, &DuckdbParquet::new(lib_path.clone()), spec)?;
    let layouts = DuckdbLayouts { library: &lib_path };
    let plan = plan_scan(&snapshot, &storage, &layouts, options.predicate.as_deref())?;
    env.buffer(&wire::encode(&plan)?)
}

/// `deltaChanges(libPath, tablePath, options: msgpack {from, to?})` → msgpack `ChangesPlan`.
pub fn delta_changes(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, table_path, options] = env.args::<3>(info, "deltaChanges")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let table_path = env.string_arg(table_path, "tablePath")?;
    let options: ChangesOptions = wire::decode(env.buffer_arg(options, "options")?, "options")?;
    let storage = open_table(&table_path)?;
    let spec = options.to.map_or(VersionSpec::Latest, VersionSpec::Version);
    let end = load_snapshot(&storage, &DuckdbParquet::new(lib_path.clone()), spec)?;
    let layouts = DuckdbLayouts { library: &lib_path };
    let plan = plan_changes(&end, &storage, &layouts, options.from)?;
    env.buffer(&wire::encode(&plan)?)
}
