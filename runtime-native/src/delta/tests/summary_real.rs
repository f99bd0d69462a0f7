//! Reading less states the same, on real Parquet checkpoints read by DuckDB: for every table of
//! the shared corpus (`../shared/corpus/delta`: Spark, delta-rs and kernel tables — classic,
//! multi-part and V2 checkpoints, sidecars, struct statistics, deletion vectors, a stale
//! `_last_checkpoint`) at every version, a snapshot whose checkpoint was read with
//! `FileSummary` or `Totals` has exactly the metadata, protocol, domains, totals, newest commit
//! and log segment of the full read; `NonFile` reads exactly the full read's non-file actions;
//! the batch read of many checkpoint files returns, file by file, what reading each alone
//! returns; and the batch observation of all tables states what one load per table states.
//! The generated tables of `write/tests/summary_reads.rs` use the same checks.
//!
//! Without libduckdb (node_modules) or the corpus, the tests return early with a note.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::super::actions::Action;
use super::super::batch::{load_for_selection, observe_tables, Txns};
use super::super::checkpoint::{read_checkpoint, read_checkpoint_projected};
use super::super::duckdb_parquet::{read_many, read_natively, read_with_duckdb, DuckdbParquet};
use super::super::log_segment::list_log;
use super::super::parquet::{ParquetReader, Projection};
use super::super::snapshot::{load_snapshot, load_snapshot_projected, Snapshot, VersionSpec};
use super::super::snapshot_wire::{snapshot_wire, table_summary_wire, FileSelection};
use super::super::stats::num_records;
use super::super::storage::{LocalStorage, Storage};
use crate::error::Result;

/// libduckdb from node_modules, or `None` (with a note) when it is absent.
pub(crate) fn library() -> Option<String> {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so");
    if !lib.exists() {
        eprintln!("note: {} is absent (run npm ci); skipping", lib.display());
        return None;
    }
    lib.to_str().map(str::to_string)
}

/// The table roots of the shared corpus, sorted, or `None` (with a note) when it is absent.
fn corpus_tables() -> Option<Vec<PathBuf>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/delta");
    let Ok(entries) = std::fs::canonicalize(&corpus).and_then(std::fs::read_dir) else {
        eprintln!("note: {} is absent; skipping", corpus.display());
        return None;
    };
    let mut tables: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("delta"))
        .filter(|p| p.join("_delta_log").is_dir())
        .collect();
    tables.sort();
    Some(tables)
}

/// What a table summary states (everything `observeDeltaTables` returns for it).
fn summary(snapshot: &Snapshot, storage: &dyn Storage, selection: FileSelection) -> Json {
    let wire = table_summary_wire(snapshot, storage, selection).expect("summary wire");
    serde_json::to_value(wire).expect("json")
}

/// What totals count of each active file: path, DV id, size, numRecords, DV cardinality.
type FileFacts = (String, Option<String>, i64, Option<i64>, i64);

fn facts(snapshot: &Snapshot) -> Vec<FileFacts> {
    snapshot
        .files
        .iter()
        .map(|f| {
            (
                f.location.as_str().to_string(),
                f.dv_id.clone(),
                f.add.size,
                num_records(&f.add).ok().flatten(),
                f.add
                    .deletion_vector
                    .as_ref()
                    .map_or(0, |dv| dv.cardinality),
            )
        })
        .collect()
}

fn outcome<T>(result: &Result<T>) -> std::result::Result<&T, (String, String)> {
    result
        .as_ref()
        .map_err(|e| (e.code.as_str().to_string(), e.message.clone()))
}

