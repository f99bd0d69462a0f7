#!/usr/bin/env node
// Benchmark: what `cpgc apply` adds per table action on top of the engine's own work.
// Usage: node bench/apply-overhead-bench.js [--tables N] [--rows R] [--runs K] [--keep DIR]
//
// A project of N tiny NDJSON source datasets (R rows, 5 columns incl. a struct and a list; a
// primary key → not_null + unique expectations) and N materialized views (one per dataset: a
// filter, a projection, an expectation), applied in-process through the functions the CLI uses
// (compileForPlan → observe → makePlan → applyPlan with a lake lease, as `cpgc apply` does):
// first creating everything, then K rounds in which every source file gets one more row (N source
// loads + N rematerializations per round).
//
// Per action, the ApplyReport's duration_ms (the action from its start to its commit, checkpoint
// and vacuum) minus the engine work of the same rows: the median time of DuckDB alone running
// the action's relation (the source read and cast, or the view's SQL over the committed inputs)
// into a Parquet file with the same codec — `COPY (…) TO 'x.parquet'` in the same session.
// What remains is apply's own cost per action: pin check and snapshot load, untracked-file
// cleanup, staging in a temp table, expectations, column digests, the state, the Delta commit,
// checkpoint, lease renewal. Target: under 50 ms per action. Needs the build (npm run build).
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const TABLES = Number(arg("tables", 50));
const ROWS = Number(arg("rows", 20));
const RUNS = Number(arg("runs", 5));
const KEEP = arg("keep", undefined);

// CPGC_DIST points at another build output (default dist/).
const dist = resolve(process.env.CPGC_DIST ?? join(root, "dist"));
const native = await import(join(dist, "runtime-native/index.js"));
const { compileForPlan, makePlan, observe, openEngine } = await import(join(dist, "compiler/src/cli/plan-context.js"));
const { applyPlan } = await import(join(dist, "runtime-native/ts/apply/execute.js"));
const { acquireLakeLock } = await import(join(dist, "runtime-native/ts/apply/lock.js"));
const { sourceRelationSql } = await import(join(dist, "runtime-native/ts/apply/source.js"));

const dir = KEEP === undefined ? mkdtempSync(join(tmpdir(), "cpgc-apply-bench-")) : resolve(KEEP);
const name = (prefix, i) => `${prefix}_${String(i).padStart(3, "0")}`;
const row = (i, r) => JSON.stringify({ id: r, name: `n${i}_${r}`, size: r * 7, span: { bstart: r, bend: r + 3 }, tags: ["x", `t${r % 3}`] });

function writeProject() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "specs"), { recursive: true });
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "cpg.config.yaml"), ["version: 1", "project: apply_bench", "specs:", "  - specs/**/*.yaml", "lake:", "  root: lake", "engine:", "  threads: 2", ""].join("\n"));
  const docs = [];
  for (let i = 0; i < TABLES; i++) {
    docs.push(
      [
        "kind: Dataset",
        `name: ${name("ds", i)}`,
        "source:",
        `  ndjson: data/${name("ds", i)}.ndjson`,
        "schema:",
        "  columns:",
        "    - { name: id, type: int64, nullable: false }",
        "    - { name: name, type: utf8 }",
        "    - { name: size, type: int64 }",
        '    - { name: span, type: "struct<bstart: int64, bend: int64>" }',
        "    - { name: tags, type: list<utf8> }",
        "  primary_key: [id]",
      ].join("\n"),
      ["kind: View", `name: ${name("vw", i)}`, "materialize: table", "sql: |", `  select id, name, span.bend - span.bstart as width from ${name("ds", i)} where size >= 0`, "expectations:", "  - not_null: [id]"].join("\n"),
    );
    writeFileSync(join(dir, "data", `${name("ds", i)}.ndjson`), `${Array.from({ length: ROWS }, (_, r) => row(i, r)).join("\n")}\n`);
  }
  writeFileSync(join(dir, "specs", "tables.yaml"), `${docs.join("\n---\n")}\n`);
}

