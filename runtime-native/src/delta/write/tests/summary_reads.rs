//! Summary reads of tables cpgc writes (checkpoints from the native writer, read by DuckDB):
//! at every version, a snapshot whose checkpoint was read reduced to `FileSummary` / `Totals`
//! states what the full read states, `NonFile` reads the full read's non-file actions, the
//! checkpoints read together are read as each alone, and observing the tables at once states
//! what loading each alone does (the checks of `delta/tests/summary_real.rs`, which runs them on
//! the shared corpus).

use serde_json::json;

use super::super::super::tests::summary_real::{
    check_all_versions, check_native, check_non_file, check_observe, check_read_many,
};
use super::fixture::{table, Table};

fn schema() -> String {
    json!({"type": "struct", "fields": [
        {"name": "id", "type": "long", "nullable": false, "metadata": {}},
        {"name": "name", "type": "string", "nullable": true, "metadata": {}},
        {"name": "p", "type": "string", "nullable": true, "metadata": {}},
    ]})
    .to_string()
}

fn commit(i: i64) -> serde_json::Value {
    json!({
        "metadata": {"run_id": format!("run-{i}"), "plan_id": format!("plan-{i}")},
        "txn": {"appId": format!("cpgc:plan-{i}"), "version": i},
        "domainMetadata": [{"domain": "cpgc", "configuration": format!("{{\"spec_hash\":\"h{i}\"}}")}],
    })
}

/// A partitioned table of `commits` commits the way cpgc applies them (provenance, a txn and
/// the `cpgc` domain per commit): appends, replaceWhere and overwrites (tombstones), a
/// property change, checkpoints every 3 commits (`delta.checkpointInterval`) and one more
/// written on demand — so that later versions replay a checkpoint plus commits.
fn cpgc_table(commits: i64, partitioned: bool) -> Option<Table> {
    let mut t = table()?;
    t.run(
        json!({
            "operation": "create",
            "schemaString": schema(),
            "partitionColumns": if partitioned { json!(["p"]) } else { json!([]) },
            "configuration": {"delta.checkpointInterval": "3"},
            "data": {"source": {"sql": "SELECT range AS id, 'n' || range AS name, CASE WHEN range < 2 THEN 'a' ELSE 'b' END AS p FROM range(4)"}},
        }),
        commit(0),
    )
    .expect("create");
    for i in 1..commits {
        let sql = format!(
            "SELECT {i} AS id, 'n{i}' AS name, '{}' AS p",
            ["a", "b", "c"][(i % 3) as usize]
        );
        let operation = match i % 5 {
            0 => json!({"operation": "write", "mode": "overwrite", "source": {"sql": sql}}),
            3 => {
                json!({"operation": "write", "mode": "replaceWhere", "predicate": "id < 3", "source": {"sql": sql}})
            }
            4 => json!({"operation": "setProperties", "set": {"cpgc.owner": format!("o{i}")}}),
            _ => json!({"operation": "write", "mode": "append", "source": {"sql": sql}}),
        };
        t.run(operation, commit(i)).expect("commit");
        if i == commits - 2 {
            t.checkpoint();
        }
    }
    Some(t)
}

#[test]
fn tables_cpgc_writes_read_as_summaries_state_what_full_reads_state() {
    let (Some(a), Some(b)) = (cpgc_table(12, true), cpgc_table(8, false)) else {
        return;
    };
    let Some(library) = super::super::super::tests::summary_real::library() else {
        return;
    };
    // What the checks are for: app transactions, the cpgc domain, tombstones, and a checkpoint
    // followed by commits.
    let latest = a.snapshot();
    assert_eq!(latest.version, 11);
    assert!(latest.domains.contains_key("cpgc"));
    assert_eq!(latest.txns.len(), 12);
    assert!(!latest.tombstones.is_empty());
    assert!(latest.plan.checkpoint.is_some() && !latest.plan.commits.is_empty());
    let mut checkpoints = Vec::new();
    for t in [&a, &b] {
        check_all_versions(&t.root, &library);
        check_non_file(&t.root, &library);
        let log = t.root.join("_delta_log");
        let mut files: Vec<_> = std::fs::read_dir(&log)
            .expect("log")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        assert!(files.len() >= 2, "{} has checkpoints", log.display());
        checkpoints.append(&mut files);
    }
    checkpoints.sort();
    check_read_many(&checkpoints, &library);
    // cpgc's own checkpoints (ZSTD, DuckDB's writer) never need DuckDB to be read back, when
    // the system has a libzstd.
    let (native, total) = check_native(&checkpoints, &library);
    assert!(native == total || native == 0, "{native} of {total}");
    check_observe(&[a.root.clone(), b.root.clone()], &library);
}
