// Two applies on one lake, and leases of applies that died. Two projects — the lake-demo plus a
// view of their own each — share one lake (lake.root: ../lake); their applies run with the real
// CLI (bin/cpgc.js), the second while the first holds the lease. Without --lock-timeout the
// second fails at once with LOCK_HELD naming the first (pid, owner, the force-unlock ID), and a
// retry applies its change; with --lock-timeout the second waits and both apply, one run after the other. Either
// way no commit is lost: both views exist, every table is at the version one apply each gives
// it, and `_cpgc_runs` holds every run. A lease left by a SIGKILLed apply is taken over at once
// (same host, dead process); one whose holder is alive but hung, or on another host, is taken
// over when it expires.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { acquireLakeLock, readLakeLock } from "../../runtime-native/ts/apply/lock.js";
import type { CliResult } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/fixture-project.js";
import { cli, copyProject, expectExit, tableVersion, tempDir } from "../helpers/plan-apply-lake.js";

const LAKE_DEMO = join(REPO_ROOT, "examples", "lake-demo");

/** `cpgc <argv>` as a child process (the real binary), resolved when it exits. */
function spawnCpgc(argv: readonly string[], cwd: string): { pid: number; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "cpgc.js"), ...argv], { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return { pid: child.pid!, done };
}

/** A directory with one lake and two copies of the lake-demo that use it, each with a view of its own. */
function twoProjects(name: string): { a: string; b: string; lake: string } {
  const root = tempDir(name);
  const project = (sub: string, view: string, sql: string) => {
    const dir = join(root, sub);
    cpSync(LAKE_DEMO, dir, { recursive: true, filter: (p) => !p.includes(".cpg") });
    const config = join(dir, "cpg.config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace("root: .cpg/lake", "root: ../lake"));
    writeFileSync(join(dir, "specs", `${view}.yaml`), `kind: View\nname: ${view}\nmaterialize: table\nsql: ${sql}\n`);
    return dir;
  };
  return {
    a: project("a", "long_files", "select path, lines from files where lines > 10"),
    b: project("b", "class_names", "select name from symbols where kind = 'class'"),
    lake: join(root, "lake"),
  };
}

interface Run {
  readonly run_id: string;
  readonly started_at: string;
  readonly ended_at: string;
  readonly status: string;
  readonly actions: { table: string; outcome: string }[];
}

async function runs(dir: string): Promise<Run[]> {
  return (JSON.parse(expectExit(await cli(["runs", "--json", "--limit", "0"], dir), 0).stdout) as { runs: Run[] }).runs;
}

const BASE = ["files", "symbols", "calls", "functions", "call_graph"];

/** Appends a call to the lake-demo's calls.ndjson of both projects (they load the same table). */
function newCall(...dirs: string[]): void {
  for (const dir of dirs) writeFileSync(join(dir, "data", "calls.ndjson"), `${readFileSync(join(dir, "data", "calls.ndjson"), "utf8")}{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n`);
}

describe("two applies on one lake", () => {
  it("without --lock-timeout: one fails at once with LOCK_HELD naming the other; its retry applies; no commit is lost", async () => {
    const { a, b, lake } = twoProjects("conc-fail");
    // The shared tables first (from a, which also creates its view); then the race: a new call in
    // the (shared) source data, which both apply, and b's view.
    expectExit(await cli(["apply", "--auto-approve"], a), 0);
    newCall(a, b);
    // Two applies started at once race for the lease, and on a loaded machine the second may only
    // start after the first is done. So b starts while a holds the lease, and a is stopped
    // (SIGSTOP) until b has answered: the overlap is certain, whatever the machine's speed.
    const runA = spawnCpgc(["apply", "--auto-approve"], a);
    const lockFile = join(lake, "_cpgc_lock");
    const deadline = Date.now() + 60_000;
    while (readLakeLock(lake)?.pid !== runA.pid && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    process.kill(runA.pid, "SIGSTOP");
    let rb: CliResult;
    try {
      expect(existsSync(lockFile), "a holds the lease").toBe(true);
      rb = await spawnCpgc(["apply", "--auto-approve"], b).done;
    } finally {
      process.kill(runA.pid, "SIGCONT");
    }
    const ra = await runA.done;

    expectExit(ra, 0, "the apply that held the lock: ");
    expectExit(rb, 1, "the apply that found the lake locked: ");
    expect(rb.stderr).toContain("error[LOCK_HELD]");
    expect(rb.stderr).toMatch(/owner: +\S+@\S+: cpgc apply/);
    expect(rb.stderr).toContain(`pid ${runA.pid} on ${hostname()}`);
    expect(rb.stderr).toMatch(/cpgc force-unlock [0-9a-f-]{36}/);
    expect(rb.stdout).not.toMatch(/committed/);

    // The retry sees the holder's commits and applies only its own change.
    expectExit(await cli(["apply", "--auto-approve"], b), 0);
    for (const dir of [a, b]) {
      const plan = expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0);
      expect(plan.stdout).toContain("No changes.");
    }
    // The base at v0, the new call applied once (calls, call_graph: v1), each view created once.
    expect(Object.fromEntries([...BASE, "long_files", "class_names"].map((t) => [t, tableVersion(join(lake, t))]))).toEqual({
      files: 0,
      symbols: 0,
      calls: 1,
      functions: 0,
      call_graph: 1,
      long_files: 0,
      class_names: 0,
    });
    // Every run that changed something is recorded: the first, the holder's, and b's retry.
    const recorded = await runs(a);
    expect(recorded.every((r) => r.status === "success")).toBe(true);
    const committed = recorded.flatMap((r) => r.actions.filter((x) => x.outcome === "committed").map((x) => x.table)).sort();
    expect(committed).toEqual([...BASE, "call_graph", "calls", "class_names", "long_files"].sort());
    expect(recorded).toHaveLength(3);
  });

  it("with --lock-timeout: the second waits for the first; both apply, one run after the other", async () => {
    const { a, b, lake } = twoProjects("conc-wait");
    expectExit(await cli(["apply", "--auto-approve"], a), 0);
    newCall(a, b);
    const [ra, rb] = await Promise.all([spawnCpgc(["apply", "--auto-approve", "--lock-timeout", "2m"], a).done, spawnCpgc(["apply", "--auto-approve", "--lock-timeout", "2m"], b).done]);
    expectExit(ra, 0, "a: ");
    expectExit(rb, 0, "b: ");
    // The calls change was applied once, by whichever came first; the other found it done.
    expect(tableVersion(join(lake, "calls"))).toBe(1);
    expect(tableVersion(join(lake, "call_graph"))).toBe(1);
    expect(tableVersion(join(lake, "class_names"))).toBe(0);
    const [second, first] = (await runs(a)).slice(0, 2) as [Run, Run];
    expect(Date.parse(first.ended_at)).toBeLessThanOrEqual(Date.parse(second.started_at));
    for (const dir of [a, b]) expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0);
  });
});

