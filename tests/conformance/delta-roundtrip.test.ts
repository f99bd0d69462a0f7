// Round trip: tables written by cpgc's Delta write path read back identically — through the
// read side (snapshot files + partition values from the log, data through DuckDB) and through
// DuckDB's plain read_parquet of the data files — and every commit line validates against the
// protocol's action schema (tests/fixtures/delta-actions.schema.json).
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  appendToDeltaTable,
  checkpointDeltaTable,
  createDeltaTable,
  loadDeltaSnapshot,
  openDatabase,
  planDeltaScan,
  type Database,
  type DeltaFieldSpec,
  type DeltaSnapshot,
} from "../../runtime-native/index.js";
import { tempDir } from "../unit/delta/helpers.js";
import { validateCommitLines } from "../unit/delta/write-helpers.js";

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 2 });
  db.query("SET TimeZone = 'UTC'");
});
afterAll(() => db.close());

const ALL_TYPES: DeltaFieldSpec[] = [
  { name: "id", type: "long", nullable: false },
  { name: "b", type: "byte" },
  { name: "s", type: "short" },
  { name: "i", type: "integer" },
  { name: "f", type: "float" },
  { name: "d", type: "double" },
  { name: "bo", type: "boolean" },
  { name: "str", type: "string" },
  { name: "bin", type: "binary" },
  { name: "dt", type: "date" },
  { name: "ts", type: "timestamp" },
  { name: "tsn", type: "timestamp_ntz" },
  { name: "dec", type: "decimal(10,2)" },
  {
    name: "st",
    type: {
      type: "struct",
      fields: [
        { name: "a", type: "long" },
        { name: "b", type: "string" },
        { name: "inner", type: { type: "struct", fields: [{ name: "x", type: "double" }] } },
      ],
    },
  },
  { name: "arr", type: { type: "array", elementType: "string", containsNull: true } },
  { name: "m", type: { type: "map", keyType: "string", valueType: "long", valueContainsNull: true } },
  { name: "p", type: "string" },
  { name: "q", type: "integer" },
];

/** Deterministic rows of every type; `p`/`q` hold nulls and characters that need escaping. */
function rowsSql(from: number, count: number): string {
  return `SELECT
    n::BIGINT AS id, (n % 100)::TINYINT AS b, (n * 7)::SMALLINT AS s, CASE WHEN n % 5 = 0 THEN NULL ELSE (n * 1000)::INTEGER END AS i,
    (n / 4)::FLOAT AS f, (n * 1.5)::DOUBLE AS d, n % 2 = 0 AS bo,
    CASE WHEN n % 7 = 0 THEN NULL ELSE 'row ' || n || repeat('x', (n % 3) * 20) END AS str,
    ('\\x' || lpad(to_hex(n % 256), 2, '0'))::BLOB AS bin,
    DATE '2024-01-01' + (n % 40)::INTEGER AS dt,
    TIMESTAMPTZ '2024-03-01 12:00:00+00' + to_microseconds(n * 1000123) AS ts,
    TIMESTAMP '2024-03-01 12:00:00' + to_microseconds(n * 999) AS tsn,
    (n * 1.25)::DECIMAL(10,2) AS dec,
    CASE WHEN n % 6 = 0 THEN NULL ELSE {'a': n, 'b': 'b' || n, 'inner': {'x': n / 3.0}} END AS st,
    CASE WHEN n % 4 = 0 THEN NULL ELSE ['e' || n, NULL, 'z'] END AS arr,
    MAP {'k' || n: n, 'other': NULL} AS m,
    ['plain', 'a/b', 'x y', 'ü=%#', NULL][(n % 5) + 1] AS p,
    CASE WHEN n % 3 = 0 THEN NULL ELSE (n % 3)::INTEGER END AS q
  FROM range(${from}, ${from + count}) t(n)`;
}

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const DUCK_TYPES: Record<string, string> = { p: "VARCHAR", q: "INTEGER" };

