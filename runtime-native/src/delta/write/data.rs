//! Data files written by DuckDB (`COPY ... TO ... (FORMAT parquet, RETURN_STATS true)`) with the
//! effective write policy, and the `add` actions that describe them.
//!
//! - Columns are projected by name and cast to the table's types (missing nullable columns are
//!   NULL, extra columns are refused, a NULL in a non-nullable column fails the write).
//! - Partitioned tables: one `COPY ... PARTITION_BY` pass over computed partition-value strings
//!   into a staging directory (`_cpgc_staging_<id>/`, DuckDB's own directory escaping); the
//!   values come back in `RETURN_STATS`' `partition_keys`, go to `add.partitionValues` (never
//!   parsed back from paths), and each file is renamed into `col=value/` (Hive-escaped,
//!   `__HIVE_DEFAULT_PARTITION__` for null). DuckDB cannot combine `PARTITION_BY` with
//!   `FILE_SIZE_BYTES`, so with `targetFileSize` the rows are staged in a temporary table and
//!   each partition is copied separately (slower).
//! - Column mapping: data files hold physical names (nested ones too) and field ids
//!   (`FIELD_IDS`); statistics and partition values are keyed by physical name.
//! - Change data (`cdc` files): under `_change_data/`, with the source's `_change_type`
//!   column, no statistics.
//! - Sort-on-write for `zorderBy`: a plain `ORDER BY` of those columns (not a Z-curve).
//! - `targetFileSize` → DuckDB `FILE_SIZE_BYTES` (files roll over after a row group, so sizes
//!   are approximate); compression, level (zstd only), row-group size (rows and bytes).
//! - Settings DuckDB cannot honour (per-column bloom filters or dictionary choices) are a
//!   `DELTA_UNSUPPORTED_SETTING` error naming the setting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::super::schema::{ColumnMappingMode, DataType, StructType};
use super::column_mapping::{field_ids_option, physical_expr};
use super::ids::{now_ms, uuid_v4};
use super::partition::{encode_uri_path, partition_dir, value_sql};
use super::stats::{file_stats, parse_column_key, StatsColumn};
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::Value;

/// The write policy (camelCase keys from the facade; unknown keys are refused).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WritePolicy {
    #[serde(default)]
    pub zorder_by: Vec<String>,
    pub target_file_size: Option<u64>,
    pub compression: Option<String>,
    pub compression_level: Option<i32>,
    pub row_group_size: Option<u64>,
    pub row_group_size_bytes: Option<u64>,
    /// Per-column dictionary encoding choices: DuckDB decides itself → unsupported.
    pub dictionary_columns: Option<BTreeMap<String, bool>>,
    /// Per-column bloom filters: DuckDB decides itself → unsupported.
    pub bloom_filter_columns: Option<Vec<String>>,
}

/// Where the rows come from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataSource {
    /// A DuckDB query (runs in the database the write uses).
    pub sql: Option<String>,
    /// Parquet files whose rows are written.
    pub files: Option<Vec<String>>,
}

/// The column of change data files naming the kind of change.
pub const CHANGE_TYPE: &str = "_change_type";

/// The directory of change data files under the table root.
pub const CHANGE_DATA_DIR: &str = "_change_data";

/// One data file written (its `add` action body — a `cdc` body for change data — and facts for
/// results).
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFile {
    pub add: Json,
    pub num_records: u64,
    pub size: u64,
}

fn unsupported(setting: &str, why: &str) -> NativeError {
    NativeError::new(
        ErrorCode::DeltaUnsupportedSetting,
        format!("write setting {setting} cannot be honoured: {why}"),
    )
    .with("setting", setting)
}

pub use crate::sql_text::{quote_ident, sql_string};

