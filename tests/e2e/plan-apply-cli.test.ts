/**
 * `cpgc plan` / `apply` / `show` / `runs` / `force-unlock` through the real CLI binary, on
 * temporary copies of the shared contract project and examples/lake-demo. Expected rows are
 * computed here from the NDJSON sources in plain TypeScript, independently of cpgc.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cpgc, type CliResult } from "../helpers/cli.js";
import { REPO_ROOT, SHARED_CONTRACT } from "../helpers/fixture-project.js";

const LAKE_DEMO = join(REPO_ROOT, "examples", "lake-demo");
const HAVE_CONTRACT = existsSync(join(SHARED_CONTRACT, "cpg.config.yaml"));
if (!HAVE_CONTRACT) console.warn(`skipping the contract tests: ${SHARED_CONTRACT} is absent (CI runs with ../shared beside the clone)`);

function copyProject(from: string, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cpgc-plan-${name}-`));
  cpSync(from, dir, { recursive: true, filter: (p) => !p.includes(`${join(from, ".cpg")}`) && !p.endsWith("check.sh") });
  return dir;
}

/** Fails with the CLI's output in the message, so a wrong exit code explains itself. */
function expectExit(r: CliResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

function ndjson<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

function queryRows(dir: string, sql: string): Record<string, unknown>[] {
  const r = cpgc(["query", sql, "--format", "ndjson"], dir);
  expectExit(r, 0);
  return r.stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const byKey = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[key]).localeCompare(String(b[key]));

interface AstNode {
  node_id: string;
  file_id: string;
  parent_id: string | null;
  kind: string;
  name: string | null;
  span: { bstart: number; bend: number };
}
interface FileRow {
  file_id: string;
  path: string;
  lines: number;
}

/** The contract's three views, computed from its NDJSON files by their definitions (min_lines = 10). */
function contractExpected() {
  const files = ndjson<FileRow>(join(SHARED_CONTRACT, "data", "files.ndjson"));
  const nodes = ndjson<AstNode>(join(SHARED_CONTRACT, "data", "ast_nodes.ndjson"));
  const fileById = new Map(files.map((f) => [f.file_id, f]));
  const nodeById = new Map(nodes.map((n) => [n.node_id, n]));
  const functions = nodes
    .filter((n) => (n.kind === "FunctionDef" || n.kind === "AsyncFunctionDef") && (fileById.get(n.file_id)?.lines ?? -1) >= 10)
    .map((n) => ({ node_id: n.node_id, name: n.name, path: fileById.get(n.file_id)!.path, bstart: n.span.bstart, bend: n.span.bend }));
  const fnById = new Map(functions.map((f) => [f.node_id, f]));
  const fileStats = files.map((f) => {
    const own = nodes.filter((n) => n.file_id === f.file_id);
    return { path: f.path, n_nodes: own.length, n_calls: own.filter((n) => n.kind === "Call").length };
  });
  // The recursive CTE walks up to 64 parents; the nearest enclosing function wins.
  const callEdges = nodes
    .filter((n) => n.kind === "Call")
    .flatMap((c) => {
      let ancestor = c.parent_id;
      for (let depth = 1; ancestor !== null && depth <= 64; depth++) {
        const fn = fnById.get(ancestor);
        if (fn) return [{ call_id: c.node_id, function_id: fn.node_id, function_name: fn.name }];
        ancestor = nodeById.get(ancestor)?.parent_id ?? null;
      }
      return [];
    });
  return { functions, fileStats, callEdges };
}

describe.skipIf(!HAVE_CONTRACT)("the shared contract project", () => {
  it("plan exits 2, apply succeeds, the next plan exits 0, and query returns the views' rows", () => {
    const dir = copyProject(SHARED_CONTRACT, "contract");
    const first = cpgc(["plan", "--detailed-exitcode"], dir);
    expectExit(first, 2);
    expect(first.stdout).toMatch(/^Plan: \d+ to create, \d+ to update, \d+ to rematerialize, \d+ to destroy\.$/m);

    const apply = cpgc(["apply", "--auto-approve"], dir);
    expectExit(apply, 0);
    // The logical view file_stats is registered: the plan counts a registration as an update.
    expect(apply.stdout).toMatch(/^Apply complete! Resources: 4 created, 1 updated, 0 rematerialized, 0 destroyed\.$/m);

    const again = cpgc(["plan", "--detailed-exitcode"], dir);
    expectExit(again, 0);
    expect(again.stdout).toContain("No changes. Your lake matches the configuration.");

    const expected = contractExpected();
    expect(queryRows(dir, "select node_id, name, path, bstart, bend from functions").sort(byKey("node_id"))).toEqual(expected.functions.sort(byKey("node_id")));
    expect(queryRows(dir, "select path, n_nodes, n_calls from file_stats").sort(byKey("path"))).toEqual(expected.fileStats.sort(byKey("path")));
    expect(queryRows(dir, "select call_id, function_id, function_name from call_edges").sort(byKey("call_id"))).toEqual(expected.callEdges.sort(byKey("call_id")));
    expect(expected.callEdges.length).toBeGreaterThan(0);

    const second = cpgc(["apply", "--auto-approve"], dir);
    expectExit(second, 0);
    expect(second.stdout).toContain("No changes. Your lake matches the configuration.");
  });

  it("passes ../shared/contract/check.sh (validate, plan, apply, plan)", () => {
    const r = spawnSync("bash", [join(SHARED_CONTRACT, "check.sh")], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
    if (r.status !== 0) throw new Error(`check.sh exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toContain("ok   cpgc plan --detailed-exitcode (exit 2)");
    expect(r.stdout).toContain("ok   cpgc apply --auto-approve (exit 0)");
    expect(r.stdout).toContain("ok   cpgc plan --detailed-exitcode (exit 0)");
    expect(r.stdout).toContain("contract: 0 failing step(s)");
  }, 180_000);
});

describe("examples/lake-demo", () => {
  it("plan -out, show, apply FILE, then no changes; runs lists the run; query sees the logical view", () => {
    const dir = copyProject(LAKE_DEMO, "demo");
    const plan = cpgc(["plan", "-out", "demo.plan"], dir);
    expectExit(plan, 0);
    expect(plan.stdout).toContain("Saved the plan to: demo.plan");
    expect(plan.stdout).toContain("cpgc apply demo.plan");
    expect(plan.stdout).toMatch(/^Plan: 5 to create, 1 to update, 0 to rematerialize, 0 to destroy\.$/m);

    const show = cpgc(["show", "demo.plan"], dir);
    expectExit(show, 0);
    expect(plan.stdout.startsWith(show.stdout.trimEnd())).toBe(true);
    const json = JSON.parse(cpgc(["show", "demo.plan", "--json"], dir).stdout) as { format_version: string };
    expect(json.format_version).toBe("1.1");
    expect(cpgc(["show", "demo.plan", "--markdown"], dir).stdout).toContain("```mermaid");

    const apply = cpgc(["apply", "demo.plan"], dir);
    expectExit(apply, 0);
    for (const t of ["files", "symbols", "calls", "functions", "call_graph"]) expect(apply.stdout).toMatch(new RegExp(`^  \\+\\s+${t}\\s+committed`, "m"));
    expect(apply.stdout).toMatch(/^Apply complete! Resources: 5 created, 1 updated, 0 rematerialized, 0 destroyed\.$/m);

    expectExit(cpgc(["plan", "--detailed-exitcode"], dir), 0);

    const runs = cpgc(["runs"], dir);
    expectExit(runs, 0);
    expect(runs.stdout).toMatch(/^RUN\s+STARTED\s+DURATION\s+STATUS\s+PLAN\s+ACTIONS$/m);
    expect(runs.stdout).toContain("success");
    const runsJson = JSON.parse(cpgc(["runs", "--json"], dir).stdout) as { format_version: string; runs: { status: string; plan_id: string }[] };
    expect(runsJson.format_version).toBe("1.0");
    expect(runsJson.runs).toHaveLength(1);
    expect(runsJson.runs[0]!.status).toBe("success");

    expect(queryRows(dir, "select path, n_functions, n_calls from file_summary order by path")).toEqual([
      { path: "shop/__init__.py", n_functions: 1, n_calls: 0 },
      { path: "shop/cart.py", n_functions: 3, n_calls: 6 },
      { path: "shop/pricing.py", n_functions: 3, n_calls: 0 },
    ]);
    expect(queryRows(dir, "select call_id, caller, callee_id from call_graph order by call_id")).toEqual([
      { call_id: "c1", caller: "total", callee_id: "s5" },
      { call_id: "c2", caller: "total", callee_id: "s6" },
      { call_id: "c3", caller: "checkout", callee_id: "s3" },
      { call_id: "c4", caller: "checkout", callee_id: "s7" },
      { call_id: "c5", caller: "checkout", callee_id: null },
      { call_id: "c6", caller: "add_item", callee_id: "s5" },
    ]);
  });

  it("refuses a saved plan made when the tables were absent, once another apply created them", () => {
    const dir = copyProject(LAKE_DEMO, "stale-absent");
    expectExit(cpgc(["plan", "-out", "early.plan"], dir), 0);
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    const r = cpgc(["apply", "early.plan"], dir);
    expectExit(r, 1);
    expect(r.stderr).toContain("error[CPG1411]: the saved plan early.plan is stale");
    for (const t of ["files", "symbols", "calls", "functions", "call_graph"]) expect(r.stderr).toMatch(new RegExp(`^  ${t}\\s+\\S`, "m"));
    // The refused apply released the lock: the next one proceeds.
    expect(existsSync(join(dir, ".cpg", "lake", "_cpgc_lock"))).toBe(false);
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
  });

  it("refuses a saved plan made stale by another apply in between", () => {
    const dir = copyProject(LAKE_DEMO, "stale-moved");
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n');
    const plan = cpgc(["plan", "-out", "reviewed.plan", "--detailed-exitcode"], dir);
    expectExit(plan, 2);
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c8", "caller_id": "s3", "callee": "discount", "line": 27}\n');
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    const r = cpgc(["apply", "reviewed.plan"], dir);
    expectExit(r, 1);
    expect(r.stderr).toContain("is stale");
    expect(r.stderr).toMatch(/^  calls\s+\S/m);
    expectExit(cpgc(["plan", "--detailed-exitcode"], dir), 0);
  });

  it("a changed source reloads it and rematerializes what reads it; -var changes the plan", () => {
    const dir = copyProject(LAKE_DEMO, "reload");
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n');
    const plan = cpgc(["plan", "--detailed-exitcode"], dir);
    expectExit(plan, 2);
    expect(plan.stdout).toMatch(/dataset\.calls/);
    expect(plan.stdout).toMatch(/view\.call_graph/);
    expect(plan.stdout).not.toMatch(/view\.functions/);
    const apply = cpgc(["apply", "--auto-approve"], dir);
    expectExit(apply, 0);
    expect(queryRows(dir, "select count(*) as n from call_graph")).toEqual([{ n: 7 }]);
    expectExit(cpgc(["plan", "--detailed-exitcode"], dir), 0);

    const withVar = cpgc(["plan", "--detailed-exitcode", "-var", "min_lines=40"], dir);
    expectExit(withVar, 2);
    expect(withVar.stdout).toMatch(/view\.functions/);
    expect(withVar.stdout).toContain("Variables (-var): min_lines=40.");
  });

  it("a saved plan applies with the -var values it was made with; a different -var beside it is refused", () => {
    const dir = copyProject(LAKE_DEMO, "saved-var");
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    expectExit(cpgc(["plan", "-var", "min_lines=40", "-out", "plan.cpgc"], dir), 0);
    const shown = cpgc(["show", "plan.cpgc", "--json"], dir);
    expectExit(shown, 0);
    expect(JSON.parse(shown.stdout).options.variables).toEqual({ min_lines: 40 });

    const other = cpgc(["apply", "plan.cpgc", "-var", "min_lines=5"], dir);
    expectExit(other, 1);
    expect(other.stderr).toContain("-var min_lines=5 differs from plan.cpgc, which was planned with min_lines=40");
    const same = cpgc(["apply", "plan.cpgc", "-var", "min_lines=40"], dir);
    expectExit(same, 0);
    expect(same.stdout).toMatch(/functions/);
    // Applied with min_lines=40: the lake now matches that, and the default plans a change back.
    expectExit(cpgc(["plan", "--detailed-exitcode", "-var", "min_lines=40"], dir), 0);
    expectExit(cpgc(["plan", "--detailed-exitcode"], dir), 2);
  });

  it("a saved plan made with -var applies without repeating it", () => {
    const dir = copyProject(LAKE_DEMO, "saved-var-bare");
    expectExit(cpgc(["plan", "-var", "min_lines=40", "-out", "plan.cpgc"], dir), 0);
    expectExit(cpgc(["apply", "plan.cpgc"], dir), 0);
    expectExit(cpgc(["plan", "--detailed-exitcode", "-var", "min_lines=40"], dir), 0);
  });

  it("a failing expectation leaves its table at its previous version and skips what reads it; --json reports it", () => {
    const dir = copyProject(LAKE_DEMO, "expectation");
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    // A second row with symbol_id s2 breaks the primary key (unique) of symbols.
    appendFileSync(join(dir, "data", "symbols.ndjson"), '{"symbol_id": "s2", "file_id": "f3", "kind": "function", "name": "dup", "line_start": 1, "line_end": 2}\n');
    const r = cpgc(["apply", "--auto-approve"], dir);
    expectExit(r, 1);
    expect(r.stdout).toMatch(/^  ~ symbols\s+failed\s/m);
    expect(r.stdout).toMatch(/^  ⟳ functions\s+skipped\s/m);
    expect(r.stdout).toMatch(/^  ✗ unique\(symbol_id\): 2 offending rows$/m);
    expect(r.stdout).toContain('"symbol_id":"s2"');
    expect(r.stdout).toContain("Skipped: call_graph — functions was not applied");
    expect(r.stdout).toMatch(/^Apply incomplete! Resources: 0 created, 0 updated, 0 rematerialized, 0 destroyed\. 1 failed, 2 skipped\.$/m);
    expect(queryRows(dir, "select count(*) as n from symbols")).toEqual([{ n: 8 }]);

    const json = cpgc(["apply", "--auto-approve", "--json"], dir);
    expectExit(json, 1);
    const report = JSON.parse(json.stdout) as { format_version: string; status: string; actions: { table: string; outcome: string; expectations: { passed: boolean; failing: number }[] }[] };
    expect(report.format_version).toBe("1.0");
    expect(report.status).toBe("failed"); // nothing committed
    expect(report.actions.map((a) => [a.table, a.outcome])).toEqual([
      ["symbols", "failed"],
      ["functions", "skipped"],
      ["call_graph", "skipped"],
    ]);
    expect(report.actions[0]!.expectations.find((e) => !e.passed)?.failing).toBe(2);
    const runs = JSON.parse(cpgc(["runs", "--json", "--limit", "2"], dir).stdout) as { runs: { status: string }[] };
    expect(runs.runs.map((x) => x.status)).toEqual(["failed", "failed"]);
  });

  it("comment-only edits change nothing; orphans are listed, destroyed only with --prune (exit 3); a removed column is refused", () => {
    const dir = copyProject(LAKE_DEMO, "changes");
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
    const views = join(dir, "specs", "views.yaml");
    writeFileSync(views, readFileSync(views, "utf8").replace("  from symbols s\n", "  -- every symbol\n  from   symbols   s\n"));
    expectExit(cpgc(["plan", "--detailed-exitcode"], dir), 0);

    cpSync(join(dir, ".cpg", "lake", "files"), join(dir, ".cpg", "lake", "old_files"), { recursive: true });
    const listed = cpgc(["plan", "--detailed-exitcode"], dir);
    expectExit(listed, 0);
    expect(listed.stdout).toMatch(/^  \? orphan\.old_files /m);
    const prune = cpgc(["plan", "--detailed-exitcode", "--prune"], dir);
    expectExit(prune, 3);
    expect(prune.stdout).toMatch(/^  - orphan\.old_files \[destructive\]$/m);
    const pruned = cpgc(["apply", "--auto-approve", "--prune"], dir);
    expectExit(pruned, 0);
    expect(pruned.stdout).toMatch(/^Apply complete! Resources: 0 created, 0 updated, 0 rematerialized, 1 destroyed\.$/m);
    expect(existsSync(join(dir, ".cpg", "lake", "old_files"))).toBe(false);

    const datasets = join(dir, "specs", "datasets.yaml");
    writeFileSync(datasets, readFileSync(datasets, "utf8").replace("    - { name: language, type: utf8, semantic: Language }\n", ""));
    for (const args of [["plan", "--detailed-exitcode"], ["apply", "--auto-approve"]]) {
      const r = cpgc(args, dir);
      expectExit(r, 1);
      expect(r.stdout).toContain("Error: [CPG1401] dataset.files: column language removed");
      expect(r.stderr).toContain("✗ the plan cannot be applied: 1 error (CPG1401)");
    }
    const json = cpgc(["plan", "--json"], dir);
    expectExit(json, 1);
    expect(json.stderr).toMatch(/^error\[CPG1401\]: files: column language removed/m);
    expect(json.stderr).toContain("--> specs/datasets.yaml:");
    expect(queryRows(dir, "select count(*) as n from files")).toEqual([{ n: 3 }]);
  });

  it("apply without --auto-approve and no terminal exits 1 and says what to pass", () => {
    const dir = copyProject(LAKE_DEMO, "no-tty");
    const r = cpgc(["apply"], dir);
    expectExit(r, 1);
    expect(r.stderr).toContain("--auto-approve");
    expect(r.stderr).toContain("cpgc plan -out");
    expect(existsSync(join(dir, ".cpg", "lake", "files"))).toBe(false);
  });

  it("asks on a terminal: anything but 'yes' cancels, 'yes' applies", () => {
    const dir = copyProject(LAKE_DEMO, "tty");
    const no = onTerminal(["apply"], dir, "no");
    expect(no.output).toContain("Do you want to perform these actions?");
    expect(no.output).toContain("Apply cancelled");
    expect(no.code).toBe(1);
    const yes = onTerminal(["apply"], dir, "yes");
    expect(yes.output).toContain("Apply complete!");
    expect(yes.code).toBe(0);
  });

  it("a held lock fails apply with its owner and the force-unlock command; force-unlock checks the ID", async () => {
    const dir = copyProject(LAKE_DEMO, "lock");
    const lakeRoot = join(dir, ".cpg", "lake");
    const { acquireLakeLock, readLakeLock } = await import("../../runtime-native/ts/apply/lock.js");
    await acquireLakeLock(lakeRoot, { timeoutMs: 0, owner: "someone else" });
    const id = (readLakeLock(lakeRoot) as { id: string }).id;

    const r = cpgc(["apply", "--auto-approve"], dir);
    expectExit(r, 1);
    expect(r.stderr).toContain("error[LOCK_HELD]");
    expect(r.stderr).toContain("someone else");
    expect(r.stderr).toContain(`pid ${process.pid}`);
    expect(r.stderr).toContain(`cpgc force-unlock ${id}`);

    const waited = cpgc(["apply", "--auto-approve", "--lock-timeout", "1s"], dir);
    expectExit(waited, 1);
    expect(waited.stderr).toContain("waited 1s");
    expectExit(cpgc(["apply", "--auto-approve", "--lock-timeout", "soon"], dir), 1);

    const wrong = cpgc(["force-unlock", "not-the-id"], dir);
    expectExit(wrong, 1);
    expect(wrong.stderr).toContain("error[LOCK_NOT_HELD]");
    expect(wrong.stderr).toContain(`has id ${id}, not not-the-id`);

    const unlock = cpgc(["force-unlock", id], dir);
    expectExit(unlock, 0);
    expect(unlock.stdout).toContain("is unlocked");
    expect(unlock.stdout).toContain("someone else");
    const again = cpgc(["force-unlock", id], dir);
    expectExit(again, 1);
    expect(again.stderr).toContain("is not locked");
    expectExit(cpgc(["apply", "--auto-approve"], dir), 0);
  });

  it("refuses a plan file that is not a cpgc plan", () => {
    const dir = copyProject(LAKE_DEMO, "corrupt");
    writeFileSync(join(dir, "junk.plan"), "this is not a plan\n");
    for (const args of [["apply", "junk.plan"], ["show", "junk.plan"]]) {
      const r = cpgc(args, dir);
      expectExit(r, 1);
      expect(r.stderr).toMatch(/^error\[CPG1410\]: junk\.plan: /m);
    }
    const missing = cpgc(["show", "nope.plan"], dir);
    expectExit(missing, 1);
    expect(missing.stderr).toContain("plan file not found: nope.plan");
    const mixed = cpgc(["apply", "junk.plan", "--target", "files"], dir);
    expectExit(mixed, 1);
    expect(mixed.stderr).toContain("--target shapes a new plan");
  });

  it("prints spec errors exactly as validate does and exits 1", () => {
    const dir = copyProject(LAKE_DEMO, "invalid");
    const views = join(dir, "specs", "views.yaml");
    writeFileSync(views, readFileSync(views, "utf8").replace("s.line_end", "s.line_ending"));
    const validate = cpgc(["validate"], dir);
    expectExit(validate, 1);
    for (const args of [["plan"], ["apply", "--auto-approve"]]) {
      const r = cpgc(args, dir);
      expectExit(r, 1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(validate.stderr);
    }
  });

  it("checks its options: unknown --target, --json with --markdown", () => {
    const dir = copyProject(LAKE_DEMO, "usage");
    const target = cpgc(["plan", "--target", "functons"], dir);
    expectExit(target, 1);
    expect(target.stderr).toContain("error[CPG1407]: --target 'functons' names no dataset or view of the project and no table of the lake");
    expect(target.stderr).toContain("did you mean 'functions'?");
    expectExit(cpgc(["plan", "--json", "--markdown"], dir), 1);
    const json = cpgc(["plan", "--json", "--target", "functions"], dir);
    expectExit(json, 0);
    expect((JSON.parse(json.stdout) as { format_version: string }).format_version).toBe("1.1");
  });

  it.each(["plan", "apply", "show", "runs", "force-unlock"])("has --help for %s", (c) => {
    const r = cpgc([c, "--help"], REPO_ROOT);
    expectExit(r, 0);
    expect(r.stdout).toContain(`Usage: cpgc ${c}`);
  });
});

/** Runs cpgc on a pseudo-terminal, answering the first "Enter a value:" prompt with `answer`. */
function onTerminal(args: readonly string[], cwd: string, answer: string): { code: number; output: string } {
  const driver = String.raw`
import os, pty, subprocess, sys
answer, argv = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
os.close(slave)
out, sent = b"", False
while True:
    try:
        data = os.read(master, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if not sent and b"Enter a value:" in out:
        os.write(master, (answer + "\n").encode())
        sent = True
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(p.wait())
`;
  const r = spawnSync("python3", ["-c", driver, answer, process.execPath, join(REPO_ROOT, "bin", "cpgc.js"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" },
  });
  return { code: r.status ?? -1, output: r.stdout.replace(/\r\n/g, "\n") };
}
