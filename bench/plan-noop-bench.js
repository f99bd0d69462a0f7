#!/usr/bin/env node
// Benchmark: `cpgc plan` with nothing to do, over a lake of 200 tables with 1,000 commits each.
// Usage: node bench/plan-noop-bench.js [--runs N] [--tables T] [--commits C] [--checkpoint-interval I] [--dir DIR] [--rebuild]
//
// Builds (once; cached in DIR, default $TMPDIR/cpgc-bench-plan-noop-<T>x<C>) a project of T/2
// NDJSON source datasets (5 columns: int64, utf8, struct, list, timestamp; z-order, stats columns)
// and T/2 materialized views (one per dataset: a filter and a projection), applied with
// `cpgc apply`; then gives every table C-1 more commits the way cpgc's own reloads make them
// (commitInfo with cpgc provenance, a txn `cpgc:<plan>`, remove of the previous data file + add
// of the new one with statistics; the data file is a hard link of the first), and a Parquet
// checkpoint every I commits written by the native checkpoint writer (I = the project's
// checkpoint_interval, default 100), so each table's log holds C JSON commits, C/I checkpoints,
// one live file and C-1 tombstones. The tables' cpgc state is untouched: the plan must be empty.
//
// Then measures the median of N runs of:
//   - CLI: `cpgc plan --detailed-exitcode` wall time (process start included; must exit 0), and
//     its CPU time (user + system, all threads; with GNU time at /usr/bin/time);
//   - in-process, warm: compile (validate + compile + desired state), observe (observeLake: every
//     table's snapshot, source files hashed, _cpgc_views, orphans) and plan (planChanges).
// Target: the CLI under 1 s. Needs the build (npm run build): dist/ and the native addon.
import { spawnSync } from "node:child_process";
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(arg("runs", 7));
const TABLES = Number(arg("tables", 200));
const COMMITS = Number(arg("commits", 1000));
const INTERVAL = Number(arg("checkpoint-interval", 100));
const DIR = resolve(arg("dir", join(tmpdir(), `cpgc-bench-plan-noop-${TABLES}x${COMMITS}-i${INTERVAL}`)));
const REBUILD = process.argv.includes("--rebuild");
const BUILT = join(DIR, ".bench-built");

// CPGC_DIST points at another build output (default dist/).
const dist = resolve(process.env.CPGC_DIST ?? join(root, "dist"));
const native = await import(join(dist, "runtime-native/index.js"));
const cpgcBin = join(root, "bin", "cpgc.js");

const pad = (v) => String(v).padStart(20, "0");
const datasets = Math.ceil(TABLES / 2);
const views = TABLES - datasets;

// The CLI's CPU time (user + system, all threads) comes from GNU time when the machine has it.
const TIME_BIN = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
const cpuFile = join(tmpdir(), `cpgc-bench-plan-noop-cpu-${process.pid}`);

