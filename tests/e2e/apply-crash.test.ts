// Crash injection: `cpgc apply --auto-approve` of a multi-table plan (two sources — 150 files and
// ~28k AST nodes — a chain of three materialized views, partitioned, z-ordered, with a change data
// feed, and a logical view) is killed with SIGKILL at random points until 20 runs were killed
// mid-apply. After each kill, a fresh `cpgc apply --auto-approve` (no --lock-timeout: the dead
// apply's lease is taken over at once) must converge: every table's rows equal those of an
// uninterrupted run in a separate lake (EXCEPT ALL both ways), no data file the log does not name
// is left in any table's directory, no lock is left, and the next plan is empty (checked every
// fourth run and at the end; the full sorted rows are compared at the end).
//
// The killed apply runs in a child process that loaded the built CLI (dist/, as bin/cpgc.js
// does) and waits for a "go" line: the kill delay is drawn over the apply's own run time, not
// over Node's start-up. The runs alternate between two versions of the data (every source
// changes, so every view is rematerialized), and every fifth starts from an empty lake (creates).
// CRASH_KILLS=n sets the number of kills; CRASH_SEED=s replays a sequence of delays.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { REPO_ROOT } from "../helpers/fixture-project.js";
import { cli, copyProject, dataFilesOnDisk, expectExit, lakeRows, untrackedFiles } from "../helpers/plan-apply-lake.js";
import { seededRandom as rng } from "../helpers/rng.js";

const FIXTURE = join(REPO_ROOT, "tests", "fixtures", "plan-apply", "crash");
const KILLS = Number(process.env["CRASH_KILLS"] ?? 20);
const SEED = Number(process.env["CRASH_SEED"] ?? Date.now() % 1_000_000);
const TABLES = ["files", "nodes", "functions", "calls", "call_counts"] as const;
const ALL = [...TABLES, "busiest"];

/** The sources of data version `variant` (0 or 1): each version changes every table's rows. */
function writeData(dir: string, variant: number, files = 150): void {
  const langs = ["py", "js", "rs"];
  const f: string[] = [];
  const n: string[] = [];
  let id = 0;
  for (let i = 0; i < files; i++) {
    const lang = langs[i % 3]!;
    f.push(JSON.stringify({ file_id: `f${i}`, path: `src/m${i}.${lang}`, lang, lines: 100 + i + variant }));
    const root = id++;
    n.push(JSON.stringify({ node_id: root, file_id: `f${i}`, parent_id: null, kind: "Module", name: null, span: { bstart: 0, bend: 1000 } }));
    for (let k = 0; k < 20; k++) {
      const fn = id++;
      n.push(JSON.stringify({ node_id: fn, file_id: `f${i}`, parent_id: root, kind: "FunctionDef", name: `fn_${k}_${variant}`, span: { bstart: k * 50, bend: k * 50 + 40 } }));
      for (let m = 0; m < 8 + variant; m++) {
        n.push(JSON.stringify({ node_id: id++, file_id: `f${i}`, parent_id: fn, kind: "Call", name: `callee_${(k * m + i + variant) % 37}`, span: { bstart: k * 50 + m, bend: k * 50 + m + 3 } }));
      }
    }
  }
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "data", "files.ndjson"), `${f.join("\n")}\n`);
  writeFileSync(join(dir, "data", "nodes.ndjson"), `${n.join("\n")}\n`);
}

/** A child process holding the built CLI, which runs `cpgc apply --auto-approve` when told "go". */
const CHILD = `
const dist = process.argv[1];
const { runCli } = await import(dist + "/compiler/src/cli/main.js");
const { processIO } = await import(dist + "/compiler/src/cli/io.js");
for (const m of ["/compiler/src/cli/commands/apply.js", "/runtime-native/index.js", "/runtime-native/ts/apply/execute.js", "/runtime-native/ts/apply/observe.js"]) await import(dist + m);
process.stdout.write("ready\\n");
process.stdin.once("data", async () => {
  process.exitCode = await runCli(["apply", "--auto-approve"], processIO());
  process.stdin.destroy();
});
`;

interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  go(): number;
}

async function startChild(cwd: string): Promise<Child> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, join(REPO_ROOT, "dist")], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, output })));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (output.includes("ready\n")) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
    void exited.then((e) => {
      clearInterval(poll);
      reject(new Error(`the apply child exited before it was ready (${e.code ?? e.signal}):\n${e.output}`));
    });
  });
  return {
    process: child,
    exited,
    go: () => {
      child.stdin!.write("go\n");
      return performance.now();
    },
  };
}

/**
 * Compares lakes with the uninterrupted runs' lakes, in one engine session: per Delta table, the
 * rows one has and the other lacks (`EXCEPT ALL` both ways: an exact multiset comparison, every
 * column), and for the logical view the row count and an order-independent sum of its rows'
 * hashes. `differences` is empty when the lake holds the rows of reference `variant`.
 */
async function referenceComparer(references: readonly string[]): Promise<{ differences(lake: string, variant: number): string[]; close(): void }> {
  const native = await import("../../runtime-native/index.js");
  const { registerLake } = await import("../../compiler/src/cli/commands/query.js");
  const { registerLogicalViews } = await import("../../runtime-native/ts/apply/views.js");
  const db = native.openDatabase({ threads: 1 });
  const summary = (name: string) => {
    const row = db.query(`SELECT count(*) AS n, CAST(sum(hash(CAST(to_json(q) AS VARCHAR))) AS VARCHAR) AS h FROM "${name}" AS q`).rows[0]!;
    return `${String(row["n"])} rows, hash sum ${String(row["h"])}`;
  };
  const register = (lake: string) => {
    registerLake(native, db, lake);
    expect(registerLogicalViews(db, lake).failed).toEqual([]);
  };
  const expectedViews = references.map((reference, variant) => {
    for (const t of TABLES) native.registerDeltaView(db, `ref${variant}_${t}`, join(reference, t));
    register(reference);
    return summary("busiest");
  });
  return {
    differences(lake, variant) {
      register(lake);
      const out: string[] = [];
      const count = (a: string, b: string) => Number(db.query(`SELECT count(*) AS n FROM (SELECT * FROM "${a}" EXCEPT ALL SELECT * FROM "${b}")`).rows[0]!["n"]);
      for (const t of TABLES) {
        const missing = count(`ref${variant}_${t}`, t);
        const extra = count(t, `ref${variant}_${t}`);
        if (missing + extra > 0) out.push(`${t}: ${missing} rows missing, ${extra} rows not in the uninterrupted run`);
      }
      const view = summary("busiest");
      if (view !== expectedViews[variant]) out.push(`busiest: ${view}, the uninterrupted run: ${expectedViews[variant]}`);
      return out;
    },
    close: () => db.close(),
  };
}

/** The tables' directories under the lake root, cpgc's own (`_cpgc_runs`, `_cpgc_views`) included. */
function tableDirs(lake: string): string[] {
  if (!existsSync(lake)) return [];
  return readdirSync(lake)
    .map((e) => join(lake, e))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, "_delta_log")));
}

function versionsOf(lake: string): Record<string, number | null> {
  return Object.fromEntries(
    TABLES.map((t) => {
      const log = join(lake, t, "_delta_log");
      const commits = existsSync(log) ? readdirSync(log).filter((f) => /^\d{20}\.json$/.test(f)) : [];
      return [t, commits.length === 0 ? null : Math.max(...commits.map((c) => Number(c.slice(0, 20))))];
    }),
  );
}

/** Data files in the directory of a table that has no commit yet (what a killed create left). */
function strayFilesOfAbsentTables(lake: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const dir = join(lake, t);
    if (existsSync(dir) && versionsOf(lake)[t] === null) {
      const files = dataFilesOnDisk(dir);
      if (files.length > 0) out[t] = files;
    }
  }
  return out;
}

