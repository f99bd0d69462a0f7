#!/usr/bin/env node
// Benchmark: loading a Delta snapshot from a generated log of many commits and files.
// Usage: node bench/delta-snapshot-bench.js [--runs N] [--commits C] [--files-per-commit F] [--keep DIR]
// Generates one table (JSON commits written directly: protocol + metaData at version 0, then F adds
// with stats per commit, and every 10th commit removes the 5 oldest files), then measures the
// median of N `loadDeltaSnapshot` calls:
//   - json: no checkpoint, replay of all C commits;
//   - checkpoint: a classic Parquet checkpoint (written with DuckDB) at version C-10 plus 9 commits;
//   - time travel to version C/2 (no checkpoint at or before it: replay of C/2 commits);
//   - the same with `files: "none"` (summary only: what `cpgc table show` needs);
//   - history (every commitInfo).
// Needs the build (npm run build): dist/ and the native addon.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(arg("runs", 5));
const COMMITS = Number(arg("commits", 1000));
const PER_COMMIT = Number(arg("files-per-commit", 100));
const KEEP = arg("keep", undefined);

// CPGC_DIST points at another build output (default dist/).
const native = await import(join(resolve(process.env.CPGC_DIST ?? join(root, "dist")), "runtime-native/index.js"));

const pad = (v) => String(v).padStart(20, "0");
const SCHEMA = JSON.stringify({
  type: "struct",
  fields: [
    { name: "id", type: "long", nullable: true, metadata: {} },
    { name: "name", type: "string", nullable: true, metadata: {} },
    { name: "part", type: "string", nullable: true, metadata: {} },
  ],
});
const protocol = { minReaderVersion: 1, minWriterVersion: 2 };
const metaData = {
  id: "bench",
  format: { provider: "parquet", options: {} },
  schemaString: SCHEMA,
  partitionColumns: ["part"],
  configuration: {},
  createdTime: 1700000000000,
};

function addAction(version, i) {
  const n = version * PER_COMMIT + i;
  return {
    path: `part=p${n % 16}/part-${String(n).padStart(8, "0")}-c000.snappy.parquet`,
    partitionValues: { part: `p${n % 16}` },
    size: 1000 + n,
    modificationTime: 1700000000000 + version,
    dataChange: true,
    stats: JSON.stringify({ numRecords: 100, minValues: { id: n * 100, name: "a" }, maxValues: { id: n * 100 + 99, name: "z" }, nullCount: { id: 0, name: 0 } }),
  };
}

/** Writes the commits and returns the active adds at each version (for the checkpoint). */
function generate(dir) {
  const log = join(dir, "_delta_log");
  mkdirSync(log, { recursive: true });
  const active = new Map();
  let oldest = [];
  const stateAt = new Map();
  for (let v = 0; v < COMMITS; v++) {
    const lines = [{ commitInfo: { timestamp: 1700000000000 + v, operation: "WRITE", operationParameters: { mode: "Append" } } }];
    if (v === 0) lines.push({ protocol }, { metaData });
    for (let i = 0; i < PER_COMMIT; i++) {
      const add = addAction(v, i);
      active.set(add.path, add);
      oldest.push(add.path);
      lines.push({ add });
    }
    if (v % 10 === 9) {
      for (const path of oldest.splice(0, 5)) {
        active.delete(path);
        lines.push({ remove: { path, deletionTimestamp: 1700000000000 + v, dataChange: true } });
      }
    }
    writeFileSync(join(log, `${pad(v)}.json`), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    if (v === COMMITS - 10) stateAt.set(v, [...active.values()]);
  }
  return { checkpointVersion: COMMITS - 10, checkpointAdds: stateAt.get(COMMITS - 10) ?? [], activeFiles: active.size };
}

/** A classic V1 checkpoint: one row per action, written by DuckDB from JSON rows. */
function writeCheckpoint(dir, version, adds) {
  const rowsFile = join(dir, "checkpoint-rows.json");
  const rows = [{ protocol }, { metaData }, ...adds.map((add) => ({ add }))];
  writeFileSync(rowsFile, rows.map((r) => JSON.stringify(r)).join("\n"));
  const columns = {
    protocol: "STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER)",
    metaData:
      "STRUCT(id VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT)",
    add: "STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR)",
  };
  const spec = Object.entries(columns)
    .map(([k, t]) => `'${k}': '${t}'`)
    .join(", ");
  const db = native.openDatabase({});
  try {
    db.query(
      `COPY (SELECT * FROM read_json('${rowsFile}', format = 'newline_delimited', columns = {${spec}})) TO '${join(dir, "_delta_log", `${pad(version)}.checkpoint.parquet`)}' (FORMAT parquet)`,
    );
  } finally {
    db.close();
  }
  rmSync(rowsFile);
  writeFileSync(join(dir, "_delta_log", "_last_checkpoint"), JSON.stringify({ version, size: rows.length }));
}

function measure(label, fn) {
  fn(); // warm-up (page cache, library load)
  const samples = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = fn();
    samples.push(performance.now() - start);
  }
  return { label, median_ms: Math.round(median(samples)), min_ms: Math.round(Math.min(...samples)), result };
}

const dir = KEEP ?? mkdtempSync(join(tmpdir(), "cpgc-delta-bench-"));
try {
  const genStart = performance.now();
  const { checkpointVersion, checkpointAdds, activeFiles } = generate(dir);
  const generatedMs = Math.round(performance.now() - genStart);

  const json = measure("snapshot, JSON commits only", () => native.loadDeltaSnapshot(dir).files.length);
  const jsonSummary = measure("snapshot summary only (files: none), JSON commits", () => native.loadDeltaSnapshot(dir, { files: "none" }).summary.numFiles);
  const half = measure(`snapshot at version ${COMMITS / 2} (time travel, JSON commits)`, () => native.loadDeltaSnapshot(dir, { version: COMMITS / 2 }).files.length);
  const history = measure("history (all commits)", () => native.loadDeltaHistory(dir).entries.length);

  const cpStart = performance.now();
  writeCheckpoint(dir, checkpointVersion, checkpointAdds);
  const checkpointMs = Math.round(performance.now() - cpStart);
  const withCheckpoint = measure(`snapshot, checkpoint at ${checkpointVersion} + 9 commits`, () => {
    const s = native.loadDeltaSnapshot(dir);
    if (s.logSegment.checkpointVersion !== checkpointVersion) throw new Error("the checkpoint was not used");
    return s.files.length;
  });

  const checkpointSummary = measure("snapshot summary only (files: none), checkpoint", () => native.loadDeltaSnapshot(dir, { files: "none" }).summary.numFiles);

  for (const r of [json, jsonSummary, withCheckpoint, checkpointSummary]) {
    if (r.result !== activeFiles) throw new Error(`${r.label}: ${r.result} files, expected ${activeFiles}`);
  }
  console.log(
    JSON.stringify(
      {
        commits: COMMITS,
        files_added: COMMITS * PER_COMMIT,
        active_files: activeFiles,
        runs: RUNS,
        generate_ms: generatedMs,
        write_checkpoint_ms: checkpointMs,
        results: [json, jsonSummary, withCheckpoint, checkpointSummary, half, history].map(({ label, median_ms, min_ms }) => ({ label, median_ms, min_ms })),
      },
      null,
      2,
    ),
  );
} finally {
  if (KEEP === undefined) rmSync(dir, { recursive: true, force: true });
}
