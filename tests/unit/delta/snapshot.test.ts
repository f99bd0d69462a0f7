// The Delta facade end to end over corpus tables (and damaged copies of them): the real addon,
// the real log files, DuckDB for Parquet checkpoints and footers.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  countSnapshotRows,
  formatDeltaType,
  loadDeltaHistory,
  loadDeltaSnapshot,
  openDatabase,
  parseTimestamp,
  type Database,
} from "../../../runtime-native/index.js";
import { copyTable, corpusTable, expectNativeError, logFile, tempDir } from "./helpers.js";

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 1 });
});
afterAll(() => db.close());

describe("snapshot facts", () => {
  it("decodes add paths exactly once and points at the files on disk", () => {
    const s = loadDeltaSnapshot(corpusTable("partition-special-chars"));
    expect(s.files.map((f) => [f.path, f.partitionValues["x"]])).toEqual([
      ["x=A%2FA/part-00007-b350e235-2832-45df-9918-6cab4f7578f7.c000.snappy.parquet", "A/A"],
      ["x=B%20B/part-00015-e9abbc6f-85e9-457b-be8e-e9f5b8a22890.c000.snappy.parquet", "B B"],
    ]);
    for (const f of s.files) expect(existsSync(f.absolutePath ?? ""), f.absolutePath ?? "").toBe(true);
    expect(s.files.every((f) => f.stats === null)).toBe(true);
  });

  it("keeps null partition values null", () => {
    const s = loadDeltaSnapshot(corpusTable("partition-null-value"));
    expect(s.files.map((f) => f.partitionValues)).toEqual([{ k: "A" }, { k: null }]);
  });

  it("keys partition values and stats by logical names under column mapping", () => {
    const s = loadDeltaSnapshot(corpusTable("column-mapping-name-partitioned"));
    expect(s.columnMapping).toBe("name");
    expect(s.schema.map((f) => [f.name, f.physicalName, f.fieldId])).toEqual([
      ["Company Very Short", "col-173b4db9-b5ad-427f-9e75-516aae37fbbb", 1],
      ["Super Name", "col-3877fd94-0973-4941-ac6b-646849a1ff65", 2],
    ]);
    expect(s.files.map((f) => f.partitionValues["Company Very Short"]).sort()).toEqual(["BME", "BMS"]);
    expect(s.files.map((f) => f.stats?.minValues)).toContainEqual({ "Super Name": "Anthony Johnson" });
  });

  it("exposes deletion vectors with their cardinality and file", () => {
    const s = loadDeltaSnapshot(corpusTable("dv-small"));
    const dv = s.files[0]?.deletionVector;
    expect(dv).toMatchObject({ storageType: "u", cardinality: 2 });
    expect(existsSync(path.join(s.tableRoot, dv?.path ?? "missing"))).toBe(true);
    expect(countSnapshotRows(s)).toEqual({ numRecords: 8, physicalRows: 10, deletedByDeletionVectors: 2, filesReadFromParquet: 0 });
  });

  it("exposes app transactions, domain metadata and the commit info of the version", () => {
    expect(loadDeltaSnapshot(corpusTable("app-txn-checkpoint")).appTransactions.map((t) => [t.appId, t.version])).toEqual([
      ["my-app", 3],
      ["my-app2", 2],
    ]);
    const clustered = loadDeltaSnapshot(corpusTable("writer-features-clustering"));
    expect(clustered.domainMetadata.map((d) => d.domain)).toEqual(["delta.liquid", "delta.rowTracking"]);
    expect(clustered.commitInfo?.["operation"]).toBeDefined();
  });

  it("renders nested types like the manifest does", () => {
    const s = loadDeltaSnapshot(corpusTable("nested-all-types-struct-stats"));
    const types = s.schema.map((f) => formatDeltaType(f.type));
    expect(types).toContain("struct<struct_element:array<map<string,string>>>");
    expect(types).toContain("decimal(8,5)");
  });

  it("lists only the files asked for; the summary covers all", () => {
    const all = loadDeltaSnapshot(corpusTable("dv-with-checkpoints"));
    const none = loadDeltaSnapshot(corpusTable("dv-with-checkpoints"), { files: "none" });
    expect([none.fileSelection, none.files.length]).toEqual(["none", 0]);
    expect(none.summary).toEqual(all.summary);
    expect(none.summary).toMatchObject({ numFiles: 1, filesWithoutNumRecords: 0, deletedByDeletionVectors: 2 });
    expect(countSnapshotRows(none).numRecords).toBe(98);
    const noStats = loadDeltaSnapshot(corpusTable("versions-with-removes-no-stats"), { files: "none" });
    expectNativeError(() => countSnapshotRows(noStats, { db }), "INVALID_ARGUMENT");
    const missing = loadDeltaSnapshot(corpusTable("versions-with-removes-no-stats"), { files: "withoutNumRecords" });
    expect(countSnapshotRows(missing, { db }).numRecords).toBe(3);
    expectNativeError(() => loadDeltaSnapshot(corpusTable("dv-small"), { files: "some" as "all" }), "INVALID_ARGUMENT");
  });

  it("counts rows from statistics, or from Parquet footers when a file has none", () => {
    const s = loadDeltaSnapshot(corpusTable("versions-with-removes-no-stats"));
    expectNativeError(() => countSnapshotRows(s), "INVALID_ARGUMENT");
    expect(countSnapshotRows(s, { db })).toMatchObject({ numRecords: 3, filesReadFromParquet: s.files.length });
  });
});

