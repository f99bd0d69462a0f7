//! The write operation: append, overwrite, replace where (see [`super::replace_where`]), against
//! a [`TableView`] — the table as read, or as a create or an update is about to commit it.

use serde_json::{json, Value as Json};

use super::super::super::replay::ActiveFile;
use super::super::data::{
    source_relation, write_rows, DataSource, WritePolicy, WriteTarget, WrittenFile,
};
use super::super::ids::now_ms;
use super::super::protocol::check_write;
use super::super::stats::stats_columns;
use super::super::transaction::{ReadScope, Transaction};
use super::replace_where::replace_where;
use super::table::TableView;
use super::types::{Context, OperationResult, WriteMode};
use crate::error::{ErrorCode, NativeError, Result};

pub(super) fn remove_body(file: &ActiveFile, now: i64) -> Json {
    let mut body = json!({
        "path": file.add.path,
        "deletionTimestamp": now,
        "dataChange": true,
        "extendedFileMetadata": true,
        "partitionValues": file.add.partition_values,
        "size": file.add.size,
    });
    if let Some(dv) = &file.add.deletion_vector {
        body["deletionVector"] = json!(dv);
    }
    body
}

#[allow(clippy::too_many_arguments)]
pub(super) fn write(
    ctx: &mut Context,
    s: &TableView,
    txn: &mut Transaction,
    mode: WriteMode,
    source: &DataSource,
    predicate: Option<&str>,
    policy: &WritePolicy,
    result: &mut OperationResult,
) -> Result<()> {
    check_write(s.protocol, s.metadata, s.schema, true)?;
    if s.append_only && mode != WriteMode::Append {
        return Err(NativeError::new(ErrorCode::DeltaOperationNotAllowed, "the table is append-only (delta.appendOnly = true): it cannot be overwritten or have rows replaced").with("reason", "appendOnly"));
    }
    if mode != WriteMode::ReplaceWhere && predicate.is_some() {
        return Err(
            NativeError::invalid_argument("a predicate is only used by replaceWhere")
                .with("option", "predicate"),
        );
    }
    let stats = stats_columns(
        s.schema,
        &s.metadata.partition_columns,
        &s.metadata.configuration,
        s.column_mapping,
    )?;
    let relation = source_relation(source)?;
    let target = WriteTarget {
        root: ctx.root,
        schema: s.schema,
        partition_columns: &s.metadata.partition_columns,
        stats_columns: &stats,
        policy,
        data_change: true,
        mode: s.column_mapping,
        change_data: false,
    };
    let now = now_ms();
    let mode_name = match mode {
        WriteMode::Append => "Append",
        WriteMode::Overwrite => "Overwrite",
        WriteMode::ReplaceWhere => "Overwrite",
    };
    txn.operation_parameters
        .insert("mode".into(), json!(mode_name));
    txn.operation_parameters.insert(
        "partitionBy".into(),
        json!(serde_json::to_string(&s.metadata.partition_columns).unwrap_or_default()),
    );
    let written = match mode {
        WriteMode::Append => outputs(write_rows(ctx.db, &target, &relation, None)?, false),
        WriteMode::Overwrite => {
            txn.read_scope = ReadScope::Data;
            for file in s.files {
                txn.removes.push(remove_body(file, now));
            }
            outputs(write_rows(ctx.db, &target, &relation, None)?, false)
        }
        WriteMode::ReplaceWhere => {
            let predicate = predicate.ok_or_else(|| {
                NativeError::invalid_argument("replaceWhere needs a predicate")
                    .with("option", "predicate")
            })?;
            txn.read_scope = ReadScope::Data;
            txn.operation_parameters
                .insert("predicate".into(), json!(predicate));
            let replaced = replace_where(ctx.db, &target, s, predicate, &relation)?;
            for index in &replaced.removed {
                if let Some(file) = s.files.get(*index) {
                    txn.removes.push(remove_body(file, now));
                }
            }
            txn.cdc = replaced.cdc;
            replaced.added
        }
    };
    let new_rows: u64 = written
        .iter()
        .filter(|f| !f.rewritten)
        .map(|f| f.file.num_records)
        .sum();
    let written: Vec<WrittenFile> = written.into_iter().map(|f| f.file).collect();
    result.added_files = written.len() as u64;
    result.removed_files = txn.removes.len() as u64;
    result.num_added_records = new_rows;
    txn.operation_metrics
        .insert("numFiles".into(), json!(written.len().to_string()));
    txn.operation_metrics
        .insert("numOutputRows".into(), json!(new_rows.to_string()));
    txn.operation_metrics.insert(
        "numOutputBytes".into(),
        json!(written.iter().map(|f| f.size).sum::<u64>().to_string()),
    );
    if !txn.removes.is_empty() {
        txn.operation_metrics.insert(
            "numRemovedFiles".into(),
            json!(txn.removes.len().to_string()),
        );
    }
    if !txn.cdc.is_empty() {
        txn.operation_metrics.insert(
            "numAddedChangeFiles".into(),
            json!(txn.cdc.len().to_string()),
        );
    }
    txn.adds = written.into_iter().map(|f| f.add).collect();
    Ok(())
}

/// A file a write produced; `rewritten` for files holding rows copied from a removed file.
pub(super) struct Output {
    pub(super) file: WrittenFile,
    pub(super) rewritten: bool,
}

pub(super) fn outputs(files: Vec<WrittenFile>, rewritten: bool) -> Vec<Output> {
    files
        .into_iter()
        .map(|file| Output { file, rewritten })
        .collect()
}
