#!/usr/bin/env node
// Benchmark: a Delta scan with file pruning on a selective predicate vs. a full scan.
// Usage: node bench/delta-scan-bench.js [--runs N] [--files F] [--rows R] [--keep DIR]
// Generates one table of F Parquet files (written by DuckDB) of R rows each, where file i holds
// ids [i*R, (i+1)*R) — one commit with an add per file carrying min/max/nullCount statistics.
// Measures the median of N runs of plan + execute through the facade (`planDeltaScan`, then
// `SELECT count(*), sum(v)` over the plan's SQL in DuckDB):
//   - full:      no predicate (every file read);
//   - selective: `id BETWEEN x AND x + 10` (1 file kept by min/max statistics);
//   - unprunable: `v % 7 = 0` (not a simple conjunct: every file read, the engine filters).
// Needs the build (npm run build): dist/ and the native addon.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const native = await import(join(resolve(process.env.CPGC_DIST ?? join(root, "dist")), "runtime-native/index.js"));
const RUNS = Number(arg("runs", 7));
const FILES = Number(arg("files", 500));
const ROWS = Number(arg("rows", 2000));
const keep = arg("keep", undefined);

const dir = keep ?? mkdtempSync(join(tmpdir(), "cpgc-scan-bench-"));
const table = join(dir, "table");
mkdirSync(join(table, "_delta_log"), { recursive: true });

const db = native.openDatabase({ threads: 4 });
const schema = { type: "struct", fields: [
  { name: "id", type: "long", nullable: true, metadata: {} },
  { name: "v", type: "double", nullable: true, metadata: {} },
  { name: "s", type: "string", nullable: true, metadata: {} },
] };
const lines = [
  JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
  JSON.stringify({ metaData: { id: "bench", format: { provider: "parquet", options: {} }, schemaString: JSON.stringify(schema), partitionColumns: [], configuration: {}, createdTime: 0 } }),
];
const t0 = performance.now();
for (let i = 0; i < FILES; i++) {
  const name = `part-${String(i).padStart(5, "0")}.parquet`;
  const lo = i * ROWS;
  db.query(`COPY (SELECT CAST(${lo} + r AS BIGINT) AS id, CAST(r AS DOUBLE) / 3 AS v, 'row ' || r AS s FROM range(${ROWS}) t(r)) TO '${join(table, name)}' (FORMAT parquet)`);
  const stats = { numRecords: ROWS, minValues: { id: lo, v: 0, s: "row 0" }, maxValues: { id: lo + ROWS - 1, v: (ROWS - 1) / 3, s: "row 999" }, nullCount: { id: 0, v: 0, s: 0 } };
  lines.push(JSON.stringify({ add: { path: name, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true, stats: JSON.stringify(stats) } }));
}
writeFileSync(join(table, "_delta_log", "00000000000000000000.json"), lines.join("\n") + "\n");
const generated = performance.now() - t0;

function measure(where) {
  const times = [];
  let plan;
  let result;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    plan = native.planDeltaScan(table, where === undefined ? {} : { where });
    result = db.query(`SELECT count(*) AS n, sum(v) AS s FROM (${plan.sql}) t`).rows[0];
    times.push(performance.now() - start);
  }
  return { ms: median(times), scanned: plan.stats.filesScanned, pruned: plan.stats.filesPruned, rows: Number(result.n) };
}

const x = Math.floor((FILES * ROWS) / 2);
const cases = [
  ["full", undefined],
  ["selective", `id BETWEEN ${x} AND ${x + 10}`],
  ["unprunable", "v % 7 = 0"],
];
console.log(`table: ${FILES} files x ${ROWS} rows (generated in ${(generated / 1000).toFixed(1)} s); median of ${RUNS} runs (plan + count/sum in DuckDB)`);
console.log("case        ms       files scanned  pruned  rows");
const out = {};
for (const [label, where] of cases) {
  const m = measure(where);
  out[label] = m;
  console.log(`${label.padEnd(11)} ${m.ms.toFixed(1).padStart(8)} ${String(m.scanned).padStart(14)} ${String(m.pruned).padStart(7)}  ${m.rows}`);
}
console.log(`speed-up of the selective scan over the full scan: ${(out.full.ms / out.selective.ms).toFixed(1)}x`);
db.close();
if (keep === undefined) rmSync(dir, { recursive: true, force: true });
