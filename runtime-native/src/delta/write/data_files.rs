//! The data files under a table root, as `vacuum` and the untracked-file cleanup see them, and
//! the relative paths the log's actions name.
//!
//! Listed: every file below the root except in `_delta_log` and in hidden directories (name
//! starting with `.` or `_`) — but `_change_data` (cdc files, which only `cdc` actions name),
//! the `_cpgc_staging_*` directories a writer killed mid-write leaves, and partition
//! directories (`<column>=<value>`, where a partition column's name may itself start with `_`)
//! are listed, as Delta's vacuum does. Files whose name starts with `.` or `_` are never listed
//! (checksums, markers of other engines).

use std::path::Path;

use super::super::actions::DeletionVector;
use super::super::deletion_vector;
use super::super::log_files::LOG_DIR;
use super::super::schema::ColumnMappingMode;
use super::super::snapshot::Snapshot;
use super::super::uri::{decode_file_path, FileLocation};
use super::data::CHANGE_DATA_DIR;
use super::partition::hive_escape;

/// A data file: its `/`-separated path relative to the root and its modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFile {
    pub path: String,
    pub modified_ms: i64,
}

/// `<column>=` prefixes of the table's partition directories (physical names, Hive-escaped).
pub fn partition_prefixes(snapshot: &Snapshot) -> Vec<String> {
    let mode = snapshot.column_mapping;
    snapshot
        .metadata
        .partition_columns
        .iter()
        .filter_map(|c| {
            let field = snapshot.schema.field(c)?;
            let physical = match mode {
                ColumnMappingMode::None => field.name.as_str(),
                _ => field.physical_name(mode).ok()?,
            };
            Some(format!("{}=", hive_escape(physical)))
        })
        .collect()
}

fn listed_dir(name: &str, top_level: bool, partition_prefixes: &[String]) -> bool {
    if top_level && name == LOG_DIR {
        return false;
    }
    if !(name.starts_with('.') || name.starts_with('_')) {
        return true;
    }
    (top_level && (name == CHANGE_DATA_DIR || name.starts_with("_cpgc_staging_")))
        || partition_prefixes
            .iter()
            .any(|p| name.starts_with(p.as_str()))
}

fn walk(dir: &Path, prefix: &str, partition_prefixes: &[String], out: &mut Vec<DataFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            if listed_dir(&name, prefix.is_empty(), partition_prefixes) {
                walk(&entry.path(), &rel, partition_prefixes, out);
            }
            continue;
        }
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let modified_ms = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        out.push(DataFile {
            path: rel,
            modified_ms,
        });
    }
}

/// The data files under `root` (see the module docs), sorted by path.
pub fn list_data_files(root: &Path, partition_prefixes: &[String]) -> Vec<DataFile> {
    let mut out = Vec::new();
    walk(root, "", partition_prefixes, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The root-relative path an action's (URI-encoded) path names, when it is inside `root`.
pub fn relative_path(raw: &str, root: &Path) -> Option<String> {
    match decode_file_path(raw).ok()? {
        FileLocation::Relative(p) => Some(p),
        FileLocation::Local(abs) => Path::new(&abs)
            .strip_prefix(root)
            .ok()?
            .to_str()
            .map(|p| p.replace('\\', "/")),
        FileLocation::Remote(_) => None,
    }
}

/// The root-relative path of a deletion vector's file (none for inline vectors).
pub fn deletion_vector_path(dv: &DeletionVector, root: &Path) -> Option<String> {
    match deletion_vector::file_location(dv).ok()?? {
        FileLocation::Relative(p) => Some(p),
        other => relative_path(other.as_str(), root),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_directories_are_skipped_but_data_and_partition_ones_listed() {
        let root =
            std::env::temp_dir().join(format!("cpgc-data-files-{}", super::super::ids::uuid_v4()));
        for dir in [
            "_delta_log",
            ".hidden",
            "_other",
            "_change_data/p=1",
            "_cpgc_staging_x/p=1",
            "_p=1",
            "q=2/_p=3",
            "plain",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            std::fs::write(root.join(dir).join("f.parquet"), b"x").unwrap();
            std::fs::write(root.join(dir).join(".f.parquet.crc"), b"x").unwrap();
        }
        std::fs::write(root.join("_SUCCESS"), b"").unwrap();
        let listed: Vec<String> = list_data_files(&root, &["_p=".to_string()])
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(
            listed,
            [
                "_change_data/p=1/f.parquet",
                "_cpgc_staging_x/p=1/f.parquet",
                "_p=1/f.parquet",
                "plain/f.parquet",
                "q=2/_p=3/f.parquet",
            ]
        );
        assert_eq!(
            relative_path("a%20b/c.parquet", &root).as_deref(),
            Some("a b/c.parquet")
        );
        let inside = format!("file://{}/x.parquet", root.display());
        assert_eq!(relative_path(&inside, &root).as_deref(), Some("x.parquet"));
        assert_eq!(relative_path("file:///elsewhere/x.parquet", &root), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
