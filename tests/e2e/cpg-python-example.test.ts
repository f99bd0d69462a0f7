// examples/cpg-python, step by step as its README says, on a copy laid out like the checkout
// (<tmp>/examples/cpg-python beside <tmp>/specs, which its config reads as ../../specs). The
// `cpgc query` blocks of the README are run and their output compared with what it shows; the
// edit of step 3 is the README's own command.
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

import { REPO_ROOT } from "../helpers/fixture-project.js";
import { cli, expectExit, tempDir } from "../helpers/plan-apply-lake.js";

const EXAMPLE = join(REPO_ROOT, "examples", "cpg-python");
const README = readFileSync(join(EXAMPLE, "README.md"), "utf8");

/** The README's fenced `$ cpgc query "…"` blocks, in order: the SQL and the output shown. */
const QUERY_BLOCKS = [...README.matchAll(/```\n\$ cpgc query "(.*)"\n([\s\S]*?)```/g)].map((m) => ({ sql: m[1]!, output: m[2]! }));
/** The README's step 3 edit (a shell command appending to a file of src/). */
const EDIT = /^ {4}(printf .* >> src\/inventory\/pricing\.py)$/m.exec(README)?.[1];
/** The lines of the README's shortened plan of step 3 (without the … elisions). */
const PLAN_LINES = (/The plan, shortened to each action and its reason:\n\n```\n([\s\S]*?)```/.exec(README)?.[1] ?? "")
  .split("\n")
  .filter((l) => l.trim() !== "" && l.trim() !== "…");

let dir: string;

const run = async (...argv: string[]) => expectExit(await cli(argv, dir), 0, `cpgc ${argv.join(" ")}: `).stdout;
/** Rows of bytecode instructions depend on python3's version; the rest of a block does not. */
const versionFree = (out: string) => out.split("\n").filter((l) => !/^instruction\s*\|/.test(l)).join("\n");

async function expectQueryBlock(i: number): Promise<void> {
  const block = QUERY_BLOCKS[i]!;
  const out = await run("query", block.sql);
  expect(versionFree(out)).toBe(versionFree(block.output));
}

beforeAll(() => {
  const root = tempDir("cpg-python-example");
  cpSync(join(REPO_ROOT, "specs"), join(root, "specs"), { recursive: true });
  dir = join(root, "examples", "cpg-python");
  cpSync(EXAMPLE, dir, { recursive: true, filter: (p) => !relative(EXAMPLE, p).split("/").some((s) => s === ".cpg" || s === "__pycache__") });
});

describe("examples/cpg-python, as its README walks through it", () => {
  it("the README has what the steps below run", () => {
    expect(QUERY_BLOCKS.map((b) => b.output.split("\n")[0])).toEqual([
      "path                | stage | error_type  | message                                                          | line",
      "kind        | nodes",
      "caller                             | callee",
      "kind     | src                         | dst",
      "caller                       | path                 | line",
      "caller                       | path                 | line",
    ]);
    expect(EDIT).toBeDefined();
    expect(PLAN_LINES.length).toBeGreaterThan(8);
  });

  it(
    "plan, apply (legacy.py is a row of extract_errors), query, touch a file, plan again, apply incrementally, query",
    async () => {
      // 1. plan and apply
      expect(await run("plan")).toMatch(/^Plan: 23 to create, 5 to update, 0 to rematerialize, 0 to destroy\.$/m);
      const applied = await run("apply", "--auto-approve");
      expect(applied).toContain("extracted 5 files with python (1 failed: see extract_errors)");
      expect(applied).toMatch(/^Apply complete! Resources: 23 created, 5 updated, 0 rematerialized, 0 destroyed\.$/m);
      expect(await run("plan")).toContain("No changes. Your lake matches the configuration.");

      // 2. the queries of the README, with its output
      for (const i of [0, 1, 2, 3, 4]) await expectQueryBlock(i);

      // 3. the README's edit; the plan re-extracts that file and refreshes the per-file views by path
      const edit = spawnSync("bash", ["-c", EDIT!], { cwd: dir, encoding: "utf8" });
      expect(edit.status, edit.stderr).toBe(0);
      const plan = await run("plan");
      const planLines = plan.split("\n");
      for (const line of PLAN_LINES) expect(planLines).toContain(line);
      expect(plan.match(/load: re-extract 1 file \(1 changed: inventory\/pricing\.py\) of 5 in src$/gm)).toHaveLength(8);
      expect(plan.match(/refresh: refresh incrementally by path/g)).toHaveLength(14);
      expect(plan).toContain("recomputed in full, written as the difference by path");

      const reapplied = await run("apply", "--auto-approve");
      expect(reapplied).toContain("extracted 1 file with python in");
      expect(reapplied.match(/ committed +v1 +1 file /g)).toHaveLength(8);
      // every view but norm_imports (pricing.py's imports did not change) writes pricing.py's rows
      expect(reapplied.match(/ committed +v1 +incremental \(1 key\) /g)).toHaveLength(14);
      expect(reapplied).toMatch(/^ +⟳ norm_imports +committed +v1 +incremental \(0 keys\) +0 rows /m);
      expect(reapplied).toMatch(/^Apply complete! Resources: 0 created, 8 updated, 15 rematerialized, 0 destroyed\.$/m);

      // 4. query again; nothing left to do
      await expectQueryBlock(5);
      expect(await run("plan")).toContain("No changes. Your lake matches the configuration.");
    },
    300_000,
  );
});
