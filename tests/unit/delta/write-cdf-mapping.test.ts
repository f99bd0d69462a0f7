// Change data feed on write (cdc files where file actions do not describe the row changes) and
// column mapping mode `name` on write (physical names in files, logical names in the schema).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  addDeltaTableColumns,
  appendToDeltaTable,
  checkpointDeltaTable,
  createDeltaTable,
  loadDeltaHistory,
  loadDeltaSnapshot,
  openDatabase,
  overwriteDeltaTable,
  planDeltaChanges,
  replaceWhereDeltaTable,
  scanDeltaTable,
  type Database,
} from "../../../runtime-native/index.js";
import { tempDir } from "./helpers.js";
import { validateCommitLines } from "./write-helpers.js";

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 1 });
  db.query("SET TimeZone = 'UTC'");
});
afterAll(() => db.close());

/** The actions of commit `version`, by type. */
function commitActions(table: string, version: number): Record<string, Record<string, unknown>[]> {
  const name = `${String(version).padStart(20, "0")}.json`;
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const line of readFileSync(path.join(table, "_delta_log", name), "utf8").split("\n").filter((l) => l !== "")) {
    const [[kind, body]] = Object.entries(JSON.parse(line) as Record<string, Record<string, unknown>>) as [[string, Record<string, unknown>]];
    (out[kind] ??= []).push(body);
  }
  return out;
}

type Change = [number, string, string | null, string, number];

/** table_changes(from) as sorted [id, name, p, _change_type, _commit_version] rows (+ timestamps checked against history). */
function changes(table: string, from: number): Change[] {
  const plan = planDeltaChanges(table, { from });
  expect(plan.columns.map((c) => c.name).slice(-3)).toEqual(["_change_type", "_commit_version", "_commit_timestamp"]);
  const history = new Map(loadDeltaHistory(table).entries.map((e) => [e.version, e]));
  const rows = db.query(`SELECT id, name, p, _change_type, _commit_version, epoch_ms(_commit_timestamp) AS ts FROM (${plan.sql}) ORDER BY _commit_version, _change_type, id`).rows;
  for (const r of rows) {
    const commit = history.get(Number(r["_commit_version"]));
    expect(commit).toBeDefined();
    expect(Math.abs(Number(r["ts"]) - Number(commit?.timestamp))).toBeLessThan(1000);
  }
  return rows.map((r) => [Number(r["id"]), r["name"] as string, r["p"] as string | null, r["_change_type"] as string, Number(r["_commit_version"])]);
}

describe("change data feed on write", () => {
  it("append → replaceWhere (partial rewrite) → overwrite: table_changes returns every change once", () => {
    const t = path.join(tempDir(), "cdf");
    createDeltaTable(t, {
      schema: [
        { name: "id", type: "long" },
        { name: "name", type: "string" },
        { name: "p", type: "string" },
      ],
      partitionColumns: ["p"],
      configuration: { "delta.enableChangeDataFeed": "true" },
    });
    // v1: append (no cdc files: adds read as inserts).
    appendToDeltaTable(t, { sql: "SELECT range AS id, 'n' || range AS name, CASE WHEN range < 3 THEN 'a' ELSE 'b/c' END AS p FROM range(6)" });
    expect(commitActions(t, 1)["cdc"]).toBeUndefined();
    // v2: replace where rewrites part of partition a (rows 0, 2 stay), deletes 1 and 4, appends 10.
    const r = replaceWhereDeltaTable(t, "id IN (1, 4)", { sql: "SELECT 10 AS id, 'ten' AS name, 'a' AS p" });
    expect(r).toMatchObject({ version: 2, removedFiles: 2, numAddedRecords: 1 });
    const v2 = commitActions(t, 2);
    expect(v2["cdc"]?.length).toBeGreaterThanOrEqual(2);
    for (const cdc of v2["cdc"] ?? []) {
      expect(String(cdc["path"])).toMatch(/^_change_data\/p=/);
      expect(cdc["dataChange"]).toBe(false);
    }
    expect(v2["commitInfo"]?.[0]?.["operationMetrics"]).toMatchObject({ numAddedChangeFiles: String(v2["cdc"]?.length) });
    // v3: overwrite (whole files removed: removes read as deletes, no cdc files needed).
    overwriteDeltaTable(t, { sql: "SELECT 20 AS id, 'twenty' AS name, NULL AS p" });
    expect(commitActions(t, 3)["cdc"]).toBeUndefined();

    const v1: Change[] = [0, 1, 2, 3, 4, 5].map((i) => [i, `n${i}`, i < 3 ? "a" : "b/c", "insert", 1]);
    expect(changes(t, 1)).toEqual([
      ...v1,
      [1, "n1", "a", "delete", 2],
      [4, "n4", "b/c", "delete", 2],
      [10, "ten", "a", "insert", 2],
      [0, "n0", "a", "delete", 3],
      [2, "n2", "a", "delete", 3],
      [3, "n3", "b/c", "delete", 3],
      [5, "n5", "b/c", "delete", 3],
      [10, "ten", "a", "delete", 3],
      [20, "twenty", null, "insert", 3],
    ]);
    expect(changes(t, 2).filter((c) => c[4] === 2)).toHaveLength(3);
    // cdc files are in the cdc file format the protocol describes and read plainly too.
    const cdcDir = path.join(t, "_change_data");
    expect(readdirSync(cdcDir).sort()).toEqual(["p=a", "p=b%2Fc"]);
    const plain = db.query(`SELECT _change_type, count(*)::INTEGER AS n FROM read_parquet('${cdcDir}/*/*.parquet', hive_partitioning = false) GROUP BY ALL ORDER BY 1`).rows;
    expect(plain).toEqual([{ _change_type: "delete", n: 2 }, { _change_type: "insert", n: 1 }]);
    expect(scanDeltaTable(db, t).rows).toEqual([{ id: 20, name: "twenty", p: null }]);
    validateCommitLines(t);
  });
});

