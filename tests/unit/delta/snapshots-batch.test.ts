// observeDeltaTables and the summary read of checkpoints, against every table of the shared
// corpus (Spark, delta-rs and kernel checkpoints: classic, multi-part, V2 with sidecars, struct
// stats, deletion vectors, stale _last_checkpoint): a snapshot loaded with `files: "none"` or
// `"withoutNumRecords"` (checkpoints read only for metadata and file totals) states exactly
// what the full load states, the batch states what one snapshot per table states (errors
// included, in order; of the app transactions those of the newest commit), and the history
// reads the same as from a full replay.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import {
  appendToDeltaTable,
  createDeltaTable,
  loadDeltaHistory,
  loadDeltaSnapshot,
  NativeError,
  observeDeltaTables,
  type DeltaSnapshot,
  type DeltaTableSummary,
} from "../../../runtime-native/index.js";
import { CORPUS, corpusTable, expectNativeError, tempDir } from "./helpers.js";

const TABLES = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

function load(table: string, files: "all" | "none" | "withoutNumRecords"): DeltaSnapshot | NativeError {
  try {
    return loadDeltaSnapshot(corpusTable(table), { files });
  } catch (error) {
    if (error instanceof NativeError) return error;
    throw error;
  }
}

/** Everything a snapshot states besides its file list. */
function statement(s: DeltaSnapshot): Omit<DeltaSnapshot, "files" | "fileSelection"> {
  const { files: _files, fileSelection: _selection, ...rest } = s;
  return rest;
}

describe("summary snapshots (checkpoints read for metadata and file totals only)", () => {
  it.each(TABLES)("%s: the same statement, totals and unknown-count files as the full load", (table) => {
    const full = load(table, "all");
    for (const files of ["none", "withoutNumRecords"] as const) {
      const summary = load(table, files);
      if (full instanceof NativeError) {
        expect(summary).toBeInstanceOf(NativeError);
        expect((summary as NativeError).code).toBe(full.code);
        continue;
      }
      if (summary instanceof NativeError) throw summary;
      expect(statement(summary)).toEqual(statement(full));
      expect(summary.fileSelection).toBe(files);
      const unknown = full.files.filter((f) => f.stats?.numRecords === undefined);
      expect(summary.files).toEqual(files === "none" ? [] : unknown);
    }
  });

  it("the corpus has what this test is for", () => {
    const summaries = TABLES.map((t) => load(t, "all")).filter((s): s is DeltaSnapshot => !(s instanceof NativeError));
    const kinds = new Set(summaries.map((s) => s.logSegment.checkpointKind).filter((k) => k !== null));
    expect([...kinds].sort()).toEqual(["classic", "multi-part", "v2-json", "v2-parquet"]);
    expect(summaries.some((s) => s.summary.deletedByDeletionVectors > 0 && s.logSegment.checkpointVersion !== null)).toBe(true);
    expect(summaries.some((s) => s.summary.filesWithoutNumRecords > 0)).toBe(true);
  });
});

/** The txn actions of the commit file of `version`, or null when it is gone. */
function txnsInCommitFile(table: string, version: number): { appId: string; version: number; lastUpdated?: number }[] | null {
  const file = path.join(table, "_delta_log", `${String(version).padStart(20, "0")}.json`);
  if (!existsSync(file)) return null;
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { txn?: { appId: string; version: number; lastUpdated?: number } })
    .flatMap((a) => (a.txn === undefined ? [] : [a.txn]));
}