/// The COPY options of the policy.
pub fn copy_options(policy: &WritePolicy) -> Result<Vec<String>> {
    if policy
        .bloom_filter_columns
        .as_ref()
        .is_some_and(|c| !c.is_empty())
    {
        return Err(unsupported("bloomFilterColumns", "DuckDB's Parquet writer chooses bloom filters itself (for dictionary-encoded columns); they cannot be set per column"));
    }
    if policy
        .dictionary_columns
        .as_ref()
        .is_some_and(|c| !c.is_empty())
    {
        return Err(unsupported("dictionaryColumns", "DuckDB's Parquet writer chooses dictionary encoding itself; it cannot be set per column"));
    }
    let compression = policy
        .compression
        .clone()
        .unwrap_or_else(|| "zstd".to_string())
        .to_ascii_lowercase();
    if ![
        "zstd",
        "snappy",
        "gzip",
        "lz4",
        "lz4_raw",
        "brotli",
        "uncompressed",
    ]
    .contains(&compression.as_str())
    {
        return Err(unsupported("compression", &format!("DuckDB does not write {compression:?} (zstd, snappy, gzip, lz4, lz4_raw, brotli, uncompressed)")));
    }
    let mut options = vec![
        "FORMAT parquet".to_string(),
        format!("COMPRESSION {compression}"),
        "RETURN_STATS true".to_string(),
    ];
    if let Some(level) = policy.compression_level {
        if compression != "zstd" {
            return Err(unsupported(
                "compressionLevel",
                &format!("DuckDB sets a level only for zstd, not {compression}"),
            ));
        }
        if !(1..=22).contains(&level) {
            return Err(unsupported("compressionLevel", "zstd levels are 1 to 22"));
        }
        options.push(format!("COMPRESSION_LEVEL {level}"));
    }
    if let Some(rows) = policy.row_group_size {
        if rows == 0 {
            return Err(
                NativeError::invalid_argument("rowGroupSize must be positive")
                    .with("option", "rowGroupSize"),
            );
        }
        options.push(format!("ROW_GROUP_SIZE {rows}"));
    }
    if let Some(bytes) = policy.row_group_size_bytes {
        options.push(format!("ROW_GROUP_SIZE_BYTES {bytes}"));
    }
    Ok(options)
}

/// DuckDB's spelling of a Delta type; a type cpgc cannot write is an error.
pub fn duckdb_type(data_type: &DataType) -> Result<String> {
    crate::sql_text::duckdb_type(data_type, None).map_err(|other| {
        NativeError::new(
            ErrorCode::DeltaSchemaMismatch,
            format!("cpgc cannot write columns of type {other}"),
        )
        .with("type", other.as_str())
    })
}

/// The FROM clause of a source.
pub fn source_relation(source: &DataSource) -> Result<String> {
    match (&source.sql, &source.files) {
        (Some(sql), None) => Ok(format!("({sql})")),
        (None, Some(files)) if !files.is_empty() => Ok(format!(
            "read_parquet([{}])",
            files
                .iter()
                .map(|f| sql_string(f))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err(NativeError::invalid_argument(
            "the data source needs exactly one of sql or files (non-empty)",
        )
        .with("option", "source")),
    }
}

fn source_columns(db: &mut Database, relation: &str) -> Result<Vec<String>> {
    let result = db.query(&format!("DESCRIBE SELECT * FROM {relation} AS __cpgc_src"))?;
    Ok(result
        .rows
        .into_iter()
        .filter_map(|row| match row.into_iter().next() {
            Some(Value::Str(name)) => Some(name),
            _ => None,
        })
        .collect())
}

/// `SELECT` list casting the source's columns to the table schema (logical names).
pub fn projection(
    db: &mut Database,
    relation: &str,
    schema: &StructType,
    change_data: bool,
) -> Result<Vec<String>> {
    let present = source_columns(db, relation)?;
    for name in &present {
        if schema.field(name).is_none() && !(change_data && name == CHANGE_TYPE) {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("the data has column {name:?}, which is not in the table schema"),
            )
            .with("column", name.clone()));
        }
    }
    schema
        .fields
        .iter()
        .map(|field| {
            let ty = duckdb_type(&field.data_type)?;
            let ident = quote_ident(&field.name);
            let value = if present.contains(&field.name) {
                format!("CAST({ident} AS {ty})")
            } else if field.nullable {
                format!("CAST(NULL AS {ty})")
            } else {
                return Err(NativeError::new(
                    ErrorCode::DeltaSchemaMismatch,
                    format!(
                        "the data lacks column {:?}, which is not nullable",
                        field.name
                    ),
                )
                .with("column", field.name.clone()));
            };
            let value = if field.nullable {
                value
            } else {
                format!(
                    "CASE WHEN {value} IS NULL THEN error({}) ELSE {value} END",
                    sql_string(&format!(
                        "DELTA_SCHEMA_MISMATCH: NULL in non-nullable column {}",
                        field.name
                    ))
                )
            };
            Ok(format!("{value} AS {ident}"))
        })
        .chain(change_data.then(|| {
            Ok(format!(
                "CAST({q} AS VARCHAR) AS {q}",
                q = quote_ident(CHANGE_TYPE)
            ))
        }))
        .collect()
}

