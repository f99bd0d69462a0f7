//! Create: version 0 with protocol + metaData, and with `data` the table's first rows in the
//! same commit (create table as select). Put-if-absent on `00000000000000000000.json` keeps
//! creation exclusive: a creator that loses gets `DELTA_TABLE_EXISTS`, and the data files it
//! wrote are deleted by the caller ([`super::abandon`]).

use serde_json::json;

use super::super::super::actions::{Format, Metadata};
use super::super::super::schema::parse_schema;
use super::super::ids::{now_ms, uuid_v4};
use super::super::protocol::{check_write, needed_features, protocol_for};
use super::super::transaction::Transaction;
use super::metadata::{check_partition_columns, column_mapping, with_column_mapping};
use super::table::TableView;
use super::types::{Context, CreateSpec, OperationResult, WriteMode};
use super::write::write;
use crate::error::Result;

pub(super) fn create(
    ctx: &mut Context,
    spec: &CreateSpec,
    txn: &mut Transaction,
    domain: bool,
    result: &mut OperationResult,
) -> Result<()> {
    let mut configuration = spec.configuration.clone();
    let schema_string = with_column_mapping(&spec.schema_string, &mut configuration, None)?;
    let schema = parse_schema(&schema_string)?;
    check_partition_columns(&schema, &spec.partition_columns)?;
    let metadata = Metadata {
        id: uuid_v4(),
        name: spec.name.clone(),
        description: spec.description.clone(),
        format: Format::default(),
        schema_string,
        partition_columns: spec.partition_columns.clone(),
        created_time: Some(now_ms()),
        configuration,
    };
    let mut wanted = needed_features(&schema, &metadata);
    wanted.extend(spec.features.iter().cloned());
    if domain {
        wanted.insert("domainMetadata".into());
    }
    let protocol = protocol_for(&wanted, None)?;
    check_write(&protocol, &metadata, &schema, true)?;
    if let Some(data) = &spec.data {
        txn.operation = "CREATE TABLE AS SELECT".into();
        let table = TableView {
            protocol: &protocol,
            metadata: &metadata,
            schema: &schema,
            column_mapping: column_mapping(&metadata),
            files: &[],
            append_only: false,
        };
        write(
            ctx,
            &table,
            txn,
            WriteMode::Append,
            &data.source,
            None,
            &data.policy,
            result,
        )?;
        txn.operation_parameters
            .insert("mode".into(), json!("ErrorIfExists"));
    }
    txn.operation_parameters.insert(
        "partitionBy".into(),
        json!(serde_json::to_string(&spec.partition_columns).unwrap_or_default()),
    );
    txn.protocol = Some(protocol);
    txn.metadata = Some(metadata);
    Ok(())
}
