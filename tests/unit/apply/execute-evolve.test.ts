// applyPlan on existing tables: metadata-only updates, rewrites from the table's own rows
// (partitioning, renames, added columns), untracked-file cleanup, the write policy.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { loadDeltaHistory, loadDeltaSnapshot, openDatabase, registerDeltaView } from "../../../runtime-native/index.js";
import { writePolicy } from "../../../runtime-native/ts/apply/commit.js";
import { applyPlan, type ApplyEvent } from "../../../runtime-native/ts/apply/execute.js";
import { observeLake } from "../../../runtime-native/ts/apply/observe.js";
import { desiredState, ndjson, plan, sourceTable, stateOf, table, tempProject, WRITER, writeFile, writePlan } from "./helpers.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const pinOf = (dir: string) => {
  const s = loadDeltaSnapshot(dir, { files: "none" });
  return { status: "present" as const, table_id: s.metadata.id, version: s.version };
};

const rows = (dir: string, order = "1") => {
  registerDeltaView(db, "check", dir);
  return db.query(`SELECT * FROM "check" ORDER BY ${order}`).rows;
};

describe("applyPlan on existing tables", () => {
  it("a metadata-only update is one commit that keeps the rows and carries digests, fingerprint and rows_version", async () => {
    const { dir, lake } = tempProject();
    writeFile(path.join(dir, "f.ndjson"), ndjson([{ id: 1 }, { id: 2 }]));
    const t = sourceTable(dir, "nums", [{ name: "id", type: "int64" }], "f.ndjson");
    const first = await applyPlan(plan(desiredState(lake, [t]), [writePlan(t)]), desiredState(lake, [t]), { db, configDir: dir });
    expect(first.actions[0]).toMatchObject({ outcome: "committed", version: 0, rows_written: 2 });
    const table0 = path.join(lake, "nums");
    const before = observeLake(desiredState(lake, [t]), { db, configDir: dir }).tables["nums"];
    if (before?.status !== "present") throw new Error("absent");
    expect(before.state).toMatchObject({ rows_version: 0, source_files: [{ path: "f.ndjson", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
    expect(before.latest_txn).toEqual({ app_id: `cpgc:${first.plan_id}`, version: 0 });

    const t2 = { ...t, properties: { "delta.checkpointInterval": "3" }, spec_hash: "spec-nums-2" };
    // Without a write the planner carries the source fingerprint (recordedState); apply records the plan's.
    const second = plan(desiredState(lake, [t2]), [
      {
        ...writePlan(t2, { pin: pinOf(table0) }),
        op: "update",
        step: { alter: { set_properties: { "delta.checkpointInterval": "3" } } },
        state: { ...stateOf(t2), rows_version: 0, source_fingerprint: before.state?.source_fingerprint ?? null },
      },
    ]);
    const report = await applyPlan(second, desiredState(lake, [t2]), { db, configDir: dir });
    expect(report.actions[0]).toMatchObject({ outcome: "committed", version: 1, rows_written: 0 });
    const after = observeLake(desiredState(lake, [t2]), { db, configDir: dir }).tables["nums"];
    if (after?.status !== "present") throw new Error("absent");
    expect(after.properties).toEqual({ "delta.checkpointInterval": "3" });
    expect(after.state?.spec_hash).toBe("spec-nums-2");
    expect(after.state?.digests).toEqual(before.state?.digests);
    expect(after.state?.source_fingerprint).toBe(before.state?.source_fingerprint);
    expect(after.state?.rows_version).toBe(0);
    expect(after.num_files).toBe(before.num_files);
    const history = loadDeltaHistory(table0).entries;
    expect(history).toHaveLength(2);
    expect(history[0]?.commitInfo).toMatchObject({ operation: "SET TBLPROPERTIES", cpgc: { plan_id: second.plan_id } });
  });

  it("rewrites a managed table from its own rows: new partitioning, a renamed and an added column", async () => {
    const { lake } = tempProject();
    const t = table({ name: "m", cols: [{ name: "id", type: "int64" }, { name: "kind", type: "utf8" }] });
    const d = desiredState(lake, [t]);
    await applyPlan(plan(d, [writePlan(t)]), d, { db });
    const dir = path.join(lake, "m");
    // Rows written by someone else (a managed table's writer).
    db.query("CREATE OR REPLACE TEMP TABLE src AS SELECT range AS id, CASE WHEN range % 2 = 0 THEN 'a' ELSE 'b' END AS kind FROM range(4)");
    const writer = table({ name: "m", cols: [{ name: "id", type: "int64" }, { name: "kind", type: "utf8" }] });
    await applyPlan(plan(desiredState(lake, [writer]), [{ ...writePlan(writer, { pin: pinOf(dir) }), step: { write: { mode: "append", from: { kind: "sql", sql: "SELECT * FROM src" } } } }]), desiredState(lake, [writer]), { db });
    expect(rows(dir)).toHaveLength(4);

    const next = table({
      name: "m",
      cols: [
        { name: "id", type: "int64" },
        { name: "category", type: "utf8", renamed_from: "kind" },
        { name: "note", type: "utf8" },
      ],
      partition_by: ["category"],
    });
    const events: ApplyEvent[] = [];
    const report = await applyPlan(
      plan(desiredState(lake, [next]), [
        {
          ...writePlan(next, { pin: pinOf(dir) }),
          op: "replace",
          step: {
            alter: { schema: { fields: next.delta_schema, renames: { category: "kind" } }, partition_columns: ["category"] },
            write: { mode: "overwrite", from: { kind: "self" } },
          },
        },
      ]),
      desiredState(lake, [next]),
      { db, onEvent: (e) => events.push(e) },
    );
    expect(report.actions[0]).toMatchObject({ outcome: "committed", rows_written: 4, error: null });
    expect(report.actions[0]?.inputs).toEqual({ m: 1 });
    const snapshot = loadDeltaSnapshot(dir, { files: "none" });
    expect(snapshot.metadata.partitionColumns).toEqual(["category"]);
    expect(snapshot.schema.map((f) => f.name)).toEqual(["id", "category", "note"]);
    expect(rows(dir, "id")).toEqual([
      { id: 0, category: "a", note: null },
      { id: 1, category: "b", note: null },
      { id: 2, category: "a", note: null },
      { id: 3, category: "b", note: null },
    ]);
    const state = observeLake(desiredState(lake, [next]), { db }).tables["m"];
    expect(state?.status === "present" && state.state?.inputs).toEqual({});
    expect(state?.status === "present" && Object.keys(state.state?.digests ?? {})).toEqual(["*", "category", "id", "note"]);
  });

  it("removes untracked files of an interrupted run before writing, and counts them", async () => {
    const { dir, lake } = tempProject();
    writeFile(path.join(dir, "f.ndjson"), ndjson([{ id: 1 }]));
    const t = sourceTable(dir, "nums", [{ name: "id", type: "int64" }], "f.ndjson");
    const d = desiredState(lake, [t]);
    await applyPlan(plan(d, [writePlan(t)]), d, { db, configDir: dir });
    const table0 = path.join(lake, "nums");
    db.query(`COPY (SELECT 99::BIGINT AS id) TO '${path.join(table0, "part-crashed.parquet")}' (FORMAT parquet)`);
    writeFile(path.join(dir, "f.ndjson"), ndjson([{ id: 1 }, { id: 2 }]));
    const events: ApplyEvent[] = [];
    // Without a lease, only files older than an hour are taken for a crashed run's (cleanupMinAgeMs).
    const report = await applyPlan(plan(d, [{ ...writePlan(t, { pin: pinOf(table0) }), op: "update" }]), d, { db, configDir: dir, cleanupMinAgeMs: 0, onEvent: (e) => events.push(e) });
    expect(report.cleaned_files).toBe(1);
    expect(events.filter((e) => e.type === "cleanup")).toEqual([{ type: "cleanup", table: "nums", files: 1 }]);
    expect(readdirSync(table0).filter((f) => f === "part-crashed.parquet")).toEqual([]);
    expect(rows(table0)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("step.checkpoint writes the checkpoint the table's interval asks for; step.vacuum runs after the commit", async () => {
    const { dir, lake } = tempProject();
    writeFile(path.join(dir, "f.ndjson"), ndjson([{ id: 1 }]));
    const t = sourceTable(dir, "nums", [{ name: "id", type: "int64" }], "f.ndjson", { properties: { "delta.checkpointInterval": "1" } });
    const d = desiredState(lake, [t]);
    const maintained = (tp: ReturnType<typeof writePlan>) => ({ ...tp, step: { ...tp.step, checkpoint: true, vacuum: true } });
    await applyPlan(plan(d, [maintained(writePlan(t))]), d, { db, configDir: dir });
    const table0 = path.join(lake, "nums");
    writeFile(path.join(dir, "f.ndjson"), ndjson([{ id: 2 }]));
    const report = await applyPlan(plan(d, [maintained({ ...writePlan(t, { pin: pinOf(table0) }), op: "update" })]), d, { db, configDir: dir });
    expect(report.actions[0]).toMatchObject({ outcome: "committed", version: 1 });
    expect(loadDeltaSnapshot(table0, { files: "none" }).logSegment.checkpointVersion).toBe(1);
    expect(rows(table0)).toEqual([{ id: 2 }]);
  });

  it("the write policy: layout and compression passed, per-column choices not, the smallest bloom fpp", async () => {
    expect(writePolicy(WRITER)).toEqual({ compression: "zstd", compressionLevel: 3 });
    expect(
      writePolicy({
        zorder_by: ["a"],
        target_file_size_bytes: 1 << 20,
        compression: "snappy",
        compression_level: 3,
        row_group_size: 1000,
        dictionary: ["a"],
        bloom_filter: [
          { column: "a", fpp: 0.05 },
          { column: "b", fpp: 0.01 },
        ],
      }),
    ).toEqual({ zorderBy: ["a"], targetFileSize: 1 << 20, compression: "snappy", rowGroupSize: 1000, bloomFilterFpp: 0.01 });
  });
});
