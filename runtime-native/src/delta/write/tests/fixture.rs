//! A table in a temporary directory, written and read with the real libduckdb from node_modules
//! (tests return early, with a note, when it is absent — as the DuckDB tests do).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::super::super::duckdb_parquet::DuckdbParquet;
use super::super::super::log_files::commit_path;
use super::super::super::snapshot::{load_snapshot, Snapshot, VersionSpec};
use super::super::super::storage::{FileMeta, LocalStorage, PutOutcome, Storage};
use super::super::data_files::list_data_files;
use super::super::ids::now_ms;
use super::super::ids::uuid_v4;
use super::super::operations::{
    checkpoint_now, run, CommitOptions, Context, Operation, OperationResult,
};
use super::super::untracked::cleanup_untracked;
use crate::duckdb::{Database, OpenOptions};
use crate::error::{NativeError, Result};
use crate::scan::layout::DuckdbLayouts;
use crate::scan::plan_scan;
use crate::wire::Value;

pub(super) struct Table {
    pub(super) root: PathBuf,
    lib: String,
    db: Database,
}

/// A fresh directory for a table (no table yet), or `None` without libduckdb.
pub(super) fn table() -> Option<Table> {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so");
    if !lib.exists() {
        eprintln!(
            "note: {} is absent (run npm ci); skipping DuckDB test",
            lib.display()
        );
        return None;
    }
    let lib = lib.to_str().expect("utf-8 path").to_string();
    let api = crate::duckdb::load(&lib).expect("libduckdb loads");
    let db = Database::open(
        api,
        &OpenOptions {
            threads: Some(1),
            // The checkpoint writer's `read_json` reserves more than a small limit allows.
            memory_limit: None,
        },
    )
    .expect("opens");
    let root = std::env::temp_dir().join(format!("cpgc-write-test-{}", uuid_v4()));
    std::fs::create_dir_all(&root).expect("temp dir");
    Some(Table { root, lib, db })
}

impl Drop for Table {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn op(op: Json) -> Operation {
    serde_json::from_value(op).expect("a valid operation")
}

fn options(commit: Json) -> CommitOptions {
    serde_json::from_value(commit).expect("valid commit options")
}

impl Table {
    /// Runs an operation (JSON as the facade sends it) with commit options.
    pub(super) fn run(&mut self, operation: Json, commit: Json) -> Result<OperationResult> {
        let storage = LocalStorage::new(&self.root);
        self.run_on(&storage, operation, commit)
    }

    /// Runs an operation over `storage` (e.g. a [`Racing`] one).
    pub(super) fn run_on(
        &mut self,
        storage: &dyn Storage,
        operation: Json,
        commit: Json,
    ) -> Result<OperationResult> {
        let parquet = DuckdbParquet::new(self.lib.clone());
        let mut ctx = Context {
            storage,
            root: &self.root,
            parquet: &parquet,
            db: &mut self.db,
        };
        run(&mut ctx, &op(operation), &options(commit))
    }

    pub(super) fn snapshot(&self) -> Snapshot {
        self.snapshot_at(VersionSpec::Latest)
    }

    pub(super) fn snapshot_at(&self, spec: VersionSpec) -> Snapshot {
        load_snapshot(
            &LocalStorage::new(&self.root),
            &DuckdbParquet::new(self.lib.clone()),
            spec,
        )
        .expect("snapshot loads")
    }

    /// Rows of `SQL` as `|`-joined text (NULL as `NULL`).
    pub(super) fn rows(&mut self, sql: &str) -> Vec<String> {
        let result = self
            .db
            .query(&format!(
                "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM ({sql}) AS __t"
            ))
            .unwrap_or_else(|e| panic!("{sql}: {}", e.message));
        result
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| match v {
                        Value::Str(s) => s.clone(),
                        _ => "NULL".to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    /// `SELECT select FROM <scan of version> ORDER BY order` through the scan path.
    pub(super) fn scan_at(&mut self, spec: VersionSpec, select: &str, order: &str) -> Vec<String> {
        let snapshot = self.snapshot_at(spec);
        let lib = self.lib.clone();
        let plan = plan_scan(
            &snapshot,
            &LocalStorage::new(&self.root),
            &DuckdbLayouts { library: &lib },
            None,
        )
        .expect("scan plans");
        self.rows(&format!(
            "SELECT {select} FROM ({}) ORDER BY {order}",
            plan.sql
        ))
    }

    pub(super) fn scan(&mut self, select: &str, order: &str) -> Vec<String> {
        self.scan_at(VersionSpec::Latest, select, order)
    }

    /// The actions of commit `version` as `(kind, body)`.
    pub(super) fn actions(&self, version: u64) -> Vec<(String, Json)> {
        let text = std::fs::read_to_string(self.root.join(commit_path(version))).expect("commit");
        text.lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let value: Json = serde_json::from_str(l).expect("json line");
                let (kind, body) = value
                    .as_object()
                    .and_then(|o| o.iter().next())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .expect("one action");
                (kind, body)
            })
            .collect()
    }

