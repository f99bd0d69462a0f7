// The commit option expectedVersion: the staleness check and the commit as one atomic step.
// In-process: a table that moved is refused (DELTA_VERSION_MOVED, details expected/actual) and
// nothing is written; invalid values and a create with it are INVALID_ARGUMENT. With real
// processes: writers that all expect the same version race, exactly one commits, every other
// one fails (never rebases), and no data file of a failed writer stays behind.
import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, createDeltaTable, loadDeltaSnapshot, openDatabase, setDeltaTableProperties, type Database } from "../../../runtime-native/index.js";
import { expectNativeError, tempDir } from "./helpers.js";
import { transpiledFacade } from "./write-helpers.js";

let db: Database;
let worker: string;
beforeAll(() => {
  db = openDatabase({ threads: 1 });
  worker = path.join(tempDir(), "worker.mjs");
  writeFileSync(
    worker,
    `import { appendToDeltaTable } from ${JSON.stringify(transpiledFacade())};
const [table, writer, expected] = process.argv.slice(2);
try {
  const r = appendToDeltaTable(table, { sql: \`SELECT '\${writer}' AS writer, range AS n FROM range(2)\` }, { commit: { expectedVersion: Number(expected) } });
  process.stdout.write(JSON.stringify({ writer, version: r.version, attempts: r.attempts }));
} catch (error) {
  process.stdout.write(JSON.stringify({ writer, code: error.code, details: error.details }));
}
`,
  );
});
afterAll(() => db.close());

const SCHEMA = [
  { name: "writer", type: "string" },
  { name: "n", type: "long" },
];

/** Data files under the table root (relative paths, sorted). */
function dataFiles(table: string): string[] {
  return readdirSync(table, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".parquet") && !f.startsWith("_delta_log"))
    .sort();
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("commit option expectedVersion", () => {
  it("commits on the expected version; a table that moved is DELTA_VERSION_MOVED and nothing is written", () => {
    const table = path.join(tempDir(), "t");
    createDeltaTable(table, { schema: SCHEMA, data: { source: { sql: "SELECT 'a' AS writer, 1::BIGINT AS n" } } }, { db });
    expect(appendToDeltaTable(table, { sql: "SELECT 'b' AS writer, 2::BIGINT AS n" }, { db, commit: { expectedVersion: 0 } }).version).toBe(1);
    const files = dataFiles(table);
    const moved = expectNativeError(() => appendToDeltaTable(table, { sql: "SELECT 'c' AS writer, 3::BIGINT AS n" }, { db, commit: { expectedVersion: 0 } }), "DELTA_VERSION_MOVED");
    expect(moved.details).toEqual({ expected: "0", actual: "1" });
    expect(moved.message).toContain("moved from version 0 to 1");
    expectNativeError(() => setDeltaTableProperties(table, { set: { "cpgc.owner": "x" } }, { commit: { expectedVersion: 3 } }), "DELTA_VERSION_MOVED");
    const snapshot = loadDeltaSnapshot(table, { files: "none" });
    expect(snapshot.version).toBe(1);
    expect(snapshot.metadata.configuration["cpgc.owner"]).toBeUndefined();
    expect(dataFiles(table)).toEqual(files);
  });

  it("a txn already in the table is still skipped (a resumed apply), whatever the version", () => {
    const table = path.join(tempDir(), "t");
    createDeltaTable(table, { schema: SCHEMA });
    const commit = { expectedVersion: 0, txn: { appId: "cpgc:p1", version: 0 } };
    expect(appendToDeltaTable(table, { sql: "SELECT 'a' AS writer, 1::BIGINT AS n" }, { db, commit }).version).toBe(1);
    expect(appendToDeltaTable(table, { sql: "SELECT 'a' AS writer, 1::BIGINT AS n" }, { db, commit })).toMatchObject({ skipped: true, version: 1 });
  });

  it("refuses invalid values, and the option on a create", () => {
    const table = path.join(tempDir(), "t");
    for (const expectedVersion of [-1, 1.5, Number.NaN]) {
      const e = expectNativeError(() => createDeltaTable(table, { schema: SCHEMA }, { commit: { expectedVersion } }), "INVALID_ARGUMENT");
      expect(e.details).toEqual({ option: "expectedVersion" });
    }
    expect(expectNativeError(() => createDeltaTable(table, { schema: SCHEMA }, { commit: { expectedVersion: 0 } }), "INVALID_ARGUMENT").details).toMatchObject({ option: "expectedVersion" });
    expect(readdirSync(table)).toEqual([]);
  });

  it("4 processes expecting version 0: exactly one commits, the others fail without rebasing or leaving files", async () => {
    const table = path.join(tempDir(), "race");
    createDeltaTable(table, { schema: SCHEMA });
    const results = await Promise.all(["w0", "w1", "w2", "w3"].map((w) => run([table, w, "0"])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const reports = results.map((r) => JSON.parse(r.stdout) as { writer: string; version?: number; attempts?: number; code?: string; details?: Record<string, string> });
    const winners = reports.filter((r) => r.version !== undefined);
    expect(winners).toEqual([{ writer: expect.any(String), version: 1, attempts: 1 }]);
    for (const loser of reports.filter((r) => r.version === undefined)) {
      expect(loser.code).toBe("DELTA_VERSION_MOVED");
      expect(loser.details).toEqual({ expected: "0", actual: "1" });
    }
    const snapshot = loadDeltaSnapshot(table);
    expect(snapshot.version).toBe(1);
    // Only the winner's file: the losers' files (written before they lost) were deleted.
    expect(dataFiles(table)).toEqual(snapshot.files.map((f) => f.path).sort());
  });
});
