//! [`ParquetReader`] backed by DuckDB's `read_parquet`: each row comes back as `to_json(row)`,
//! which renders structs as objects and `MAP(VARCHAR, ...)` as objects — the JSON shape of the
//! actions. DuckDB is loaded and opened only when a table actually has a Parquet checkpoint.
//!
//! Reader databases are pooled per libduckdb path for the life of the process: opening one
//! costs tens of milliseconds, more than reading a checkpoint of a thousand files. They hold no
//! tables (every query reads its file afresh); each is used by one thread at a time, and
//! threads reading in parallel get one each.
//!
//! Whole rows come back as `to_json` text. A projection ([`Projection`]) is pushed into the
//! query instead (see [`super::parquet_projection`]): the file's schema (`parquet_schema`) says
//! which of the wanted columns and fields exist, only those are read, and only rows holding a
//! wanted action. [`read_many`] reads the checkpoints of many tables that way in one query per
//! Parquet schema (what observing a lake does): DuckDB's cost per query is several times its
//! cost per file.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use super::parquet::{ParquetReader, ParquetRow, ParquetRows, Projection};
use super::parquet_native::{read_projected, Decompressor, Unreadable};
use super::parquet_projection::{projected_select, rows_of, schema_paths, sql_string};
use super::storage::{not_found, Storage};
use crate::duckdb::{self, Database, OpenOptions};
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::Value;

/// Idle reader databases, by libduckdb path.
static POOL: Mutex<BTreeMap<String, Vec<Database>>> = Mutex::new(BTreeMap::new());

fn idle(library: &str) -> Option<Database> {
    POOL.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get_mut(library)
        .and_then(Vec::pop)
}

/// Runs `f` on a reader database of `library` taken from the pool (opened when none is idle)
/// and returns it to the pool afterwards.
fn with_reader<R>(library: &str, f: impl FnOnce(&mut Database) -> Result<R>) -> Result<R> {
    let mut database = match idle(library) {
        Some(database) => database,
        None => {
            let mut database = Database::open(
                duckdb::load(library)?,
                &OpenOptions {
                    threads: Some(1),
                    memory_limit: None,
                },
            )?;
            // Each checkpoint is read once: keeping its bytes in DuckDB's file cache only costs
            // copies and memory. (A DuckDB without the setting reads the same, just slower.)
            let _ = database.query("SET enable_external_file_cache = false");
            database
        }
    };
    let result = f(&mut database);
    POOL.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .entry(library.to_string())
        .or_default()
        .push(database);
    result
}

/// Reads Parquet through pooled in-memory DuckDB databases of a libduckdb.
pub struct DuckdbParquet {
    library: String,
}

impl DuckdbParquet {
    /// `library` is the path of libduckdb (loaded on first use).
    pub fn new(library: impl Into<String>) -> DuckdbParquet {
        DuckdbParquet {
            library: library.into(),
        }
    }
}

fn first_strings(rows: Vec<Vec<Value>>) -> Result<Vec<String>> {
    rows.into_iter()
        .map(|row| match row.into_iter().next() {
            Some(Value::Str(text)) => Ok(text),
            _ => Err(NativeError::internal("to_json returned a non-string")),
        })
        .collect()
}

/// `parquet_schema` rows as (name, number of children).
fn schema_rows(rows: Vec<Vec<Value>>) -> Result<Vec<(String, u64)>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = row.into_iter();
        match (values.next(), values.next()) {
            (Some(Value::Str(name)), Some(Value::UInt(children))) => out.push((name, children)),
            (Some(Value::Str(name)), Some(Value::Int(children))) => {
                out.push((name, u64::try_from(children).unwrap_or(0)))
            }
            _ => {
                return Err(NativeError::internal(
                    "parquet_schema returned unexpected rows",
                ))
            }
        }
    }
    Ok(out)
}

fn schema_of(database: &mut Database, file: &str) -> Result<BTreeSet<String>> {
    let result = database.query(&format!(
        "SELECT name, COALESCE(num_children, 0)::UBIGINT FROM parquet_schema({})",
        sql_string(file)
    ))?;
    Ok(schema_paths(&schema_rows(result.rows)?))
}

