#!/usr/bin/env node
// Write overhead of cpgc Delta appends vs DuckDB's own COPY ... TO parquet of the same rows.
//
//   node bench/delta-write-bench.js [--rows 2000000] [--runs 5] [--partitioned]
//
// Both run the same SQL in the same DuckDB session (threads = all cores), zstd compression.
// The append includes everything a commit does: projection/casts to the table schema, the
// COPY with RETURN_STATS, stats JSON, the commit (put-if-absent) and the snapshot load that
// precedes it. Prints JSON; target: append median ≤ 1.15 × COPY median.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { median } from "./common.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const rows = opt("rows", 2_000_000);
const runs = opt("runs", 5);
const partitioned = args.includes("--partitioned");

// The facade is TypeScript; transpile it (inside the project so the addon is found).
const out = path.join(ROOT, "node_modules/.cache/cpgc-delta-write-bench");
for (const rel of ["runtime-native/index.ts", ...readdirSync(path.join(ROOT, "runtime-native/ts")).filter((n) => n.endsWith(".ts")).map((n) => `runtime-native/ts/${n}`)]) {
  const js = ts.transpileModule(readFileSync(path.join(ROOT, rel), "utf8"), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  const target = path.join(out, rel.replace(/\.ts$/, ".js"));
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, js);
}
const native = await import(pathToFileURL(path.join(out, "runtime-native/index.js")).href);

const sql = `SELECT range AS id, 'name ' || (range % 1000) AS name, range * 0.5 AS score, (range % 7)::INTEGER AS bucket,
  TIMESTAMP '2024-01-01' + to_microseconds(range) AS ts, ${partitioned ? "'p' || (range % 4)" : "'x'"} AS part FROM range(${rows})`;
const schema = [
  { name: "id", type: "long" },
  { name: "name", type: "string" },
  { name: "score", type: "decimal(21,1)" },
  { name: "bucket", type: "integer" },
  { name: "ts", type: "timestamp_ntz" },
  { name: "part", type: "string" },
];

const dir = mkdtempSync(path.join(tmpdir(), "cpgc-write-bench-"));
const db = native.openDatabase();
try {
  db.query(`CREATE TABLE src AS ${sql}`);
  const copyMs = [];
  const appendMs = [];
  const table = path.join(dir, "table");
  native.createDeltaTable(table, { schema, partitionColumns: partitioned ? ["part"] : [], configuration: { "delta.checkpointInterval": "1000" } });
  for (let i = 0; i < runs + 1; i++) {
    const target = path.join(dir, `copy-${i}`);
    let t = performance.now();
    if (partitioned) db.query(`COPY (SELECT * FROM src) TO '${target}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (part))`);
    else db.query(`COPY (SELECT * FROM src) TO '${target}.parquet' (FORMAT parquet, COMPRESSION zstd)`);
    const copy = performance.now() - t;
    t = performance.now();
    native.appendToDeltaTable(table, { sql: "SELECT * FROM src" }, { db });
    const append = performance.now() - t;
    if (i > 0) {
      copyMs.push(copy);
      appendMs.push(append);
    }
  }
  const result = {
    bench: "delta-write",
    rows,
    runs,
    partitioned,
    copyMedianMs: Math.round(median(copyMs)),
    appendMedianMs: Math.round(median(appendMs)),
    ratio: Number((median(appendMs) / median(copyMs)).toFixed(3)),
    target: 1.15,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
