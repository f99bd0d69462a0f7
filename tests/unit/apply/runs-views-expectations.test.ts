// The run manifest (_cpgc_runs), logical views (_cpgc_views) and expectations against a staged table.
import { afterAll, describe, expect, it } from "vitest";

import type { ApplyReport } from "../../../compiler/src/plan/model.js";
import type { ExpectationSpec } from "../../../compiler/src/spec/schema/index.js";
import { loadDeltaHistory, openDatabase } from "../../../runtime-native/index.js";
import { evaluateExpectations, expectationsPass } from "../../../runtime-native/ts/apply/expectations.js";
import { readRuns, recordRun, runsTablePath } from "../../../runtime-native/ts/apply/runs.js";
import { mergeLogicalViews, readLogicalViews, registerLogicalViews, viewsTableVersion, writeLogicalViews } from "../../../runtime-native/ts/apply/views.js";
import { tempProject } from "./helpers.js";

const db = openDatabase({ threads: 1 });
afterAll(() => db.close());

function report(runId: string, startedAt: string, over: Partial<ApplyReport> = {}): ApplyReport {
  return {
    run_id: runId,
    plan_id: `plan-${runId}`,
    started_at: startedAt,
    ended_at: new Date(Date.parse(startedAt) + 1500).toISOString(),
    status: "partial",
    cleaned_files: 2,
    actions: [
      { table: "files", op: "create", outcome: "committed", version: 0, rows_written: 3, inputs: {}, expectations: [], error: null, duration_ms: 12 },
      {
        table: "functions",
        op: "rematerialize",
        outcome: "failed",
        version: null,
        rows_written: null,
        inputs: { files: 0, ast_nodes: 4 },
        expectations: [],
        error: { code: "EXPECTATION_FAILED", message: "not_null(path): 2 offending rows; it's kept" },
        duration_ms: 30,
      },
    ],
    ...over,
  };
}

describe("_cpgc_runs", () => {
  it("records runs and reads them back newest first", () => {
    const { lake } = tempProject();
    expect(readRuns(lake)).toEqual([]);
    recordRun(lake, report("r1", "2024-05-01T10:00:00.000Z"), { cpgcVersion: "0.1.0", db });
    recordRun(lake, report("r2", "2024-05-02T10:00:00.000Z", { status: "success", actions: [] }), { cpgcVersion: "0.1.1" });
    // Recording a run again (a caller that records what applyPlan already did) keeps one row.
    expect(recordRun(lake, report("r2", "2024-05-02T10:00:00.000Z", { status: "success", actions: [] }), { cpgcVersion: "0.1.1" }).skipped).toBe(true);
    const runs = readRuns(lake, { db });
    expect(runs.map((r) => r.run_id)).toEqual(["r2", "r1"]);
    expect(runs[1]).toEqual({
      run_id: "r1",
      plan_id: "plan-r1",
      started_at: "2024-05-01T10:00:00.000Z",
      ended_at: "2024-05-01T10:00:01.500Z",
      status: "partial",
      cpgc_version: "0.1.0",
      cleaned_files: 2,
      actions: [
        { table: "files", op: "create", outcome: "committed", version: 0, rows_written: 3, inputs: {}, error_code: null, error_message: null, duration_ms: 12 },
        {
          table: "functions",
          op: "rematerialize",
          outcome: "failed",
          version: null,
          rows_written: null,
          inputs: { ast_nodes: 4, files: 0 },
          error_code: "EXPECTATION_FAILED",
          error_message: "not_null(path): 2 offending rows; it's kept",
          duration_ms: 30,
        },
      ],
    });
    expect(runs[0]?.actions).toEqual([]);
    expect(readRuns(lake, { limit: 1 }).map((r) => r.run_id)).toEqual(["r2"]);
    const history = loadDeltaHistory(runsTablePath(lake)).entries;
    expect(history[0]?.commitInfo).toMatchObject({ operation: "WRITE", cpgc: { run_id: "r2", plan_id: "plan-r2", cpgc_version: "0.1.1" } });
  });
});

