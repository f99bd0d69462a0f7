//! Data files written by DuckDB (`COPY ... TO ... (FORMAT parquet, RETURN_STATS true)`) with the
//! effective write policy, and the `add` actions that describe them.
//!
//! - Columns are projected by name and cast to the table's types (missing nullable columns are
//!   NULL, extra columns are refused, a NULL in a non-nullable column fails the write).
//! - Partitioned tables: rows are staged in a temporary table numbered by partition, then each
//!   partition is copied into `col=value/` (Hive-escaped, `__HIVE_DEFAULT_PARTITION__` for
//!   null); the values go to `add.partitionValues`, never parsed back from paths.
//! - Sort-on-write for `zorderBy`: a plain `ORDER BY` of those columns (not a Z-curve).
//! - `targetFileSize` → DuckDB `FILE_SIZE_BYTES` (files roll over after a row group, so sizes
//!   are approximate); compression, level (zstd only), row-group size (rows and bytes).
//! - Settings DuckDB cannot honour (per-column bloom filters or dictionary choices) are a
//!   `DELTA_UNSUPPORTED_SETTING` error naming the setting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::super::schema::{DataType, StructType};
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

/// One data file written (its `add` action body, and facts for results).
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

pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The COPY options of the policy.
pub fn copy_options(policy: &WritePolicy) -> Result<Vec<String>> {
    if policy.bloom_filter_columns.as_ref().is_some_and(|c| !c.is_empty()) {
        return Err(unsupported("bloomFilterColumns", "DuckDB's Parquet writer chooses bloom filters itself (for dictionary-encoded columns); they cannot be set per column"));
    }
    if policy.dictionary_columns.as_ref().is_some_and(|c| !c.is_empty()) {
        return Err(unsupported("dictionaryColumns", "DuckDB's Parquet writer chooses dictionary encoding itself; it cannot be set per column"));
    }
    let compression = policy.compression.clone().unwrap_or_else(|| "zstd".to_string()).to_ascii_lowercase();
    if !["zstd", "snappy", "gzip", "lz4", "lz4_raw", "brotli", "uncompressed"].contains(&compression.as_str()) {
        return Err(unsupported("compression", &format!("DuckDB does not write {compression:?} (zstd, snappy, gzip, lz4, lz4_raw, brotli, uncompressed)")));
    }
    let mut options = vec![
        "FORMAT parquet".to_string(),
        format!("COMPRESSION {compression}"),
        "RETURN_STATS true".to_string(),
    ];
    if let Some(level) = policy.compression_level {
        if compression != "zstd" {
            return Err(unsupported("compressionLevel", &format!("DuckDB sets a level only for zstd, not {compression}")));
        }
        if !(1..=22).contains(&level) {
            return Err(unsupported("compressionLevel", "zstd levels are 1 to 22"));
        }
        options.push(format!("COMPRESSION_LEVEL {level}"));
    }
    if let Some(rows) = policy.row_group_size {
        if rows == 0 {
            return Err(NativeError::invalid_argument("rowGroupSize must be positive").with("option", "rowGroupSize"));
        }
        options.push(format!("ROW_GROUP_SIZE {rows}"));
    }
    if let Some(bytes) = policy.row_group_size_bytes {
        options.push(format!("ROW_GROUP_SIZE_BYTES {bytes}"));
    }
    Ok(options)
}

/// DuckDB's spelling of a Delta type.
pub fn duckdb_type(data_type: &DataType) -> Result<String> {
    Ok(match data_type {
        DataType::Primitive(p) => match *p {
            "string" => "VARCHAR",
            "long" => "BIGINT",
            "integer" => "INTEGER",
            "short" => "SMALLINT",
            "byte" => "TINYINT",
            "float" => "FLOAT",
            "double" => "DOUBLE",
            "boolean" => "BOOLEAN",
            "binary" => "BLOB",
            "date" => "DATE",
            "timestamp" => "TIMESTAMPTZ",
            "timestamp_ntz" => "TIMESTAMP",
            other => {
                return Err(NativeError::new(ErrorCode::DeltaSchemaMismatch, format!("cpgc cannot write columns of type {other}")).with("type", other))
            }
        }
        .to_string(),
        DataType::Decimal { precision, scale } => format!("DECIMAL({precision},{scale})"),
        DataType::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .map(|f| Ok(format!("{} {}", quote_ident(&f.name), duckdb_type(&f.data_type)?)))
                .collect::<Result<Vec<_>>>()?;
            format!("STRUCT({})", fields.join(", "))
        }
        DataType::Array { element, .. } => format!("{}[]", duckdb_type(element)?),
        DataType::Map { key, value, .. } => format!("MAP({}, {})", duckdb_type(key)?, duckdb_type(value)?),
    })
}

