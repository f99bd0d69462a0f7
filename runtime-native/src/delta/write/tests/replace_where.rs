//! Replace where reads, removes and rewrites only the files whose statistics may hold a
//! matching row; the result is the same as without pruning.

use serde_json::{json, Value as Json};

use super::fixture::{table, Table};

/// A table with change data feed and three files: keys a–c, d–f, g–i (two rows per key, v = 1, 2).
fn three_files() -> Option<Table> {
    let mut t = table()?;
    t.run(
        json!({
            "operation": "create",
            "schemaString": json!({"type": "struct", "fields": [
                {"name": "k", "type": "string", "nullable": true, "metadata": {}},
                {"name": "v", "type": "long", "nullable": true, "metadata": {}},
            ]}).to_string(),
            "configuration": {"delta.enableChangeDataFeed": "true"},
        }),
        json!({}),
    )
    .unwrap();
    for keys in [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]] {
        let sql = keys
            .iter()
            .map(|k| format!("SELECT '{k}' AS k, v FROM range(1, 3) AS r(v)"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        t.run(
            json!({"operation": "write", "mode": "append", "source": {"sql": sql}}),
            json!({}),
        )
        .unwrap();
    }
    Some(t)
}

fn replace(t: &mut Table, predicate: &str, sql: &str) -> u64 {
    t.run(
        json!({"operation": "write", "mode": "replaceWhere", "predicate": predicate, "source": {"sql": sql}}),
        json!({}),
    )
    .unwrap()
    .version
    .expect("committed")
}

fn paths(t: &Table, version: u64, kind: &str) -> Vec<String> {
    let mut out: Vec<String> = t
        .actions(version)
        .into_iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, b): (String, Json)| b["path"].as_str().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out
}

/// The active file holding key `k` before `version`.
fn file_of(t: &Table, k: &str) -> String {
    let s = t.snapshot();
    s.files
        .iter()
        .find(|f| {
            let stats: Json = serde_json::from_str(f.add.stats.as_deref().unwrap_or("{}")).unwrap();
            stats["minValues"]["k"].as_str().is_some_and(|min| min <= k)
                && stats["maxValues"]["k"].as_str().is_some_and(|max| k <= max)
        })
        .map(|f| f.add.path.clone())
        .expect("a file holds the key")
}

#[test]
fn only_the_file_whose_statistics_may_match_is_removed_and_rewritten() {
    let Some(mut t) = three_files() else { return };
    let holder = file_of(&t, "e");
    let version = replace(
        &mut t,
        "\"k\" IN ('e', 'x')",
        "SELECT 'e' AS k, 10::BIGINT AS v",
    );
    assert_eq!(paths(&t, version, "remove"), vec![holder]);
    // The new row, and the file's other keys rewritten.
    assert_eq!(paths(&t, version, "add").len(), 2);
    assert_eq!(
        t.scan("k, v", "k, v"),
        [
            "a|1", "a|2", "b|1", "b|2", "c|1", "c|2", "d|1", "d|2", "e|10", "f|1", "f|2", "g|1",
            "g|2", "h|1", "h|2", "i|1", "i|2"
        ]
    );
    // The change feed of the commit: the replaced rows and the new one only.
    assert_eq!(t.kinds(version).iter().filter(|k| *k == "cdc").count(), 2);
}

#[test]
fn no_file_can_match_nothing_is_removed() {
    let Some(mut t) = three_files() else { return };
    let version = replace(
        &mut t,
        "k = 'z' AND v > 0",
        "SELECT 'z' AS k, 1::BIGINT AS v",
    );
    assert!(paths(&t, version, "remove").is_empty());
    assert_eq!(paths(&t, version, "add").len(), 1);
    assert_eq!(t.scan("count(*)", "1"), ["19"]);
    let version = replace(&mut t, "k IS NULL", "SELECT NULL AS k, 7::BIGINT AS v");
    assert!(
        paths(&t, version, "remove").is_empty(),
        "no file has a null key"
    );
    assert_eq!(t.scan("count(*) FILTER (WHERE k IS NULL)", "1"), ["1"]);
}

#[test]
fn a_predicate_pruning_does_not_understand_reads_every_file_and_is_still_exact() {
    let Some(mut t) = three_files() else { return };
    let (first, last) = (file_of(&t, "a"), file_of(&t, "i"));
    let version = replace(
        &mut t,
        "k = 'a' OR k = 'i'",
        "SELECT 'a' AS k, 5::BIGINT AS v",
    );
    let mut expected = vec![first, last];
    expected.sort();
    assert_eq!(paths(&t, version, "remove"), expected);
    assert_eq!(
        t.scan("k, v", "k, v"),
        [
            "a|5", "b|1", "b|2", "c|1", "c|2", "d|1", "d|2", "e|1", "e|2", "f|1", "f|2", "g|1",
            "g|2", "h|1", "h|2"
        ]
    );
}

#[test]
fn files_the_statistics_rule_out_are_not_even_read() {
    let Some(mut t) = three_files() else { return };
    // Without pruning, reading the g–i file would fail: it is gone from disk.
    let gone = file_of(&t, "h");
    std::fs::remove_file(t.root.join(&gone)).unwrap();
    let version = replace(&mut t, "\"k\" IN ('b')", "SELECT 'b' AS k, 3::BIGINT AS v");
    assert_eq!(
        paths(&t, version, "remove"),
        vec![file_of_at(&t, version - 1, "b")]
    );
    assert!(
        t.snapshot().files.iter().any(|f| f.add.path == gone),
        "the unread file stays active"
    );
}

/// The file holding key `k` at `version`.
fn file_of_at(t: &Table, version: u64, k: &str) -> String {
    let s = t.snapshot_at(super::super::super::snapshot::VersionSpec::Version(version));
    s.files
        .iter()
        .find(|f| {
            let stats: Json = serde_json::from_str(f.add.stats.as_deref().unwrap_or("{}")).unwrap();
            stats["minValues"]["k"].as_str().is_some_and(|min| min <= k)
                && stats["maxValues"]["k"].as_str().is_some_and(|max| k <= max)
        })
        .map(|f| f.add.path.clone())
        .expect("a file holds the key")
}