describe("time travel and history", () => {
  const ict = corpusTable("cdf-in-commit-timestamps");

  it("uses in-commit timestamps, not file times or commitInfo.timestamp", () => {
    expect(loadDeltaSnapshot(ict, { version: 1 }).timestamp).toBe(1683874206883);
    expect(loadDeltaSnapshot(ict, { timestamp: 1783874212175 }).version).toBe(2);
    expect(loadDeltaSnapshot(ict, { timestamp: new Date(1783874213881) }).version).toBe(3);
    expect(loadDeltaSnapshot(ict, { timestamp: "2026-07-12T16:36:53.881Z" }).version).toBe(3);
    const err = expectNativeError(() => loadDeltaSnapshot(ict, { timestamp: 1683874206882 }), "DELTA_TIMESTAMP_OUT_OF_RANGE");
    expect(err.details?.["earliest"]).toBe("1683874206883");
  });

  it("lists the history newest first", () => {
    const h = loadDeltaHistory(ict);
    expect(h.entries.map((e) => [e.version, e.timestamp, e.inCommitTimestamp, e.commitInfo?.["operation"]])).toEqual([
      [3, 1783874213881, true, "UPDATE"],
      [2, 1783874212175, true, "DELETE"],
      [1, 1683874206883, true, "WRITE"],
      [0, 1783874203271, true, "CREATE OR REPLACE TABLE"],
    ]);
    expect(loadDeltaHistory(ict, { limit: 1 }).entries).toHaveLength(1);
  });

  it("refuses versions that do not exist and bad options", () => {
    const err = expectNativeError(() => loadDeltaSnapshot(ict, { version: 9 }), "DELTA_VERSION_NOT_FOUND");
    expect(err.details).toMatchObject({ version: "9", latest: "3" });
    expectNativeError(() => loadDeltaSnapshot(ict, { version: -1 }), "INVALID_ARGUMENT");
    expectNativeError(() => loadDeltaSnapshot(ict, { version: 1, timestamp: 1 }), "INVALID_ARGUMENT");
    expectNativeError(() => loadDeltaSnapshot(ict, { timestamp: "yesterday" }), "INVALID_ARGUMENT");
    expectNativeError(() => loadDeltaHistory(ict, { limit: 1.5 }), "INVALID_ARGUMENT");
  });

  it("parses timestamps as UTC unless they carry an offset", () => {
    expect(parseTimestamp("1970-01-01")).toBe(0);
    expect(parseTimestamp("1970-01-01 00:00:01")).toBe(1000);
    expect(parseTimestamp("1970-01-01T01:00:00+01:00")).toBe(0);
    expect(parseTimestamp("1500")).toBe(1500);
  });
});

