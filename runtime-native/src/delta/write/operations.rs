//! The table operations, each one atomic commit: create, write (append / overwrite / replace
//! where), set/unset properties, add columns, enable features, set domain metadata; plus the
//! post-commit checkpoint (every `delta.checkpointInterval` commits, default 10) and expired-log
//! cleanup.
//!
//! Every operation honours [`CommitOptions`]: caller provenance in `commitInfo.cpgc`, a `txn`
//! (app id + version) that makes a resumed apply skip what already committed, domain metadata
//! (cpgc's durable per-table state), and the retry bound.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};

use super::super::actions::{DomainMetadata, Format, Metadata, Txn};
use super::super::log_segment::list_log;
use super::super::parquet::ParquetReader;
use super::super::schema::{parse_schema, ColumnMappingMode, DataType, StructType};
use super::super::snapshot::{load_snapshot, Snapshot, VersionSpec};
use super::super::storage::Storage;
use super::super::uri::FileLocation;
use super::change_data::{enabled as change_data_enabled, write_changes};
use super::checkpoint_writer::{write_checkpoint, CheckpointWritten};
use super::cleanup::{cleanup_expired_logs, duration_property, DEFAULT_LOG_RETENTION_MS};
use super::column_mapping::{assign_physical_names, max_field_id, MAX_COLUMN_ID_KEY};
use super::data::{source_relation, write_rows, DataSource, WritePolicy, WriteTarget, WrittenFile};
use super::ids::{now_ms, uuid_v4};
use super::protocol::{check_write, needed_features, protocol_features, protocol_for};
use super::stats::stats_columns;
use super::transaction::{Committed, ReadScope, Transaction, DEFAULT_MAX_RETRIES};
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};
use crate::scan::layout::read_layouts;
use crate::scan::plan::{FileRead, TableColumns};

/// `{appId, version}` of a `txn` action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TxnSpec {
    pub app_id: String,
    pub version: i64,
}

/// A domain metadata change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DomainSpec {
    pub domain: String,
    #[serde(default)]
    pub configuration: String,
    #[serde(default)]
    pub removed: bool,
}

/// Options every operation takes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommitOptions {
    /// Provenance recorded under `commitInfo.cpgc` (run_id, plan_id, ...).
    #[serde(default)]
    pub metadata: Map<String, Json>,
    pub txn: Option<TxnSpec>,
    #[serde(default)]
    pub domain_metadata: Vec<DomainSpec>,
    pub max_retries: Option<u32>,
    /// Write a checkpoint when the interval says so (default true).
    pub checkpoint: Option<bool>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "operation", rename_all = "camelCase", deny_unknown_fields)]