fn order_by(policy: &WritePolicy, schema: &StructType) -> Result<String> {
    if policy.zorder_by.is_empty() {
        return Ok(String::new());
    }
    for c in &policy.zorder_by {
        if schema.field(c).is_none() {
            return Err(NativeError::invalid_argument(format!(
                "zorderBy column {c:?} is not in the table schema"
            ))
            .with("option", "zorderBy"));
        }
    }
    Ok(format!(
        " ORDER BY {}",
        policy
            .zorder_by
            .iter()
            .map(|c| quote_ident(c))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn as_str(value: &Value) -> Option<&str> {
    match value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn as_u64(value: &Value) -> u64 {
    match value {
        Value::UInt(u) => *u,
        Value::Int(i) => u64::try_from(*i).unwrap_or(0),
        _ => 0,
    }
}

/// Column statistics of one RETURN_STATS row, keyed by column path.
fn column_stats(value: &Value) -> BTreeMap<Vec<String>, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if let Value::Map(entries) = value {
        for (key, stats) in entries {
            let (Some(key), Value::Map(stats)) = (as_str(key), stats) else {
                continue;
            };
            let stats = stats
                .iter()
                .filter_map(|(k, v)| Some((as_str(k)?.to_string(), as_str(v)?.to_string())))
                .collect();
            out.insert(parse_column_key(key), stats);
        }
    }
    out
}

/// Everything a write needs to know about the table.
pub struct WriteTarget<'a> {
    pub root: &'a Path,
    pub schema: &'a StructType,
    pub partition_columns: &'a [String],
    pub stats_columns: &'a [StatsColumn],
    pub policy: &'a WritePolicy,
    /// `dataChange` of the adds.
    pub data_change: bool,
    pub mode: ColumnMappingMode,
    /// Writes change data files (`cdc` bodies) from a source with a `_change_type` column.
    pub change_data: bool,
}

impl WriteTarget<'_> {
    fn base_dir(&self) -> &'static str {
        if self.change_data {
            CHANGE_DATA_DIR
        } else {
            ""
        }
    }

    fn file_prefix(&self) -> &'static str {
        if self.change_data {
            "cdc"
        } else {
            "part"
        }
    }

    /// The action body of one written file.
    fn written(
        &self,
        relative: &str,
        partition_values: &BTreeMap<String, Option<String>>,
        count: u64,
        size: u64,
        stats: &Value,
    ) -> WrittenFile {
        let add = if self.change_data {
            json!({
                "path": encode_uri_path(relative),
                "partitionValues": partition_values,
                "size": size,
                "dataChange": false,
            })
        } else {
            json!({
                "path": encode_uri_path(relative),
                "partitionValues": partition_values,
                "size": size,
                "modificationTime": now_ms(),
                "dataChange": self.data_change,
                "stats": file_stats(count, self.stats_columns, &column_stats(stats)),
            })
        };
        WrittenFile {
            add,
            num_records: count,
            size,
        }
    }

    /// Physical names of the partition columns, in order.
    fn partition_physical(&self) -> Result<Vec<String>> {
        self.partition_columns
            .iter()
            .map(|c| {
                let field = self.schema.field(c).ok_or_else(|| {
                    NativeError::internal(format!("partition column {c} not in schema"))
                })?;
                Ok(field.physical_name(self.mode)?.to_string())
            })
            .collect()
    }

    /// The data columns of a file: `expr AS physical` over the typed logical columns.
    fn data_columns(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for f in self
            .schema
            .fields
            .iter()
            .filter(|f| !self.partition_columns.contains(&f.name))
        {
            let expr = physical_expr(&quote_ident(&f.name), &f.data_type, self.mode, 0)?;
            out.push(format!(
                "{expr} AS {}",
                quote_ident(f.physical_name(self.mode)?)
            ));
        }
        if self.change_data {
            out.push(quote_ident(CHANGE_TYPE));
        }
        Ok(out)
    }
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> NativeError {
    NativeError::new(
        ErrorCode::StorageIo,
        format!("cannot {what} {}: {e}", path.display()),
    )
    .with("path", path.display().to_string())
}

