// applyPlan on hand-built plans against temporary lakes: create + load + materialize + register,
// resume (already-applied), failing expectations, unchanged rematerializations, destroy, stale pins.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, loadDeltaHistory, loadDeltaSnapshot, openDatabase, registerDeltaView } from "../../../runtime-native/index.js";
import { applyPlan, type ApplyEvent } from "../../../runtime-native/ts/apply/execute.js";
import { observeLake } from "../../../runtime-native/ts/apply/observe.js";
import { readRuns } from "../../../runtime-native/ts/apply/runs.js";
import { registerLogicalViews } from "../../../runtime-native/ts/apply/views.js";
import { desiredState, ndjson, plan, registerPlan, sourceTable, tempProject, viewTable, writeFile, writePlan } from "./helpers.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const FILES = [
  { file_id: "f1", path: "a.py", size_bytes: 500, lines: 40 },
  { file_id: "f2", path: "b.py", size_bytes: 50, lines: 4 },
  { file_id: "f3", path: "c.py", size_bytes: 900, lines: 80 },
];

function project() {
  const { dir, lake } = tempProject();
  writeFile(path.join(dir, "data/files.ndjson"), ndjson(FILES));
  const files = sourceTable(
    dir,
    "files",
    [
      { name: "file_id", type: "utf8", nullable: false },
      { name: "path", type: "utf8", nullable: false },
      { name: "size_bytes", type: "int64" },
      { name: "lines", type: "int32" },
    ],
    "data/files.ndjson",
    { expectations: [{ not_null: ["file_id"] }, { unique: ["file_id"] }], unique_key: ["file_id"] },
  );
  const big = viewTable(
    "big_files",
    [
      { name: "file_id", type: "utf8" },
      { name: "path", type: "utf8" },
    ],
    "SELECT file_id, path FROM files WHERE size_bytes > 100",
    ["files"],
    { reads: { files: ["file_id", "path"] }, row_deciding: { files: ["size_bytes"] }, expectations: [{ not_null: ["path"] }] },
  );
  const count = viewTable("file_count", [{ name: "n", type: "int64" }], "SELECT count(*) AS n FROM big_files", ["big_files"], { role: "view" });
  const paths = viewTable("big_paths", [{ name: "path", type: "utf8" }], "SELECT path FROM big_files ORDER BY path", ["big_files"], { reads: { big_files: ["path"] } });
  const desired = desiredState(lake, [files, big, count, paths]);
  return { dir, lake, files, big, count, paths, desired };
}

const rowsOf = (lake: string, name: string, order = "1") => {
  registerDeltaView(db, `check_${name}`, path.join(lake, name));
  return db.query(`SELECT * FROM "check_${name}" ORDER BY ${order}`).rows;
};

const pinOf = (lake: string, name: string) => {
  const s = loadDeltaSnapshot(path.join(lake, name), { files: "none" });
  return { status: "present" as const, table_id: s.metadata.id, version: s.version };
};