pub enum Operation {
    #[serde(rename_all = "camelCase")]
    Create {
        schema_string: String,
        #[serde(default)]
        partition_columns: Vec<String>,
        #[serde(default)]
        configuration: BTreeMap<String, String>,
        name: Option<String>,
        description: Option<String>,
        #[serde(default)]
        features: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Write {
        mode: WriteMode,
        source: DataSource,
        predicate: Option<String>,
        #[serde(default)]
        policy: WritePolicy,
    },
    #[serde(rename_all = "camelCase")]
    SetProperties {
        #[serde(default)]
        set: BTreeMap<String, String>,
        #[serde(default)]
        unset: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    AddColumns { fields: Vec<Json> },
    #[serde(rename_all = "camelCase")]
    EnableFeatures { features: Vec<String> },
    /// Only the commit options' domain metadata / txn.
    SetDomainMetadata,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WriteMode {
    Append,
    Overwrite,
    ReplaceWhere,
}

/// What an operation did (msgpack to the facade).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationResult {
    pub format_version: u32,
    pub operation: String,
    /// The committed version, or the current one when skipped.
    pub version: Option<u64>,
    /// True when the `txn` had already been committed: nothing was written.
    pub skipped: bool,
    pub attempts: u32,
    pub rebased_over: Vec<u64>,
    pub added_files: u64,
    pub removed_files: u64,
    pub num_added_records: u64,
    pub checkpoint_version: Option<u64>,
    pub cleaned_log_files: Vec<String>,
    pub warnings: Vec<String>,
}

/// The table and engines an operation works with.
pub struct Context<'a> {
    pub storage: &'a dyn Storage,
    pub root: &'a Path,
    pub parquet: &'a dyn ParquetReader,
    pub db: &'a mut Database,
}

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

fn domains(specs: &[DomainSpec]) -> Result<Vec<DomainMetadata>> {
    specs
        .iter()
        .map(|d| {
            if d.domain.is_empty() || d.domain.starts_with("delta.") {
                return Err(NativeError::invalid_argument(format!(
                    "domain {:?} cannot be set by cpgc (empty, or a delta.* system domain)",
                    d.domain
                ))
                .with("option", "domainMetadata"));
            }
            Ok(DomainMetadata {
                domain: d.domain.clone(),
                configuration: d.configuration.clone(),
                removed: d.removed,
            })
        })
        .collect()
}

fn column_mapping(metadata: &Metadata) -> ColumnMappingMode {
    match metadata
        .configuration
        .get("delta.columnMapping.mode")
        .map(String::as_str)
    {
        Some("name") => ColumnMappingMode::Name,
        Some("id") => ColumnMappingMode::Id,
        _ => ColumnMappingMode::None,
    }
}

/// Under column mapping (`name` or `id`), gives the fields without one a physical name and an
/// id above `delta.columnMapping.maxColumnId` (or the largest id in `existing`), and records the
/// new maximum; returns the schema string.
fn with_column_mapping(
    schema_string: &str,
    configuration: &mut BTreeMap<String, String>,
    existing: Option<&StructType>,
) -> Result<String> {
    if !matches!(
        configuration
            .get("delta.columnMapping.mode")
            .map(String::as_str),
        Some("name" | "id")
    ) {
        return Ok(schema_string.to_string());
    }
    let mut schema: Json = serde_json::from_str(schema_string).map_err(|e| {
        NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            format!("the table schema is not valid JSON: {e}"),
        )
    })?;
    let recorded = configuration
        .get(MAX_COLUMN_ID_KEY)
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let mut max_id = recorded
        .max(existing.map_or(0, max_field_id))
        .max(max_field_id(&parse_schema(schema_string)?));
    let Some(fields) = schema.get_mut("fields").and_then(Json::as_array_mut) else {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaInvalid,
            "the schema has no fields list",
        ));
    };
    assign_physical_names(fields, &mut max_id)?;
    configuration.insert(MAX_COLUMN_ID_KEY.into(), max_id.to_string());
    Ok(schema.to_string())
}

fn check_partition_columns(schema: &StructType, columns: &[String]) -> Result<()> {
    let mut seen = BTreeSet::new();
    for c in columns {
        let field = schema.field(c).ok_or_else(|| {
            NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("partition column {c:?} is not in the schema"),
            )
            .with("column", c.clone())
        })?;
        if matches!(
            field.data_type,
            DataType::Struct(_) | DataType::Array { .. } | DataType::Map { .. }
        ) || !seen.insert(c)
        {
            return Err(NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                format!("{c:?} cannot be a partition column (nested type or repeated)"),
            )
            .with("column", c.clone()));
        }
    }
    if columns.len() == schema.fields.len() && !columns.is_empty() {
        return Err(NativeError::new(
            ErrorCode::DeltaSchemaMismatch,
            "a table needs at least one column that is not a partition column",
        ));
    }
    Ok(())
}