function cpgc(args, what) {
  const command = TIME_BIN === null ? [process.execPath, cpgcBin, ...args] : [TIME_BIN, "-f", "%U %S", "-o", cpuFile, process.execPath, cpgcBin, ...args];
  const started = performance.now();
  const r = spawnSync(command[0], command.slice(1), { cwd: DIR, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  let cpuMs = null;
  if (TIME_BIN !== null) {
    const [user, sys] = readFileSync(cpuFile, "utf8").trim().split(/\s+/).slice(-2).map(Number);
    cpuMs = (user + sys) * 1000;
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms, cpuMs, what };
}

function writeProject() {
  mkdirSync(join(DIR, "specs"), { recursive: true });
  mkdirSync(join(DIR, "data"), { recursive: true });
  writeFileSync(
    join(DIR, "cpg.config.yaml"),
    ["version: 1", "project: plan_noop_bench", "specs:", "  - specs/**/*.yaml", "lake:", "  root: lake", "engine:", "  threads: 2", "defaults:", "  delta_policy: bench", ""].join("\n"),
  );
  writeFileSync(
    join(DIR, "specs", "policies.yaml"),
    ["kind: DeltaPolicy", "name: bench", "write:", "  stats_policy: auto", "  writer: { compression: zstd, compression_level: 3 }", "maintenance:", `  checkpoint_interval: ${INTERVAL}`, "  log_retention: 30 days", "  vacuum_retention: 7 days", ""].join("\n"),
  );
  const docs = [];
  for (let i = 0; i < datasets; i++) {
    const name = `ds_${String(i).padStart(3, "0")}`;
    docs.push(
      [
        "kind: Dataset",
        `name: ${name}`,
        "source:",
        `  ndjson: data/${name}.ndjson`,
        "schema:",
        "  columns:",
        "    - { name: id, type: int64, nullable: false }",
        "    - { name: name, type: utf8 }",
        '    - { name: span, type: "struct<bstart: int64, bend: int64>" }',
        "    - { name: tags, type: list<utf8> }",
        '    - { name: seen_at, type: "timestamp[us, UTC]" }',
        "  primary_key: [id]",
        "delta:",
        "  write:",
        "    zorder_by: [id]",
        "    stats_columns: [id, name]",
      ].join("\n"),
    );
    const rows = Array.from({ length: 5 }, (_, r) => JSON.stringify({ id: r, name: `n${i}_${r}`, span: { bstart: r * 10, bend: r * 10 + 5 }, tags: ["a", `t${r}`], seen_at: `2025-01-0${r + 1}T00:00:00Z` }));
    writeFileSync(join(DIR, "data", `${name}.ndjson`), `${rows.join("\n")}\n`);
  }
  for (let i = 0; i < views; i++) {
    const ds = `ds_${String(i % datasets).padStart(3, "0")}`;
    docs.push(["kind: View", `name: vw_${String(i).padStart(3, "0")}`, "materialize: table", "sql: |", `  select id, name, span.bstart as bstart from ${ds} where id >= 1`].join("\n"));
  }
  writeFileSync(join(DIR, "specs", "tables.yaml"), `${docs.join("\n---\n")}\n`);
}

/** Gives a table versions 1..COMMITS-1: cpgc-style overwrites of its one data file (a hard link), a checkpoint every INTERVAL. */
function extendLog(table) {
  const log = join(table, "_delta_log");
  const first = readFileSync(join(log, pad(0) + ".json"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
  const info = first.find((a) => a.commitInfo).commitInfo;
  const add0 = first.find((a) => a.add).add;
  let previous = add0;
  const t0 = Date.now() - COMMITS * 1000;
  for (let v = 1; v < COMMITS; v++) {
    const ts = t0 + v * 1000;
    const planId = `00000000-0000-4000-8000-${String(v).padStart(12, "0")}`;
    const path = `part-bench-${String(v).padStart(5, "0")}.zstd.parquet`;
    linkSync(join(table, add0.path), join(table, path));
    const add = { ...add0, path, modificationTime: ts };
    const lines = [
      {
        commitInfo: {
          ...info,
          timestamp: ts,
          operation: "WRITE",
          operationParameters: { mode: "Overwrite" },
          isBlindAppend: false,
          cpgc: { ...info.cpgc, plan_id: planId, run_id: `10000000-0000-4000-8000-${String(v).padStart(12, "0")}` },
        },
      },
      { txn: { appId: `cpgc:${planId}`, version: 0, lastUpdated: ts } },
      { remove: { path: previous.path, deletionTimestamp: ts, dataChange: true, extendedFileMetadata: true, partitionValues: previous.partitionValues, size: previous.size } },
      { add },
    ];
    writeFileSync(join(log, pad(v) + ".json"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n", { flag: "wx" });
    previous = add;
    if (v % INTERVAL === 0) native.checkpointDeltaTable(table);
  }
}

function build() {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeProject();
  const apply = cpgc(["apply", "--auto-approve"], "apply");
  if (apply.code !== 0) throw new Error(`cpgc apply failed:\n${apply.stdout}\n${apply.stderr}`);
  const started = performance.now();
  const lake = join(DIR, "lake");
  const tables = readdirSync(lake).filter((e) => !e.startsWith("_"));
  if (tables.length !== TABLES) throw new Error(`${tables.length} tables in the lake, expected ${TABLES}`);
  for (const t of tables) extendLog(join(lake, t));
  const check = cpgc(["plan", "--detailed-exitcode"], "plan");
  if (check.code !== 0) throw new Error(`the plan over the built lake is not empty (exit ${check.code}):\n${check.stdout.slice(0, 4000)}\n${check.stderr}`);
  writeFileSync(BUILT, JSON.stringify({ tables: TABLES, commits: COMMITS, interval: INTERVAL, apply_ms: Math.round(apply.ms), extend_ms: Math.round(performance.now() - started) }));
}

const buildStarted = performance.now();
const rebuilt = REBUILD || !existsSync(BUILT);
if (rebuilt) build();
const built = JSON.parse(readFileSync(BUILT, "utf8"));

// The snapshot of one table, to show what the lake holds.
const sample = native.loadDeltaSnapshot(join(DIR, "lake", "ds_000"), { files: "none" });

// CLI, process start included.
const cli = [];
const cliCpu = [];
cpgc(["plan", "--detailed-exitcode"], "warm-up (page cache)");
for (let i = 0; i < RUNS; i++) {
  const r = cpgc(["plan", "--detailed-exitcode"], "plan");
  if (r.code !== 0) throw new Error(`cpgc plan exited ${r.code}:\n${r.stdout.slice(0, 2000)}\n${r.stderr}`);
  if (!r.stdout.includes("No changes.")) throw new Error("the plan is not empty");
  cli.push(r.ms);
  if (r.cpuMs !== null) cliCpu.push(r.cpuMs);
}
rmSync(cpuFile, { force: true });

// In-process phases, warm.
const { compileForPlan, makePlan, openEngine, observe } = await import(join(dist, "compiler/src/cli/plan-context.js"));
const io = { stdout: () => {}, stderr: (t) => process.stderr.write(`${t}\n`), cwd: DIR, env: {}, isTTY: false, stderrIsTTY: false };
const args = { options: new Map(), repeated: new Map() };
const options = { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [] };
const phases = { compile: [], observe: [], plan: [] };
for (let i = 0; i < RUNS + 1; i++) {
  let t = performance.now();
  const ctx = await compileForPlan(args, io);
  const compileMs = performance.now() - t;
  const db = await openEngine(ctx.model);
  t = performance.now();
  const observed = await observe(ctx, db, io);
  const observeMs = performance.now() - t;
  t = performance.now();
  const plan = makePlan(ctx, observed, options);
  const planMs = performance.now() - t;
  db.close();
  if (plan.tables.some((tp) => tp.op !== "noop")) throw new Error("the in-process plan is not empty");
  if (i === 0) continue; // warm-up
  phases.compile.push(compileMs);
  phases.observe.push(observeMs);
  phases.plan.push(planMs);
}

const round = (x) => Math.round(x);
console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
      lake: { dir: DIR, tables: TABLES, datasets, views, commits_per_table: COMMITS, checkpoint_interval: INTERVAL, sample_version: sample.version, sample_tombstones: COMMITS - 1 },
      build: rebuilt ? { ...built, total_ms: round(performance.now() - buildStarted) } : { cached: true, ...built },
      runs: RUNS,
      cli_plan_ms: { median: round(median(cli)), min: round(Math.min(...cli)), max: round(Math.max(...cli)) },
      cli_cpu_ms: cliCpu.length > 0 ? { median: round(median(cliCpu)), min: round(Math.min(...cliCpu)) } : null,
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
      in_process_ms: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { median: round(median(v)), min: round(Math.min(...v)) }])),
      target_ms: 1000,
    },
    null,
    2,
  ),
);
