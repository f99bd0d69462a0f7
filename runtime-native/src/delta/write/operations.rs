//! The table operations, each one atomic commit: create, write (append / overwrite / replace
//! where), set/unset properties, add columns, enable features, set domain metadata; plus the
//! post-commit checkpoint (every `delta.checkpointInterval` commits, default 10) and expired-log
//! cleanup.
//!
//! Every operation honours [`CommitOptions`]: caller provenance in `commitInfo.cpgc`, a `txn`
//! (app id + version) that makes a resumed apply skip what already committed, domain metadata
//! (cpgc's durable per-table state), and the retry bound.

mod checkpoint;
mod metadata;
mod replace_where;
mod types;
mod upgrade;
mod write;

use std::collections::BTreeSet;

use serde_json::{json, Value as Json};

use super::super::actions::{Format, Metadata, Txn};
use super::super::log_segment::list_log;
use super::super::schema::parse_schema;
use super::super::snapshot::{load_snapshot, VersionSpec};
use super::super::storage::Storage;
use super::ids::{now_ms, uuid_v4};
use super::protocol::{check_write, needed_features, protocol_for};
use super::transaction::{Committed, Transaction, DEFAULT_MAX_RETRIES};
use crate::error::{ErrorCode, NativeError, Result};
use checkpoint::post_commit;
use metadata::{check_partition_columns, column_mapping, domains, with_column_mapping};
use upgrade::{ensure_domain_feature, upgrade_for};
use write::write;

pub use checkpoint::checkpoint_now;
pub use types::{
    CommitOptions, Context, DomainSpec, Operation, OperationResult, TxnSpec, WriteMode,
};

fn op_name(op: &Operation) -> &'static str {
    match op {
        Operation::Create { .. } => "CREATE TABLE",
        Operation::Write {
            mode: WriteMode::Append,
            ..
        } => "WRITE",
        Operation::Write {
            mode: WriteMode::Overwrite,
            ..
        } => "WRITE",
        Operation::Write {
            mode: WriteMode::ReplaceWhere,
            ..
        } => "WRITE",
        Operation::SetProperties { .. } => "SET TBLPROPERTIES",
        Operation::AddColumns { .. } => "ADD COLUMNS",
        Operation::EnableFeatures { .. } => "UPGRADE PROTOCOL",
        Operation::SetDomainMetadata => "SET DOMAIN METADATA",
    }
}

fn table_exists(storage: &dyn Storage) -> Result<Option<u64>> {
    Ok(list_log(storage, None)?.latest_version())
}