describe("leases of applies that died", () => {
  it("a SIGKILLed apply's lease (same host, process gone) is taken over at once", async () => {
    const dir = copyProject(LAKE_DEMO, "lease-killed");
    const lake = join(dir, ".cpg", "lake");
    const run = spawnCpgc(["apply", "--auto-approve"], dir);
    // Kill it while it holds the lease.
    const lockFile = join(lake, "_cpgc_lock");
    const deadline = Date.now() + 30_000;
    while (!existsSync(lockFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    process.kill(run.pid, "SIGKILL");
    await run.done;
    const left = readLakeLock(lake);
    expect(left?.pid).toBe(run.pid);
    expect(left?.host).toBe(hostname());
    expect(Date.parse(left!.expires_at)).toBeGreaterThan(Date.now());

    const r = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(r.stdout).toContain("Apply complete!");
    expect(existsSync(lockFile)).toBe(false);
    expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0);
  });

  it("a lease whose holder still runs is held until it expires: LOCK_HELD at once, taken over by a waiting apply after the expiry", async () => {
    const dir = copyProject(LAKE_DEMO, "lease-ttl");
    const lake = join(dir, ".cpg", "lake");
    // A hung apply on this host: alive (this process), never renewing its short lease.
    const hung = await acquireLakeLock(lake, { owner: "ci@runner-7: cpgc apply (hung)", ttlMs: 2_000 });
    const refused = expectExit(await cli(["apply", "--auto-approve"], dir), 1);
    expect(refused.stderr).toContain("error[LOCK_HELD]");
    expect(refused.stderr).toContain("ci@runner-7: cpgc apply (hung)");
    expect(refused.stderr).toContain(`cpgc force-unlock ${hung.id}`);

    const started = Date.now();
    expectExit(await cli(["apply", "--auto-approve", "--lock-timeout", "30s"], dir), 0);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(Date.parse(hung.info.expires_at) - started - 50);
    expect(hung.release()).toBe(false); // taken over: the hung apply's lease is no longer its own
    expect(() => hung.renew()).toThrow(/no longer held by this apply/);
  });

  it("a lease of an apply on another host is taken over only once it expires", async () => {
    const dir = copyProject(LAKE_DEMO, "lease-host");
    const lake = join(dir, ".cpg", "lake");
    const expires = new Date(Date.now() + 1_500).toISOString();
    // The lock file as an apply on another machine sharing the lake writes it (its pid means nothing here).
    const lock = { id: "8d0e6a52-7f9a-4d3c-9a51-0c7f1b2e3d4f", owner: "ci@runner-9: cpgc apply", pid: 1, host: "runner-9.example", created_at: new Date().toISOString(), expires_at: expires, plan_id: null };
    mkdirSync(lake, { recursive: true });
    writeFileSync(join(lake, "_cpgc_lock"), `${JSON.stringify(lock, null, 2)}\n`);
    const refused = expectExit(await cli(["apply", "--auto-approve"], dir), 1);
    expect(refused.stderr).toContain("pid 1 on runner-9.example");
    expectExit(await cli(["apply", "--auto-approve", "--lock-timeout", "30s"], dir), 0);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expires));
    expect(existsSync(join(lake, "_cpgc_lock"))).toBe(false);
  });
});