/** The table's rows rebuilt from the snapshot: data files + partition values from the log. */
function rowsFromSnapshot(snapshot: DeltaSnapshot): string[] {
  const parts = snapshot.metadata.partitionColumns;
  const selects = snapshot.files.map((file) => {
    expect(file.absolutePath).not.toBeNull();
    const pcols = parts.map((p) => {
      const v = file.partitionValues[p];
      return `CAST(${v === null || v === undefined ? "NULL" : sqlString(v)} AS ${DUCK_TYPES[p] ?? "VARCHAR"}) AS "${p}"`;
    });
    return `SELECT *${pcols.length > 0 ? ", " + pcols.join(", ") : ""} FROM read_parquet(${sqlString(file.absolutePath ?? "")}, hive_partitioning = false)`;
  });
  const cols = ALL_TYPES.map((f) => `"${f.name}"`).join(", ");
  const { rows } = db.query(`SELECT CAST(to_json(t) AS VARCHAR) AS j FROM (SELECT ${cols} FROM (${selects.join(" UNION ALL BY NAME ")})) t ORDER BY t.id`);
  return rows.map((r) => String(r["j"]));
}

function expectedRows(sql: string): string[] {
  const cols = ALL_TYPES.map((f) => `"${f.name}"`).join(", ");
  return db.query(`SELECT CAST(to_json(t) AS VARCHAR) AS j FROM (SELECT ${cols} FROM (${sql})) t ORDER BY t.id`).rows.map((r) => String(r["j"]));
}