fn remove_body(file: &super::super::replay::ActiveFile, now: i64) -> Json {
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

fn upgrade_for(
    s: &Snapshot,
    txn: &mut Transaction,
    mut wanted: BTreeSet<String>,
    domain: bool,
) -> Result<()> {
    if domain {
        wanted.insert("domainMetadata".into());
    }
    let (_, have) = protocol_features(&s.protocol);
    let (have_reader, _) = protocol_features(&s.protocol);
    let missing: BTreeSet<String> = wanted
        .into_iter()
        .filter(|f| !have.contains(f) && !have_reader.contains(f))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let protocol = protocol_for(&missing, Some(&s.protocol))?;
    if protocol != s.protocol {
        txn.protocol = Some(protocol);
    }
    Ok(())
}

fn ensure_domain_feature(s: &Snapshot, txn: &mut Transaction, domain: bool) -> Result<()> {
    if domain {
        upgrade_for(s, txn, BTreeSet::new(), true)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write(
    ctx: &mut Context,
    s: &Snapshot,
    txn: &mut Transaction,
    mode: WriteMode,
    source: &DataSource,
    predicate: Option<&str>,
    policy: &WritePolicy,
    result: &mut OperationResult,
) -> Result<()> {
    check_write(&s.protocol, &s.metadata, &s.schema, true)?;
    let append_only = s
        .metadata
        .configuration
        .get("delta.appendOnly")
        .is_some_and(|v| v == "true");
    if append_only && mode != WriteMode::Append {
        return Err(NativeError::new(ErrorCode::DeltaOperationNotAllowed, "the table is append-only (delta.appendOnly = true): it cannot be overwritten or have rows replaced").with("reason", "appendOnly"));
    }
    if mode != WriteMode::ReplaceWhere && predicate.is_some() {
        return Err(
            NativeError::invalid_argument("a predicate is only used by replaceWhere")
                .with("option", "predicate"),
        );
    }
    let stats = stats_columns(
        &s.schema,
        &s.metadata.partition_columns,
        &s.metadata.configuration,
        s.column_mapping,
    )?;
    let relation = source_relation(source)?;
    let target = WriteTarget {
        root: ctx.root,
        schema: &s.schema,
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
            for file in &s.files {
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
struct Output {
    file: WrittenFile,
    rewritten: bool,
}

fn outputs(files: Vec<WrittenFile>, rewritten: bool) -> Vec<Output> {
    files
        .into_iter()
        .map(|file| Output { file, rewritten })
        .collect()
}

/// What replace where does: the indexes (into the snapshot's files) of the files to remove,
/// the files added (new rows, and rows of removed files that stay), the cdc actions.
struct Replaced {
    removed: Vec<usize>,
    added: Vec<Output>,
    cdc: Vec<Json>,
}

/// Replace where: the active files holding rows that match `predicate` are removed, their
/// other rows rewritten, and the rows of `relation` appended. With change data feed and a
/// partial rewrite, the deleted and appended rows also go to cdc files ([`super::change_data`]).
fn replace_where(
    db: &mut Database,
    target: &WriteTarget,
    s: &Snapshot,
    predicate: &str,
    relation: &str,
) -> Result<Replaced> {
    if s.files.is_empty() {
        let added = write_rows(db, target, relation, None)?;
        return Ok(Replaced {
            removed: Vec::new(),
            added: outputs(added, false),
            cdc: Vec::new(),
        });
    }
    // The current rows (logical columns, as a scan reads them) with the file they live in.
    let table = TableColumns::of(s)?;
    let mut reads = Vec::with_capacity(s.files.len());
    for file in &s.files {
        if file.add.deletion_vector.is_some() {
            return Err(NativeError::new(
                ErrorCode::DeltaUnsupportedFeature,
                "replaceWhere over files with deletion vectors is not supported",
            )
            .with("features", "deletionVectors")
            .with("kind", "writer"));
        }
        let FileLocation::Relative(rel) = &file.location else {
            return Err(NativeError::new(
                ErrorCode::StorageIo,
                "replaceWhere needs files inside the table directory",
            )
            .with("path", file.location.as_str()));
        };
        let abs = target.root.join(rel);
        let abs = abs
            .to_str()
            .ok_or_else(|| NativeError::invalid_argument("the table path is not UTF-8"))?
            .to_string();
        reads.push(FileRead {
            path: abs,
            partition_values: &file.add.partition_values,
            deleted: None,
            only: None,
        });
    }
    let paths: Vec<String> = reads.iter().map(|r| r.path.clone()).collect();
    let layouts = read_layouts(db, &paths)?;
    let union = table.union_sql(&reads, &layouts, &|i| {
        vec![format!("CAST({i} AS BIGINT) AS __cpgc_file")]
    })?;
    let id = uuid_v4().replace('-', "");
    let view = format!("__cpgc_current_{id}");
    let new_rows = format!("__cpgc_new_{id}");
    db.query(&format!("CREATE TEMP VIEW {view} AS {union}"))?;
    let outcome = (|| {
        let hit = db.query(&format!("SELECT __cpgc_file, count(*) FILTER (WHERE coalesce(({predicate}), false)) AS matched, count(*) AS total FROM {view} GROUP BY __cpgc_file HAVING matched > 0 ORDER BY __cpgc_file"))?;
        let mut removed = Vec::new();
        let mut partial = Vec::new();
        for row in &hit.rows {
            let as_i = |v: Option<&crate::wire::Value>| match v {
                Some(crate::wire::Value::Int(i)) => *i,
                Some(crate::wire::Value::UInt(u)) => i64::try_from(*u).unwrap_or(i64::MAX),
                _ => -1,
            };
            let Ok(index) = usize::try_from(as_i(row.first())) else {
                continue;
            };
            if index >= s.files.len() {
                continue;
            }
            removed.push(index);
            if as_i(row.get(1)) < as_i(row.get(2)) {
                partial.push(index.to_string());
            }
        }
        let with_cdc = change_data_enabled(&s.metadata.configuration) && !partial.is_empty();
        let mut added = Vec::new();
        let mut cdc = Vec::new();
        if with_cdc {
            // The new rows are read twice (data files + cdc files): materialize them once.
            db.query(&format!(
                "CREATE TEMP TABLE {new_rows} AS SELECT * FROM {relation} AS __cpgc_src"
            ))?;
            added.extend(outputs(write_rows(db, target, &new_rows, None)?, false));
            cdc.extend(write_changes(db, target, &format!("(SELECT * EXCLUDE (__cpgc_file) FROM {view} WHERE coalesce(({predicate}), false))"), "delete")?);
            cdc.extend(write_changes(db, target, &new_rows, "insert")?);
        } else {
            added.extend(outputs(write_rows(db, target, relation, None)?, false));
        }
        if !partial.is_empty() {
            let kept = format!("(SELECT * EXCLUDE (__cpgc_file) FROM {view} WHERE __cpgc_file IN ({}) AND NOT coalesce(({predicate}), false))", partial.join(", "));
            added.extend(outputs(write_rows(db, target, &kept, None)?, true));
        }
        Ok(Replaced {
            removed,
            added,
            cdc,
        })
    })();
    let _ = db.query(&format!("DROP VIEW IF EXISTS {view}"));
    let _ = db.query(&format!("DROP TABLE IF EXISTS {new_rows}"));
    outcome
}

/// Checkpoint + log cleanup after a commit; failures become warnings (the commit stands).
fn post_commit(ctx: &mut Context, version: u64, result: &mut OperationResult) {
    let attempt = (|| -> Result<Option<CheckpointWritten>> {
        let snapshot = load_snapshot(ctx.storage, ctx.parquet, VersionSpec::Version(version))?;
        let interval = snapshot
            .metadata
            .configuration
            .get("delta.checkpointInterval")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(10);
        if version == 0 || version % interval != 0 {
            return Ok(None);
        }
        let written = write_checkpoint(ctx.db, ctx.root, &snapshot)?;
        if snapshot
            .metadata
            .configuration
            .get("delta.enableExpiredLogCleanup")
            .is_none_or(|v| v != "false")
        {
            let retention = duration_property(
                &snapshot.metadata.configuration,
                "delta.logRetentionDuration",
                DEFAULT_LOG_RETENTION_MS,
            )?;
            result.cleaned_log_files =
                cleanup_expired_logs(ctx.storage, ctx.root, retention, now_ms())?;
        }
        Ok(Some(written))
    })();
    match attempt {
        Ok(Some(written)) => result.checkpoint_version = Some(written.version),
        Ok(None) => {}
        Err(e) => result.warnings.push(format!(
            "version {version} was committed, but its checkpoint failed: {}",
            e.message
        )),
    }
}

/// Writes a checkpoint of the latest version now.
pub fn checkpoint_now(ctx: &mut Context) -> Result<CheckpointWritten> {
    let snapshot = load_snapshot(ctx.storage, ctx.parquet, VersionSpec::Latest)?;
    write_checkpoint(ctx.db, ctx.root, &snapshot)
}
