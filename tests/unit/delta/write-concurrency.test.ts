// Concurrency and crash safety of Delta commits, with real processes: 4 writers × 25 appends
// lose no commit and create no duplicate version; writers killed with SIGKILL at random points
// never leave the table unreadable, and the next writer continues.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

import { createDeltaTable, loadDeltaSnapshot } from "../../../runtime-native/index.js";
import { tempDir } from "./helpers.js";
import { transpiledFacade, validateCommitLines } from "./write-helpers.js";

let facade: string;
let worker: string;
beforeAll(() => {
  facade = transpiledFacade();
  worker = path.join(tempDir(), "worker.mjs");
  writeFileSync(
    worker,
    `import { appendToDeltaTable } from ${JSON.stringify(facade)};
const [table, writer, commits] = process.argv.slice(2);
for (let i = 0; i < Number(commits); i++) {
  const r = appendToDeltaTable(table, { sql: \`SELECT '\${writer}' AS writer, \${i}::BIGINT AS seq, range AS n FROM range(3)\` },
    { commit: { metadata: { run_id: writer }, maxRetries: 1000 } });
  process.stdout.write(JSON.stringify({ writer, seq: i, version: r.version, attempts: r.attempts }) + "\\n");
}
`,
  );
});

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("exit", (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const SCHEMA = [
  { name: "writer", type: "string" },
  { name: "seq", type: "long" },
  { name: "n", type: "long" },
];

describe("concurrent writers", () => {
  it("4 processes × 25 appends: every commit lands exactly once, versions 1..100 without gaps or duplicates", async () => {
    const table = path.join(tempDir(), "concurrent");
    createDeltaTable(table, { schema: SCHEMA, configuration: { "delta.checkpointInterval": "10" } });
    const results = await Promise.all(["w0", "w1", "w2", "w3"].map((w) => run([table, w, "25"])));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const reports = results.flatMap((r) => r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { writer: string; seq: number; version: number; attempts: number }));
    expect(reports).toHaveLength(100);
    expect(new Set(reports.map((r) => r.version)).size).toBe(100);
    expect(reports.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const commits = readdirSync(path.join(table, "_delta_log")).filter((n) => /^\d{20}\.json$/.test(n));
    expect(commits).toHaveLength(101);
    const snapshot = loadDeltaSnapshot(table);
    expect(snapshot.version).toBe(100);
    expect(snapshot.summary.numRecords).toBe(300);
    expect(snapshot.files).toHaveLength(100);
    // Every (writer, seq) committed once: the commit metadata says who wrote each version.
    const seen = new Set<string>();
    for (let v = 1; v <= 100; v++) {
      const info = JSON.parse(readFileSync(path.join(table, "_delta_log", `${String(v).padStart(20, "0")}.json`), "utf8").split("\n")[0] ?? "{}") as { commitInfo: { cpgc: { run_id: string }; readVersion: number } };
      seen.add(`${info.commitInfo.cpgc.run_id}`);
    }
    expect(seen).toEqual(new Set(["w0", "w1", "w2", "w3"]));
    expect(validateCommitLines(table)).toBe(3 + 100 * 2);
  }, 240_000);

  it("writers killed by SIGKILL at random points never leave the table unreadable; the next writer continues", async () => {
    const table = path.join(tempDir(), "killed");
    createDeltaTable(table, { schema: SCHEMA, configuration: { "delta.checkpointInterval": "3" } });
    let completed = 0;
    for (let round = 0; round < 8; round++) {
      const r = await run([table, `k${round}`, "50"], 150 + Math.floor(Math.random() * 400));
      completed += r.stdout.trim() === "" ? 0 : r.stdout.trim().split("\n").length;
      const snapshot = loadDeltaSnapshot(table);
      // Readable, and every committed version is a whole commit (3 rows per append).
      expect(snapshot.summary.numRecords).toBe(snapshot.version * 3);
    }
    const before = loadDeltaSnapshot(table).version;
    expect(before).toBeGreaterThanOrEqual(completed);
    const r = await run([table, "final", "2"]);
    expect(r.code, r.stderr).toBe(0);
    const after = loadDeltaSnapshot(table);
    expect(after.version).toBe(before + 2);
    expect(after.summary.numRecords).toBe(after.version * 3);
    validateCommitLines(table);
  }, 240_000);
});
