// The facade of the one-commit table actions `cpgc apply` needs: create with data (CTAS),
// updateDeltaTable (schema + partitioning + properties + features + write), bloomFilterFpp,
// and cleanupUntrackedFiles.
import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  appendToDeltaTable,
  cleanupUntrackedFiles,
  cpgcStateDomain,
  createDeltaTable,
  deltaSchemaString,
  getCpgcState,
  loadDeltaHistory,
  loadDeltaSnapshot,
  openDatabase,
  scanDeltaTable,
  updateDeltaTable,
  type Database,
  type DeltaFieldSpec,
} from "../../runtime-native/index.js";
import { expectNativeError, logFile, tempDir } from "./delta/helpers.js";
import { validateCommitLines } from "./delta/write-helpers.js";

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 1 });
});
afterAll(() => db.close());

const FIELDS: DeltaFieldSpec[] = [
  { name: "id", type: "long", nullable: false },
  { name: "name", type: "string" },
  { name: "p", type: "string" },
];
const ROWS = "SELECT range AS id, 'n' || range AS name, CASE WHEN range < 2 THEN 'a' ELSE 'b' END AS p FROM range(4)";

/** A table partitioned by p holding ROWS in version 0. */
function created(configuration: Record<string, string> = {}): string {
  const t = path.join(tempDir(), "t");
  createDeltaTable(t, { schema: FIELDS, partitionColumns: ["p"], configuration, data: { source: { sql: ROWS } } });
  return t;
}

