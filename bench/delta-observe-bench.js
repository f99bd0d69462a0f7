#!/usr/bin/env node
// Benchmark: observing a lake of many Delta tables with long logs — what `cpgc plan` reads when
// there is nothing to do.
// Usage: node bench/delta-observe-bench.js [--runs N] [--tables T] [--commits C] [--foreign F] [--keep DIR]
// Builds two template tables with the native facade, each C commits made the way `cpgc apply`
// commits (cpgc provenance, `cpgc` domain state, a txn; one appended row = one data file per
// commit, checkpoint every 10 commits → a Parquet checkpoint of ~C files):
//   - "cpgc": cpgc made the last commit (no history needed);
//   - "foreign": another writer made the last commit (drift: the history back to cpgc's commit).
// Then T tables are hard-linked copies (`cp -al`) of the templates, F of them of "foreign", and
// `observeLake` (runtime-native/ts/apply/observe.ts) of a desired state naming the T tables is
// timed: median of N runs after a warm-up (wall time, and the process's CPU time — the machine
// may be shared). Also timed: loadDeltaSnapshot of one table (the summary observe asks for),
// loadDeltaHistory({limit: 8}), and observeDeltaTables of all tables (parallel and one thread).
// Needs the build (npm run build): dist/ and the native addon.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(arg("runs", 5));
const TABLES = Number(arg("tables", 200));
const COMMITS = Number(arg("commits", 1000));
const FOREIGN = Number(arg("foreign", Math.round(TABLES / 10)));
const KEEP = arg("keep", undefined);

// CPGC_DIST points at another build output (default dist/).
const dist = resolve(process.env.CPGC_DIST ?? join(root, "dist"));
const native = await import(join(dist, "runtime-native/index.js"));
const { observeLake } = await import(join(dist, "runtime-native/ts/apply/observe.js"));

const COLS = [
  { name: "id", type: "int64", nullable: true },
  { name: "name", type: "utf8", nullable: true },
];
const SCHEMA = [
  { name: "id", type: "long" },
  { name: "name", type: "string" },
];

function desiredTable(name) {
  return {
    name,
    kind: "dataset",
    role: "managed",
    defined_at: "specs/bench.yaml:1",
    columns: COLS,
    delta_schema: SCHEMA.map((f) => ({ ...f, nullable: true, metadata: {} })),
    partition_by: [],
    properties: {},
    features: [],
    schema_mode: "merge",
    column_mapping: "none",
    writer: { zorder_by: [], target_file_size_bytes: 0, compression: "zstd", compression_level: 3, row_group_size: 0, dictionary: [], bloom_filter: [] },
    maintenance: { checkpoint_interval: 10, vacuum_retention_seconds: 604800 },
    spec_hash: `spec-${name}`,
    writer_hash: "writer",
    ast_fingerprint: null,
    policy_hash: null,
    sql: null,
    inputs: [],
    reads: {},
    row_deciding: {},
    lineage: {},
    source: null,
    expectations: [],
    notes: [],
  };
}

/** A template table of COMMITS commits; the last one by a foreign writer when `foreign`. */
function template(dir, foreign) {
  const db = native.openDatabase({ threads: 1 });
  try {
    const commit = (i) => ({
      metadata: { run_id: `run-${i}`, plan_id: `plan-${i}`, cpgc_version: "0.1.0" },
      domainMetadata: [{ domain: "cpgc", configuration: JSON.stringify({ format: 1, spec_hash: "spec", run: i }) }],
      txn: { appId: `cpgc:plan-${i}`, version: 0 },
    });
    native.createDeltaTable(dir, { schema: SCHEMA }, { db, commit: commit(0) });
    for (let i = 1; i < COMMITS; i++) {
      const last = i === COMMITS - 1;
      native.appendToDeltaTable(dir, { sql: `SELECT ${i}::BIGINT AS id, 'row ${i}' AS name` }, { db, ...(foreign && last ? {} : { commit: commit(i) }) });
    }
  } finally {
    db.close();
  }
}

/** Wall time and CPU time (user + system of the whole process, all threads) per run. */
function measure(fn) {
  fn(); // warm-up (page cache, library load, JIT)
  const samples = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    samples.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { median_ms: Math.round(median(samples)), min_ms: Math.round(Math.min(...samples)), cpu_median_ms: Math.round(median(cpu)) };
}

const dir = KEEP ?? mkdtempSync(join(tmpdir(), "cpgc-observe-bench-"));
try {
  const templates = join(dir, "templates");
  const lake = join(dir, "lake");
  const genStart = performance.now();
  for (const kind of ["cpgc", "foreign"]) {
    if (!existsSync(join(templates, kind, "_delta_log"))) template(join(templates, kind), kind === "foreign");
  }
  mkdirSync(lake, { recursive: true });
  const names = [];
  for (let i = 0; i < TABLES; i++) {
    const name = `t${String(i).padStart(4, "0")}`;
    names.push(name);
    const target = join(lake, name);
    if (!existsSync(target)) execFileSync("cp", ["-al", join(templates, i < FOREIGN ? "foreign" : "cpgc"), target]);
  }
  const generatedMs = Math.round(performance.now() - genStart);

  const desired = { project: "bench", config_hash: "bench", lake_root: lake, tables: names.map(desiredTable) };
  const check = observeLake(desired);
  const present = Object.values(check.tables).filter((t) => t.status === "present" && t.version === COMMITS - 1);
  if (present.length !== TABLES) throw new Error(`observed ${present.length} of ${TABLES} tables at version ${COMMITS - 1}`);
  const drifted = Object.values(check.tables).filter((t) => t.drift?.length === 1).length;
  if (drifted !== FOREIGN) throw new Error(`${drifted} tables with drift, expected ${FOREIGN}`);
  const one = join(lake, names[TABLES - 1]);
  const snapshot = native.loadDeltaSnapshot(one, { files: "withoutNumRecords" });
  const results = [
    { label: `observeLake, ${TABLES} tables × ${COMMITS} commits (${FOREIGN} with a foreign last commit)`, ...measure(() => observeLake(desired)) },
    { label: "loadDeltaSnapshot (files: withoutNumRecords), one table", ...measure(() => native.loadDeltaSnapshot(one, { files: "withoutNumRecords" })) },
    { label: "loadDeltaHistory (limit 8), one table", ...measure(() => native.loadDeltaHistory(one, { limit: 8 })) },
  ];
  if (typeof native.observeDeltaTables === "function") {
    const paths = names.map((n) => join(lake, n));
    results.push({ label: `observeDeltaTables (files: withoutNumRecords), ${TABLES} tables in one call`, ...measure(() => native.observeDeltaTables(paths, { files: "withoutNumRecords" })) });
    results.push({ label: "the same on one thread", ...measure(() => native.observeDeltaTables(paths, { files: "withoutNumRecords", threads: 1 })) });
  }
  console.log(
    JSON.stringify(
      {
        tables: TABLES,
        commits: COMMITS,
        foreign: FOREIGN,
        checkpoint_version: snapshot.logSegment.checkpointVersion,
        active_files: snapshot.summary.numFiles,
        runs: RUNS,
        generate_ms: generatedMs,
        results,
      },
      null,
      2,
    ),
  );
} finally {
  if (KEEP === undefined) rmSync(dir, { recursive: true, force: true });
}