    pub(super) fn kinds(&self, version: u64) -> Vec<String> {
        self.actions(version).into_iter().map(|(k, _)| k).collect()
    }

    pub(super) fn commit_info(&self, version: u64) -> Json {
        self.actions(version)
            .into_iter()
            .find(|(k, _)| k == "commitInfo")
            .map(|(_, b)| b)
            .expect("commitInfo")
    }

    /// Every data file under the root (vacuum's listing).
    pub(super) fn data_files(&self) -> Vec<String> {
        list_data_files(&self.root, &[])
            .into_iter()
            .map(|f| f.path)
            .collect()
    }

    /// Writes a checkpoint of the latest version; returns its version.
    pub(super) fn checkpoint(&mut self) -> u64 {
        let storage = LocalStorage::new(&self.root);
        let parquet = DuckdbParquet::new(self.lib.clone());
        let mut ctx = Context {
            storage: &storage,
            root: &self.root,
            parquet: &parquet,
            db: &mut self.db,
        };
        checkpoint_now(&mut ctx).expect("checkpoint").version
    }

    /// Runs the untracked-file cleanup.
    pub(super) fn cleanup_untracked(&self, min_age_ms: i64, dry_run: bool) -> Result<Vec<String>> {
        let storage = LocalStorage::new(&self.root);
        let parquet = DuckdbParquet::new(self.lib.clone());
        let snapshot = load_snapshot(&storage, &parquet, VersionSpec::Latest)?;
        cleanup_untracked(
            &storage,
            &parquet,
            &self.root,
            &snapshot,
            min_age_ms,
            dry_run,
            now_ms(),
        )
    }
}

type Competitor<'a> = Box<dyn FnOnce(&LocalStorage) + 'a>;

/// Storage that lets a competitor act right before the first commit attempt (the race a real
/// concurrent writer wins).
pub(super) struct Racing<'a> {
    inner: LocalStorage,
    before: RefCell<Option<Competitor<'a>>>,
}

impl<'a> Racing<'a> {
    pub(super) fn new(root: &Path, competitor: impl FnOnce(&LocalStorage) + 'a) -> Racing<'a> {
        Racing {
            inner: LocalStorage::new(root),
            before: RefCell::new(Some(Box::new(competitor))),
        }
    }
}

impl Storage for Racing<'_> {
    fn list_from(&self, dir: &str, start: &str) -> Result<Vec<FileMeta>> {
        self.inner.list_from(dir, start)
    }
    fn read(&self, path: &str) -> Result<Vec<u8>> {
        self.inner.read(path)
    }
    fn put_if_absent(&self, path: &str, bytes: &[u8]) -> Result<PutOutcome> {
        if let Some(competitor) = self.before.borrow_mut().take() {
            competitor(&self.inner);
        }
        self.inner.put_if_absent(path, bytes)
    }
    fn local_path(&self, path: &str) -> Option<PathBuf> {
        self.inner.local_path(path)
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// Writes commit `version` with the given action lines (a competitor's commit).
pub(super) fn commit_lines(storage: &dyn Storage, version: u64, lines: &[Json]) {
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    assert_eq!(
        storage
            .put_if_absent(&commit_path(version), body.as_bytes())
            .expect("competitor commits"),
        PutOutcome::Created
    );
}

pub(super) fn code(result: Result<OperationResult>) -> NativeError {
    match result {
        Ok(r) => panic!("expected an error, got {r:?}"),
        Err(e) => e,
    }
}