/** The action kinds of commit `version`, in order. */
function kinds(table: string, version: number): string[] {
  return readFileSync(logFile(table, version), "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => Object.keys(JSON.parse(l) as object)[0] ?? "");
}

const scan = (t: string, columns: string[]): unknown[][] =>
  scanDeltaTable(db, t, { columns }).rows
    .map((r) => columns.map((c) => r[c]))
    .sort((a, b) => String(a[0]).localeCompare(String(b[0]), "en", { numeric: true }));

describe("createDeltaTable with data", () => {
  it("writes protocol, metaData, the rows, cpgc state and txn as version 0; a resumed create is skipped", () => {
    const t = path.join(tempDir(), "ctas");
    const commit = { txn: { appId: "cpgc", version: 1 }, domainMetadata: [cpgcStateDomain({ spec_hash: "s1" })], metadata: { run_id: "r1" } };
    const r = createDeltaTable(t, { schema: FIELDS, partitionColumns: ["p"], data: { source: { sql: ROWS }, policy: { compression: "snappy" } } }, { commit });
    expect(r).toMatchObject({ version: 0, operation: "CREATE TABLE AS SELECT", skipped: false, addedFiles: 2, numAddedRecords: 4 });
    expect(kinds(t, 0)).toEqual(["commitInfo", "protocol", "metaData", "txn", "domainMetadata", "add", "add"]);
    expect(loadDeltaHistory(t).entries[0]?.commitInfo).toMatchObject({ operation: "CREATE TABLE AS SELECT", operationParameters: { mode: "ErrorIfExists" }, cpgc: { run_id: "r1" } });
    const s = loadDeltaSnapshot(t);
    expect(getCpgcState(s)).toEqual({ spec_hash: "s1" });
    expect(scan(t, ["id", "name", "p"])).toEqual([
      [0, "n0", "a"],
      [1, "n1", "a"],
      [2, "n2", "b"],
      [3, "n3", "b"],
    ]);
    expect(createDeltaTable(t, { schema: FIELDS, data: { source: { sql: ROWS } } }, { commit })).toMatchObject({ skipped: true, version: 0 });
    expectNativeError(() => createDeltaTable(t, { schema: FIELDS, data: { source: { sql: ROWS } } }, { commit: { txn: { appId: "cpgc", version: 2 } } }), "DELTA_TABLE_EXISTS");
    validateCommitLines(t);
  });
});

describe("updateDeltaTable", () => {
  it("a type change, a drop and new partitioning need the overwrite, then commit with it as one version", () => {
    const t = created();
    const fields: DeltaFieldSpec[] = [
      { name: "id", type: "string", nullable: false },
      { name: "p", type: "string" },
      { name: "score", type: "double", nullable: false },
    ];
    const change = { schema: { schemaString: deltaSchemaString(fields) }, partitionColumns: [] };
    const refused = expectNativeError(() => updateDeltaTable(t, change), "DELTA_OPERATION_NOT_ALLOWED");
    expect(refused.details).toMatchObject({ reason: "schemaChange", change: "type", column: "id" });
    const r = updateDeltaTable(
      t,
      { ...change, write: { mode: "overwrite", source: { sql: "SELECT 'x' || range AS id, 'c' AS p, range * 0.5 AS score FROM range(2)" } } },
      { commit: { domainMetadata: [cpgcStateDomain({ spec_hash: "s2" })], txn: { appId: "cpgc", version: 2 } } },
    );
    expect(r).toMatchObject({ version: 1, operation: "WRITE", removedFiles: 2, addedFiles: 1, numAddedRecords: 2 });
    const s = loadDeltaSnapshot(t);
    expect(s.schema.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ["id", "string", false],
      ["p", "string", true],
      ["score", "double", false],
    ]);
    expect(s.metadata.partitionColumns).toEqual([]);
    expect(getCpgcState(s)).toEqual({ spec_hash: "s2" });
    expect(scan(t, ["id", "p", "score"])).toEqual([
      ["x0", "c", 0],
      ["x1", "c", 0.5],
    ]);
    expect(loadDeltaHistory(t).entries[0]?.commitInfo).toMatchObject({ operationParameters: { droppedColumns: '["name"]', retypedColumns: '["id"]', addedColumns: '["score"]' } });
    validateCommitLines(t);
  });

  it("renames under column mapping are metadata-only and read under the new name; without mapping they are refused", () => {
    const renamed = deltaSchemaString([FIELDS[0] as DeltaFieldSpec, { name: "label", type: "string" }, FIELDS[2] as DeltaFieldSpec]);
    const plain = created();
    const e = expectNativeError(() => updateDeltaTable(plain, { schema: { schemaString: renamed, renames: { label: "name" } } }), "DELTA_OPERATION_NOT_ALLOWED");
    expect(e.details).toMatchObject({ reason: "schemaChange", change: "rename", column: "name" });
    expect(e.message).toContain("column mapping");

    const mapped = created({ "delta.columnMapping.mode": "name" });
    const before = loadDeltaSnapshot(mapped).schema.find((f) => f.name === "name");
    const r = updateDeltaTable(mapped, { schema: { schemaString: renamed, renames: { label: "name" } } });
    expect(r).toMatchObject({ version: 1, operation: "REPLACE COLUMNS", addedFiles: 0 });
    expect(kinds(mapped, 1)).toEqual(["commitInfo", "metaData"]);
    const label = loadDeltaSnapshot(mapped).schema.find((f) => f.name === "label");
    expect([label?.physicalName, label?.fieldId]).toEqual([before?.physicalName, before?.fieldId]);
    expect(scan(mapped, ["id", "label"])).toEqual([
      [0, "n0"],
      [1, "n1"],
      [2, "n2"],
      [3, "n3"],
    ]);
  });

  it("enables column mapping on an existing table (physical names = logical names) together with properties, features and an append", () => {
    const t = created();
    const r = updateDeltaTable(t, {
      set: { "delta.columnMapping.mode": "name", "delta.enableChangeDataFeed": "true" },
      features: ["domainMetadata"],
      schema: { schemaString: deltaSchemaString([...FIELDS, { name: "note", type: "string" }]) },
      write: { mode: "append", source: { sql: "SELECT 9 AS id, 'nine' AS name, 'a' AS p, 'new' AS note" } },
    });
    expect(r).toMatchObject({ version: 1, operation: "WRITE", addedFiles: 1 });
    const s = loadDeltaSnapshot(t);
    expect(s.columnMapping).toBe("name");
    expect(s.protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7 });
    expect(s.protocol.writerFeatures).toEqual(expect.arrayContaining(["columnMapping", "changeDataFeed", "domainMetadata"]));
    expect(s.schema.map((f) => f.physicalName)).toEqual(["id", "name", "p", expect.stringMatching(/^col-/)]);
    expect(s.metadata.configuration["delta.columnMapping.maxColumnId"]).toBe("4");
    expect(scan(t, ["id", "name", "note"])).toEqual([
      [0, "n0", null],
      [1, "n1", null],
      [2, "n2", null],
      [3, "n3", null],
      [9, "nine", "new"],
    ]);
    expectNativeError(() => updateDeltaTable(t, { set: { "delta.columnMapping.mode": "id" } }), "DELTA_OPERATION_NOT_ALLOWED");
    validateCommitLines(t);
  });

  it("an update that changes nothing writes only its commit options", () => {
    const t = created();
    const r = updateDeltaTable(t, { schema: { schemaString: deltaSchemaString(FIELDS) }, partitionColumns: ["p"] }, { commit: { txn: { appId: "cpgc", version: 5 } } });
    expect(r).toMatchObject({ version: 1, operation: "UPDATE" });
    expect(kinds(t, 1)).toEqual(["commitInfo", "txn"]);
    expect(updateDeltaTable(t, {}, { commit: { txn: { appId: "cpgc", version: 5 } } })).toMatchObject({ skipped: true, version: 1 });
  });
});