describe("_cpgc_views", () => {
  const view = (name: string, sql: string) => ({ name, ast_fingerprint: `ast-${name}`, policy_hash: "ph", sql, columns: [{ name: "n", type: "int64", nullable: true }] });

  it("merges in the order given, then by old ord", () => {
    const current = [
      { ...view("a", "1"), ord: 0 },
      { ...view("b", "2"), ord: 1 },
      { ...view("c", "3"), ord: 2 },
    ];
    const next = mergeLogicalViews(current, { register: [view("d", "4"), view("b", "22")], unregister: ["a"] }, ["d", "c"]);
    expect(next.map((v) => [v.name, v.sql, v.ord])).toEqual([
      ["d", "4", 0],
      ["c", "3", 1],
      ["b", "22", 2],
    ]);
  });

  it("records, reads, re-registers and unregisters; registerLogicalViews binds them in order over lake tables", () => {
    const { lake } = tempProject();
    expect(readLogicalViews(db, lake)).toEqual({ version: null, tableId: null, views: [] });
    const first = writeLogicalViews(db, lake, { register: [view("nums", "SELECT range AS n FROM range(3)"), view("big", "SELECT n FROM nums WHERE n > 0")], unregister: [] }, { order: ["nums", "big"] });
    expect(first?.version).toBe(0);
    expect(writeLogicalViews(db, lake, { register: [view("big", "SELECT n FROM nums WHERE n > 0")], unregister: [] }, { order: ["nums", "big"] })).toBeNull();
    const read = readLogicalViews(db, lake);
    expect(read.version).toBe(0);
    expect(read.views.map((v) => [v.name, v.ord, v.columns])).toEqual([
      ["nums", 0, [{ name: "n", type: "int64", nullable: true }]],
      ["big", 1, [{ name: "n", type: "int64", nullable: true }]],
    ]);
    const other = openDatabase({ threads: 1 });
    try {
      expect(registerLogicalViews(other, lake)).toEqual({ registered: ["nums", "big"], failed: [] });
      expect(other.query("SELECT count(*) AS c FROM big").rows).toEqual([{ c: 2 }]);
    } finally {
      other.close();
    }
    writeLogicalViews(db, lake, { register: [], unregister: ["nums", "big"] });
    expect(readLogicalViews(db, lake).views).toEqual([]);
    expect(viewsTableVersion(lake)).toBe(1);
  });

  it("a view whose input is missing is reported, the others still register", () => {
    const { lake } = tempProject();
    writeLogicalViews(db, lake, { register: [view("broken", "SELECT * FROM no_such_table"), view("fine", "SELECT 1 AS n")], unregister: [] }, { order: ["broken", "fine"] });
    const other = openDatabase({ threads: 1 });
    try {
      const result = registerLogicalViews(other, lake);
      expect(result.registered).toEqual(["fine"]);
      expect(result.failed.map((f) => [f.name, f.error.code])).toEqual([["broken", "DUCKDB_QUERY_FAILED"]]);
    } finally {
      other.close();
    }
  });
});

