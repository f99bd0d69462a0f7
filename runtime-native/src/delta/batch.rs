//! Many tables at once: the latest snapshots of a list of local tables — what observing a lake
//! needs. One table's failure is that table's result, never the batch's.
//!
//! Three steps, the first and last on a few threads:
//! 1. each table's `_last_checkpoint` and log listing say which checkpoint its replay will read
//!    (the listing is kept: the replay reuses it);
//! 2. the Parquet checkpoints of all tables are read with one DuckDB query per Parquet schema
//!    ([`read_many`]) — DuckDB's cost per query is several times its cost per file;
//! 3. each table is replayed as [`load_for_selection`] replays one, its checkpoint rows served
//!    from step 2 (a file step 2 could not read is read alone, which reports why).
//!
//! What `cpgc plan` needs of a table is its metadata, file totals and what its newest commit
//! recorded, so checkpoints are read with [`Projection::Totals`] (or [`Projection::FileSummary`]
//! with the app transactions, see [`load_for_selection`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::duckdb_parquet::{read_many, DuckdbParquet};
use super::last_checkpoint::read_hint;
use super::log_files::{CheckpointFormat, CheckpointName, LogFileKind};
use super::log_segment::list_log;
use super::parquet::{ParquetReader, ParquetRows, Projection};
use super::snapshot::{load_snapshot, load_snapshot_projected, Snapshot, VersionSpec};
use super::snapshot_wire::FileSelection;
use super::stats::num_records;
use super::storage::{FileMeta, LocalStorage, PutOutcome, Storage};
use crate::error::{catch_panic, ErrorCode, NativeError, Result};

/// Upper bound on the threads of one batch.
pub const MAX_THREADS: usize = 16;

/// The table at `path`, which must be an existing directory.
pub fn open_table(path: &str) -> Result<LocalStorage> {
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

/// Which app transactions a snapshot must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Txns {
    /// Every app id's latest (a `DeltaSnapshot`).
    All,
    /// Only those of the commit at the version (`Snapshot::commit_txns`; a table summary).
    NewestCommit,
}

/// The snapshot at `spec` with what `selection` lists: the checkpoint's file actions are read in
/// full only for `all`, or when a file without a `numRecords` statistic must be listed; its
/// `txn` rows only for [`Txns::All`].
pub fn load_for_selection(
    storage: &dyn Storage,
    parquet: &dyn ParquetReader,
    spec: VersionSpec,
    selection: FileSelection,
    txns: Txns,
) -> Result<Snapshot> {
    if selection == FileSelection::All {
        return load_snapshot(storage, parquet, spec);
    }
    let snapshot = load_snapshot_projected(storage, parquet, spec, projection_for(txns))?;
    let lists_some = selection == FileSelection::WithoutNumRecords
        && snapshot
            .files
            .iter()
            .any(|f| !matches!(num_records(&f.add), Ok(Some(_))));
    if lists_some {
        // Listed files carry every field.
        return load_snapshot(storage, parquet, VersionSpec::Version(snapshot.version));
    }
    Ok(snapshot)
}

fn projection_for(txns: Txns) -> Projection {
    match txns {
        Txns::All => Projection::FileSummary,
        Txns::NewestCommit => Projection::Totals,
    }
}

/// A table's storage that remembers its listings, so that finding the checkpoint to prefetch
/// and replaying the table list `_delta_log` once. (A replay sees the log as of its listing
/// anyway: log files are immutable once written.)
pub struct ListedStorage {
    inner: LocalStorage,
    listings: Mutex<HashMap<(String, String), Vec<FileMeta>>>,
}

impl ListedStorage {
    fn new(inner: LocalStorage) -> ListedStorage {
        ListedStorage {
            inner,
            listings: Mutex::new(HashMap::new()),
        }
    }
}

impl Storage for ListedStorage {
    fn list_from(&self, dir: &str, start: &str) -> Result<Vec<FileMeta>> {
        let key = (dir.to_string(), start.to_string());
        let known = self
            .listings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        if let Some(files) = known {
            return Ok(files);
        }
        let files = self.inner.list_from(dir, start)?;
        self.listings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, files.clone());
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<Vec<u8>> {
        self.inner.read(path)
    }

    fn put_if_absent(&self, path: &str, bytes: &[u8]) -> Result<PutOutcome> {
        // Observing never writes; a write must not go unseen by a remembered listing.
        self.listings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.inner.put_if_absent(path, bytes)
    }

