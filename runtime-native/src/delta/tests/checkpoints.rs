use serde_json::json;

use super::*;

/// Versions 0..=4: f0 at 0, f1..f4 added at 1..4, f1 removed at 3.
fn five_versions() -> Table {
    let table = Table::created();
    table.commit(1, &[add("f1.parquet", 1)]);
    table.commit(2, &[add("f2.parquet", 1)]);
    table.commit(3, &[add("f3.parquet", 1), remove("f1.parquet")]);
    table.commit(4, &[add("f4.parquet", 1)]);
    table
}

fn state_at_2() -> Vec<serde_json::Value> {
    vec![
        protocol(1, 2, None),
        metadata(json!({})),
        add("f0.parquet", 10),
        add("f1.parquet", 1),
        add("f2.parquet", 1),
        // Tombstones in a checkpoint are not active files.
        remove("old.parquet"),
    ]
}

#[test]
fn checkpoint_plus_commits_equals_replay_from_zero() {
    let mut table = five_versions();
    let from_zero = paths(&table.latest()).join(",");
    table.classic_checkpoint(2, &state_at_2());
    table.last_checkpoint(r#"{"version":2,"size":6}"#);
    // Without commits 0..=2 only the checkpoint can provide them.
    for v in 0..=2 {
        table.delete(&commit_path(v));
    }
    let s = table.latest();
    assert_eq!(s.plan.checkpoint.as_ref().map(|c| c.version), Some(2));
    assert_eq!(paths(&s).join(","), from_zero);
    assert_eq!(
        paths(&s),
        ["f0.parquet", "f2.parquet", "f3.parquet", "f4.parquet"]
    );
    // Time travel to the checkpoint version itself works without its commit file.
    let at2 = table.load(VersionSpec::Version(2)).unwrap();
    assert_eq!(paths(&at2), ["f0.parquet", "f1.parquet", "f2.parquet"]);
    assert_eq!(at2.commit_info, None);
    // Versions before the checkpoint are gone.
    assert_code(
        &table.error(VersionSpec::Version(1)),
        ErrorCode::DeltaVersionNotFound,
    );
}

#[test]
fn a_stale_last_checkpoint_still_finds_the_newest_checkpoint() {
    let mut table = five_versions();
    table.classic_checkpoint(
        1,
        &[
            protocol(1, 2, None),
            metadata(json!({})),
            add("f0.parquet", 10),
            add("f1.parquet", 1),
        ],
    );
    let mut at3 = state_at_2();
    at3.push(add("f3.parquet", 1));
    at3.retain(|a| a.get("add").is_none_or(|x| x["path"] != "f1.parquet"));
    table.classic_checkpoint(3, &at3);
    table.last_checkpoint(r#"{"size":6,"size_in_bytes":23521,"version":1}"#);
    let s = table.latest();
    assert_eq!(s.plan.checkpoint.as_ref().map(|c| c.version), Some(3));
    assert_eq!(
        paths(&s),
        ["f0.parquet", "f2.parquet", "f3.parquet", "f4.parquet"]
    );
}

#[test]
fn a_dangling_empty_or_garbled_last_checkpoint_is_ignored_with_a_warning() {
    for hint in [
        r#"{"version":9,"size":1}"#,
        r#"{"version":3,"size":1}"#,
        "",
        "{not json",
    ] {
        let table = five_versions();
        table.last_checkpoint(hint);
        let s = table.latest();
        assert_eq!(s.version, 4, "{hint}");
        assert_eq!(
            paths(&s),
            ["f0.parquet", "f2.parquet", "f3.parquet", "f4.parquet"]
        );
        assert!(
            s.warnings.iter().any(|w| w.contains("_last_checkpoint")),
            "{hint}: {:?}",
            s.warnings
        );
    }
}

#[test]
fn a_multi_part_checkpoint_with_a_missing_part_is_ignored() {
    let mut table = five_versions();
    let state = state_at_2();
    let part = |i: usize| {
        format!(
            "{LOG_DIR}/{}.checkpoint.{i:010}.{:010}.parquet",
            padded(2),
            3
        )
    };
    table.parquet_file(&part(1), &state[0..2]);
    table.parquet_file(&part(2), &state[2..4]);
    table.parquet_file(&part(3), &state[4..]);
    table.last_checkpoint(r#"{"version":2,"size":6,"parts":3}"#);
    assert_eq!(
        table.latest().plan.checkpoint.as_ref().map(|c| c.kind()),
        Some("multi-part")
    );

    table.delete(&part(2));
    // Falls back to replaying from version 0, with a warning...
    let s = table.latest();
    assert!(s.plan.checkpoint.is_none());
    assert_eq!(
        paths(&s),
        ["f0.parquet", "f2.parquet", "f3.parquet", "f4.parquet"]
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("incomplete 3-part checkpoint")),
        "{:?}",
        s.warnings
    );
    // ...and without the early commits the table cannot be rebuilt.
    table.delete(&commit_path(0));
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaLogIncomplete);
}

#[test]
fn v2_checkpoints_with_sidecars_and_fallback_when_a_sidecar_is_missing() {
    let mut table = five_versions();
    let name = format!(
        "{}.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json",
        padded(2)
    );
    let lines = [
        json!({"checkpointMetadata": {"version": 2, "tags": {}}}),
        protocol(3, 7, Some(&["v2Checkpoint"])),
        metadata(json!({"delta.checkpointPolicy": "v2"})),
        json!({"sidecar": {"path": "a%20b.parquet", "sizeInBytes": 1, "modificationTime": 1}}),
    ];
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    table
        .storage
        .put(&format!("{LOG_DIR}/{name}"), text.join("\n"));
    table.parquet_file(
        &format!("{LOG_DIR}/_sidecars/a b.parquet"),
        &[
            add("f0.parquet", 10),
            add("f1.parquet", 1),
            add("f2.parquet", 1),
            remove("gone.parquet"),
        ],
    );
    table.commit(
        3,
        &[
            protocol(3, 7, Some(&["v2Checkpoint"])),
            add("f3.parquet", 1),
            remove("f1.parquet"),
        ],
    );
    for v in 0..=2 {
        table.delete(&commit_path(v));
    }
    let s = table.latest();
    assert_eq!(
        s.plan.checkpoint.as_ref().map(|c| c.kind()),
        Some("v2-json")
    );
    assert_eq!(
        paths(&s),
        ["f0.parquet", "f2.parquet", "f3.parquet", "f4.parquet"]
    );

    table.delete(&format!("{LOG_DIR}/_sidecars/a b.parquet"));
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaLogIncomplete);
    assert!(err.message.contains("sidecar"), "{}", err.message);
}