const io = { stdout: () => {}, stderr: (t) => process.stderr.write(`${t}\n`), cwd: dir, env: {}, isTTY: false, stderrIsTTY: false };
const args = { options: new Map(), repeated: new Map() };
const OPTIONS = { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [] };

/** One `cpgc apply --auto-approve`, in-process: the report and the wall time of applyPlan. */
async function applyOnce() {
  const ctx = await compileForPlan(args, io);
  const db = await openEngine(ctx.model);
  const lease = await acquireLakeLock(ctx.lakeRoot, { owner: "apply-overhead-bench" });
  try {
    const plan = makePlan(ctx, await observe(ctx, db, io), OPTIONS);
    const started = performance.now();
    const report = await applyPlan(plan, ctx.desired, { db, lease, configDir: ctx.model.rootDir });
    const wallMs = performance.now() - started;
    if (report.status !== "success") throw new Error(`apply: ${report.status}: ${JSON.stringify(report.actions.filter((a) => a.error))}`);
    return { ctx, report, wallMs };
  } finally {
    lease.release();
    db.close();
  }
}

/** The engine alone: each table's relation written to a Parquet file by DuckDB (median of 3). */
function engineTimes(ctx) {
  const db = native.openDatabase({ threads: 2 });
  const out = new Map();
  const scratch = join(dir, "engine-scratch.parquet");
  try {
    for (const t of ctx.desired.tables) native.registerDeltaView(db, t.name, join(ctx.lakeRoot, t.name));
    for (const t of ctx.desired.tables) {
      const relation = t.source !== null ? sourceRelationSql(db, { name: t.name, columns: t.columns, source: t.source }, [t.source.location]) : t.sql;
      const samples = [];
      for (let k = 0; k < 3; k++) {
        const started = performance.now();
        db.query(`COPY (${relation}) TO '${scratch}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3)`);
        samples.push(performance.now() - started);
      }
      out.set(t.name, median(samples));
    }
  } finally {
    db.close();
    rmSync(scratch, { force: true });
  }
  return out;
}

try {
  writeProject();
  const rounds = [];
  for (let round = 0; round <= RUNS; round++) {
    if (round > 0) for (let i = 0; i < TABLES; i++) appendFileSync(join(dir, "data", `${name("ds", i)}.ndjson`), `${row(i, ROWS + round)}\n`);
    const { ctx, report, wallMs } = await applyOnce();
    if (report.actions.length !== 2 * TABLES) throw new Error(`${report.actions.length} actions, expected ${2 * TABLES}`);
    const engine = engineTimes(ctx);
    rounds.push({ round, wallMs, actions: report.actions.map((a) => ({ table: a.table, op: a.op, ms: a.duration_ms, engineMs: engine.get(a.table) })) });
  }

  const summarize = (actions) => ({
    actions: actions.length,
    action_ms: Math.round(median(actions.map((a) => a.ms))),
    engine_ms: Math.round(median(actions.map((a) => a.engineMs)) * 10) / 10,
    overhead_ms: Math.round(median(actions.map((a) => a.ms - a.engineMs))),
    overhead_p90_ms: Math.round([...actions.map((a) => a.ms - a.engineMs)].sort((x, y) => x - y)[Math.floor(actions.length * 0.9)]),
  });
  const create = rounds[0].actions;
  const later = rounds.slice(1).flatMap((r) => r.actions);
  console.log(
    JSON.stringify(
      {
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
        tables: TABLES,
        rows: ROWS,
        rounds: RUNS,
        create: { sources: summarize(create.filter((a) => a.table.startsWith("ds_"))), views: summarize(create.filter((a) => a.table.startsWith("vw_"))) },
        update: {
          source_loads: summarize(later.filter((a) => a.op === "update")),
          rematerializations: summarize(later.filter((a) => a.op === "rematerialize")),
          all: summarize(later),
        },
        apply_wall_ms_per_action: Math.round(median(rounds.slice(1).map((r) => r.wallMs / r.actions.length))),
        target_overhead_ms: 50,
      },
      null,
      2,
    ),
  );
} finally {
  if (KEEP === undefined) rmSync(dir, { recursive: true, force: true });
}