describe("observeDeltaTables", () => {
  it("returns, in order, what one snapshot per table states — the newest commit's txns, errors as values", () => {
    const missing = path.join(tempDir(), "nothing-here");
    const paths = [...TABLES.map(corpusTable), missing, corpusTable(TABLES[0] as string)];
    for (const options of [{}, { threads: 1 }, { threads: 3 }]) {
      const results = observeDeltaTables(paths, { files: "withoutNumRecords", ...options });
      expect(results.map((r) => r.tablePath)).toEqual(paths);
      results.forEach((result, i) => {
        const table = paths[i] as string;
        let single: DeltaSnapshot | NativeError;
        try {
          single = loadDeltaSnapshot(table, { files: "withoutNumRecords" });
        } catch (error) {
          single = error as NativeError;
        }
        if (single instanceof NativeError) {
          expect(result.table).toBeNull();
          expect(result.error).toBeInstanceOf(NativeError);
          expect([result.error?.code, result.error?.message, result.error?.details]).toEqual([single.code, single.message, single.details]);
          return;
        }
        expect(result.error).toBeNull();
        const { schema: _schema, columnMapping: _mapping, appTransactions, ...stated } = single;
        const { commitTxns, ...summary } = result.table as DeltaTableSummary;
        expect(summary).toEqual(stated);
        // Those the commit file of the version holds (null when it is gone); each is the table's latest for its app.
        const pairs = (txns: readonly { appId: string; version: number }[] | null) => txns?.map((t) => [t.appId, t.version]) ?? null;
        expect(pairs(commitTxns)).toEqual(pairs(txnsInCommitFile(table, single.version)));
        for (const txn of commitTxns ?? []) expect(appTransactions).toContainEqual(txn);
      });
    }
    expect(observeDeltaTables([missing])[0]?.error?.code).toBe("DELTA_TABLE_NOT_FOUND");
    expect(observeDeltaTables([])).toEqual([]);
  });

  it("defaults to files: none and refuses bad options", () => {
    const [first] = observeDeltaTables([corpusTable("checkpoint-classic")]);
    expect(first?.table?.fileSelection).toBe("none");
    expect(first?.table?.files).toEqual([]);
    expectNativeError(() => observeDeltaTables([corpusTable("checkpoint-classic")], { threads: 0 }), "INVALID_ARGUMENT");
    expectNativeError(() => observeDeltaTables([corpusTable("checkpoint-classic")], { files: "all" as "none" }), "INVALID_ARGUMENT");
  });

  it("the newest commit's txns: what cpgc's own commits record, with the table's version", () => {
    const table = path.join(tempDir(), "t");
    createDeltaTable(table, { schema: [{ name: "id", type: "long" }], configuration: { "delta.checkpointInterval": "2" } }, { commit: { txn: { appId: "cpgc:p0", version: 0 } } });
    for (let i = 1; i <= 4; i++) appendToDeltaTable(table, { sql: `SELECT ${i}::BIGINT AS id` }, { commit: { txn: { appId: `cpgc:p${i}`, version: i } } });
    const [observed] = observeDeltaTables([table]);
    expect(observed?.table?.logSegment.checkpointVersion).toBe(4);
    expect(observed?.table?.commitTxns).toEqual([{ appId: "cpgc:p4", version: 4, lastUpdated: expect.any(Number) }]);
    expect(observed?.table?.summary).toMatchObject({ numFiles: 4, numRecords: 4 });
    expect(loadDeltaSnapshot(table, { files: "none" }).appTransactions.map((t) => t.appId)).toEqual(["cpgc:p0", "cpgc:p1", "cpgc:p2", "cpgc:p3", "cpgc:p4"]);
  });
});

describe("history without replaying file actions", () => {
  it.each(TABLES)("%s: newest first, with in-commit timestamps where the latest metadata enables them", (table) => {
    const full = load(table, "all");
    let history;
    try {
      history = loadDeltaHistory(corpusTable(table));
    } catch (error) {
      // A table the reader refuses by feature still has a readable history.
      expect(full).toBeInstanceOf(NativeError);
      throw error;
    }
    const entries = history.entries;
    expect(entries.map((e) => e.version)).toEqual([...entries.map((e) => e.version)].sort((a, b) => b - a));
    if (full instanceof NativeError) return;
    expect(entries[0]?.version).toBe(full.version);
    const ict = full.metadata.configuration["delta.enableInCommitTimestamps"] === "true";
    if (!ict) expect(entries.every((e) => !e.inCommitTimestamp)).toBe(true);
    else expect(entries[0]?.inCommitTimestamp).toBe(true);
    expect(loadDeltaHistory(corpusTable(table), { limit: 2 }).entries).toEqual(entries.slice(0, 2));
  });
});
