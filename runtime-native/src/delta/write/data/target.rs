//! The table a write goes to, and the action bodies of the files written.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use super::super::super::schema::{ColumnMappingMode, StructType};
use super::super::column_mapping::physical_expr;
use super::super::ids::now_ms;
use super::super::partition::encode_uri_path;
use super::super::stats::{file_stats, StatsColumn};
use super::return_stats::column_stats;
use super::{quote_ident, WritePolicy, WrittenFile, CHANGE_DATA_DIR, CHANGE_TYPE};
use crate::error::{NativeError, Result};
use crate::wire::Value;

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
    pub(super) fn base_dir(&self) -> &'static str {
        if self.change_data {
            CHANGE_DATA_DIR
        } else {
            ""
        }
    }

    pub(super) fn file_prefix(&self) -> &'static str {
        if self.change_data {
            "cdc"
        } else {
            "part"
        }
    }

    /// The action body of one written file.
    pub(super) fn written(
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
    pub(super) fn partition_physical(&self) -> Result<Vec<String>> {
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
    pub(super) fn data_columns(&self) -> Result<Vec<String>> {
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
