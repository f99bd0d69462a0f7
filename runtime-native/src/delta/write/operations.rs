//! The table operations, each one atomic commit: create (optionally with its first rows),
//! write (append / overwrite / replace where), update (schema, partitioning, properties,
//! features and a write together), set/unset properties, add columns, enable features, set
//! domain metadata; plus the post-commit checkpoint (every `delta.checkpointInterval` commits,
//! default 10) and expired-log cleanup.
//!
//! Every operation honours [`CommitOptions`]: caller provenance in `commitInfo.cpgc`, a `txn`
//! (app id + version) that makes a resumed apply skip what already committed, domain metadata
//! (cpgc's durable per-table state), the retry bound, and an expected version (the staleness
//! check and the commit as one step: the operation runs only on that version and a lost race
//! fails instead of rebasing). Data files of a transaction that certainly did not commit are
//! deleted ([`abandon`]).

mod abandon;
mod add_columns;
mod checkpoint;
mod create;
mod evolve;
mod metadata;
mod properties;
mod replace_where;
mod table;
mod types;
mod update;
mod upgrade;
mod write;

use std::collections::BTreeSet;

use serde_json::json;

use super::super::actions::Txn;
use super::super::log_segment::list_log;
use super::super::snapshot::{load_snapshot, Snapshot, VersionSpec};
use super::super::storage::Storage;
use super::ids::now_ms;
use super::protocol::check_write;
use super::transaction::{version_moved, Committed, OnLostRace, Transaction, DEFAULT_MAX_RETRIES};
use crate::error::{ErrorCode, NativeError, Result};
use abandon::{abandon, not_committed};
use add_columns::add_columns;
use checkpoint::post_commit;
use create::create;
use metadata::domains;
use table::TableView;
use update::update;
use upgrade::{ensure_domain_feature, upgrade_for};
use write::write;

pub use checkpoint::checkpoint_now;
pub use types::{
    CommitOptions, Context, CreateData, CreateSpec, DomainSpec, Operation, OperationResult,
    SchemaChange, TxnSpec, UpdateSpec, WriteMode, WriteSpec,
};

fn op_name(op: &Operation) -> &'static str {
    match op {
        Operation::Create(_) => "CREATE TABLE",
        Operation::Write { .. } => "WRITE",
        Operation::Update(_) => "UPDATE",
        Operation::SetProperties { .. } => "SET TBLPROPERTIES",
        Operation::AddColumns { .. } => "ADD COLUMNS",
        Operation::EnableFeatures { .. } => "UPGRADE PROTOCOL",
        Operation::SetDomainMetadata => "SET DOMAIN METADATA",
    }
}

fn table_exists(storage: &dyn Storage) -> Result<Option<u64>> {
    Ok(list_log(storage, None)?.latest_version())
}

/// The latest snapshot the operation reads (`None` for a create).
fn read_table(ctx: &Context, op: &Operation) -> Result<Option<Snapshot>> {
    match (op, table_exists(ctx.storage)?) {
        (Operation::Create(_), Some(v)) => Err(NativeError::new(
            ErrorCode::DeltaTableExists,
            format!(
                "{} is already a Delta table (version {v})",
                ctx.storage.describe()
            ),
        )
        .with("version", v.to_string())),
        (Operation::Create(_), None) => Ok(None),
        (_, None) => Err(NativeError::new(
            ErrorCode::DeltaTableNotFound,
            format!(
                "{} is not a Delta table: create it first",
                ctx.storage.describe()
            ),
        )
        .with("path", ctx.storage.describe())),
        (_, Some(_)) => Ok(Some(load_snapshot(
            ctx.storage,
            ctx.parquet,
            VersionSpec::Latest,
        )?)),
    }
}

/// The table already records the options' `txn` (app id at this version or later).
fn already_committed(s: &Snapshot, options: &CommitOptions) -> bool {
    options.txn.as_ref().is_some_and(|spec| {
        s.txns
            .get(&spec.app_id)
            .is_some_and(|t| t.version >= spec.version)
    })
}

