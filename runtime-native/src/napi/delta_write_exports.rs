//! The Delta write functions the addon exports (thin: read arguments, call
//! [`crate::delta::write`], encode). Declared as `deltaWrite`, `deltaCheckpoint`, `deltaVacuum`
//! in `runtime-native/ts/binding.ts`. `deltaVacuum` also runs the untracked-file cleanup
//! (`untracked: true`): both delete data files, and the binding's surface stays as declared.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::env::Env;
use super::handle;
use super::sys;
use crate::delta::duckdb_parquet::DuckdbParquet;
use crate::delta::storage::LocalStorage;
use crate::delta::write::ids::now_ms;
use crate::delta::write::operations::{checkpoint_now, run, CommitOptions, Context, Operation};
use crate::delta::write::untracked::cleanup_untracked;
use crate::delta::write::vacuum::vacuum;
use crate::delta::{load_snapshot, VersionSpec};
use crate::duckdb::{self, Database, OpenOptions};
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire;

const TYPE_UNDEFINED: i32 = 0;
const TYPE_NULL: i32 = 1;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WriteRequest {
    op: Operation,
    #[serde(default)]
    commit: CommitOptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VacuumOptions {
    retention_hours: Option<f64>,
    dry_run: Option<bool>,
    enforce_retention: Option<bool>,
    /// Delete only files no action in the log names ([`cleanup_untracked`]) instead.
    untracked: Option<bool>,
    /// With `untracked`: the minimum age of a file deleted (default 0).
    min_age_ms: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VacuumWire {
    format_version: u32,
    dry_run: bool,
    files: Vec<String>,
    retention_ms: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckpointWire {
    format_version: u32,
    version: u64,
    path: String,
    actions: u64,
    add_files: u64,
}

fn table_root(path: &str, create: bool) -> Result<PathBuf> {
    if path.is_empty() {
        return Err(
            NativeError::invalid_argument("tablePath is empty").with("argument", "tablePath")
        );
    }
    let root = PathBuf::from(path);
    if create {
        std::fs::create_dir_all(&root).map_err(|e| {
            NativeError::new(ErrorCode::StorageIo, format!("cannot create {path}: {e}"))
                .with("path", path)
        })?;
    } else if !root.is_dir() {
        return Err(NativeError::new(
            ErrorCode::DeltaTableNotFound,
            format!("{path} is not a Delta table: no such directory"),
        )
        .with("path", path));
    }
    Ok(root)
}

fn with_database<R>(
    env: &Env,
    db: sys::Value,
    lib_path: &str,
    f: impl FnOnce(&mut Database) -> Result<R>,
) -> Result<R> {
    let tag = env.type_of(db)?;
    if tag == TYPE_NULL || tag == TYPE_UNDEFINED {
        let mut database = Database::open(duckdb::load(lib_path)?, &OpenOptions::default())?;
        return f(&mut database);
    }
    handle::with_slot(env, db, |slot| {
        let database = slot.as_mut().ok_or_else(handle::closed)?;
        f(database)
    })
}

fn operate(
    root: &Path,
    lib_path: &str,
    database: &mut Database,
    request: &WriteRequest,
) -> Result<Vec<u8>> {
    let storage = LocalStorage::new(root);
    let parquet = DuckdbParquet::new(lib_path);
    let mut ctx = Context {
        storage: &storage,
        root,
        parquet: &parquet,
        db: database,
    };
    wire::encode(&run(&mut ctx, &request.op, &request.commit)?)
}

/// `deltaWrite(libPath, db: DatabaseHandle | null, tablePath, request: Buffer /* msgpack
/// {op, commit} */)` → msgpack `DeltaWriteResult`. With a null `db`, a fresh in-memory
/// database is used; with a handle, source SQL sees that session's tables and views.
pub fn delta_write(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, db, table_path, request] = env.args::<4>(info, "deltaWrite")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let table_path = env.string_arg(table_path, "tablePath")?;
    let request: WriteRequest = wire::decode(env.buffer_arg(request, "request")?, "request")?;
    let root = table_root(&table_path, matches!(request.op, Operation::Create(_)))?;
    let bytes = with_database(env, db, &lib_path, |database| {
        operate(&root, &lib_path, database, &request)
    })?;
    env.buffer(&bytes)
}

/// `deltaCheckpoint(libPath, tablePath)` → msgpack `{formatVersion, version, path, actions, addFiles}`.
pub fn delta_checkpoint(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, table_path] = env.args::<2>(info, "deltaCheckpoint")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let root = table_root(&env.string_arg(table_path, "tablePath")?, false)?;
    let storage = LocalStorage::new(&root);
    let parquet = DuckdbParquet::new(lib_path.clone());
    let mut database = Database::open(duckdb::load(&lib_path)?, &OpenOptions::default())?;
    let mut ctx = Context {
        storage: &storage,
        root: &root,
        parquet: &parquet,
        db: &mut database,
    };
    let written = checkpoint_now(&mut ctx)?;
    env.buffer(&wire::encode(&CheckpointWire {
        format_version: 1,
        version: written.version,
        path: written.path,
        actions: written.actions,
        add_files: written.add_files,
    })?)
}

/// `deltaVacuum(libPath, tablePath, options: Buffer /* msgpack {retentionHours?, dryRun?,
/// enforceRetention?} or {untracked: true, minAgeMs?, dryRun?} */)` → msgpack
/// `{formatVersion, dryRun, files, retentionMs}` (`retentionMs` = the minimum age with
/// `untracked`).
pub fn delta_vacuum(env: &Env, info: sys::CallbackInfo) -> Result<sys::Value> {
    let [lib_path, table_path, options] = env.args::<3>(info, "deltaVacuum")?;
    let lib_path = env.string_arg(lib_path, "libPath")?;
    let root = table_root(&env.string_arg(table_path, "tablePath")?, false)?;
    let options: VacuumOptions = wire::decode(env.buffer_arg(options, "options")?, "options")?;
    let storage = LocalStorage::new(&root);
    let parquet = DuckdbParquet::new(lib_path);
    let snapshot = load_snapshot(&storage, &parquet, VersionSpec::Latest)?;
    let dry_run = options.dry_run.unwrap_or(false);
    if options.untracked.unwrap_or(false) {
        if options.retention_hours.is_some() || options.enforce_retention.is_some() {
            return Err(NativeError::invalid_argument(
                "untracked cleanup takes minAgeMs, not retentionHours or enforceRetention",
            )
            .with("option", "untracked"));
        }
        let min_age_ms = match options.min_age_ms {
            Some(ms) if ms.is_finite() && ms >= 0.0 => ms as i64,
            Some(_) => {
                return Err(
                    NativeError::invalid_argument("minAgeMs must be a non-negative number")
                        .with("option", "minAgeMs"),
                )
            }
            None => 0,
        };
        let files = cleanup_untracked(
            &storage,
            &parquet,
            &root,
            &snapshot,
            min_age_ms,
            dry_run,
            now_ms(),
        )?;
        return env.buffer(&wire::encode(&VacuumWire {
            format_version: 1,
            dry_run,
            files,
            retention_ms: min_age_ms,
        })?);
    }
    if options.min_age_ms.is_some() {
        return Err(
            NativeError::invalid_argument("minAgeMs is an option of untracked cleanup")
                .with("option", "minAgeMs"),
        );
    }
    let retention_ms = match options.retention_hours {
        Some(h) if h.is_finite() && h >= 0.0 => Some((h * 3_600_000.0) as i64),
        Some(_) => {
            return Err(NativeError::invalid_argument(
                "retentionHours must be a non-negative number",
            )
            .with("option", "retentionHours"))
        }
        None => None,
    };
    let result = vacuum(
        &storage,
        &root,
        &snapshot,
        retention_ms,
        options.enforce_retention.unwrap_or(true),
        dry_run,
        now_ms(),
    )?;
    env.buffer(&wire::encode(&VacuumWire {
        format_version: 1,
        dry_run: result.dry_run,
        files: result.files,
        retention_ms: result.retention_ms,
    })?)
}
