//! The partitioned write: one `COPY ... PARTITION_BY` pass into a staging directory, each file
//! then moved into its Hive directory.

use std::collections::BTreeMap;
use std::path::Path;

use super::super::ids::uuid_v4;
use super::super::partition::partition_dir;
use super::copy::{codec_of, io_error, run_copy, utf8};
use super::return_stats::{as_str, as_u64, partition_key, stats_indexes};
use super::{sql_string, WriteTarget, WrittenFile};
use crate::duckdb::Database;
use crate::error::{NativeError, Result};
use crate::wire::Value;

/// One `COPY ... PARTITION_BY` pass into a staging directory; each file is then renamed into
/// its Hive directory (see the module docs).
pub(super) fn copy_partitioned(
    db: &mut Database,
    target: &WriteTarget,
    select: &str,
    options: &[String],
) -> Result<Vec<WrittenFile>> {
    let physical = target.partition_physical()?;
    let staging = target
        .root
        .join(format!("_cpgc_staging_{}", uuid_v4().replace('-', "")));
    let codec = codec_of(options);
    let mut options = options.to_vec();
    let pv: Vec<String> = (0..physical.len())
        .map(|i| format!("__cpgc_pv{i}"))
        .collect();
    options.push(format!("PARTITION_BY ({})", pv.join(", ")));
    options.push(format!(
        "FILENAME_PATTERN {}",
        sql_string(&format!(
            "{}-00000-{{uuid}}-c000.{codec}",
            target.file_prefix()
        ))
    ));
    let outcome = (|| {
        let result = run_copy(db, select, utf8(&staging)?, &options)?;
        let (fi, ci, si, ti, pi) = stats_indexes(&result)?;
        let pi = pi.ok_or_else(|| {
            NativeError::internal("COPY ... PARTITION_BY returned no partition_keys column")
        })?;
        let mut out = Vec::new();
        for row in &result.rows {
            let Some(file) = row.get(fi).and_then(as_str) else {
                continue;
            };
            let count = row.get(ci).map_or(0, as_u64);
            if count == 0 {
                continue;
            }
            let keys = row.get(pi).unwrap_or(&Value::Null);
            let mut values = BTreeMap::new();
            let mut ordered = Vec::new();
            for (name, key) in physical.iter().zip(&pv) {
                let value = partition_key(keys, key)?;
                values.insert(name.clone(), value.clone());
                ordered.push((name.clone(), value));
            }
            let dir = [target.base_dir().to_string(), partition_dir(&ordered)]
                .into_iter()
                .filter(|d| !d.is_empty())
                .collect::<Vec<_>>()
                .join("/");
            let dir_path = target.root.join(&dir);
            std::fs::create_dir_all(&dir_path).map_err(|e| io_error("create", &dir_path, &e))?;
            let source = Path::new(file);
            let name = source.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
                NativeError::internal(format!("DuckDB wrote {file} without a file name"))
            })?;
            let dest = dir_path.join(name);
            std::fs::rename(source, &dest)
                .map_err(|e| io_error("move a data file to", &dest, &e))?;
            out.push(target.written(
                &format!("{dir}/{name}"),
                &values,
                count,
                row.get(si).map_or(0, as_u64),
                row.get(ti).unwrap_or(&Value::Null),
            ));
        }
        Ok(out)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    outcome
}
