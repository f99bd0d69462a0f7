//! Update: one commit changing any of the schema ([`super::evolve`]), the partitioning, table
//! properties ([`super::properties`]) and table features, plus a write executed against the
//! result — so `cpgc apply` turns one table action into one atomic commit.
//!
//! Order: properties first (they decide the column-mapping mode the schema is evolved under),
//! then the schema, then the protocol the result needs, then the write. A metaData action is
//! committed only when something in it changed; any metadata or protocol change conflicts with
//! a concurrent one ([`super::super::conflict`]).

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use super::super::super::actions::Metadata;
use super::super::super::schema::parse_schema;
use super::super::super::snapshot::Snapshot;
use super::super::protocol::{check_write, needed_features};
use super::super::transaction::Transaction;
use super::evolve::{evolve, EvolveInput, Evolved};
use super::metadata::column_mapping;
use super::properties::{changed_configuration, mapping_transition};
use super::table::{append_only, TableView};
use super::types::{Context, OperationResult, UpdateSpec, WriteMode};
use super::upgrade::upgrade_for;
use super::write::write;
use crate::error::Result;

pub(super) fn update(
    ctx: &mut Context,
    s: &Snapshot,
    spec: &UpdateSpec,
    txn: &mut Transaction,
    domain: bool,
    result: &mut OperationResult,
) -> Result<()> {
    check_write(&s.protocol, &s.metadata, &s.schema, true)?;
    let rewrite = spec
        .write
        .as_ref()
        .is_some_and(|w| w.mode == WriteMode::Overwrite);
    let mut metadata = s.metadata.clone();
    metadata.configuration = changed_configuration(&s.metadata, &spec.set, &spec.unset)?;
    let enabling_mapping = mapping_transition(&s.metadata, &metadata)?;
    let mode = column_mapping(&metadata);
    let evolved = evolve(
        &EvolveInput {
            old_schema_string: &s.metadata.schema_string,
            old: &s.schema,
            old_partition_columns: &s.metadata.partition_columns,
            mode,
            enabling_mapping,
            change: spec.schema.as_ref(),
            partition_columns: spec.partition_columns.as_deref(),
            rewrite,
        },
        &mut metadata.configuration,
    )?;
    metadata.schema_string = evolved.schema_string.clone();
    metadata.partition_columns = evolved.partition_columns.clone();
    let schema = parse_schema(&metadata.schema_string)?;
    let mut wanted = needed_features(&schema, &metadata);
    wanted.extend(spec.features.iter().cloned());
    upgrade_for(s, txn, wanted, domain)?;
    let protocol = txn.protocol.clone().unwrap_or_else(|| s.protocol.clone());
    check_write(&protocol, &metadata, &schema, true)?;
    if metadata_changed(&s.metadata, &metadata) {
        txn.metadata = Some(metadata.clone());
    }
    describe(txn, spec, &evolved, domain);
    if let Some(w) = &spec.write {
        let table = TableView {
            protocol: &protocol,
            metadata: &metadata,
            schema: &schema,
            column_mapping: mode,
            files: &s.files,
            append_only: append_only(&s.metadata),
        };
        write(
            ctx,
            &table,
            txn,
            w.mode,
            &w.source,
            w.predicate.as_deref(),
            &w.policy,
            result,
        )?;
    }
    Ok(())
}

fn metadata_changed(old: &Metadata, new: &Metadata) -> bool {
    let schema = |m: &Metadata| serde_json::from_str::<Json>(&m.schema_string).ok();
    old.configuration != new.configuration
        || old.partition_columns != new.partition_columns
        || (old.schema_string != new.schema_string && schema(old) != schema(new))
}

fn as_json_string<T: serde::Serialize>(value: &T) -> Json {
    json!(serde_json::to_string(value).unwrap_or_default())
}

/// `commitInfo.operation` (Delta's names) and `operationParameters` (JSON strings, as Delta).
fn describe(txn: &mut Transaction, spec: &UpdateSpec, evolved: &Evolved, domain: bool) {
    txn.operation = if spec.write.is_some() {
        "WRITE"
    } else if evolved.changed {
        "REPLACE COLUMNS"
    } else if !spec.unset.is_empty() {
        "UNSET TBLPROPERTIES"
    } else if !spec.set.is_empty() {
        "SET TBLPROPERTIES"
    } else if !spec.features.is_empty() {
        "UPGRADE PROTOCOL"
    } else if domain {
        "SET DOMAIN METADATA"
    } else {
        "UPDATE"
    }
    .to_string();
    let params = &mut txn.operation_parameters;
    if !spec.set.is_empty() {
        params.insert("properties".into(), as_json_string(&spec.set));
    }
    if !spec.unset.is_empty() {
        params.insert("unset".into(), as_json_string(&spec.unset));
    }
    if !spec.features.is_empty() {
        params.insert("features".into(), as_json_string(&spec.features));
    }
    let lists: [(&str, &Vec<String>); 3] = [
        ("addedColumns", &evolved.added),
        ("droppedColumns", &evolved.dropped),
        ("retypedColumns", &evolved.retyped),
    ];
    for (key, list) in lists {
        if !list.is_empty() {
            params.insert(key.into(), as_json_string(list));
        }
    }
    if !evolved.renamed.is_empty() {
        let renamed: BTreeMap<&String, &String> = evolved.renamed.iter().collect();
        params.insert("renamedColumns".into(), as_json_string(&renamed));
    }
    if evolved.changed {
        params.insert(
            "partitionBy".into(),
            as_json_string(&evolved.partition_columns),
        );
    }
}