describe("round trip", () => {
  it("every supported type, partitioned with nulls and special characters, many versions with checkpoints", () => {
    const table = path.join(tempDir(), "all_types");
    const created = createDeltaTable(table, {
      schema: ALL_TYPES,
      partitionColumns: ["p", "q"],
      configuration: { "delta.checkpointInterval": "5" },
    });
    expect(created.version).toBe(0);
    const sources: string[] = [];
    for (let v = 1; v <= 12; v++) {
      const sql = rowsSql((v - 1) * 20, 20);
      sources.push(sql);
      const r = appendToDeltaTable(table, { sql }, { commit: { metadata: { run_id: `run-${v}` } }, policy: { zorderBy: ["id"] } });
      expect(r.version).toBe(v);
      expect(r.warnings).toEqual([]);
      if (v % 5 === 0) expect(r.checkpointVersion).toBe(v);
    }
    const log = readdirSync(path.join(table, "_delta_log"));
    expect(log).toContain("00000000000000000010.checkpoint.parquet");
    expect(log).toContain("_last_checkpoint");

    const snapshot = loadDeltaSnapshot(table);
    expect(snapshot.version).toBe(12);
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.logSegment.checkpointVersion).toBe(10);
    expect(snapshot.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["timestampNtz"], writerFeatures: ["timestampNtz"] });
    expect(snapshot.summary.numRecords).toBe(240);
    // Null partitions are recorded as null (directory __HIVE_DEFAULT_PARTITION__), special characters verbatim.
    const pvals = new Set(snapshot.files.map((f) => JSON.stringify([f.partitionValues["p"], f.partitionValues["q"]])));
    expect(pvals).toContain(JSON.stringify([null, null]));
    expect(pvals).toContain(JSON.stringify(["ü=%#", "1"]));
    expect(snapshot.files.some((f) => f.path.startsWith("p=a%2Fb/") && existsSync(f.absolutePath ?? ""))).toBe(true);
    expect(snapshot.files.some((f) => f.path.startsWith("p=__HIVE_DEFAULT_PARTITION__/q=__HIVE_DEFAULT_PARTITION__/"))).toBe(true);

    const expected = expectedRows(sources.join(" UNION ALL "));
    expect(rowsFromSnapshot(snapshot)).toEqual(expected);
    // Time travel through the checkpoint: version 7 = the first 7 appends.
    const v7 = loadDeltaSnapshot(table, { version: 7 });
    expect(rowsFromSnapshot(v7)).toEqual(expectedRows(sources.slice(0, 7).join(" UNION ALL ")));
    // A fresh checkpoint at 12, read back.
    expect(checkpointDeltaTable(table).version).toBe(12);
    const again = loadDeltaSnapshot(table);
    expect(again.logSegment.checkpointVersion).toBe(12);
    expect(rowsFromSnapshot(again)).toEqual(expected);
    expect(again.files.map((f) => [f.path, f.stats])).toEqual(snapshot.files.map((f) => [f.path, f.stats]));
    expect(validateCommitLines(table)).toBeGreaterThan(12 * 3);
  });

  it("unpartitioned data files read identically through DuckDB's plain read_parquet; stats match the data", () => {
    const table = path.join(tempDir(), "plain");
    createDeltaTable(table, { schema: ALL_TYPES.filter((f) => f.name !== "p" && f.name !== "q") });
    const sql = `SELECT * EXCLUDE (p, q) FROM (${rowsSql(0, 300)})`;
    appendToDeltaTable(table, { sql }, { policy: { compression: "zstd", compressionLevel: 9 } });
    const snapshot = loadDeltaSnapshot(table);
    const files = snapshot.files.map((f) => sqlString(f.absolutePath ?? "")).join(", ");
    const plain = db.query(`SELECT CAST(to_json(t) AS VARCHAR) AS j FROM read_parquet([${files}]) t ORDER BY t.id`).rows.map((r) => String(r["j"]));
    const expected = db.query(`SELECT CAST(to_json(t) AS VARCHAR) AS j FROM (${sql}) t ORDER BY t.id`).rows.map((r) => String(r["j"]));
    expect(plain).toEqual(expected);
    const stats = snapshot.files[0]?.stats;
    expect(stats?.numRecords).toBe(300);
    expect(stats?.minValues?.["id"]).toBe(0);
    expect(stats?.maxValues?.["id"]).toBe(299);
    expect(stats?.nullCount?.["i"]).toBe(60);
    expect((stats?.minValues?.["st"] as Record<string, unknown>)["a"]).toBe(1);
    expect((stats?.nullCount?.["st"] as Record<string, Record<string, unknown>>)["inner"]?.["x"]).toBe(50);
    expect(stats?.minValues?.["tsn"]).toBe("2024-03-01T12:00:00.000");
    expect(stats?.maxValues?.["ts"]).toBe("2024-03-01T12:04:59.037Z");
    // Long strings: min/max cut to 32 characters; max stays an upper bound.
    const maxStr = String(stats?.maxValues?.["str"]);
    expect([...maxStr].length).toBeLessThanOrEqual(33);
    expect(validateCommitLines(table)).toBe(1 + 2 + 1 + 1);
  });

  for (const mode of ["name", "id"] as const) {
    it(`column mapping mode ${mode}: every type, partitioned with nulls and special characters, read back through the scan`, () => {
      const table = path.join(tempDir(), `mapped_${mode}`);
      createDeltaTable(table, {
        schema: ALL_TYPES,
        partitionColumns: ["p", "q"],
        configuration: { "delta.columnMapping.mode": mode, "delta.checkpointInterval": "2" },
      });
      const sources = [rowsSql(0, 40), rowsSql(40, 40), rowsSql(80, 40)];
      for (const sql of sources) appendToDeltaTable(table, { sql });
      const snapshot = loadDeltaSnapshot(table);
      expect(snapshot.logSegment.checkpointVersion).toBe(2);
      expect(snapshot.protocol.minReaderVersion).toBe(3);
      expect(snapshot.protocol.readerFeatures).toEqual(["columnMapping", "timestampNtz"]);
      expect(snapshot.files.every((f) => !f.path.startsWith("p="))).toBe(true);
      const plan = planDeltaScan(table);
      const cols = ALL_TYPES.map((f) => `"${f.name}"`).join(", ");
      const scanned = db.query(`SELECT CAST(to_json(t) AS VARCHAR) AS j FROM (SELECT ${cols} FROM (${plan.sql})) t ORDER BY t.id`).rows.map((r) => String(r["j"]));
      expect(scanned).toEqual(expectedRows(sources.join(" UNION ALL ")));
      expect(validateCommitLines(table)).toBeGreaterThan(3 * 3);
    });
  }
});
