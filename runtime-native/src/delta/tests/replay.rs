use serde_json::json;

use super::*;

#[test]
fn removes_cancel_adds_and_the_latest_metadata_wins() {
    let table = Table::created();
    table.commit(
        1,
        &[
            commit_info("WRITE"),
            add("f1.parquet", 5),
            add("f2.parquet", 7),
        ],
    );
    table.commit(
        2,
        &[
            commit_info("DELETE"),
            remove("f0.parquet"),
            remove("f2.parquet"),
            remove("never-added.parquet"),
        ],
    );
    table.commit(
        3,
        &[
            commit_info("SET TBLPROPERTIES"),
            metadata(json!({"delta.appendOnly": "true"})),
        ],
    );
    let s = table.latest();
    assert_eq!(s.version, 3);
    assert_eq!(paths(&s), ["f1.parquet"]);
    assert_eq!(
        s.metadata
            .configuration
            .get("delta.appendOnly")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        s.commit_info.as_ref().and_then(|c| c["operation"].as_str()),
        Some("SET TBLPROPERTIES")
    );
    assert!(s.plan.checkpoint.is_none());
    assert_eq!(s.warnings, Vec::<String>::new());
}

#[test]
fn a_file_re_added_after_its_remove_is_active_again() {
    let table = Table::created();
    table.commit(1, &[remove("f0.parquet")]);
    table.commit(2, &[add("f0.parquet", 10)]);
    assert_eq!(paths(&table.latest()), ["f0.parquet"]);
}

#[test]
fn logical_files_are_keyed_by_path_and_deletion_vector() {
    let table = Table::created();
    // A DELETE with deletion vectors: remove (f0, no DV), add (f0, dv1).
    table.commit(
        1,
        &[
            remove("f0.parquet"),
            add_dv("f0.parquet", 10, "ab^-aqEH.-t@S}K{vb[*k^", 2),
        ],
    );
    let s = table.load(VersionSpec::Version(1)).unwrap();
    assert_eq!(paths(&s), ["f0.parquet"]);
    assert_eq!(
        s.files[0]
            .add
            .deletion_vector
            .as_ref()
            .map(|d| d.cardinality),
        Some(2)
    );
    // A stale remove of (f0, no DV) no longer matches the active (f0, dv1).
    table.commit(2, &[remove("f0.parquet")]);
    assert_eq!(paths(&table.latest()), ["f0.parquet"]);
    // Removing (f0, dv1) does.
    let mut r = remove("f0.parquet");
    r["remove"]["deletionVector"] =
        add_dv("x", 0, "ab^-aqEH.-t@S}K{vb[*k^", 2)["add"]["deletionVector"].clone();
    table.commit(3, &[r]);
    assert!(paths(&table.latest()).is_empty());
}

#[test]
fn paths_are_uri_decoded_exactly_once() {
    let table = Table::created();
    table.commit(
        1,
        &[
            add("x=A%252FA/part-1.parquet", 1),
            add("x=B%2520B/part-2.parquet", 1),
        ],
    );
    table.commit(2, &[remove("x%3DB%2520B/part-2.parquet")]);
    assert_eq!(
        paths(&table.latest()),
        ["f0.parquet", "x=A%2FA/part-1.parquet"]
    );
}

#[test]
fn transactions_and_domains_reconcile() {
    let table = Table::created();
    table.commit(1, &[
        json!({"txn": {"appId": "a", "version": 1}}),
        json!({"domainMetadata": {"domain": "delta.rowTracking", "configuration": "{}", "removed": false}}),
        json!({"domainMetadata": {"domain": "user.x", "configuration": "1", "removed": false}}),
    ]);
    table.commit(
        2,
        &[
            json!({"txn": {"appId": "a", "version": 3}}),
            json!({"txn": {"appId": "b", "version": 2}}),
            json!({"domainMetadata": {"domain": "user.x", "configuration": "1", "removed": true}}),
        ],
    );
    let s = table.latest();
    let txns: Vec<(&str, i64)> = s
        .txns
        .values()
        .map(|t| (t.app_id.as_str(), t.version))
        .collect();
    assert_eq!(txns, [("a", 3), ("b", 2)]);
    assert_eq!(s.domains.keys().collect::<Vec<_>>(), ["delta.rowTracking"]);
}

#[test]
fn a_gap_in_versions_is_an_error_naming_the_missing_version() {
    let table = Table::created();
    table.commit(1, &[add("f1.parquet", 1)]);
    table.commit(3, &[add("f3.parquet", 1)]);
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaLogIncomplete);
    assert_eq!(err.detail("missingVersion"), Some("2"));
    // Versions before the gap still load.
    assert_eq!(table.load(VersionSpec::Version(1)).unwrap().version, 1);
}

#[test]
fn garbled_and_truncated_lines_are_errors_with_version_and_line() {
    let table = Table::created();
    table.raw_commit(
        1,
        "{\"commitInfo\":{}}\n{\"add\":{\"path\":\"f1.parquet\",\"partitionValues\":{},\"si",
    );
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaLogCorrupt);
    assert_eq!(
        (err.detail("version"), err.detail("line")),
        (Some("1"), Some("2"))
    );

    table.raw_commit(1, "{\"commitInfo\":{}}\n\n<<<garbage>>>\n");
    let err = table.error(VersionSpec::Latest);
    assert_eq!(err.detail("line"), Some("3"));

    // A bad URI escape in a path is corrupt too, and says which version.
    table.commit(1, &[add("bad%zzpath.parquet", 1)]);
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaLogCorrupt);
    assert_eq!(err.detail("version"), Some("1"));
}

#[test]
fn unknown_actions_and_fields_are_ignored() {
    let table = Table::created();
    table.raw_commit(
        1,
        concat!(
            r#"{"commitInfo":{"timestamp":2},"some_new_action_alongside":["a"]}"#, "\n",
            r#"{"add":{"path":"f1.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"newField":1}}"#, "\n",
            r#"{"some_new_action":{"a":1}}"#, "\n",
        ),
    );
    assert_eq!(paths(&table.latest()), ["f0.parquet", "f1.parquet"]);
}

#[test]
fn a_missing_protocol_or_metadata_is_corrupt_and_an_empty_log_is_no_table() {
    let table = Table::new();
    table.commit(0, &[commit_info("CREATE"), metadata(json!({}))]);
    assert_code(
        &table.error(VersionSpec::Latest),
        ErrorCode::DeltaLogCorrupt,
    );
    assert_code(
        &Table::new().error(VersionSpec::Latest),
        ErrorCode::DeltaTableNotFound,
    );
}

#[test]
fn the_feature_gate_applies_to_the_version_read() {
    let table = Table::created();
    table.commit(
        1,
        &[protocol(3, 7, Some(&["deletionVectors", "variantType"]))],
    );
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaUnsupportedFeature);
    assert_eq!(err.detail("features"), Some("variantType"));
    assert!(err.message.contains("variantType"));
    // Before the upgrade the table is readable.
    assert_eq!(table.load(VersionSpec::Version(0)).unwrap().version, 0);
}

#[test]
fn column_mapping_follows_the_protocol() {
    let table = Table::created();
    // Mode "name" without reader version 2 / the feature is not honoured.
    table.commit(1, &[metadata(json!({"delta.columnMapping.mode": "name"}))]);
    assert_eq!(
        table.latest().column_mapping,
        super::super::schema::ColumnMappingMode::None
    );
    // With reader version 2 it is, and every column then needs a physical name.
    table.commit(2, &[protocol(2, 5, None)]);
    let err = table.error(VersionSpec::Latest);
    assert_code(&err, ErrorCode::DeltaSchemaInvalid);
}