describe("crash injection", () => {
  it(`apply killed with SIGKILL at ${KILLS} random points converges on re-apply to the rows of an uninterrupted run (seed ${SEED})`, async () => {
    // The rows of each data version from an uninterrupted apply in a lake of its own, and how long the apply itself takes.
    const references: string[] = [];
    let runMs = 0;
    for (const variant of [0, 1]) {
      const dir = copyProject(FIXTURE, `crash-ref-${variant}`);
      writeData(dir, variant);
      const child = await startChild(dir);
      const started = child.go();
      const done = await child.exited;
      runMs = Math.max(runMs, performance.now() - started);
      expect(done.code, done.output).toBe(0);
      references.push(join(dir, ".cpg", "lake"));
    }
    const compare = await referenceComparer(references);
    expect(compare.differences(references[1]!, 0)).toHaveLength(ALL.length);

    const dir = copyProject(FIXTURE, "crash");
    const lake = join(dir, ".cpg", "lake");
    const random = rng(SEED);
    const log: string[] = [];
    let interrupted = 0;
    let partial = 0;
    let takenOver = 0;
    let leftByCreates = 0;
    let next: Promise<Child> | null = startChild(dir);
    // Until KILLS applies were killed while running (an apply that finished first does not count).
    const attempts = KILLS * 2;
    try {
      for (let i = 0; interrupted < KILLS && i < attempts; i++) {
        const variant = i % 2;
        if (i % 5 === 0) rmSync(lake, { recursive: true, force: true });
        writeData(dir, variant);
        const before = versionsOf(lake);
        const child = await next!;
        next = null;
        const delay = Math.floor(random() * runMs * 0.95);
        child.go();
        await new Promise((resolve) => setTimeout(resolve, delay));
        const killed = child.process.kill("SIGKILL");
        const exit = await child.exited;
        if (exit.signal === "SIGKILL" && killed) interrupted++;
        // The next apply's process loads the CLI while this one's aftermath is checked.
        if (interrupted < KILLS) next = startChild(dir);
        const after = versionsOf(lake);
        const moved = TABLES.filter((t) => after[t] !== before[t]).length;
        if (moved > 0 && moved < TABLES.length) partial++;
        const lock = existsSync(join(lake, "_cpgc_lock")) ? (JSON.parse(readFileSync(join(lake, "_cpgc_lock"), "utf8")) as { pid: number }) : null;
        if (lock !== null) {
          // The dead apply's lease: taken over at once (same host, its process is gone).
          expect(lock.pid).toBe(child.process.pid);
          takenOver++;
        }
        leftByCreates += Object.values(strayFilesOfAbsentTables(lake)).flat().length;

        const converge = await cli(["apply", "--auto-approve"], dir);
        log.push(`#${i} v${variant} kill after ${delay} ms (${exit.signal ?? `exit ${exit.code}`}): ${moved}/${TABLES.length} tables moved${lock ? ", lease left" : ""}; re-apply: ${converge.stdout.match(/^Apply complete!.*$/m)?.[0] ?? converge.stdout.trim().split("\n").pop()}`);
        const context = `seed ${SEED}\n${log.join("\n")}`;
        expectExit(converge, 0, `${context}\n`);
        expect(compare.differences(lake, variant), context).toEqual([]);
        // The rows and the files say the lake converged; the plan says its state did too (every few runs, for time).
        if (i % 4 === 3) expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0, `${context}\nthe plan after the converging apply: `);
        for (const table of tableDirs(lake)) {
          expect(untrackedFiles(table), `${table}\n${context}`).toEqual([]);
        }
        expect(existsSync(join(lake, "_cpgc_lock"))).toBe(false);
      }
    } finally {
      compare.close();
      if (next !== null) (await next).process.kill("SIGKILL");
    }
    expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0, "the plan after the last converging apply: ");
    // The full content of the last version, sorted, against the uninterrupted run's.
    expect(await lakeRows(lake, ALL)).toEqual(await lakeRows(references[(log.length - 1) % 2]!, ALL));
    console.log(
      `crash injection (seed ${SEED}, apply ${Math.round(runMs)} ms): ${log.length} applies, ${interrupted} killed mid-run, ${partial} left some tables committed and others not, ` +
        `${takenOver} leases taken over, ${leftByCreates} data files of killed creates removed by the re-apply\n${log.join("\n")}`,
    );
    // KILLS applies were killed while running, some of them between two tables' commits.
    expect(interrupted).toBe(KILLS);
    expect(partial).toBeGreaterThanOrEqual(Math.min(3, KILLS / 4));
  }, 240_000);

  // Regression: untracked files were cleaned up only in tables that had a commit; the files of a
  // create killed before its first commit stayed beside the table the next apply created, and
  // neither apply nor vacuum (which knows only files the log names) ever removed them.
  it("a create killed before its first commit: the files it wrote are removed by the next apply", async () => {
    const dir = copyProject(FIXTURE, "crash-create");
    writeData(dir, 0, 30);
    const lake = join(dir, ".cpg", "lake");
    // What a killed create leaves: the table's directory with a data file and no commit.
    const native = await import("../../runtime-native/index.js");
    const db = native.openDatabase({ threads: 1 });
    try {
      mkdirSync(join(lake, "nodes"), { recursive: true });
      db.query(`COPY (SELECT 1 AS node_id) TO '${join(lake, "nodes", "part-00000-killed-before-commit.zstd.parquet")}' (FORMAT parquet)`);
    } finally {
      db.close();
    }
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(untrackedFiles(join(lake, "nodes"))).toEqual([]);
  });

  // A first commit is written to a temporary file in `_delta_log` (created for it) and linked
  // into place: killed in between, the table has a log directory but no commit — and, before it,
  // the data files of the commit.
  it.each(["nodes", "_cpgc_views", "_cpgc_runs"])("a first commit of %s killed before it landed: the next apply works, records its run and removes the files", async (table) => {
    const dir = copyProject(FIXTURE, `crash-first-commit-${table}`);
    writeData(dir, 0, 30);
    const lake = join(dir, ".cpg", "lake");
    mkdirSync(join(lake, table, "_delta_log"), { recursive: true });
    writeFileSync(join(lake, table, "_delta_log", `.${"0".repeat(20)}.json.4242.0.tmp`), '{"commitInfo":{');
    writeFileSync(join(lake, table, "part-00000-killed-before-commit-c000.zstd.parquet"), "PAR1");
    const r = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(r.stderr).toBe("");
    expect(untrackedFiles(join(lake, table))).toEqual([]);
    expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0);
    const runs = JSON.parse(expectExit(await cli(["runs", "--json"], dir), 0).stdout) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(1);
    const rows = await lakeRows(lake, ALL);
    expect(Object.keys(rows)).toEqual([...ALL].sort());
    expect(rows["busiest"]!.length).toBeGreaterThan(0);
  });

  // Regression (seed 832913): killed after every table committed, while recording its run — the
  // re-apply had nothing to do, wrote no run, and left the killed run's file in _cpgc_runs.
  it.each(["_cpgc_views", "_cpgc_runs"])("a commit of %s killed before it landed, then an apply with nothing to do: it removes the files", async (table) => {
    const dir = copyProject(FIXTURE, `crash-noop-${table}`);
    writeData(dir, 0, 30);
    const lake = join(dir, ".cpg", "lake");
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    const stray = join(lake, table, "part-00000-killed-before-commit-c000.zstd.parquet");
    writeFileSync(stray, "PAR1");
    expect(untrackedFiles(join(lake, table))).toEqual(["part-00000-killed-before-commit-c000.zstd.parquet"]);
    const r = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(r.stdout).toContain("No changes.");
    expect(untrackedFiles(join(lake, table))).toEqual([]);
  });
});
