//! The snapshot as it crosses to JavaScript (msgpack via `crate::wire::encode`); declared in
//! `runtime-native/ts/delta.ts` (`DeltaSnapshot`). Names are logical: partition values and
//! statistics are re-keyed from physical to logical column names under column mapping.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::actions::{DomainMetadata, Metadata, Protocol, Txn};
use super::deletion_vector;
use super::log_segment::ReplayPlan;
use super::parquet::Projection;
use super::replay::ActiveFile;
use super::schema::{ColumnMappingMode, DataType, StructField, StructType};
use super::snapshot::Snapshot;
use super::stats::{num_records, parse_stats, Stats};
use super::storage::Storage;
use super::uri::FileLocation;
use crate::error::{NativeError, Result};

/// Bumped on breaking changes of this shape (additions keep it).
pub const SNAPSHOT_FORMAT_VERSION: u32 = 1;

/// Which active files the wire form lists (the summary always covers all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FileSelection {
    #[default]
    All,
    None,
    /// Only files whose row count is not known from a `numRecords` statistic.
    WithoutNumRecords,
}

/// Totals over every active file.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct SummaryWire {
    num_files: u64,
    size_bytes: i64,
    /// Sum of `numRecords` over the files that have it (physical rows).
    num_records: i64,
    files_without_num_records: u64,
    deleted_by_deletion_vectors: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotWire<'a> {
    format_version: u32,
    table_root: String,
    version: u64,
    timestamp: Option<i64>,
    protocol: &'a Protocol,
    metadata: &'a Metadata,
    schema: Vec<Value>,
    column_mapping: ColumnMappingMode,
    file_selection: FileSelection,
    files: Vec<FileWire<'a>>,
    summary: SummaryWire,
    app_transactions: Vec<&'a Txn>,
    domain_metadata: Vec<DomainWire<'a>>,
    commit_info: Option<&'a Value>,
    log_segment: SegmentWire,
    warnings: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DomainWire<'a> {
    domain: &'a str,
    configuration: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SegmentWire {
    checkpoint_version: Option<u64>,
    checkpoint_kind: Option<&'static str>,
    checkpoint_files: Vec<String>,
    first_commit: Option<u64>,
    last_commit: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DvWire<'a> {
    storage_type: &'a str,
    path_or_inline_dv: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<i32>,
    size_in_bytes: i32,
    cardinality: i64,
    unique_id: String,
    /// The DV file (relative to the table root for `u`), absent for inline DVs.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileWire<'a> {
    path: &'a str,
    absolute_path: Option<String>,
    partition_values: BTreeMap<String, Option<&'a str>>,
    size: i64,
    modification_time: Option<i64>,
    data_change: bool,
    stats: Option<Stats>,
    deletion_vector: Option<DvWire<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    base_row_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_row_commit_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    clustering_provider: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: &'a BTreeMap<String, String>,
}

fn type_wire(data_type: &DataType, mode: ColumnMappingMode) -> Result<Value> {
    Ok(match data_type {
        DataType::Primitive(_) | DataType::Decimal { .. } => Value::String(data_type.to_string()),
        DataType::Struct(s) => json!({ "type": "struct", "fields": fields_wire(s, mode)? }),
        DataType::Array {
            element,
            contains_null,
        } => {
            json!({ "type": "array", "elementType": type_wire(element, mode)?, "containsNull": contains_null })
        }
        DataType::Map {
            key,
            value,
            value_contains_null,
        } => json!({
            "type": "map",
            "keyType": type_wire(key, mode)?,
            "valueType": type_wire(value, mode)?,
            "valueContainsNull": value_contains_null,
        }),
    })
}

fn field_wire(field: &StructField, mode: ColumnMappingMode) -> Result<Value> {
    let mut out = Map::new();
    out.insert("name".into(), Value::String(field.name.clone()));
    out.insert("type".into(), type_wire(&field.data_type, mode)?);
    out.insert("nullable".into(), Value::Bool(field.nullable));
    out.insert("metadata".into(), Value::Object(field.metadata.clone()));
    if mode != ColumnMappingMode::None {
        out.insert(
            "physicalName".into(),
            Value::String(field.physical_name(mode)?.to_string()),
        );
        if let Some(id) = field.field_id() {
            out.insert("fieldId".into(), Value::from(id));
        }
    }
    Ok(Value::Object(out))
}

fn fields_wire(schema: &StructType, mode: ColumnMappingMode) -> Result<Vec<Value>> {
    schema.fields.iter().map(|f| field_wire(f, mode)).collect()
}