describe("expectations", () => {
  db.query(`CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM (VALUES
    (1, 'a', 'Call', {'bstart': 1}), (2, NULL, 'Name', {'bstart': NULL}), (2, 'b', 'Weird', {'bstart': 3}), (3, 'c', 'Call', {'bstart': 4}), (3, 'c', NULL, NULL)
  ) t(id, name, kind, span)`);

  it("each kind: counts, samples, severity", () => {
    const results = evaluateExpectations(db, "staged", [
      { not_null: ["name", "span.bstart"] },
      { not_null: ["id"] },
      { unique: ["id"] },
      { unique: ["id", "name"], severity: "warn" },
      { accepted_values: { column: "kind", values: ["Call", "Name"] } },
      { row_count: { min: 1, max: 4 } },
      { row_count: { min: 1 } },
      { sql: "SELECT * FROM staged WHERE id > 2", name: "small_ids" },
    ]);
    expect(results.map((r) => [r.expectation, r.passed, r.failing, r.severity])).toEqual([
      ["not_null(name, span.bstart)", false, 2, "error"],
      ["not_null(id)", true, 0, "error"],
      ["unique(id)", false, 4, "error"],
      ["unique(id, name)", false, 2, "warn"],
      ["accepted_values(kind)", false, 1, "error"],
      ["row_count(min 1, max 4)", false, 5, "error"],
      ["row_count(min 1)", true, 5, "error"],
      ["sql(small_ids)", false, 2, "error"],
    ]);
    expect(results[0]?.sample).toEqual([
      { id: 2, name: null, kind: "Name", span: { bstart: null } },
      { id: 3, name: "c", kind: null, span: null },
    ]);
    expect(results[2]?.sample).toEqual([
      { id: 2, _count: 2 },
      { id: 3, _count: 2 },
    ]);
    expect(results[4]?.sample).toEqual([{ id: 2, name: "b", kind: "Weird", span: { bstart: 3 } }]);
    expect(results[1]?.sample).toEqual([]);
    expect(results.every((r) => r.from_stats === false)).toBe(true);
    expect(expectationsPass(results)).toBe(false);
    expect(expectationsPass(results.filter((r) => r.severity === "warn" || r.passed))).toBe(true);
  });

  it("over a replaceWhere's parts (kept rows that passed + added rows): the results of checking the whole table", () => {
    const checks: ExpectationSpec[] = [
      { not_null: ["name"] },
      { unique: ["id"] },
      { unique: ["id", "name"] },
      { accepted_values: { column: "kind", values: ["Call", "Name"] } },
      { row_count: { min: 3, max: 8 } },
    ];
    // Kept rows that pass every check; added rows that break them in every way, alone and against the kept ones.
    const added = [
      "(9, 'z', 'Call')",
      "(1, 'q', 'Name')", // id 1 again (kept) but a new (id, name)
      "(1, 'a', 'Call')", // (1, 'a') again
      "(7, NULL, 'Name')",
      "(8, 'w', 'Odd')",
      "(8, 'w', 'Call')",
    ];
    let runs = 0;
    for (let mask = 0; mask < 1 << added.length; mask += 3) {
      const rows = added.filter((_, i) => (mask >> i) & 1);
      db.query(`CREATE OR REPLACE TEMP TABLE kept_rows AS SELECT * FROM (VALUES (1, 'a', 'Call'), (2, 'b', 'Name'), (3, 'c', 'Call')) t(id, name, kind)`);
      db.query(`CREATE OR REPLACE TEMP TABLE added_rows AS SELECT * FROM (VALUES ${[...rows, "(NULL, 'n', 'Call')"].join(", ")}) t(id, name, kind)`);
      db.query(`CREATE OR REPLACE TEMP VIEW whole AS SELECT * FROM kept_rows UNION ALL SELECT * FROM added_rows`);
      const full = evaluateExpectations(db, "whole", checks);
      const parts = evaluateExpectations(db, "whole", checks, { added: "added_rows", kept: "kept_rows", keptRows: 3, keptPassed: true });
      expect(parts.map((r) => [r.expectation, r.passed, r.failing])).toEqual(full.map((r) => [r.expectation, r.passed, r.failing]));
      expect(parts.map((r) => r.from_stats)).toEqual([false, false, false, false, true]);
      runs++;
    }
    expect(runs).toBe(22);
  });

  it("samples at most 5 rows", () => {
    const [r] = evaluateExpectations(db, "(SELECT NULL::INTEGER AS x FROM range(9))", [{ not_null: ["x"] }]);
    expect(r?.failing).toBe(9);
    expect(r?.sample).toHaveLength(5);
  });
});