impl ParquetReader for DuckdbParquet {
    fn read_rows(
        &self,
        storage: &dyn Storage,
        path: &str,
        projection: Projection,
    ) -> Result<ParquetRows> {
        let local = storage.local_path(path).ok_or_else(|| {
            NativeError::new(
                ErrorCode::StorageIo,
                format!("cannot read Parquet file {path}: the table is not on a local file system"),
            )
            .with("path", path)
        })?;
        if !local.is_file() {
            return Err(not_found(path));
        }
        let local = local.to_str().ok_or_else(|| {
            NativeError::new(
                ErrorCode::StorageIo,
                format!("the path of {path} is not UTF-8"),
            )
            .with("path", path)
        })?;
        if projection != Projection::All {
            if let Ok(rows) = read_natively(local, projection) {
                return Ok(ParquetRows::Values(rows));
            }
        }
        read_with_duckdb(&self.library, local, projection).map_err(|e| {
            NativeError::new(
                ErrorCode::DeltaLogCorrupt,
                format!("cannot read Parquet file {path}: {}", e.message),
            )
            .with("file", path)
        })
    }
}

/// The rows of the local Parquet file `local` reduced to `projection`, read by DuckDB.
pub(crate) fn read_with_duckdb(
    library: &str,
    local: &str,
    projection: Projection,
) -> Result<ParquetRows> {
    let source = format!("read_parquet({})", sql_string(local));
    with_reader(library, |database| {
        if projection == Projection::All {
            let sql = format!("SELECT CAST(to_json(t) AS VARCHAR) AS row FROM {source} AS t");
            return Ok(ParquetRows::Text(first_strings(
                database.query(&sql)?.rows,
            )?));
        }
        let paths = schema_of(database, local)?;
        let Some(projected) = projected_select(projection, &paths) else {
            return Ok(ParquetRows::Values(Vec::new()));
        };
        let sql = format!(
            "SELECT {} FROM {source} WHERE {}",
            projected.select(),
            projected.filter()
        );
        let result = database.query(&sql)?;
        Ok(ParquetRows::Values(rows_of(
            result.rows,
            &projected.targets,
        )))
    })
}

/// Columns DuckDB adds to every `read_parquet` row ([`read_many`] uses them to split the rows
/// by file); a file with a real column of that name is read alone.
const VIRTUAL_COLUMNS: [&str; 2] = ["filename", "file_row_number"];

/// The rows of many local Parquet files, reduced to `projection` (not `All`), read with one
/// query per distinct Parquet schema on `threads` DuckDB threads: by file, exactly what
/// [`DuckdbParquet::read_rows`] returns for it. A file that could not be read that way (missing,
/// corrupt, a query that failed) is simply not in the map: read it alone, which reports why.
pub fn read_many(
    library: &str,
    files: &[String],
    projection: Projection,
    threads: usize,
) -> HashMap<String, ParquetRows> {
    let mut out = HashMap::new();
    if files.is_empty() || projection == Projection::All {
        return out;
    }
    // Each file once (a file listed twice would be read twice by one query).
    let files: Vec<String> = files
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Most checkpoints are read without DuckDB; the rest together through it.
    let native =
        super::batch::parallel_map(&files, threads, |file| read_natively(file, projection).ok());
    let mut rest = Vec::new();
    for (file, rows) in files.iter().zip(native) {
        match rows {
            Some(rows) => {
                out.insert(file.clone(), ParquetRows::Values(rows));
            }
            None => rest.push(file.clone()),
        }
    }
    if rest.is_empty() {
        return out;
    }
    let files = rest.as_slice();
    let result = with_reader(library, |database| {
        let read = read_groups(database, files, projection, threads, &mut out);
        // Back to one thread for the pool's next user, whatever happened.
        let reset = database.query("SET threads = 1").map(|_| ());
        read.and(reset)
    });
    if result.is_err() {
        for file in files {
            out.remove(file);
        }
    }
    out
}

