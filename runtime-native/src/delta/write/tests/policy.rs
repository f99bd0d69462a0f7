//! Write-policy settings reach DuckDB's Parquet writer, or are refused by name.

use serde_json::{json, Value as Json};

use super::fixture::{code, table, Table};
use crate::error::ErrorCode;

fn created() -> Option<Table> {
    let mut t = table()?;
    t.run(
        json!({
            "operation": "create",
            "schemaString": json!({"type": "struct", "fields": [{"name": "s", "type": "string", "nullable": true, "metadata": {}}]}).to_string(),
        }),
        json!({}),
    )
    .unwrap();
    Some(t)
}

fn append(policy: Json) -> Json {
    // 3000 distinct values, dictionary-encoded: DuckDB writes a bloom filter for `s`.
    json!({"operation": "write", "mode": "append", "source": {"sql": "SELECT (range % 3000)::VARCHAR AS s FROM range(20000)"}, "policy": policy})
}

/// The bloom filter length of the latest file's column `s`.
fn bloom_length(t: &mut Table) -> i64 {
    let s = t.snapshot();
    let newest = s
        .files
        .iter()
        .max_by_key(|f| f.add.modification_time)
        .expect("a file");
    let file = t.root.join(&newest.add.path);
    let rows = t.rows(&format!(
        "SELECT bloom_filter_length FROM parquet_metadata('{}')",
        file.display()
    ));
    rows[0].parse().expect("a bloom filter")
}

#[test]
fn bloom_filter_fpp_sets_duckdbs_false_positive_ratio() {
    let Some(mut t) = created() else { return };
    t.run(append(json!({"bloomFilterFpp": 0.3})), json!({}))
        .unwrap();
    let loose = bloom_length(&mut t);
    std::thread::sleep(std::time::Duration::from_millis(5));
    t.run(append(json!({"bloomFilterFpp": 0.001})), json!({}))
        .unwrap();
    let tight = bloom_length(&mut t);
    assert!(
        tight > loose,
        "fpp 0.001 → {tight} bytes, 0.3 → {loose} bytes"
    );
    // Every value is still found (a bloom filter never excludes a present value).
    assert_eq!(t.scan("count(DISTINCT s)", "1"), ["3000"]);
}

#[test]
fn out_of_range_fpp_is_an_invalid_argument_and_per_column_settings_stay_unsupported() {
    let Some(mut t) = created() else { return };
    for fpp in [0.0, 1.0, 1.5, -0.1] {
        let e = code(t.run(append(json!({"bloomFilterFpp": fpp})), json!({})));
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{fpp}");
        assert_eq!(e.detail("option"), Some("bloomFilterFpp"));
    }
    for (policy, setting) in [
        (json!({"bloomFilterColumns": ["s"]}), "bloomFilterColumns"),
        (
            json!({"dictionaryColumns": {"s": false}}),
            "dictionaryColumns",
        ),
    ] {
        let e = code(t.run(append(policy), json!({})));
        assert_eq!(e.code, ErrorCode::DeltaUnsupportedSetting);
        assert_eq!(e.detail("setting"), Some(setting));
    }
    assert_eq!(t.snapshot().version, 0);
}