    fn local_path(&self, path: &str) -> Option<PathBuf> {
        self.inner.local_path(path)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// The local Parquet files of the checkpoint the latest snapshot's replay reads first (none
/// when it has no Parquet checkpoint, or the log cannot be listed: the replay then says why).
fn checkpoint_files(storage: &dyn Storage) -> Vec<String> {
    // As `replay_projected` looks: from the hinted checkpoint on, else the whole log.
    let from = match read_hint(storage) {
        Ok((hint, _)) => hint.map(|h| h.version),
        Err(_) => return Vec::new(),
    };
    let Ok(listing) = list_log(storage, from) else {
        return Vec::new();
    };
    let Ok(segment) = listing.segment(None, &storage.describe()) else {
        return Vec::new();
    };
    let Some(checkpoint) = segment.plans.first().and_then(|p| p.checkpoint.as_ref()) else {
        return Vec::new();
    };
    checkpoint
        .files
        .iter()
        .filter(|f| {
            !matches!(
                f.kind,
                LogFileKind::Checkpoint(CheckpointName::Uuid {
                    format: CheckpointFormat::Json
                })
            )
        })
        .filter_map(|f| storage.local_path(&f.path()))
        .filter_map(|p| p.to_str().map(str::to_string))
        .collect()
}

/// Checkpoint rows read ahead for one projection, each served once; any other read goes to
/// DuckDB as usual.
struct Prefetched<'a> {
    rows: Mutex<HashMap<String, ParquetRows>>,
    projection: Projection,
    reader: &'a DuckdbParquet,
}

impl ParquetReader for Prefetched<'_> {
    fn read_rows(
        &self,
        storage: &dyn Storage,
        path: &str,
        projection: Projection,
    ) -> Result<ParquetRows> {
        if projection == self.projection {
            let local = storage.local_path(path);
            let key = local.as_deref().and_then(Path::to_str);
            if let Some(key) = key {
                let rows = self
                    .rows
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(key);
                if let Some(rows) = rows {
                    return Ok(rows);
                }
            }
        }
        self.reader.read_rows(storage, path, projection)
    }
}

/// The latest snapshots of the tables at `paths` for `selection` (not `all`) and `txns`, on up
/// to `threads` threads; `f` turns each table's outcome (a panic is an error) into what the
/// batch keeps of it — in the order of `paths`.
pub fn observe_tables<T: Send>(
    paths: &[String],
    library: &str,
    selection: FileSelection,
    txns: Txns,
    threads: usize,
    f: impl Fn(&str, Result<(&dyn Storage, Snapshot)>) -> T + Sync,
) -> Vec<T> {
    let opened: Vec<Result<ListedStorage>> = parallel_map(paths, threads, |path| {
        catch_panic(|| open_table(path).map(ListedStorage::new))
    });
    let files: Vec<Vec<String>> = parallel_map(&opened, threads, |storage| match storage {
        Ok(storage) => catch_panic(|| Ok(checkpoint_files(storage))).unwrap_or_default(),
        Err(_) => Vec::new(),
    });
    let projection = projection_for(txns);
    let wanted: Vec<String> = files.into_iter().flatten().collect();
    let rows = catch_panic(|| Ok(read_many(library, &wanted, projection, threads)));
    let reader = DuckdbParquet::new(library);
    let parquet = Prefetched {
        rows: Mutex::new(rows.unwrap_or_default()),
        projection,
        reader: &reader,
    };
    let tables: Vec<(&String, Result<ListedStorage>)> = paths.iter().zip(opened).collect();
    parallel_map(&tables, threads, |(path, storage)| match storage {
        Ok(storage) => {
            let loaded = catch_panic(|| {
                load_for_selection(storage, &parquet, VersionSpec::Latest, selection, txns)
            });
            f(
                path,
                loaded.map(|snapshot| (storage as &dyn Storage, snapshot)),
            )
        }
        Err(error) => f(path, Err(error.clone())),
    })
}

/// `f` of every item, in order, computed on up to `threads` threads (each item once; whatever
/// `f` keeps of a table should be small — the batch holds every result until the end).
pub fn parallel_map<I: Sync, T: Send>(
    items: &[I],
    threads: usize,
    f: impl Fn(&I) -> T + Sync,
) -> Vec<T> {
    let threads = threads.clamp(1, MAX_THREADS).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let results: Vec<Mutex<Option<T>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                let value = f(item);
                if let Some(slot) = results.get(index) {
                    *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
                }
            });
        }
    });
    results
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_the_order_whatever_the_threads() {
        let items: Vec<u64> = (0..100).collect();
        for threads in [0, 1, 2, 7, 1000] {
            assert_eq!(
                parallel_map(&items, threads, |i| i * 2),
                (0..100).map(|i| i * 2).collect::<Vec<_>>()
            );
        }
        assert_eq!(parallel_map(&[] as &[u64], 4, |i| *i), Vec::<u64>::new());
    }
}