/// Re-keys a stats object (mirroring `schema`) from physical to logical names.
fn logical_stats(value: &Value, schema: &StructType, mode: ColumnMappingMode) -> Value {
    let Value::Object(object) = value else {
        return value.clone();
    };
    let mut out = Map::new();
    for (key, nested) in object {
        let field = schema
            .fields
            .iter()
            .find(|f| f.physical_name(mode).is_ok_and(|p| p == key));
        match field {
            Some(f) => {
                let nested = match &f.data_type {
                    DataType::Struct(s) => logical_stats(nested, s, mode),
                    _ => nested.clone(),
                };
                out.insert(f.name.clone(), nested);
            }
            None => {
                out.insert(key.clone(), nested.clone());
            }
        }
    }
    Value::Object(out)
}

fn file_wire<'a>(
    file: &'a ActiveFile,
    snapshot: &Snapshot,
    physical_to_logical: &BTreeMap<String, String>,
    root: Option<&str>,
) -> Result<FileWire<'a>> {
    let add = &file.add;
    let mode = snapshot.column_mapping;
    let local = |location: &FileLocation| match location {
        FileLocation::Relative(p) => root.map(|root| format!("{root}/{p}")),
        FileLocation::Local(p) => Some(p.clone()),
        FileLocation::Remote(_) => None,
    };
    // Unparseable statistics were reported by the summary; here they are simply absent.
    let stats = parse_stats(add).ok().flatten().map(|mut s| {
        if mode != ColumnMappingMode::None {
            for v in [&mut s.min_values, &mut s.max_values, &mut s.null_count]
                .into_iter()
                .flatten()
            {
                *v = logical_stats(v, &snapshot.schema, mode);
            }
        }
        s
    });
    let deletion_vector = match &add.deletion_vector {
        None => None,
        Some(dv) => Some(DvWire {
            storage_type: &dv.storage_type,
            path_or_inline_dv: &dv.path_or_inline_dv,
            offset: dv.offset,
            size_in_bytes: dv.size_in_bytes,
            cardinality: dv.cardinality,
            unique_id: dv.unique_id(),
            path: deletion_vector::file_location(dv)?.map(|l| l.as_str().to_string()),
        }),
    };
    Ok(FileWire {
        path: file.location.as_str(),
        absolute_path: local(&file.location),
        partition_values: add
            .partition_values
            .iter()
            .map(|(k, v)| {
                let key = physical_to_logical
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| k.clone());
                (key, v.as_deref().filter(|v| !v.is_empty()))
            })
            .collect(),
        size: add.size,
        modification_time: add.modification_time,
        data_change: add.data_change,
        stats,
        deletion_vector,
        base_row_id: add.base_row_id,
        default_row_commit_version: add.default_row_commit_version,
        clustering_provider: add.clustering_provider.as_deref(),
        tags: &add.tags,
    })
}

/// The totals over every active file and the files `selection` lists.
struct Files<'a> {
    summary: SummaryWire,
    listed: Vec<FileWire<'a>>,
    warnings: Vec<String>,
}

fn files_of<'a>(
    snapshot: &'a Snapshot,
    storage: &dyn Storage,
    selection: FileSelection,
) -> Result<Files<'a>> {
    let mode = snapshot.column_mapping;
    let mut physical_to_logical = BTreeMap::new();
    for field in &snapshot.schema.fields {
        physical_to_logical.insert(field.physical_name(mode)?.to_string(), field.name.clone());
    }
    // Relative paths resolve under the root (a local directory; None for other storages).
    let root = storage
        .local_path("")
        .map(|p| p.display().to_string().trim_end_matches('/').to_string());
    let mut warnings = snapshot.warnings.clone();
    let mut summary = SummaryWire::default();
    let mut listed = Vec::new();
    for file in &snapshot.files {
        summary.num_files += 1;
        summary.size_bytes = summary.size_bytes.saturating_add(file.add.size);
        summary.deleted_by_deletion_vectors = summary.deleted_by_deletion_vectors.saturating_add(
            file.add
                .deletion_vector
                .as_ref()
                .map_or(0, |dv| dv.cardinality),
        );
        let known = match num_records(&file.add) {
            Ok(Some(n)) => {
                summary.num_records = summary.num_records.saturating_add(n);
                true
            }
            Ok(None) => false,
            Err(_) => {
                warnings.push(format!(
                    "ignored the unparseable statistics of {}",
                    file.location.as_str()
                ));
                false
            }
        };
        summary.files_without_num_records += u64::from(!known);
        let wanted = match selection {
            FileSelection::All => true,
            FileSelection::None => false,
            FileSelection::WithoutNumRecords => !known,
        };
        if wanted {
            if snapshot.projection != Projection::All {
                return Err(NativeError::internal(
                    "a snapshot read for a summary cannot list files",
                ));
            }
            listed.push(file_wire(
                file,
                snapshot,
                &physical_to_logical,
                root.as_deref(),
            )?);
        }
    }
    Ok(Files {
        summary,
        listed,
        warnings,
    })
}