/// Runs one operation on the table (see the module docs).
pub fn run(ctx: &mut Context, op: &Operation, options: &CommitOptions) -> Result<OperationResult> {
    let mut result = OperationResult {
        format_version: 1,
        operation: op_name(op).to_string(),
        ..OperationResult::default()
    };
    if options.expected_version.is_some() && matches!(op, Operation::Create(_)) {
        return Err(NativeError::invalid_argument(
            "expectedVersion is for existing tables; a create already fails with DELTA_TABLE_EXISTS where a table exists",
        )
        .with("option", "expectedVersion"));
    }
    let snapshot = match (read_table(ctx, op), &options.txn) {
        // A resumed apply re-running the create that already committed with its txn.
        (Err(e), Some(_)) if e.code == ErrorCode::DeltaTableExists => {
            let s = load_snapshot(ctx.storage, ctx.parquet, VersionSpec::Latest)?;
            if !already_committed(&s, options) {
                return Err(e);
            }
            Some(s)
        }
        (read, _) => read?,
    };
    if let Some(s) = snapshot.as_ref().filter(|s| already_committed(s, options)) {
        result.skipped = true;
        result.version = Some(s.version);
        return Ok(result);
    }
    if let (Some(expected), Some(s)) = (options.expected_version, &snapshot) {
        if s.version != expected {
            return Err(version_moved(&ctx.storage.describe(), expected, s.version));
        }
    }
    let mut txn = Transaction::new(snapshot.as_ref().map(|s| s.version), op_name(op));
    if options.expected_version.is_some() {
        txn.on_lost_race = OnLostRace::Fail;
    }
    txn.cpgc_metadata = options.metadata.clone();
    if let Some(spec) = &options.txn {
        txn.txns.push(Txn {
            app_id: spec.app_id.clone(),
            version: spec.version,
            last_updated: Some(now_ms()),
        });
    }
    txn.domains = domains(&options.domain_metadata)?;
    let domain = !txn.domains.is_empty();

    let built = match (op, &snapshot) {
        (Operation::Create(spec), None) => create(ctx, spec, &mut txn, domain, &mut result),
        (op, Some(s)) => on_table(ctx, s, op, &mut txn, domain, &mut result),
        _ => Err(NativeError::internal(
            "operation and table state do not match",
        )),
    };
    if let Err(e) = built {
        // Files written before the failure (e.g. a create whose data was written, then
        // refused) are referenced by nothing.
        abandon(ctx.root, &txn);
        return Err(e);
    }
    result.operation = txn.operation.clone();

    let committed: Committed = match txn.commit(
        ctx.storage,
        options.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
    ) {
        Ok(c) => c,
        Err(e) => {
            if not_committed(&e) {
                abandon(ctx.root, &txn);
            }
            return Err(e);
        }
    };
    result.version = Some(committed.version);
    result.attempts = committed.attempts;
    result.rebased_over = committed.rebased_over;
    if options.checkpoint.unwrap_or(true) {
        post_commit(ctx, committed.version, &mut result);
    }
    Ok(result)
}

/// The operations on an existing table: fills the transaction.
fn on_table(
    ctx: &mut Context,
    s: &Snapshot,
    op: &Operation,
    txn: &mut Transaction,
    domain: bool,
    result: &mut OperationResult,
) -> Result<()> {
    match op {
        Operation::Write {
            mode,
            source,
            predicate,
            policy,
        } => {
            write(
                ctx,
                &TableView::of(s),
                txn,
                *mode,
                source,
                predicate.as_deref(),
                policy,
                result,
            )?;
            ensure_domain_feature(s, txn, domain)
        }
        Operation::Update(spec) => update(ctx, s, spec, txn, domain, result),
        Operation::SetProperties { set, unset } => {
            let spec = UpdateSpec {
                set: set.clone(),
                unset: unset.clone(),
                ..UpdateSpec::default()
            };
            update(ctx, s, &spec, txn, domain, result)?;
            txn.operation = if unset.is_empty() {
                "SET TBLPROPERTIES"
            } else {
                "UNSET TBLPROPERTIES"
            }
            .into();
            txn.operation_parameters.insert(
                "properties".into(),
                json!(serde_json::to_string(set).unwrap_or_default()),
            );
            Ok(())
        }
        Operation::AddColumns { fields } => add_columns(s, fields, txn, domain),
        Operation::EnableFeatures { features } => {
            check_write(&s.protocol, &s.metadata, &s.schema, true)?;
            let wanted: BTreeSet<String> = features.iter().cloned().collect();
            upgrade_for(s, txn, wanted, domain)?;
            txn.operation_parameters.insert(
                "features".into(),
                json!(serde_json::to_string(features).unwrap_or_default()),
            );
            Ok(())
        }
        Operation::SetDomainMetadata => {
            check_write(&s.protocol, &s.metadata, &s.schema, true)?;
            ensure_domain_feature(s, txn, domain)
        }
        Operation::Create(_) => Err(NativeError::internal(
            "operation and table state do not match",
        )),
    }
}