describe("damaged tables: a clear error or a correct recovery, never wrong data", () => {
  it("no such directory, or a directory without a log, is not a table", () => {
    expectNativeError(() => loadDeltaSnapshot("/nonexistent/table"), "DELTA_TABLE_NOT_FOUND");
    expectNativeError(() => loadDeltaSnapshot(tempDir()), "DELTA_TABLE_NOT_FOUND");
  });

  it("a truncated commit names its version and line", () => {
    const table = copyTable("log-unknown-fields");
    const text = readFileSync(logFile(table, 5), "utf8");
    writeFileSync(logFile(table, 5), text.slice(0, text.length - 40));
    const err = expectNativeError(() => loadDeltaSnapshot(table), "DELTA_LOG_CORRUPT");
    expect(err.details).toMatchObject({ version: "5", line: "3" });
    // Earlier versions stay readable.
    expect(loadDeltaSnapshot(table, { version: 4 }).version).toBe(4);
  });

  it("a gap in versions is an error naming the missing version", () => {
    const table = copyTable("cdf-partitioned");
    rmSync(logFile(table, 2));
    const err = expectNativeError(() => loadDeltaSnapshot(table), "DELTA_LOG_INCOMPLETE");
    expect(err.details?.["missingVersion"]).toBe("2");
  });

  it("a missing checkpoint part falls back to the commits", () => {
    const table = copyTable("checkpoint-multipart-partitioned");
    rmSync(path.join(table, "_delta_log", "00000000000000000005.checkpoint.0000000002.0000000003.parquet"));
    const s = loadDeltaSnapshot(table);
    expect(s.logSegment.checkpointVersion).toBeNull();
    expect(s.warnings.join("\n")).toMatch(/incomplete 3-part checkpoint at version 5/);
    expect(countSnapshotRows(s, { db, fromParquet: true }).numRecords).toBe(5);
  });

  it("a missing sidecar falls back to an older checkpoint", () => {
    const table = copyTable("checkpoint-v2-parquet-sidecars");
    rmSync(path.join(table, "_delta_log", "_sidecars", "00000000000000000006.checkpoint.0000000002.0000000002.4367b29c-0e87-447f-8e81-9814cc01ad1f.parquet"));
    const s = loadDeltaSnapshot(table);
    expect(s.logSegment.checkpointVersion).toBe(5);
    expect(s.warnings.join("\n")).toMatch(/could not use the v2-parquet checkpoint at version 6/);
    expect(countSnapshotRows(s, { db, fromParquet: true }).numRecords).toBe(1233);
  });

  it("a dangling _last_checkpoint is ignored with a warning", () => {
    const table = copyTable("checkpoint-classic");
    writeFileSync(path.join(table, "_delta_log", "_last_checkpoint"), '{"version":7,"size":3}');
    const s = loadDeltaSnapshot(table);
    expect([s.version, s.logSegment.checkpointVersion]).toEqual([10, 10]);
    expect(s.warnings.join("\n")).toMatch(/points to version 7/);
  });

  it("a vanished data file is an error when rows are counted", () => {
    const table = copyTable("append-single-file");
    const s = loadDeltaSnapshot(table);
    rmSync(s.files[0]?.absolutePath ?? "");
    expectNativeError(() => countSnapshotRows(s, { db, fromParquet: true }), "STORAGE_NOT_FOUND");
  });

  it("an unknown reader feature is refused by name, at every version that needs it", () => {
    const err = expectNativeError(() => loadDeltaSnapshot(corpusTable("reject-unknown-reader-feature")), "DELTA_UNSUPPORTED_FEATURE");
    expect(err.details).toMatchObject({ features: "blahabl", kind: "reader", minReaderVersion: "5" });
  });
});