/// Runs one operation on the table (see the module docs).
pub fn run(ctx: &mut Context, op: &Operation, options: &CommitOptions) -> Result<OperationResult> {
    let name = op_name(op);
    let mut result = OperationResult {
        format_version: 1,
        operation: name.to_string(),
        ..OperationResult::default()
    };
    let latest = table_exists(ctx.storage)?;
    let snapshot = match (op, latest) {
        (Operation::Create { .. }, Some(v)) => {
            return Err(NativeError::new(
                ErrorCode::DeltaTableExists,
                format!(
                    "{} is already a Delta table (version {v})",
                    ctx.storage.describe()
                ),
            )
            .with("version", v.to_string()))
        }
        (Operation::Create { .. }, None) => None,
        (_, None) => {
            return Err(NativeError::new(
                ErrorCode::DeltaTableNotFound,
                format!(
                    "{} is not a Delta table: create it first",
                    ctx.storage.describe()
                ),
            )
            .with("path", ctx.storage.describe()))
        }
        (_, Some(_)) => Some(load_snapshot(
            ctx.storage,
            ctx.parquet,
            VersionSpec::Latest,
        )?),
    };
    if let (Some(spec), Some(s)) = (&options.txn, &snapshot) {
        if s.txns
            .get(&spec.app_id)
            .is_some_and(|t| t.version >= spec.version)
        {
            result.skipped = true;
            result.version = Some(s.version);
            return Ok(result);
        }
    }
    let mut txn = Transaction::new(snapshot.as_ref().map(|s| s.version), name);
    txn.cpgc_metadata = options.metadata.clone();
    if let Some(spec) = &options.txn {
        txn.txns.push(Txn {
            app_id: spec.app_id.clone(),
            version: spec.version,
            last_updated: Some(now_ms()),
        });
    }
    txn.domains = domains(&options.domain_metadata)?;
    let needs_domain_feature = !txn.domains.is_empty();

    match (op, &snapshot) {
        (
            Operation::Create {
                schema_string,
                partition_columns,
                configuration,
                name: table_name,
                description,
                features,
            },
            None,
        ) => {
            let mut configuration = configuration.clone();
            let schema_string = with_column_mapping(schema_string, &mut configuration, None)?;
            let schema = parse_schema(&schema_string)?;
            check_partition_columns(&schema, partition_columns)?;
            let metadata = Metadata {
                id: uuid_v4(),
                name: table_name.clone(),
                description: description.clone(),
                format: Format::default(),
                schema_string,
                partition_columns: partition_columns.clone(),
                created_time: Some(now_ms()),
                configuration,
            };
            let mut wanted = needed_features(&schema, &metadata);
            wanted.extend(features.iter().cloned());
            if needs_domain_feature {
                wanted.insert("domainMetadata".into());
            }
            let protocol = protocol_for(&wanted, None)?;
            check_write(&protocol, &metadata, &schema, true)?;
            txn.operation_parameters.insert(
                "partitionBy".into(),
                json!(serde_json::to_string(partition_columns).unwrap_or_default()),
            );
            txn.protocol = Some(protocol);
            txn.metadata = Some(metadata);
        }
        (
            Operation::Write {
                mode,
                source,
                predicate,
                policy,
            },
            Some(s),
        ) => {
            write(
                ctx,
                s,
                &mut txn,
                *mode,
                source,
                predicate.as_deref(),
                policy,
                &mut result,
            )?;
            ensure_domain_feature(s, &mut txn, needs_domain_feature)?;
        }
        (Operation::SetProperties { set, unset }, Some(s)) => {
            check_write(&s.protocol, &s.metadata, &s.schema, true)?;
            let mut metadata = s.metadata.clone();
            for key in unset {
                metadata.configuration.remove(key);
            }
            for (k, v) in set {
                metadata.configuration.insert(k.clone(), v.clone());
            }
            if column_mapping(&metadata) != column_mapping(&s.metadata) {
                return Err(NativeError::new(
                    ErrorCode::DeltaOperationNotAllowed,
                    "changing delta.columnMapping.mode is not supported by cpgc",
                )
                .with("reason", "columnMapping"));
            }
            upgrade_for(
                s,
                &mut txn,
                needed_features(&s.schema, &metadata),
                needs_domain_feature,
            )?;
            txn.operation_parameters.insert(
                "properties".into(),
                json!(serde_json::to_string(set).unwrap_or_default()),
            );
            if !unset.is_empty() {
                txn.operation = "UNSET TBLPROPERTIES".into();
                txn.operation_parameters.insert(
                    "unset".into(),
                    json!(serde_json::to_string(unset).unwrap_or_default()),
                );
            }
            txn.metadata = Some(metadata);
        }
        (Operation::AddColumns { fields }, Some(s)) => {
            check_write(&s.protocol, &s.metadata, &s.schema, true)?;
            let mut schema_json: Json = serde_json::from_str(&s.metadata.schema_string)
                .map_err(|e| NativeError::new(ErrorCode::DeltaSchemaInvalid, e.to_string()))?;
            let Some(list) = schema_json.get_mut("fields").and_then(Json::as_array_mut) else {
                return Err(NativeError::new(
                    ErrorCode::DeltaSchemaInvalid,
                    "the schema has no fields list",
                ));
            };
            for field in fields {
                let field_name = field
                    .get("name")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string();
                if s.schema.field(&field_name).is_some() {
                    return Err(NativeError::new(
                        ErrorCode::DeltaSchemaMismatch,
                        format!("column {field_name:?} already exists"),
                    )
                    .with("column", field_name));
                }
                if field.get("nullable").and_then(Json::as_bool) == Some(false) {
                    return Err(NativeError::new(ErrorCode::DeltaSchemaMismatch, format!("added column {field_name:?} must be nullable (existing rows have no value)")).with("column", field_name));
                }
                list.push(field.clone());
            }
            let mut metadata = s.metadata.clone();
            let schema_string = with_column_mapping(
                &schema_json.to_string(),
                &mut metadata.configuration,
                Some(&s.schema),
            )?;
            let schema = parse_schema(&schema_string)?;
            metadata.schema_string = schema_string;
            upgrade_for(
                s,
                &mut txn,
                needed_features(&schema, &metadata),
                needs_domain_feature,
            )?;
            txn.operation_parameters.insert(
                "columns".into(),
                json!(serde_json::to_string(fields).unwrap_or_default()),
            );
            txn.metadata = Some(metadata);
        }
        (Operation::EnableFeatures { features }, Some(s)) => {
            check_write(&s.protocol, &s.metadata, &s.schema, true)?;
            let wanted: BTreeSet<String> = features.iter().cloned().collect();
            upgrade_for(s, &mut txn, wanted, needs_domain_feature)?;
            txn.operation_parameters.insert(
                "features".into(),
                json!(serde_json::to_string(features).unwrap_or_default()),
            );
        }
        (Operation::SetDomainMetadata, Some(s)) => {
            check_write(&s.protocol, &s.metadata, &s.schema, true)?;
            ensure_domain_feature(s, &mut txn, needs_domain_feature)?;
        }
        _ => {
            return Err(NativeError::internal(
                "operation and table state do not match",
            ))
        }
    }

    let committed: Committed = txn.commit(
        ctx.storage,
        options.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
    )?;
    result.version = Some(committed.version);
    result.attempts = committed.attempts;
    result.rebased_over = committed.rebased_over;
    if options.checkpoint.unwrap_or(true) {
        post_commit(ctx, committed.version, &mut result);
    }
    Ok(result)
}