fn table_root(storage: &dyn Storage) -> String {
    storage
        .local_path("")
        .map_or_else(|| storage.describe(), |p| p.display().to_string())
}

fn segment_wire(plan: &ReplayPlan) -> SegmentWire {
    SegmentWire {
        checkpoint_version: plan.checkpoint.as_ref().map(|c| c.version),
        checkpoint_kind: plan.checkpoint.as_ref().map(|c| c.kind()),
        checkpoint_files: plan
            .checkpoint
            .iter()
            .flat_map(|c| c.files.iter().map(|f| f.meta.name.clone()))
            .collect(),
        first_commit: plan.commits.first().map(|c| c.version),
        last_commit: plan.commits.last().map(|c| c.version),
    }
}

fn domains_wire(snapshot: &Snapshot) -> Vec<DomainWire<'_>> {
    snapshot
        .domains
        .values()
        .map(|d: &DomainMetadata| DomainWire {
            domain: &d.domain,
            configuration: &d.configuration,
        })
        .collect()
}

/// The wire form of `snapshot` (which must hold its app transactions: not read with
/// [`Projection::Totals`]).
pub fn snapshot_wire<'a>(
    snapshot: &'a Snapshot,
    storage: &dyn Storage,
    selection: FileSelection,
) -> Result<SnapshotWire<'a>> {
    if snapshot.projection == Projection::Totals {
        return Err(NativeError::internal(
            "a snapshot read without its app transactions is not a DeltaSnapshot",
        ));
    }
    let Files {
        summary,
        listed,
        warnings,
    } = files_of(snapshot, storage, selection)?;
    Ok(SnapshotWire {
        format_version: SNAPSHOT_FORMAT_VERSION,
        table_root: table_root(storage),
        version: snapshot.version,
        timestamp: snapshot.timestamp,
        protocol: &snapshot.protocol,
        metadata: &snapshot.metadata,
        schema: fields_wire(&snapshot.schema, snapshot.column_mapping)?,
        column_mapping: snapshot.column_mapping,
        file_selection: selection,
        files: listed,
        summary,
        app_transactions: snapshot.txns.values().collect(),
        domain_metadata: domains_wire(snapshot),
        commit_info: snapshot.commit_info.as_ref(),
        log_segment: segment_wire(&snapshot.plan),
        warnings,
    })
}

/// A table's state for observing it (`DeltaTableSummary` in `runtime-native/ts/delta-types.ts`):
/// a snapshot's metadata and totals without the parsed schema, and of the app transactions only
/// those the newest commit recorded.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSummaryWire<'a> {
    format_version: u32,
    table_root: String,
    version: u64,
    timestamp: Option<i64>,
    protocol: &'a Protocol,
    metadata: &'a Metadata,
    file_selection: FileSelection,
    files: Vec<FileWire<'a>>,
    summary: SummaryWire,
    domain_metadata: Vec<DomainWire<'a>>,
    commit_info: Option<&'a Value>,
    /// The `txn` actions of the commit at `version`; null when its commit file is gone.
    commit_txns: Option<&'a [Txn]>,
    log_segment: SegmentWire,
    warnings: Vec<String>,
}

/// The summary wire form of `snapshot` (any projection).
pub fn table_summary_wire<'a>(
    snapshot: &'a Snapshot,
    storage: &dyn Storage,
    selection: FileSelection,
) -> Result<TableSummaryWire<'a>> {
    let Files {
        summary,
        listed,
        warnings,
    } = files_of(snapshot, storage, selection)?;
    Ok(TableSummaryWire {
        format_version: SNAPSHOT_FORMAT_VERSION,
        table_root: table_root(storage),
        version: snapshot.version,
        timestamp: snapshot.timestamp,
        protocol: &snapshot.protocol,
        metadata: &snapshot.metadata,
        file_selection: selection,
        files: listed,
        summary,
        domain_metadata: domains_wire(snapshot),
        commit_info: snapshot.commit_info.as_ref(),
        commit_txns: snapshot.commit_txns.as_deref(),
        log_segment: segment_wire(&snapshot.plan),
        warnings,
    })
}