/// [`read_many`] on one database: the rows of each file read, into `out`.
fn read_groups(
    database: &mut Database,
    files: &[String],
    projection: Projection,
    threads: usize,
    out: &mut HashMap<String, ParquetRows>,
) -> Result<()> {
    {
        let schemas = schemas_of_many(database, files)?;
        // Files of one schema (every row of `parquet_schema` alike) are read together.
        let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for file in files {
            if let Some((signature, _)) = schemas.get(file.as_str()) {
                groups.entry(signature.clone()).or_default().push(file);
            }
        }
        let threads = threads.clamp(1, super::batch::MAX_THREADS);
        database.query(&format!("SET threads = {threads}"))?;
        for group in groups.values() {
            let Some((_, paths)) = group.first().and_then(|f| schemas.get(f.as_str())) else {
                continue;
            };
            if VIRTUAL_COLUMNS.iter().any(|c| paths.contains(*c)) {
                continue;
            }
            let Some(projected) = projected_select(projection, paths) else {
                for file in group {
                    out.insert((*file).clone(), ParquetRows::Values(Vec::new()));
                }
                continue;
            };
            let list: Vec<String> = group.iter().map(|f| sql_string(f)).collect();
            let sql = format!(
                "SELECT t.filename, t.file_row_number, {} FROM read_parquet([{}]) AS t WHERE {} ORDER BY t.filename, t.file_row_number",
                projected.select(),
                list.join(", "),
                projected.filter()
            );
            // A group that cannot be read together is left to the files' own reads.
            let Ok(result) = database.query(&sql) else {
                continue;
            };
            let mut by_file: HashMap<String, Vec<Vec<Value>>> = HashMap::new();
            for row in result.rows {
                let mut values = row.into_iter();
                let (Some(Value::Str(file)), Some(_)) = (values.next(), values.next()) else {
                    continue;
                };
                by_file.entry(file).or_default().push(values.collect());
            }
            for file in group {
                let rows = by_file.remove(file.as_str()).unwrap_or_default();
                out.insert(
                    (*file).clone(),
                    ParquetRows::Values(rows_of(rows, &projected.targets)),
                );
            }
        }
        Ok(())
    }
}

/// The Parquet schema of each file (its signature: every `parquet_schema` row, and its paths),
/// by file. From one query over all files when it succeeds, else file by file (a file that
/// cannot be read is left out).
fn schemas_of_many(
    database: &mut Database,
    files: &[String],
) -> Result<HashMap<String, (String, BTreeSet<String>)>> {
    const COLUMNS: &str = "file_name, name, COALESCE(num_children, 0)::UBIGINT, \
        concat_ws('|', type, type_length, repetition_type, converted_type, scale, precision, field_id, logical_type)";
    let query = |database: &mut Database, list: &str| {
        database.query(&format!("SELECT {COLUMNS} FROM parquet_schema([{list}])"))
    };
    let list: Vec<String> = files.iter().map(|f| sql_string(f)).collect();
    let mut rows_by_file: HashMap<String, Vec<Vec<Value>>> = HashMap::new();
    match query(database, &list.join(", ")) {
        Ok(result) => {
            for row in result.rows {
                let mut values = row.into_iter();
                if let Some(Value::Str(file)) = values.next() {
                    rows_by_file.entry(file).or_default().push(values.collect());
                }
            }
        }
        Err(_) => {
            for (file, literal) in files.iter().zip(&list) {
                if let Ok(result) = query(database, literal) {
                    let rows = result
                        .rows
                        .into_iter()
                        .map(|r| r.into_iter().skip(1).collect());
                    rows_by_file.insert(file.clone(), rows.collect());
                }
            }
        }
    }
    let mut out = HashMap::new();
    for (file, rows) in rows_by_file {
        let mut signature = String::new();
        let mut tree = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = row.into_iter();
            let (name, children, rest) = (values.next(), values.next(), values.next());
            let rest = match rest {
                Some(Value::Str(text)) => text,
                _ => String::new(),
            };
            signature.push_str(&format!("{name:?}/{children:?}/{rest}\n"));
            tree.push(vec![
                name.unwrap_or(Value::Null),
                children.unwrap_or(Value::Null),
            ]);
        }
        let paths = schema_paths(&schema_rows(tree)?);
        out.insert(file, (signature, paths));
    }
    Ok(out)
}

thread_local! {
    /// Each thread's decompression context (a ZSTD context is worth keeping).
    static DECOMPRESSOR: RefCell<Decompressor> = RefCell::new(Decompressor::default());
}

/// The rows of the local file `path` reduced to `projection`, read by
/// [`super::parquet_native`] (`Err` when it cannot: DuckDB reads the file then).
pub(crate) fn read_natively(
    path: &str,
    projection: Projection,
) -> std::result::Result<Vec<ParquetRow>, Unreadable> {
    let bytes = std::fs::read(path).map_err(|_| Unreadable)?;
    DECOMPRESSOR.with(|d| {
        let mut d = d.try_borrow_mut().map_err(|_| Unreadable)?;
        read_projected(&bytes, projection, &mut d)
    })
}