fn codec_of(options: &[String]) -> String {
    options
        .iter()
        .find_map(|o| o.strip_prefix("COMPRESSION "))
        .unwrap_or("zstd")
        .to_string()
}

fn run_copy(
    db: &mut Database,
    select: &str,
    to: &str,
    options: &[String],
) -> Result<crate::wire::QueryResult> {
    let sql = format!(
        "COPY ({select}) TO {} ({})",
        sql_string(to),
        options.join(", ")
    );
    db.query(&sql).map_err(|e| {
        if let Some(rest) = e.message.split("DELTA_SCHEMA_MISMATCH: ").nth(1) {
            NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                rest.lines().next().unwrap_or(rest).to_string(),
            )
        } else {
            e
        }
    })
}

/// Indexes of RETURN_STATS' columns: filename, count, file_size_bytes, column_statistics,
/// partition_keys (absent without PARTITION_BY).
fn stats_indexes(
    result: &crate::wire::QueryResult,
) -> Result<(usize, usize, usize, usize, Option<usize>)> {
    let idx = |n: &str| result.columns.iter().position(|c| c.name == n);
    match (
        idx("filename"),
        idx("count"),
        idx("file_size_bytes"),
        idx("column_statistics"),
    ) {
        (Some(f), Some(c), Some(s), Some(t)) => Ok((f, c, s, t, idx("partition_keys"))),
        _ => Err(NativeError::internal(
            "COPY ... RETURN_STATS returned unexpected columns",
        )),
    }
}

fn utf8(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| NativeError::invalid_argument("the table path is not UTF-8"))
}