describe("applyPlan", () => {
  it("creates and loads a source, materializes views, registers a logical view, records the run; a re-run is already-applied", async () => {
    const p = project();
    const first = plan(p.desired, [writePlan(p.files), writePlan(p.big), registerPlan(p.count), writePlan(p.paths)]);
    const events: ApplyEvent[] = [];
    const report = await applyPlan(first, p.desired, { db, cpgcVersion: "9.9.9", onEvent: (e) => events.push(e), configDir: p.dir });
    expect(report.status).toBe("success");
    expect(report.actions.map((a) => [a.table, a.outcome, a.rows_written, a.error])).toEqual([
      ["files", "committed", 3, null],
      ["big_files", "committed", 2, null],
      ["file_count", "registered", null, null],
      ["big_paths", "committed", 2, null],
    ]);
    expect(report.actions[1]?.inputs).toEqual({ files: 0 });
    expect(report.actions[1]?.expectations.map((e) => [e.expectation, e.passed])).toEqual([["not_null(path)", true]]);
    expect(events.filter((e) => e.type === "action-start").map((e) => e.table)).toEqual(["files", "big_files", "file_count", "big_paths"]);
    expect(events.filter((e) => e.type === "action-end")).toHaveLength(4);

    expect(rowsOf(p.lake, "files")).toEqual(FILES);
    expect(rowsOf(p.lake, "big_files")).toEqual([
      { file_id: "f1", path: "a.py" },
      { file_id: "f3", path: "c.py" },
    ]);

    // One commit per table action carries the rows, the state, the txn and the provenance.
    const big = loadDeltaSnapshot(path.join(p.lake, "big_files"), { files: "none" });
    expect(big.appTransactions.map((t) => t.appId)).toEqual([`cpgc:${first.plan_id}`]);
    expect(big.commitInfo).toMatchObject({ cpgc: { run_id: report.run_id, plan_id: first.plan_id, cpgc_version: "9.9.9" } });
    const observed = observeLake(p.desired, { db, digests: true, configDir: p.dir });
    const files = observed.tables["files"];
    const bigObserved = observed.tables["big_files"];
    if (files?.status !== "present" || bigObserved?.status !== "present") throw new Error("not present");
    expect(files.state?.source_fingerprint).toBe(observed.sources["files"]?.fingerprint);
    expect(observed.sources["files"]?.digests).toBeNull();
    expect(Object.keys(files.state?.digests ?? {})).toEqual(["*", "*key:file_id", "file_id", "lines", "path", "size_bytes"]);
    expect(files.state?.digest_engine).toMatch(/^v\d/);
    expect(files.drift).toEqual([]);
    expect(bigObserved.state?.inputs).toEqual({
      // The columns read, with the row and key entries that make them comparable.
      files: { version: 0, digests: { "*": files.state?.digests?.["*"], "*key:file_id": files.state?.digests?.["*key:file_id"], file_id: files.state?.digests?.["file_id"], path: files.state?.digests?.["path"], size_bytes: files.state?.digests?.["size_bytes"] } },
    });
    expect(bigObserved.num_records).toBe(2);
    expect(observed.logical_views).toEqual({ file_count: { name: "file_count", ast_fingerprint: p.count.ast_fingerprint, policy_hash: "policy", sql: p.count.sql } });
    expect(observed.views_table_version).not.toBeNull();
    expect(readRuns(p.lake, { db }).map((r) => [r.run_id, r.status, r.actions.length])).toEqual([[report.run_id, "success", 4]]);

    // cpgc query: lake tables, then logical views over them.
    const q = openDatabase({ threads: 1 });
    try {
      for (const name of ["files", "big_files"]) registerDeltaView(q, name, path.join(p.lake, name));
      expect(registerLogicalViews(q, p.lake).registered).toEqual(["file_count"]);
      expect(q.query("SELECT n FROM file_count").rows).toEqual([{ n: 2 }]);
    } finally {
      q.close();
    }

    // The same plan again (a resumed apply): every table action is skipped by its txn.
    const versions = ["files", "big_files", "big_paths"].map((t) => loadDeltaSnapshot(path.join(p.lake, t), { files: "none" }).version);
    const again = await applyPlan(first, p.desired, { db, configDir: p.dir, record: false });
    expect(again.actions.map((a) => [a.table, a.outcome])).toEqual([
      ["files", "already-applied"],
      ["big_files", "already-applied"],
      ["file_count", "registered"],
      ["big_paths", "already-applied"],
    ]);
    expect(["files", "big_files", "big_paths"].map((t) => loadDeltaSnapshot(path.join(p.lake, t), { files: "none" }).version)).toEqual(versions);
  });

  it("a failing expectation keeps the table's version, skips its descendants, and the rest proceeds", async () => {
    const p = project();
    await applyPlan(plan(p.desired, [writePlan(p.files), writePlan(p.big), registerPlan(p.count), writePlan(p.paths)]), p.desired, { db, configDir: p.dir });
    const bigVersion = loadDeltaSnapshot(path.join(p.lake, "big_files"), { files: "none" }).version;
    const strict = { ...p.big, spec_hash: "spec-big-strict", expectations: [{ row_count: { max: 1 } }, { accepted_values: { column: "path", values: ["a.py"] }, severity: "warn" as const }] };
    const other = viewTable("small_files", [{ name: "file_id", type: "utf8" }], "SELECT file_id FROM files WHERE size_bytes <= 100", ["files"]);
    const desired = { ...p.desired, tables: [p.files, strict, p.count, p.paths, other] };
    const second = plan(desired, [
      writePlan(strict, { op: "rematerialize", pin: pinOf(p.lake, "big_files") }),
      registerPlan(p.count, { sql_diff: null }),
      writePlan(p.paths, { op: "rematerialize", pin: pinOf(p.lake, "big_paths") }),
      writePlan(other),
    ], { views_table_pin: { status: "present", table_id: "x", version: 1 } });
    const report = await applyPlan(second, desired, { db, configDir: p.dir });
    expect(report.status).toBe("partial");
    expect(report.actions.map((a) => [a.table, a.outcome, a.error?.code ?? null])).toEqual([
      ["big_files", "failed", "EXPECTATION_FAILED"],
      ["file_count", "skipped", "SKIPPED"],
      ["big_paths", "skipped", "SKIPPED"],
      ["small_files", "committed", null],
    ]);
    const failed = report.actions[0];
    expect(failed?.error?.message).toContain("row_count(max 1): 2 rows");
    expect(failed?.expectations.map((e) => [e.expectation, e.passed, e.severity, e.failing])).toEqual([
      ["row_count(max 1)", false, "error", 2],
      ["accepted_values(path)", false, "warn", 1],
    ]);
    expect(failed?.expectations[1]?.sample).toEqual([{ file_id: "f3", path: "c.py" }]);
    expect(loadDeltaSnapshot(path.join(p.lake, "big_files"), { files: "none" }).version).toBe(bigVersion);
    expect(rowsOf(p.lake, "small_files")).toEqual([{ file_id: "f2" }]);
    expect(readRuns(p.lake, { limit: 1 })[0]?.actions.map((a) => a.outcome)).toEqual(["failed", "skipped", "skipped", "committed"]);
  });

  it("rematerializing with inputs whose read columns did not change is 'unchanged'; a changed source reloads", async () => {
    const p = project();
    await applyPlan(plan(p.desired, [writePlan(p.files), writePlan(p.big), registerPlan(p.count), writePlan(p.paths)]), p.desired, { db, configDir: p.dir });
    // A source edit in a column big_paths does not read: files and big_files reload, big_paths stays.
    writeFile(path.join(p.dir, "data/files.ndjson"), ndjson(FILES.map((f) => ({ ...f, lines: f.lines + 1 }))));
    const before = ["files", "big_files", "big_paths"].map((t) => loadDeltaSnapshot(path.join(p.lake, t), { files: "none" }).version);
    const report = await applyPlan(
      plan(p.desired, [
        writePlan(p.files, { op: "update", pin: pinOf(p.lake, "files") }),
        writePlan(p.big, { op: "rematerialize", pin: pinOf(p.lake, "big_files") }),
        writePlan(p.paths, { op: "rematerialize", pin: pinOf(p.lake, "big_paths") }),
      ]),
      p.desired,
      { db, configDir: p.dir },
    );
    expect(report.actions.map((a) => [a.table, a.outcome])).toEqual([
      ["files", "committed"],
      ["big_files", "unchanged"],
      ["big_paths", "unchanged"],
    ]);
    const after = ["files", "big_files", "big_paths"].map((t) => loadDeltaSnapshot(path.join(p.lake, t), { files: "none" }).version);
    expect(after).toEqual([(before[0] ?? 0) + 1, before[1], before[2]]);
    expect(rowsOf(p.lake, "files").map((r) => r["lines"])).toEqual([41, 5, 81]);
  });

  it("refuses a moved pin (stale), destroys an orphan, and skips writes when the lease is lost", async () => {
    const p = project();
    await applyPlan(plan(p.desired, [writePlan(p.files)]), p.desired, { db, configDir: p.dir });
    const orphan = viewTable("old_table", [{ name: "x", type: "int64" }], "SELECT 1::BIGINT AS x", []);
    await applyPlan(plan(desiredState(p.lake, [orphan]), [writePlan(orphan)]), desiredState(p.lake, [orphan]), { db });
    expect(existsSync(path.join(p.lake, "old_table"))).toBe(true);
    const stalePin = pinOf(p.lake, "files");
    appendToDeltaTable(path.join(p.lake, "files"), { sql: "SELECT 'f9' AS file_id, 'z.py' AS path" });
    const report = await applyPlan(
      plan(p.desired, [
        writePlan(p.files, { op: "update", pin: stalePin }),
        { ...writePlan(orphan), kind: "orphan", role: "orphan", op: "destroy", pin: pinOf(p.lake, "old_table"), step: { destroy: true }, depends_on: [] },
      ]),
      p.desired,
      { db, configDir: p.dir },
    );
    expect(report.actions.map((a) => [a.table, a.outcome, a.error?.code ?? null])).toEqual([
      ["files", "failed", "PLAN_STALE"],
      ["old_table", "destroyed", null],
    ]);
    expect(report.actions[0]?.error?.message).toContain("moved from version 0 to 1");
    expect(existsSync(path.join(p.lake, "old_table"))).toBe(false);
    expect(existsSync(path.join(p.lake, "_cpgc_trash"))).toBe(true);

    const { acquireLakeLock, forceUnlock } = await import("../../../runtime-native/ts/apply/lock.js");
    const lease = await acquireLakeLock(p.lake, { owner: "test" });
    forceUnlock(p.lake, lease.id);
    const lost = await applyPlan(plan(p.desired, [writePlan(p.big), writePlan(p.paths)]), p.desired, { db, lease, record: false });
    expect(lost.status).toBe("failed");
    expect(lost.actions.map((a) => [a.table, a.outcome, a.error?.code])).toEqual([
      ["big_files", "failed", "LOCK_NOT_HELD"],
      ["big_paths", "skipped", "LOCK_NOT_HELD"],
    ]);
    expect(existsSync(path.join(p.lake, "big_files"))).toBe(false);
  });

  it("every commit of an apply carries cpgc provenance (no drift after it)", async () => {
    const p = project();
    await applyPlan(plan(p.desired, [writePlan(p.files), writePlan(p.big)]), p.desired, { db, configDir: p.dir });
    for (const t of ["files", "big_files"]) {
      const entries = loadDeltaHistory(path.join(p.lake, t)).entries;
      expect(entries.every((e) => typeof (e.commitInfo?.["cpgc"] as { plan_id?: unknown } | undefined)?.plan_id === "string")).toBe(true);
    }
  });
});