/// A summary read of `spec` states exactly what the full read states; returns the full read's
/// version when it loads.
pub(crate) fn check_version(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    spec: VersionSpec,
    label: &str,
) -> Option<u64> {
    let full = load_snapshot(storage, parquet, spec);
    for projection in [Projection::FileSummary, Projection::Totals] {
        let part = load_snapshot_projected(storage, parquet, spec, projection);
        let (full, part) = match (outcome(&full), outcome(&part)) {
            (Ok(full), Ok(part)) => (full, part),
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "{label} {projection:?}: the same error");
                continue;
            }
            (a, b) => panic!(
                "{label} {projection:?}: full {:?} but summary {:?}",
                a.map(|s| s.version),
                b.map(|s| s.version)
            ),
        };
        assert_eq!(part.projection, projection);
        assert_eq!(
            summary(part, storage, FileSelection::None),
            summary(full, storage, FileSelection::None),
            "{label} {projection:?}"
        );
        assert_eq!(facts(part), facts(full), "{label} {projection:?}");
        assert_eq!(part.commit_txns, full.commit_txns, "{label} {projection:?}");
        if projection == Projection::FileSummary {
            // A DeltaSnapshot: the app transactions too.
            assert_eq!(part.txns, full.txns, "{label}");
            let wire = |s: &Snapshot| {
                serde_json::to_value(snapshot_wire(s, storage, FileSelection::None).unwrap())
                    .unwrap()
            };
            assert_eq!(wire(part), wire(full), "{label}");
        }
        // Files listed by `withoutNumRecords` come from a full read.
        for txns in [Txns::All, Txns::NewestCommit] {
            let listed = load_for_selection(
                storage,
                parquet,
                spec,
                FileSelection::WithoutNumRecords,
                txns,
            )
            .expect("loads like the full read");
            assert_eq!(
                summary(&listed, storage, FileSelection::WithoutNumRecords),
                summary(full, storage, FileSelection::WithoutNumRecords),
                "{label} {txns:?}"
            );
        }
    }
    full.ok().map(|s| s.version)
}

/// Every version of the table at `root` (time travel included) passes [`check_version`].
pub(crate) fn check_all_versions(root: &Path, library: &str) {
    let storage = LocalStorage::new(root);
    let parquet = DuckdbParquet::new(library);
    let label = root.display().to_string();
    let latest = check_version(&storage, &parquet, VersionSpec::Latest, &label);
    for version in 0..=latest.unwrap_or(0) {
        check_version(
            &storage,
            &parquet,
            VersionSpec::Version(version),
            &format!("{label}@{version}"),
        );
    }
}