fn copy_files(
    db: &mut Database,
    target: &WriteTarget,
    select: &str,
    dir: &str,
    partition_values: &BTreeMap<String, Option<String>>,
    options: &[String],
) -> Result<Vec<WrittenFile>> {
    let root = target.root;
    let dir = [target.base_dir(), dir]
        .iter()
        .filter(|d| !d.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    let dir_path = if dir.is_empty() {
        root.to_path_buf()
    } else {
        root.join(&dir)
    };
    std::fs::create_dir_all(&dir_path).map_err(|e| io_error("create", &dir_path, &e))?;
    let codec = codec_of(options);
    let prefix = target.file_prefix();
    let mut options = options.to_vec();
    let to = if let Some(size) = target.policy.target_file_size {
        options.push(format!("FILE_SIZE_BYTES {size}"));
        options.push(format!(
            "FILENAME_PATTERN {}",
            sql_string(&format!("{prefix}-{}-{{i}}.{codec}", uuid_v4()))
        ));
        options.push("OVERWRITE_OR_IGNORE true".to_string());
        dir_path.clone()
    } else {
        dir_path.join(format!("{prefix}-00000-{}-c000.{codec}.parquet", uuid_v4()))
    };
    let result = run_copy(db, select, utf8(&to)?, &options)?;
    let (fi, ci, si, ti, _) = stats_indexes(&result)?;
    let root_text = utf8(root)?.trim_end_matches('/').to_string();
    let mut out = Vec::new();
    for row in &result.rows {
        let Some(file) = row.get(fi).and_then(as_str) else {
            continue;
        };
        let count = row.get(ci).map_or(0, as_u64);
        if count == 0 {
            let _ = std::fs::remove_file(file);
            continue;
        }
        let relative = file
            .strip_prefix(&root_text)
            .map(|r| r.trim_start_matches('/').to_string())
            .ok_or_else(|| {
                NativeError::internal(format!("DuckDB wrote {file} outside the table"))
            })?;
        out.push(target.written(
            &relative,
            partition_values,
            count,
            row.get(si).map_or(0, as_u64),
            row.get(ti).unwrap_or(&Value::Null),
        ));
    }
    Ok(out)
}

/// The value of `key` in a RETURN_STATS `partition_keys` map (`None` = null partition).
fn partition_key(map: &Value, key: &str) -> Result<Option<String>> {
    let Value::Map(entries) = map else {
        return Err(NativeError::internal(
            "COPY ... PARTITION_BY returned no partition_keys map",
        ));
    };
    let (_, value) = entries
        .iter()
        .find(|(k, _)| as_str(k) == Some(key))
        .ok_or_else(|| {
            NativeError::internal(format!("COPY ... PARTITION_BY returned no value for {key}"))
        })?;
    Ok(as_str(value).map(str::to_string))
}

/// One `COPY ... PARTITION_BY` pass into a staging directory; each file is then renamed into
/// its Hive directory (see the module docs).
fn copy_partitioned(
    db: &mut Database,
    target: &WriteTarget,
    select: &str,
    options: &[String],
) -> Result<Vec<WrittenFile>> {
    let physical = target.partition_physical()?;
    let staging = target
        .root
        .join(format!("_cpgc_staging_{}", uuid_v4().replace('-', "")));
    let codec = codec_of(options);
    let mut options = options.to_vec();
    let pv: Vec<String> = (0..physical.len())
        .map(|i| format!("__cpgc_pv{i}"))
        .collect();
    options.push(format!("PARTITION_BY ({})", pv.join(", ")));
    options.push(format!(
        "FILENAME_PATTERN {}",
        sql_string(&format!(
            "{}-00000-{{uuid}}-c000.{codec}",
            target.file_prefix()
        ))
    ));
    let outcome = (|| {
        let result = run_copy(db, select, utf8(&staging)?, &options)?;
        let (fi, ci, si, ti, pi) = stats_indexes(&result)?;
        let pi = pi.ok_or_else(|| {
            NativeError::internal("COPY ... PARTITION_BY returned no partition_keys column")
        })?;
        let mut out = Vec::new();
        for row in &result.rows {
            let Some(file) = row.get(fi).and_then(as_str) else {
                continue;
            };
            let count = row.get(ci).map_or(0, as_u64);
            if count == 0 {
                continue;
            }
            let keys = row.get(pi).unwrap_or(&Value::Null);
            let mut values = BTreeMap::new();
            let mut ordered = Vec::new();
            for (name, key) in physical.iter().zip(&pv) {
                let value = partition_key(keys, key)?;
                values.insert(name.clone(), value.clone());
                ordered.push((name.clone(), value));
            }
            let dir = [target.base_dir().to_string(), partition_dir(&ordered)]
                .into_iter()
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("/");
            let dir_path = target.root.join(&dir);
            std::fs::create_dir_all(&dir_path).map_err(|e| io_error("create", &dir_path, &e))?;
            let source = Path::new(file);
            let name = source.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
                NativeError::internal(format!("DuckDB wrote {file} without a file name"))
            })?;
            let dest = dir_path.join(name);
            std::fs::rename(source, &dest)
                .map_err(|e| io_error("move a data file to", &dest, &e))?;
            out.push(target.written(
                &format!("{dir}/{name}"),
                &values,
                count,
                row.get(si).map_or(0, as_u64),
                row.get(ti).unwrap_or(&Value::Null),
            ));
        }
        Ok(out)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    outcome
}

/// Writes the rows of `relation` (a FROM clause; `filter` an optional WHERE condition) into
/// the table's directory and returns the action bodies (`add`, or `cdc` for change data).
pub fn write_rows(
    db: &mut Database,
    target: &WriteTarget,
    relation: &str,
    filter: Option<&str>,
) -> Result<Vec<WrittenFile>> {
    let mut options = copy_options(target.policy)?;
    options.extend(field_ids_option(
        target.schema,
        target.partition_columns,
        target.mode,
    )?);
    let projection = projection(db, relation, target.schema, target.change_data)?;
    let order = order_by(target.policy, target.schema)?;
    let where_clause = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
    let typed = format!(
        "(SELECT {} FROM {relation} AS __cpgc_src{where_clause}) AS __cpgc_typed",
        projection.join(", ")
    );
    let data_cols = target.data_columns()?;
    if target.partition_columns.is_empty() {
        let select = format!("SELECT {} FROM {typed}{order}", data_cols.join(", "));
        return copy_files(db, target, &select, "", &BTreeMap::new(), &options);
    }
    let mut values = Vec::new();
    for (i, column) in target.partition_columns.iter().enumerate() {
        let field = target.schema.field(column).ok_or_else(|| {
            NativeError::internal(format!("partition column {column} not in schema"))
        })?;
        values.push(format!(
            "{} AS __cpgc_pv{i}",
            value_sql(&quote_ident(column), &field.data_type, column)?
        ));
    }
    if target.policy.target_file_size.is_none() {
        let select = format!(
            "SELECT {}, {} FROM {typed}{order}",
            data_cols.join(", "),
            values.join(", ")
        );
        return copy_partitioned(db, target, &select, &options);
    }
    // FILE_SIZE_BYTES cannot be combined with PARTITION_BY: stage the rows numbered by
    // partition, then copy each partition to its directory.
    let stage = format!("__cpgc_stage_{}", uuid_v4().replace('-', ""));
    let pv_cols: Vec<String> = (0..target.partition_columns.len())
        .map(|i| format!("__cpgc_pv{i}"))
        .collect();
    db.query(&format!(
        "CREATE TEMP TABLE {stage} AS SELECT *, dense_rank() OVER (ORDER BY {pvs}) AS __cpgc_part FROM (SELECT __cpgc_typed.*, {values} FROM {typed})",
        pvs = pv_cols.join(", "),
        values = values.join(", "),
    ))?;
    let outcome = (|| {
        let physical = target.partition_physical()?;
        let parts = db.query(&format!(
            "SELECT DISTINCT __cpgc_part, {} FROM {stage} ORDER BY __cpgc_part",
            pv_cols.join(", ")
        ))?;
        let mut written = Vec::new();
        for row in parts.rows {
            let part = match row.first() {
                Some(Value::Int(i)) => *i,
                Some(Value::UInt(u)) => i64::try_from(*u).unwrap_or(0),
                _ => continue,
            };
            let mut pv = BTreeMap::new();
            let mut ordered = Vec::new();
            for (i, column) in physical.iter().enumerate() {
                let value = row.get(i + 1).and_then(as_str).map(str::to_string);
                pv.insert(column.clone(), value.clone());
                ordered.push((column.clone(), value));
            }
            let select = format!(
                "SELECT {} FROM {stage} WHERE __cpgc_part = {part}{order}",
                data_cols.join(", ")
            );
            written.extend(copy_files(
                db,
                target,
                &select,
                &partition_dir(&ordered),
                &pv,
                &options,
            )?);
        }
        Ok(written)
    })();
    let _ = db.query(&format!("DROP TABLE IF EXISTS {stage}"));
    outcome
}