#[test]
fn an_unreadable_checkpoint_falls_back_to_an_older_base() {
    let mut table = five_versions();
    // A checkpoint that lacks metaData is invalid; the commits from 0 rebuild the table instead.
    table.classic_checkpoint(3, &[protocol(1, 2, None), add("f0.parquet", 10)]);
    let s = table.latest();
    assert!(s.plan.checkpoint.is_none());
    assert_eq!(
        paths(&s),
        ["f0.parquet", "f2.parquet", "f3.parquet", "f4.parquet"]
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("could not use the classic checkpoint at version 3")),
        "{:?}",
        s.warnings
    );
    // Without the commits the checkpoint's own error is reported.
    for v in 0..=3 {
        table.delete(&commit_path(v));
    }
    assert_code(
        &table.error(VersionSpec::Latest),
        ErrorCode::DeltaLogCorrupt,
    );
}

#[test]
fn compaction_and_checksum_files_are_not_commits() {
    let table = five_versions();
    table.storage.put(
        &format!("{LOG_DIR}/{}.{}.compacted.json", padded(0), padded(4)),
        "garbage",
    );
    table
        .storage
        .put(&format!("{LOG_DIR}/{}.crc", padded(4)), "garbage");
    table
        .storage
        .put(&format!("{LOG_DIR}/.{}.json.crc", padded(4)), "garbage");
    table.storage.put(
        &format!("{LOG_DIR}/_staged_commits/{}.uuid.json", padded(5)),
        "garbage",
    );
    table
        .storage
        .put(&format!("{LOG_DIR}/.s3-optimization-0"), "");
    let s = table.latest();
    assert_eq!(s.version, 4);
    assert!(table.exists(&format!("{LOG_DIR}/{}.crc", padded(4))));
}