describe("column mapping mode name on write", () => {
  it("physical names in files and stats, logical names in scans; added columns get new physical names", () => {
    const t = path.join(tempDir(), "mapped");
    createDeltaTable(t, {
      schema: [
        { name: "id", type: "long" },
        { name: "Amount", type: "decimal(12,2)" },
        { name: "s", type: { type: "struct", fields: [{ name: "x y", type: "string" }, { name: "n", type: "integer" }] } },
        { name: "tags", type: { type: "array", elementType: { type: "struct", fields: [{ name: "k", type: "string" }] }, containsNull: true } },
        { name: "part key", type: "string" },
      ],
      partitionColumns: ["part key"],
      configuration: { "delta.columnMapping.mode": "name", "delta.checkpointInterval": "3" },
    });
    let s = loadDeltaSnapshot(t);
    expect(s.protocol).toEqual({ minReaderVersion: 2, minWriterVersion: 5 });
    expect(s.columnMapping).toBe("name");
    expect(s.metadata.configuration["delta.columnMapping.maxColumnId"]).toBe("8");
    const physical = new Map(s.schema.map((f) => [f.name, f.physicalName ?? ""]));
    for (const name of physical.values()) expect(name).toMatch(/^col-[0-9a-f-]{36}$/);

    appendToDeltaTable(t, {
      sql: "SELECT range AS id, (range * 1.25)::DECIMAL(12,2) AS Amount, {'x y': 'v' || range, 'n': range::INTEGER} AS s, [{'k': 'k' || range}] AS tags, CASE WHEN range % 2 = 0 THEN 'even' END AS \"part key\" FROM range(4)",
    });
    s = loadDeltaSnapshot(t);
    // Partition values and stats are keyed by physical name in the log; the data files hold only physical names.
    const add = commitActions(t, 1)["add"] ?? [];
    expect(Object.keys(add[0]?.["partitionValues"] as object)).toEqual([physical.get("part key")]);
    expect(Object.keys(JSON.parse(String(add[0]?.["stats"])).minValues as object)).toEqual(expect.arrayContaining([physical.get("id"), physical.get("Amount")]));
    const file = s.files.find((f) => f.partitionValues["part key"] === "even")?.absolutePath ?? "";
    const names = db.query(`SELECT name, field_id FROM parquet_schema('${file}') WHERE name NOT IN ('duckdb_schema', 'list', 'element')`).rows;
    expect(names.every((r) => String(r["name"]).startsWith("col-"))).toBe(true);
    expect(names.every((r) => r["field_id"] !== null)).toBe(true);
    expect(s.files.find((f) => f.partitionValues["part key"] === "even")?.stats?.maxValues?.["Amount"]).toBe(2.5);

    addDeltaTableColumns(t, [{ name: "later", type: "string" }]);
    s = loadDeltaSnapshot(t);
    expect(s.metadata.configuration["delta.columnMapping.maxColumnId"]).toBe("9");
    expect(s.schema.find((f) => f.name === "later")?.physicalName).toMatch(/^col-/);
    appendToDeltaTable(t, { sql: "SELECT 9 AS id, 'new' AS later, 'odd' AS \"part key\"" });
    replaceWhereDeltaTable(t, "id = 2", { sql: "SELECT 2 AS id, 'replaced' AS later, 'even' AS \"part key\"" });
    expect(checkpointDeltaTable(t).version).toBe(4);

    const rows = scanDeltaTable(db, t, { columns: ["id", "Amount", "s", "tags", "part key", "later"] }).rows;
    const sorted = [...rows].sort((a, b) => Number(a["id"]) - Number(b["id"]));
    expect(sorted.map((r) => [Number(r["id"]), r["Amount"], r["s"], r["part key"], r["later"]])).toEqual([
      [0, "0.00", { "x y": "v0", n: 0 }, "even", null],
      [1, "1.25", { "x y": "v1", n: 1 }, null, null],
      [2, null, null, "even", "replaced"],
      [3, "3.75", { "x y": "v3", n: 3 }, null, null],
      [9, null, null, "odd", "new"],
    ]);
    expect(sorted[0]?.["tags"]).toEqual([{ k: "k0" }]);
    // Pruning works on physical-name stats.
    expect(scanDeltaTable(db, t, { where: "id = 9" }).plan.stats.filesPruned).toBeGreaterThan(0);
    validateCommitLines(t);
  });
});
