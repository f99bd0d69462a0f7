//! The table a write works against: the snapshot's state, or the state a create or an update is
//! about to commit (its new schema, partitioning and properties, the files it read).

use super::super::super::actions::{Metadata, Protocol};
use super::super::super::replay::ActiveFile;
use super::super::super::schema::{ColumnMappingMode, StructType};
use super::super::super::snapshot::Snapshot;

pub(super) struct TableView<'a> {
    pub(super) protocol: &'a Protocol,
    pub(super) metadata: &'a Metadata,
    pub(super) schema: &'a StructType,
    pub(super) column_mapping: ColumnMappingMode,
    /// The active files of the version the transaction read.
    pub(super) files: &'a [ActiveFile],
    /// The table read was append-only: removing files is refused (even when the same commit
    /// lifts `delta.appendOnly`).
    pub(super) append_only: bool,
}

pub(super) fn append_only(metadata: &Metadata) -> bool {
    metadata
        .configuration
        .get("delta.appendOnly")
        .is_some_and(|v| v == "true")
}

impl<'a> TableView<'a> {
    pub(super) fn of(s: &'a Snapshot) -> TableView<'a> {
        TableView {
            protocol: &s.protocol,
            metadata: &s.metadata,
            schema: &s.schema,
            column_mapping: s.column_mapping,
            files: &s.files,
            append_only: append_only(&s.metadata),
        }
    }
}
