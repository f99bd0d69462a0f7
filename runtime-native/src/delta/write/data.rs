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

mod copy;
mod partitioned_copy;
mod policy;
mod projection;
mod return_stats;
mod target;

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

use super::column_mapping::field_ids_option;
use super::ids::uuid_v4;
use super::partition::{partition_dir, value_sql};
use crate::duckdb::Database;
use crate::error::{NativeError, Result};
use crate::wire::Value;
use copy::copy_files;
use partitioned_copy::copy_partitioned;
use projection::order_by;
use return_stats::as_str;

pub use policy::{copy_options, WritePolicy};
pub use projection::{duckdb_type, projection, source_relation};
pub use target::WriteTarget;

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

pub use crate::sql_text::{quote_ident, sql_string};

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
