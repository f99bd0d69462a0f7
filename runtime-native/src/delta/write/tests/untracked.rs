//! The untracked-file cleanup: files a crashed writer left go; every file an action still in
//! the log names stays (time travel keeps working), hidden files and directories are not
//! touched, and a minimum age protects recent files.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde_json::json;

use super::super::super::log_files::commit_path;
use super::super::super::snapshot::VersionSpec;
use super::fixture::{table, Table};
use crate::error::ErrorCode;

fn created(configuration: serde_json::Value) -> Option<Table> {
    let mut t = table()?;
    t.run(
        json!({
            "operation": "create",
            "schemaString": json!({"type": "struct", "fields": [
                {"name": "id", "type": "long", "nullable": true, "metadata": {}},
                {"name": "p", "type": "string", "nullable": true, "metadata": {}},
            ]}).to_string(),
            "partitionColumns": ["p"],
            "configuration": configuration,
            "data": {"source": {"sql": "SELECT range AS id, CASE WHEN range < 2 THEN 'a' ELSE 'b' END AS p FROM range(4)"}},
        }),
        json!({}),
    )
    .unwrap();
    Some(t)
}

fn put(root: &Path, rel: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"PAR1 left by a crashed writer").unwrap();
}

fn age(root: &Path, rel: &str, by: Duration) {
    let file = std::fs::File::options()
        .write(true)
        .open(root.join(rel))
        .unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn files_no_action_names_go_and_every_logged_file_stays() {
    let Some(mut t) = created(json!({"delta.enableChangeDataFeed": "true"})) else {
        return;
    };
    // v1: a partial replace where (removes + adds + cdc files); v2: an overwrite (tombstones).
    t.run(
        json!({"operation": "write", "mode": "replaceWhere", "predicate": "id = 1", "source": {"sql": "SELECT 10 AS id, 'a' AS p"}}),
        json!({}),
    )
    .unwrap();
    assert!(t.kinds(1).iter().any(|k| k == "cdc"));
    t.run(
        json!({"operation": "write", "mode": "overwrite", "source": {"sql": "SELECT 20 AS id, 'c' AS p"}}),
        json!({}),
    )
    .unwrap();
    let logged = t.data_files();
    let root = t.root.clone();
    let strays = [
        "_change_data/p=a/cdc-00000-stray.c000.snappy.parquet",
        "_cpgc_staging_dead/p=a/data_0.parquet",
        "p=a/part-00000-stray-c000.zstd.parquet",
        "stray.parquet",
    ];
    for rel in strays {
        put(&root, rel);
    }
    for rel in [
        ".hidden/x.parquet",
        "_other/x.parquet",
        "p=a/.part-stray.crc",
        "_delta_log/x.parquet",
    ] {
        put(&root, rel);
    }
    let dry = t.cleanup_untracked(0, true).unwrap();
    assert_eq!(dry, strays);
    assert!(root.join(strays[0]).exists());
    assert_eq!(t.cleanup_untracked(0, false).unwrap(), strays);
    assert!(strays.iter().all(|rel| !root.join(rel).exists()));
    assert_eq!(t.data_files(), logged);
    assert!(root.join(".hidden/x.parquet").exists() && root.join("_other/x.parquet").exists());
    // Every version is still readable, and the change feed's cdc files are still there.
    assert_eq!(
        t.scan_at(VersionSpec::Version(0), "id", "id"),
        ["0", "1", "2", "3"]
    );
    assert_eq!(
        t.scan_at(VersionSpec::Version(1), "id", "id"),
        ["0", "2", "3", "10"]
    );
    assert_eq!(t.scan("id, p", "id"), ["20|c"]);
    assert!(t
        .data_files()
        .iter()
        .any(|f| f.starts_with("_change_data/")));
    assert_eq!(t.cleanup_untracked(0, false).unwrap(), Vec::<String>::new());
}

#[test]
fn a_minimum_age_keeps_recent_files() {
    let Some(t) = created(json!({})) else { return };
    let root = t.root.clone();
    put(&root, "p=a/recent.parquet");
    put(&root, "p=b/old.parquet");
    age(&root, "p=b/old.parquet", Duration::from_secs(7200));
    assert_eq!(
        t.cleanup_untracked(3_600_000, false).unwrap(),
        ["p=b/old.parquet"]
    );
    assert!(root.join("p=a/recent.parquet").exists());
    let e = t.cleanup_untracked(-1, true).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn a_file_only_cleaned_up_commits_named_is_untracked() {
    let Some(mut t) = created(json!({"delta.deletedFileRetentionDuration": "interval 0 seconds"}))
    else {
        return;
    };
    let first = t.data_files();
    t.run(
        json!({"operation": "write", "mode": "overwrite", "source": {"sql": "SELECT 5 AS id, 'a' AS p"}}),
        json!({}),
    )
    .unwrap();
    t.run(
        json!({"operation": "write", "mode": "append", "source": {"sql": "SELECT 6 AS id, 'b' AS p"}}),
        json!({}),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    // The checkpoint drops the expired tombstones; log cleanup then removes commits 0 and 1.
    assert_eq!(t.checkpoint(), 2);
    assert_eq!(t.cleanup_untracked(0, true).unwrap(), Vec::<String>::new());
    for v in [0, 1] {
        std::fs::remove_file(t.root.join(commit_path(v))).unwrap();
    }
    assert_eq!(t.cleanup_untracked(0, false).unwrap(), first);
    assert_eq!(t.scan("id", "id"), ["5", "6"]);
}
