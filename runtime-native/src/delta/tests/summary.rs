//! Reading less: summary snapshots (checkpoint file actions reduced to what identifies a
//! logical file and what the totals count) state exactly what full ones do, and the history
//! finds the latest metadata without replaying file actions.

use serde_json::json;

use super::super::history::history;
use super::super::parquet::Projection;
use super::super::snapshot::load_snapshot_projected;
use super::super::stats::num_records;
use super::*;

/// Versions 0..=5 with a checkpoint at 3 holding a DV file, a file counted only by
/// `stats_parsed`, one without statistics, a txn and a domain; commits after it remove a
/// checkpoint file and replace another's DV.
fn table_with_checkpoint() -> Table {
    let mut table = Table::created();
    let mut parsed_only = add("parsed.parquet", 0);
    parsed_only["add"]["stats"] = json!(null);
    parsed_only["add"]["stats_parsed"] = json!({"numRecords": 7, "minValues": {"id": 1}});
    let mut no_stats = add("nostats.parquet", 0);
    no_stats["add"]["stats"] = json!(null);
    let checkpoint = [
        protocol(3, 7, Some(&["deletionVectors"])),
        metadata(json!({"delta.enableDeletionVectors": "true"})),
        json!({"txn": {"appId": "app", "version": 3, "lastUpdated": 9}}),
        json!({"domainMetadata": {"domain": "cpgc", "configuration": "{}", "removed": false}}),
        add("f0.parquet", 10),
        add_dv("dv.parquet", 5, "ab^-aqEH.-t@S}K{vb[*k^", 2),
        parsed_only,
        no_stats,
        remove("gone.parquet"),
    ];
    for v in 1..=3 {
        table.commit(v, &[commit_info("WRITE")]);
    }
    table.classic_checkpoint(3, &checkpoint);
    table.last_checkpoint(r#"{"version":3,"size":9}"#);
    for v in 0..=3 {
        table.delete(&commit_path(v));
    }
    table.commit(4, &[commit_info("DELETE"), remove("f0.parquet")]);
    table.commit(
        5,
        &[
            commit_info("UPDATE"),
            json!({"remove": {"path": "dv.parquet", "dataChange": true, "deletionVector": {"storageType": "u", "pathOrInlineDv": "ab^-aqEH.-t@S}K{vb[*k^", "offset": 1, "sizeInBytes": 36, "cardinality": 2}}}),
            add_dv("dv.parquet", 5, "vBn[lx{q8@P<9BNH/isA", 3),
        ],
    );
    table
}

/// What a summary needs of each active file: path, DV id, size, numRecords, DV cardinality.
type FileFacts = (String, Option<String>, i64, Option<i64>, i64);

fn facts(s: &Snapshot) -> Vec<FileFacts> {
    s.files
        .iter()
        .map(|f| {
            (
                f.location.as_str().to_string(),
                f.dv_id.clone(),
                f.add.size,
                num_records(&f.add).ok().flatten(),
                f.add
                    .deletion_vector
                    .as_ref()
                    .map_or(0, |dv| dv.cardinality),
            )
        })
        .collect()
}

#[test]
fn a_summary_snapshot_states_what_the_full_one_does() {
    let table = table_with_checkpoint();
    let full = table.latest();
    let summary = load_snapshot_projected(
        &table.storage,
        &table.parquet,
        VersionSpec::Latest,
        Projection::FileSummary,
    )
    .unwrap();
    assert_eq!(summary.projection, Projection::FileSummary);
    assert_eq!(full.projection, Projection::All);
    assert_eq!(summary.version, 5);
    assert_eq!(facts(&summary), facts(&full));
    assert_eq!(
        paths(&summary),
        ["dv.parquet", "nostats.parquet", "parsed.parquet"]
    );
    assert_eq!(
        facts(&summary)
            .iter()
            .map(|f| (f.3, f.4))
            .collect::<Vec<_>>(),
        [(Some(5), 3), (None, 0), (Some(7), 0)]
    );
    assert_eq!(
        (
            &summary.protocol,
            &summary.metadata,
            &summary.txns,
            &summary.domains
        ),
        (&full.protocol, &full.metadata, &full.txns, &full.domains)
    );
    assert_eq!(summary.commit_info, full.commit_info);
    assert_eq!(summary.plan, full.plan);
    assert_eq!(summary.warnings, full.warnings);
    // What the summary leaves out: the checkpoint files' other fields.
    let full_parsed = full
        .files
        .iter()
        .find(|f| f.location.as_str() == "parsed.parquet");
    let summary_parsed = summary
        .files
        .iter()
        .find(|f| f.location.as_str() == "parsed.parquet");
    assert!(full_parsed.is_some_and(|f| !f.add.partition_values.is_empty()));
    assert!(summary_parsed.is_some_and(|f| f.add.partition_values.is_empty()));
}

#[test]
fn a_summary_read_falls_back_like_a_full_one() {
    let table = table_with_checkpoint();
    // A checkpoint without metaData cannot be used, summary or not.
    let mut broken = Table::created();
    broken.classic_checkpoint(0, &[protocol(1, 2, None), add("f0.parquet", 10)]);
    let summary = load_snapshot_projected(
        &broken.storage,
        &broken.parquet,
        VersionSpec::Latest,
        Projection::FileSummary,
    )
    .unwrap();
    assert_eq!(summary.plan.checkpoint, None);
    assert!(
        summary.warnings.iter().any(|w| w.contains("could not use")),
        "{:?}",
        summary.warnings
    );
    assert_eq!(paths(&summary), ["f0.parquet"]);
    drop(table);
}

#[test]
fn history_reads_the_latest_metadata_from_the_checkpoint_when_no_later_commit_has_one() {
    let mut table = Table::new();
    let ict = |t: i64| json!({"commitInfo": {"inCommitTimestamp": t, "timestamp": 1, "operation": "WRITE"}});
    let config = json!({"delta.enableInCommitTimestamps": "true"});
    table.commit(
        0,
        &[
            ict(5_000),
            protocol(1, 7, None),
            metadata(config.clone()),
            add("f0.parquet", 1),
        ],
    );
    table.commit(1, &[ict(6_000), add("f1.parquet", 1)]);
    table.classic_checkpoint(
        1,
        &[
            protocol(1, 7, None),
            metadata(config),
            add("f0.parquet", 1),
            add("f1.parquet", 1),
        ],
    );
    table.last_checkpoint(r#"{"version":1,"size":4}"#);
    table.delete(&commit_path(0));
    table.commit(2, &[ict(7_000), add("f2.parquet", 1)]);
    let entries = history(&table.storage, &table.parquet, None).unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.version, e.timestamp, e.in_commit_timestamp))
            .collect::<Vec<_>>(),
        [(2, 7_000, true), (1, 6_000, true)]
    );
    // A later metaData wins: in-commit timestamps turned off from version 3 on the table's
    // metadata means none of the history uses them.
    table.commit(3, &[commit_info("SET TBLPROPERTIES"), metadata(json!({}))]);
    let entries = history(&table.storage, &table.parquet, Some(2)).unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.version, e.in_commit_timestamp))
            .collect::<Vec<_>>(),
        [(3, false), (2, false)]
    );
    // An unreadable checkpoint falls back to the commits from version 0, when they exist.
    let mut fallback = Table::created();
    fallback.commit(1, &[commit_info("WRITE")]);
    fallback.classic_checkpoint(1, &[add("f0.parquet", 1)]);
    assert_eq!(
        history(&fallback.storage, &fallback.parquet, None)
            .unwrap()
            .len(),
        2
    );
}