/// The FROM clause of a source.
pub fn source_relation(source: &DataSource) -> Result<String> {
    match (&source.sql, &source.files) {
        (Some(sql), None) => Ok(format!("({sql})")),
        (None, Some(files)) if !files.is_empty() => Ok(format!(
            "read_parquet([{}])",
            files.iter().map(|f| sql_string(f)).collect::<Vec<_>>().join(", ")
        )),
        _ => Err(NativeError::invalid_argument("the data source needs exactly one of sql or files (non-empty)").with("option", "source")),
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
pub fn projection(db: &mut Database, relation: &str, schema: &StructType) -> Result<Vec<String>> {
    let present = source_columns(db, relation)?;
    for name in &present {
        if schema.field(name).is_none() {
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
                    format!("the data lacks column {:?}, which is not nullable", field.name),
                )
                .with("column", field.name.clone()));
            };
            let value = if field.nullable {
                value
            } else {
                format!(
                    "CASE WHEN {value} IS NULL THEN error({}) ELSE {value} END",
                    sql_string(&format!("DELTA_SCHEMA_MISMATCH: NULL in non-nullable column {}", field.name))
                )
            };
            Ok(format!("{value} AS {ident}"))
        })
        .collect()
}

fn order_by(policy: &WritePolicy, schema: &StructType) -> Result<String> {
    if policy.zorder_by.is_empty() {
        return Ok(String::new());
    }
    for c in &policy.zorder_by {
        if schema.field(c).is_none() {
            return Err(NativeError::invalid_argument(format!("zorderBy column {c:?} is not in the table schema")).with("option", "zorderBy"));
        }
    }
    Ok(format!(
        " ORDER BY {}",
        policy.zorder_by.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ")
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
            let (Some(key), Value::Map(stats)) = (as_str(key), stats) else { continue };
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
    /// Extra `add.tags`... none today; `dataChange` of the adds.
    pub data_change: bool,
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
    let dir_path = if dir.is_empty() { root.to_path_buf() } else { root.join(dir) };
    std::fs::create_dir_all(&dir_path).map_err(|e| {
        NativeError::new(ErrorCode::StorageIo, format!("cannot create {}: {e}", dir_path.display())).with("path", dir_path.display().to_string())
    })?;
    let codec = options
        .iter()
        .find_map(|o| o.strip_prefix("COMPRESSION "))
        .unwrap_or("zstd")
        .to_string();
    let mut options = options.to_vec();
    let to = if let Some(size) = target.policy.target_file_size {
        options.push(format!("FILE_SIZE_BYTES {size}"));
        options.push(format!("FILENAME_PATTERN {}", sql_string(&format!("part-{}-{{i}}.{codec}", uuid_v4()))));
        options.push("OVERWRITE_OR_IGNORE true".to_string());
        dir_path.clone()
    } else {
        dir_path.join(format!("part-00000-{}-c000.{codec}.parquet", uuid_v4()))
    };
    let to_text = to.to_str().ok_or_else(|| NativeError::invalid_argument("the table path is not UTF-8"))?;
    let sql = format!("COPY ({select}) TO {} ({})", sql_string(to_text), options.join(", "));
    let result = db.query(&sql).map_err(|e| {
        if let Some(rest) = e.message.split("DELTA_SCHEMA_MISMATCH: ").nth(1) {
            NativeError::new(ErrorCode::DeltaSchemaMismatch, rest.lines().next().unwrap_or(rest).to_string())
        } else {
            e
        }
    })?;
    let names: Vec<&str> = result.columns.iter().map(|c| c.name.as_str()).collect();
    let idx = |n: &str| names.iter().position(|c| *c == n);
    let (Some(fi), Some(ci), Some(si), Some(ti)) = (idx("filename"), idx("count"), idx("file_size_bytes"), idx("column_statistics")) else {
        return Err(NativeError::internal("COPY ... RETURN_STATS returned unexpected columns"));
    };
    let root_text = root.to_str().unwrap_or_default().trim_end_matches('/').to_string();
    let mut out = Vec::new();
    for row in &result.rows {
        let Some(file) = row.get(fi).and_then(as_str) else { continue };
        let count = row.get(ci).map_or(0, as_u64);
        if count == 0 {
            let _ = std::fs::remove_file(file);
            continue;
        }
        let size = row.get(si).map_or(0, as_u64);
        let relative = file
            .strip_prefix(&root_text)
            .map(|r| r.trim_start_matches('/').to_string())
            .ok_or_else(|| NativeError::internal(format!("DuckDB wrote {file} outside the table")))?;
        let stats = file_stats(count, target.stats_columns, &column_stats(row.get(ti).unwrap_or(&Value::Null)));
        out.push(WrittenFile {
            add: json!({
                "path": encode_uri_path(&relative),
                "partitionValues": partition_values,
                "size": size,
                "modificationTime": now_ms(),
                "dataChange": target.data_change,
                "stats": stats,
            }),
            num_records: count,
            size,
        });
    }
    Ok(out)
}

/// Writes the rows of `relation` (a FROM clause; `filter` an optional WHERE condition) into
/// the table's directory and returns the `add` action bodies.
pub fn write_rows(db: &mut Database, target: &WriteTarget, relation: &str, filter: Option<&str>) -> Result<Vec<WrittenFile>> {
    let options = copy_options(target.policy)?;
    let projection = projection(db, relation, target.schema)?;
    let order = order_by(target.policy, target.schema)?;
    let where_clause = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
    if target.partition_columns.is_empty() {
        let select = format!("SELECT {} FROM {relation} AS __cpgc_src{where_clause}{order}", projection.join(", "));
        return copy_files(db, target, &select, "", &BTreeMap::new(), &options);
    }
    // Stage the rows, numbered by partition, then copy each partition to its directory.
    let stage = format!("__cpgc_stage_{}", uuid_v4().replace('-', ""));
    let mut values = Vec::new();
    for (i, column) in target.partition_columns.iter().enumerate() {
        let field = target.schema.field(column).ok_or_else(|| NativeError::internal(format!("partition column {column} not in schema")))?;
        values.push(format!("{} AS __cpgc_pv{i}", value_sql(&quote_ident(column), &field.data_type, column)?));
    }
    let pv_cols: Vec<String> = (0..target.partition_columns.len()).map(|i| format!("__cpgc_pv{i}")).collect();
    db.query(&format!(
        "CREATE TEMP TABLE {stage} AS SELECT *, dense_rank() OVER (ORDER BY {pvs}) AS __cpgc_part FROM (SELECT __cpgc_typed.*, {values} FROM (SELECT {proj} FROM {relation} AS __cpgc_src{where_clause}) AS __cpgc_typed)",
        pvs = pv_cols.join(", "),
        proj = projection.join(", "),
        values = values.join(", "),
    ))?;
    let outcome = (|| {
        let parts = db.query(&format!("SELECT DISTINCT __cpgc_part, {} FROM {stage} ORDER BY __cpgc_part", pv_cols.join(", ")))?;
        let data_cols: Vec<String> = target
            .schema
            .fields
            .iter()
            .filter(|f| !target.partition_columns.contains(&f.name))
            .map(|f| quote_ident(&f.name))
            .collect();
        let mut written = Vec::new();
        for row in parts.rows {
            let part = match row.first() {
                Some(Value::Int(i)) => *i,
                Some(Value::UInt(u)) => i64::try_from(*u).unwrap_or(0),
                _ => continue,
            };
            let mut pv = BTreeMap::new();
            let mut ordered = Vec::new();
            for (i, column) in target.partition_columns.iter().enumerate() {
                let value = row.get(i + 1).and_then(as_str).map(str::to_string);
                pv.insert(column.clone(), value.clone());
                ordered.push((column.clone(), value));
            }
            let select = format!("SELECT {} FROM {stage} WHERE __cpgc_part = {part}{order}", data_cols.join(", "));
            written.extend(copy_files(db, target, &select, &partition_dir(&ordered), &pv, &options)?);
        }
        Ok(written)
    })();
    let _ = db.query(&format!("DROP TABLE IF EXISTS {stage}"));
    outcome
}
