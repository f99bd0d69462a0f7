use serde_json::json;

use super::super::history::history;
use super::*;

fn three_versions() -> Table {
    let table = Table::created();
    table.commit(1, &[commit_info("WRITE"), add("f1.parquet", 1)]);
    table.commit(2, &[commit_info("DELETE"), remove("f0.parquet")]);
    table
}

#[test]
fn time_travel_by_version() {
    let table = three_versions();
    assert_eq!(
        paths(&table.load(VersionSpec::Version(0)).unwrap()),
        ["f0.parquet"]
    );
    assert_eq!(
        paths(&table.load(VersionSpec::Version(1)).unwrap()),
        ["f0.parquet", "f1.parquet"]
    );
    let err = table.error(VersionSpec::Version(3));
    assert_code(&err, ErrorCode::DeltaVersionNotFound);
    assert_eq!(err.detail("latest"), Some("2"));
}

#[test]
fn time_travel_by_file_modification_time() {
    let table = three_versions();
    for (v, t) in [(0, 1_000), (1, 2_000), (2, 2_000)] {
        table.storage.set_modified(&commit_path(v), t);
    }
    let at = |t| table.load(VersionSpec::Timestamp(t)).map(|s| s.version);
    assert_eq!(at(1_500).unwrap(), 0);
    assert_eq!(at(2_000).unwrap(), 1);
    // Version 2 has the same file time as 1: it counts as one millisecond later.
    assert_eq!(at(2_001).unwrap(), 2);
    assert_eq!(at(99_999).unwrap(), 2);
    assert_code(&at(999).unwrap_err(), ErrorCode::DeltaTimestampOutOfRange);
    let s = table.latest();
    assert_eq!(s.timestamp, Some(2_000));
}

#[test]
fn time_travel_by_in_commit_timestamp() {
    let table = Table::new();
    let ict = |t: i64, op: &str| json!({"commitInfo": {"inCommitTimestamp": t, "timestamp": 1, "operation": op}});
    table.commit(
        0,
        &[
            ict(5_000, "CREATE"),
            protocol(1, 7, None),
            metadata(json!({"delta.enableInCommitTimestamps": "true"})),
            add("f0.parquet", 1),
        ],
    );
    table.commit(1, &[ict(6_000, "WRITE"), add("f1.parquet", 1)]);
    table.commit(2, &[ict(7_000, "WRITE"), add("f2.parquet", 1)]);
    // File times disagree on purpose; they must not be used.
    for v in 0..3 {
        table.storage.set_modified(&commit_path(v), 100 - v as i64);
    }
    assert_eq!(
        table.load(VersionSpec::Timestamp(6_500)).unwrap().version,
        1
    );
    assert_eq!(table.latest().timestamp, Some(7_000));
    assert_code(
        &table.error(VersionSpec::Timestamp(100)),
        ErrorCode::DeltaTimestampOutOfRange,
    );

    let entries = history(&table.storage, &table.parquet, None).unwrap();
    let summary: Vec<(u64, i64, bool)> = entries
        .iter()
        .map(|e| (e.version, e.timestamp, e.in_commit_timestamp))
        .collect();
    assert_eq!(
        summary,
        [(2, 7_000, true), (1, 6_000, true), (0, 5_000, true)]
    );

    // A commit without its in-commit timestamp cannot be placed in time.
    table.commit(3, &[commit_info("WRITE"), add("f3.parquet", 1)]);
    assert_code(
        &table.error(VersionSpec::Timestamp(6_500)),
        ErrorCode::DeltaLogCorrupt,
    );
}

#[test]
fn history_is_newest_first_with_commit_info_and_a_limit() {
    let table = three_versions();
    let entries = history(&table.storage, &table.parquet, Some(2)).unwrap();
    let ops: Vec<(u64, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.version,
                e.commit_info
                    .as_ref()
                    .and_then(|c| c["operation"].as_str())
                    .unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(ops, [(2, "DELETE"), (1, "WRITE")]);
    assert!(entries[0].timestamp > entries[1].timestamp);
}
