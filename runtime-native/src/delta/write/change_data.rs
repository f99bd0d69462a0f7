//! Change data files (PROTOCOL.md "Change Data Files") of one commit on a table with
//! `delta.enableChangeDataFeed = true`.
//!
//! A reader of the change feed uses a commit's `cdc` files when it has any, and otherwise reads
//! its `add` actions as inserts and its `remove` actions as deletes. So cdc files are needed
//! exactly when the file actions do not describe the row changes: a commit that rewrites part
//! of a file (replace where keeping some rows of a file it removes). Such a commit then
//! describes *all* its changes in cdc files — deleted rows (`delete`) and appended rows
//! (`insert`); rows merely copied into a new file are not changes. Commits that only add files
//! (appends) or only remove whole files (overwrite, replace where of whole files) need none.

use serde_json::Value as Json;

use super::data::{quote_ident, write_rows, WriteTarget, CHANGE_TYPE};
use crate::duckdb::Database;
use crate::error::Result;

/// Whether change data files are written for the table's commits.
pub fn enabled(configuration: &std::collections::BTreeMap<String, String>) -> bool {
    configuration
        .get("delta.enableChangeDataFeed")
        .is_some_and(|v| v == "true")
}

/// Writes the cdc files of `relation` (a FROM clause over the table's logical columns) with
/// change type `change_type`; returns the `cdc` action bodies.
pub fn write_changes(
    db: &mut Database,
    target: &WriteTarget,
    relation: &str,
    change_type: &str,
) -> Result<Vec<Json>> {
    let change = WriteTarget {
        root: target.root,
        schema: target.schema,
        partition_columns: target.partition_columns,
        stats_columns: &[],
        policy: target.policy,
        data_change: false,
        mode: target.mode,
        change_data: true,
    };
    let with_type = format!(
        "(SELECT *, {} AS {} FROM {relation} AS __cpgc_changes)",
        super::data::sql_string(change_type),
        quote_ident(CHANGE_TYPE)
    );
    Ok(write_rows(db, &change, &with_type, None)?
        .into_iter()
        .map(|f| f.add)
        .collect())
}
