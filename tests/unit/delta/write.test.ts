// Delta write operations through the facade: each one commit, with its errors as coded NativeErrors.
import { copyFileSync, existsSync, utimesSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import {
  addDeltaTableColumns,
  appendToDeltaTable,
  checkpointDeltaTable,
  cpgcStateDomain,
  createDeltaTable,
  enableDeltaTableFeatures,
  getCpgcState,
  loadDeltaHistory,
  loadDeltaSnapshot,
  openDatabase,
  overwriteDeltaTable,
  replaceWhereDeltaTable,
  setDeltaDomainMetadata,
  setDeltaTableProperties,
  vacuumDeltaTable,
} from "../../../runtime-native/index.js";
import { expectNativeError, tempDir } from "./helpers.js";
import { validateCommitLines } from "./write-helpers.js";

const SCHEMA = [
  { name: "id", type: "long" },
  { name: "p", type: "string" },
];

function table(): string {
  const t = path.join(tempDir(), "t");
  createDeltaTable(t, { schema: SCHEMA, partitionColumns: ["p"] });
  return t;
}

const ids = (t: string): number[] => {
  const db = openDatabase({ threads: 1 });
  try {
    const s = loadDeltaSnapshot(t);
    if (s.files.length === 0) return [];
    const files = s.files.map((f) => `'${f.absolutePath ?? ""}'`).join(", ");
    return db.query(`SELECT id FROM read_parquet([${files}], hive_partitioning = false) ORDER BY id`).rows.map((r) => Number(r["id"]));
  } finally {
    db.close();
  }
};

describe("delta write operations", () => {
  it("create picks the smallest protocol; a second create is DELTA_TABLE_EXISTS", () => {
    const t = table();
    expect(loadDeltaSnapshot(t).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 2 });
    expectNativeError(() => createDeltaTable(t, { schema: SCHEMA }), "DELTA_TABLE_EXISTS");
    const cdf = path.join(tempDir(), "cdf");
    createDeltaTable(cdf, { schema: SCHEMA, configuration: { "delta.enableChangeDataFeed": "true" } });
    expect(loadDeltaSnapshot(cdf).protocol).toEqual({ minReaderVersion: 1, minWriterVersion: 4 });
  });

  it("append records commitInfo provenance, and a txn makes a resumed apply skip", () => {
    const t = table();
    const commit = { metadata: { run_id: "r1", plan_id: "p1" }, txn: { appId: "cpgc", version: 1 } };
    const first = appendToDeltaTable(t, { sql: "SELECT range AS id, 'a' AS p FROM range(3)" }, { commit });
    expect(first).toMatchObject({ version: 1, skipped: false, addedFiles: 1, numAddedRecords: 3 });
    const again = appendToDeltaTable(t, { sql: "SELECT 99 AS id, 'a' AS p" }, { commit });
    expect(again).toMatchObject({ version: 1, skipped: true });
    const info = loadDeltaHistory(t).entries[0]?.commitInfo as Record<string, unknown>;
    expect(info).toMatchObject({ operation: "WRITE", operationParameters: { mode: "Append" }, readVersion: 0, isBlindAppend: true, cpgc: { run_id: "r1", plan_id: "p1" } });
    expect(String(info["engineInfo"])).toMatch(/^cpgc\/\d+\.\d+\.\d+/);
    expect(loadDeltaSnapshot(t).appTransactions).toMatchObject([{ appId: "cpgc", version: 1 }]);
  });

  it("overwrite removes and adds in one commit; replace where rewrites only affected files", () => {
    const t = table();
    appendToDeltaTable(t, { sql: "SELECT range AS id, CASE WHEN range < 5 THEN 'a' ELSE 'b' END AS p FROM range(10)" });
    const r = replaceWhereDeltaTable(t, "id % 2 = 0 AND p = 'a'", { sql: "SELECT 100 AS id, 'a' AS p" });
    expect(r).toMatchObject({ version: 2, removedFiles: 1, addedFiles: 2 });
    expect(ids(t)).toEqual([1, 3, 5, 6, 7, 8, 9, 100]);
    const o = overwriteDeltaTable(t, { sql: "SELECT 7 AS id, NULL AS p" });
    expect(o).toMatchObject({ version: 3, removedFiles: 3, addedFiles: 1 });
    expect(ids(t)).toEqual([7]);
    expect(loadDeltaSnapshot(t).files[0]?.partitionValues).toEqual({ p: null });
    validateCommitLines(t);
  });

  it("source SQL can run in a caller's database session", () => {
    const t = table();
    const db = openDatabase({ threads: 1 });
    try {
      db.query("CREATE TABLE staged AS SELECT 42 AS id, 'z' AS p");
      expect(appendToDeltaTable(t, { sql: "SELECT * FROM staged" }, { db }).numAddedRecords).toBe(1);
    } finally {
      db.close();
    }
  });

  it("properties, add columns, features and cpgc domain state", () => {
    const t = table();
    setDeltaTableProperties(t, { set: { "delta.appendOnly": "true", "cpgc.owner": "me" } });
    let s = loadDeltaSnapshot(t);
    expect(s.metadata.configuration).toMatchObject({ "delta.appendOnly": "true", "cpgc.owner": "me" });
    expectNativeError(() => overwriteDeltaTable(t, { sql: "SELECT 1 AS id, 'a' AS p" }), "DELTA_OPERATION_NOT_ALLOWED");
    setDeltaTableProperties(t, { unset: ["delta.appendOnly"] });
    addDeltaTableColumns(t, [{ name: "extra", type: "timestamp_ntz" }]);
    s = loadDeltaSnapshot(t);
    expect(s.schema.map((f) => f.name)).toEqual(["id", "p", "extra"]);
    expect(s.protocol.minWriterVersion).toBe(7);
    expect(s.protocol.writerFeatures).toEqual(expect.arrayContaining(["appendOnly", "invariants", "timestampNtz"]));
    enableDeltaTableFeatures(t, ["changeDataFeed"]);
    expect(loadDeltaSnapshot(t).protocol.writerFeatures).toContain("changeDataFeed");
    setDeltaDomainMetadata(t, [cpgcStateDomain({ spec_hash: "s1", ast_fingerprint: "a1", policy_hash: "h1", inputs: { src: 3 } })]);
    s = loadDeltaSnapshot(t);
    expect(getCpgcState(s)).toEqual({ ast_fingerprint: "a1", inputs: { src: 3 }, policy_hash: "h1", spec_hash: "s1" });
    expect(s.protocol.writerFeatures).toContain("domainMetadata");
    expectNativeError(() => addDeltaTableColumns(t, [{ name: "id", type: "long" }]), "DELTA_SCHEMA_MISMATCH");
    validateCommitLines(t);
  });

  it("bad input is a coded error, never a silent drop", () => {
    const t = table();
    expectNativeError(() => appendToDeltaTable(t, { sql: "SELECT 1 AS id" }, { policy: { bloomFilterColumns: ["id"] } }), "DELTA_UNSUPPORTED_SETTING");
    expectNativeError(() => appendToDeltaTable(t, { sql: "SELECT 1 AS id" }, { policy: { compression: "snappy", compressionLevel: 3 } }), "DELTA_UNSUPPORTED_SETTING");
    expectNativeError(() => appendToDeltaTable(t, { sql: "SELECT 1 AS id, 2 AS nope" }), "DELTA_SCHEMA_MISMATCH");
    expectNativeError(() => appendToDeltaTable(path.join(tempDir(), "none"), { sql: "SELECT 1 AS id" }), "DELTA_TABLE_NOT_FOUND");
    expect(loadDeltaSnapshot(t).version).toBe(0);
  });

  it("vacuum lists (dry run) and deletes only unreferenced files older than the retention", () => {
    const t = table();
    appendToDeltaTable(t, { sql: "SELECT 1 AS id, 'a' AS p" });
    const old = loadDeltaSnapshot(t).files[0]?.absolutePath ?? "";
    overwriteDeltaTable(t, { sql: "SELECT 2 AS id, 'a' AS p" });
    expectNativeError(() => vacuumDeltaTable(t, { retentionHours: 0 }), "DELTA_OPERATION_NOT_ALLOWED");
    const oldRel = path.relative(t, old);
    // Retention 0: the file the overwrite removed is no longer needed by any retained snapshot.
    expect(vacuumDeltaTable(t, { retentionHours: 0, enforceRetention: false, dryRun: true }).files).toEqual([oldRel]);
    // A file no snapshot references (e.g. left by a killed writer), two hours old.
    const stray = path.join(t, "p=a", "stray.parquet");
    copyFileSync(old, stray);
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    utimesSync(stray, twoHoursAgo, twoHoursAgo);
    // Retention 1 h: the recently removed file is kept (a reader may still time-travel to it).
    const dry = vacuumDeltaTable(t, { retentionHours: 1, enforceRetention: false, dryRun: true });
    expect(dry.files).toEqual(["p=a/stray.parquet"]);
    expect(existsSync(stray)).toBe(true);
    expect(vacuumDeltaTable(t, { retentionHours: 1, enforceRetention: false }).files).toEqual(["p=a/stray.parquet"]);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(old)).toBe(true);
    vacuumDeltaTable(t, { retentionHours: 0, enforceRetention: false });
    expect(existsSync(old)).toBe(false);
    expect(ids(t)).toEqual([2]);
  });

  it("checkpoints carry unexpired remove tombstones with their deletionTimestamp", () => {
    const t = table();
    appendToDeltaTable(t, { sql: "SELECT 1 AS id, 'a' AS p" });
    const removed = loadDeltaSnapshot(t).files[0]?.path ?? "";
    const before = Date.now();
    overwriteDeltaTable(t, { sql: "SELECT 2 AS id, 'a' AS p" });
    appendToDeltaTable(t, { sql: "SELECT 3 AS id, 'b' AS p" });
    const written = checkpointDeltaTable(t);
    expect(written).toMatchObject({ version: 3, addFiles: 2 });
    const db = openDatabase({ threads: 1 });
    try {
      const rows = db.query(`SELECT remove.path AS path, remove.deletionTimestamp AS ts, remove.dataChange AS dc FROM read_parquet('${path.join(t, written.path)}') WHERE remove IS NOT NULL`).rows;
      expect(rows).toHaveLength(1);
      expect(decodeURIComponent(String(rows[0]?.["path"]))).toBe(removed);
      expect(Number(rows[0]?.["ts"])).toBeGreaterThanOrEqual(before - 1000);
      expect(rows[0]?.["dc"]).toBe(false);
    } finally {
      db.close();
    }
    // Read back through the checkpoint: the tombstone is not an active file.
    expect(ids(t)).toEqual([2, 3]);
    expect(loadDeltaSnapshot(t).logSegment.checkpointVersion).toBe(3);
  });
});

