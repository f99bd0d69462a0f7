//! One `COPY ... TO` of rows into data files (one directory, no PARTITION_BY).

use std::collections::BTreeMap;
use std::path::Path;

use super::super::ids::uuid_v4;
use super::return_stats::{as_str, as_u64, stats_indexes};
use super::{sql_string, WriteTarget, WrittenFile};
use crate::duckdb::Database;
use crate::error::{ErrorCode, NativeError, Result};
use crate::wire::Value;

pub(super) fn io_error(what: &str, path: &Path, e: &std::io::Error) -> NativeError {
    NativeError::new(
        ErrorCode::StorageIo,
        format!("cannot {what} {}: {e}", path.display()),
    )
    .with("path", path.display().to_string())
}

pub(super) fn codec_of(options: &[String]) -> String {
    options
        .iter()
        .find_map(|o| o.strip_prefix("COMPRESSION "))
        .unwrap_or("zstd")
        .to_string()
}

pub(super) fn run_copy(
    db: &mut Database,
    select: &str,
    to: &str,
    options: &[String],
) -> Result<crate::wire::QueryResult> {
    let sql = format!(
        "COPY ({select}) TO {} ({})",
        sql_string(to),
        options.join(", ")
    );
    db.query(&sql).map_err(|e| {
        if let Some(rest) = e.message.split("DELTA_SCHEMA_MISMATCH: ").nth(1) {
            NativeError::new(
                ErrorCode::DeltaSchemaMismatch,
                rest.lines().next().unwrap_or(rest).to_string(),
            )
        } else {
            e
        }
    })
}

pub(super) fn utf8(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| NativeError::invalid_argument("the table path is not UTF-8"))
}

pub(super) fn copy_files(
    db: &mut Database,
    target: &WriteTarget,
    select: &str,
    dir: &str,
    partition_values: &BTreeMap<String, Option<String>>,
    options: &[String],
) -> Result<Vec<WrittenFile>> {
    let root = target.root;
    let dir = [target.base_dir(), dir]
        .iter()
        .filter(|d| !d.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    let dir_path = if dir.is_empty() {
        root.to_path_buf()
    } else {
        root.join(&dir)
    };
    std::fs::create_dir_all(&dir_path).map_err(|e| io_error("create", &dir_path, &e))?;
    let codec = codec_of(options);
    let prefix = target.file_prefix();
    let mut options = options.to_vec();
    let to = if let Some(size) = target.policy.target_file_size {
        options.push(format!("FILE_SIZE_BYTES {size}"));
        options.push(format!(
            "FILENAME_PATTERN {}",
            sql_string(&format!("{prefix}-{}-{{i}}.{codec}", uuid_v4()))
        ));
        options.push("OVERWRITE_OR_IGNORE true".to_string());
        dir_path.clone()
    } else {
        dir_path.join(format!("{prefix}-00000-{}-c000.{codec}.parquet", uuid_v4()))
    };
    let result = run_copy(db, select, utf8(&to)?, &options)?;
    let (fi, ci, si, ti, _) = stats_indexes(&result)?;
    let root_text = utf8(root)?.trim_end_matches('/').to_string();
    let mut out = Vec::new();
    for row in &result.rows {
        let Some(file) = row.get(fi).and_then(as_str) else {
            continue;
        };
        let count = row.get(ci).map_or(0, as_u64);
        if count == 0 {
            let _ = std::fs::remove_file(file);
            continue;
        }
        let relative = file
            .strip_prefix(&root_text)
            .map(|r| r.trim_start_matches('/').to_string())
            .ok_or_else(|| {
                NativeError::internal(format!("DuckDB wrote {file} outside the table"))
            })?;
        out.push(target.written(
            &relative,
            partition_values,
            count,
            row.get(si).map_or(0, as_u64),
            row.get(ti).unwrap_or(&Value::Null),
        ));
    }
    Ok(out)
}