describe("write policy: bloomFilterFpp", () => {
  it("reaches DuckDB's BLOOM_FILTER_FALSE_POSITIVE_RATIO; out of range is INVALID_ARGUMENT", () => {
    const t = path.join(tempDir(), "bloom");
    const source = { sql: "SELECT (range % 3000)::VARCHAR AS s FROM range(20000)" };
    const length = (fpp: number): number => {
      const dir = path.join(t, String(fpp));
      createDeltaTable(dir, { schema: [{ name: "s", type: "string" }], data: { source, policy: { bloomFilterFpp: fpp } } });
      const file = loadDeltaSnapshot(dir).files[0]?.absolutePath ?? "";
      return Number(db.query(`SELECT bloom_filter_length AS n FROM parquet_metadata('${file}')`).rows[0]?.["n"]);
    };
    expect(length(0.001)).toBeGreaterThan(length(0.3));
    const e = expectNativeError(() => appendToDeltaTable(path.join(t, "0.3"), source, { policy: { bloomFilterFpp: 1 } }), "INVALID_ARGUMENT");
    expect(e.details).toMatchObject({ option: "bloomFilterFpp" });
    expectNativeError(() => appendToDeltaTable(path.join(t, "0.3"), source, { policy: { bloomFilterColumns: ["s"] } }), "DELTA_UNSUPPORTED_SETTING");
  });
});

describe("cleanupUntrackedFiles", () => {
  it("deletes files no commit names (dry run first), keeps every logged file and hidden ones", () => {
    const t = created({ "delta.enableChangeDataFeed": "true" });
    updateDeltaTable(t, { write: { mode: "replaceWhere", predicate: "id = 1", source: { sql: "SELECT 10 AS id, 'ten' AS name, 'a' AS p" } } });
    updateDeltaTable(t, { write: { mode: "overwrite", source: { sql: "SELECT 20 AS id, 'x' AS name, 'c' AS p" } } });
    const logged = loadDeltaSnapshot(t, { version: 0 }).files[0]?.absolutePath ?? "";
    const strays = ["_change_data/p=a/cdc-stray.parquet", "_cpgc_staging_dead/p=a/x.parquet", "p=a/part-stray.parquet"];
    for (const rel of [...strays, ".hidden/y.parquet", "_other/y.parquet"]) {
      mkdirSync(path.dirname(path.join(t, rel)), { recursive: true });
      copyFileSync(logged, path.join(t, rel));
    }
    expect(cleanupUntrackedFiles(t, { dryRun: true })).toEqual({ dryRun: true, files: strays });
    expect(strays.every((rel) => existsSync(path.join(t, rel)))).toBe(true);
    expect(cleanupUntrackedFiles(t)).toEqual({ dryRun: false, files: strays });
    expect(strays.some((rel) => existsSync(path.join(t, rel)))).toBe(false);
    expect(existsSync(path.join(t, ".hidden/y.parquet")) && existsSync(path.join(t, "_other/y.parquet"))).toBe(true);
    // Time travel still reads every version.
    expect(scanDeltaTable(db, t, { version: 1, columns: ["id"] }).rows.map((r) => r["id"]).sort((a, b) => Number(a) - Number(b))).toEqual([0, 2, 3, 10]);
    expect(cleanupUntrackedFiles(t).files).toEqual([]);
  });

  it("minAgeMs keeps recent files; a negative one is INVALID_ARGUMENT", () => {
    const t = created();
    writeFileSync(path.join(t, "p=a", "recent.parquet"), "x");
    writeFileSync(path.join(t, "p=b", "old.parquet"), "x");
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    utimesSync(path.join(t, "p=b", "old.parquet"), twoHoursAgo, twoHoursAgo);
    expect(cleanupUntrackedFiles(t, { minAgeMs: 3_600_000 }).files).toEqual(["p=b/old.parquet"]);
    expect(existsSync(path.join(t, "p=a", "recent.parquet"))).toBe(true);
    expectNativeError(() => cleanupUntrackedFiles(t, { minAgeMs: -1 }), "INVALID_ARGUMENT");
    expectNativeError(() => cleanupUntrackedFiles(path.join(tempDir(), "none")), "DELTA_TABLE_NOT_FOUND");
  });
});