/// Every Parquet checkpoint (and sidecar) file under the table's `_delta_log`, and the
/// checkpoints of its listing.
fn parquet_log_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![root.join("_delta_log")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `read_many` of all `files` returns, file by file, what reading each alone returns (a file
/// that cannot be read alone is not in the batch's result).
pub(crate) fn check_read_many(files: &[PathBuf], library: &str) {
    let root = LocalStorage::new("/");
    let parquet = DuckdbParquet::new(library);
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.to_str().map(str::to_string))
        .collect();
    // Listed twice: still read once.
    let mut asked = names.clone();
    asked.extend(names.iter().take(2).cloned());
    for projection in [
        Projection::FileSummary,
        Projection::Totals,
        Projection::NonFile,
    ] {
        for threads in [1, 2] {
            let many = read_many(library, &asked, projection, threads);
            let mut readable = 0;
            for name in &names {
                let alone = parquet.read_rows(&root, name.trim_start_matches('/'), projection);
                match alone {
                    Ok(rows) => {
                        readable += 1;
                        assert_eq!(
                            many.get(name),
                            Some(&rows),
                            "{name} {projection:?} {threads} threads"
                        );
                    }
                    Err(_) => assert!(!many.contains_key(name), "{name}"),
                }
            }
            assert_eq!(many.len(), readable);
        }
    }
}

/// The native reader returns, for every file and projection it reads, exactly DuckDB's rows;
/// returns how many (file, projection) pairs it read (the rest DuckDB reads).
pub(crate) fn check_native(files: &[PathBuf], library: &str) -> (usize, usize) {
    let (mut native, mut total) = (0, 0);
    for file in files.iter().filter_map(|f| f.to_str()) {
        for projection in [
            Projection::FileSummary,
            Projection::Totals,
            Projection::NonFile,
        ] {
            total += 1;
            let duck = read_with_duckdb(library, file, projection);
            let Ok(rows) = read_natively(file, projection) else {
                continue;
            };
            native += 1;
            let duck = duck.unwrap_or_else(|e| panic!("{file}: DuckDB fails ({})", e.message));
            assert_eq!(
                super::super::parquet::ParquetRows::Values(rows),
                duck,
                "{file} {projection:?}"
            );
        }
    }
    (native, total)
}

/// `NonFile` reads exactly the non-file actions of the full read of each checkpoint.
pub(crate) fn check_non_file(root: &Path, library: &str) {
    let storage = LocalStorage::new(root);
    let parquet = DuckdbParquet::new(library);
    let Ok(listing) = list_log(&storage, None) else {
        return;
    };
    for checkpoint in listing.checkpoints.values().flatten() {
        let full = read_checkpoint(&storage, &parquet, checkpoint);
        let part = read_checkpoint_projected(&storage, &parquet, checkpoint, Projection::NonFile);
        match (full, part) {
            (Ok(full), Ok(part)) => {
                let non_file: Vec<Action> = full
                    .into_iter()
                    .filter(|a| !matches!(a, Action::Add(_) | Action::Remove(_)))
                    .collect();
                assert_eq!(part, non_file, "{} {}", root.display(), checkpoint.version);
            }
            // A checkpoint the full read refuses may lack only file actions (sidecars).
            (Err(_), _) => {}
            (Ok(_), Err(e)) => panic!("{} {}: {}", root.display(), checkpoint.version, e.message),
        }
    }
}

/// The batch observation of `roots` (plus a missing table and a duplicate) states, table by
/// table and in order, what loading each alone states — errors included.
pub(crate) fn check_observe(roots: &[PathBuf], library: &str) {
    let mut paths: Vec<String> = roots
        .iter()
        .filter_map(|r| r.to_str().map(str::to_string))
        .collect();
    paths.push(format!("{}/no-such-table", std::env::temp_dir().display()));
    if let Some(first) = paths.first().cloned() {
        paths.push(first);
    }
    for selection in [FileSelection::None, FileSelection::WithoutNumRecords] {
        for threads in [1, 3] {
            let observed = observe_tables(
                &paths,
                library,
                selection,
                Txns::NewestCommit,
                threads,
                |path, loaded| match loaded {
                    Ok((storage, snapshot)) => {
                        (path.to_string(), Ok(summary(&snapshot, storage, selection)))
                    }
                    Err(e) => (path.to_string(), Err((e.code, e.message))),
                },
            );
            assert_eq!(observed.len(), paths.len());
            for ((path, batch), asked) in observed.into_iter().zip(&paths) {
                assert_eq!(&path, asked);
                let alone = super::super::batch::open_table(&path).and_then(|storage| {
                    let parquet = DuckdbParquet::new(library);
                    load_for_selection(
                        &storage,
                        &parquet,
                        VersionSpec::Latest,
                        selection,
                        Txns::NewestCommit,
                    )
                    .map(|s| summary(&s, &storage, selection))
                });
                let alone = alone.map_err(|e| (e.code, e.message));
                assert_eq!(batch, alone, "{path} {selection:?} {threads} threads");
            }
        }
    }
}

#[test]
fn corpus_summary_reads_state_what_full_reads_state_at_every_version() {
    let (Some(library), Some(tables)) = (library(), corpus_tables()) else {
        return;
    };
    assert!(tables.len() >= 20, "{} corpus tables", tables.len());
    for root in &tables {
        check_all_versions(root, &library);
        check_non_file(root, &library);
    }
}

#[test]
fn corpus_checkpoints_read_together_are_read_as_each_alone() {
    let (Some(library), Some(tables)) = (library(), corpus_tables()) else {
        return;
    };
    let files: Vec<PathBuf> = tables.iter().flat_map(|t| parquet_log_files(t)).collect();
    assert!(files.len() >= 10, "{} Parquet log files", files.len());
    check_read_many(&files, &library);
    let (native, total) = check_native(&files, &library);
    eprintln!("the native reader read {native} of {total} (file, projection) pairs");
    assert!(native > 0);
}

#[test]
fn damaged_checkpoints_are_refused_by_the_native_reader_without_a_panic() {
    let Some(tables) = corpus_tables() else {
        return;
    };
    let mut decompressor = super::super::parquet_native::Decompressor::default();
    for file in tables.iter().flat_map(|t| parquet_log_files(t)).take(12) {
        let bytes = std::fs::read(&file).expect("readable");
        let step = (bytes.len() / 97).max(1);
        let mut damaged: Vec<Vec<u8>> = (0..bytes.len())
            .step_by(step)
            .map(|cut| bytes[..cut].to_vec())
            .collect();
        for at in (0..bytes.len()).step_by(step) {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut copy = bytes.clone();
                copy[at] ^= flip;
                damaged.push(copy);
            }
        }
        for copy in damaged {
            for projection in [Projection::FileSummary, Projection::NonFile] {
                // Any outcome but a panic: a damaged file that still decodes is possible.
                let _ = super::super::parquet_native::read_projected(
                    &copy,
                    projection,
                    &mut decompressor,
                );
            }
        }
    }
}

#[test]
fn the_corpus_observed_at_once_is_what_each_table_loaded_alone_states() {
    let (Some(library), Some(tables)) = (library(), corpus_tables()) else {
        return;
    };
    check_observe(&tables, &library);
}
