// `npm run demo` without the setup step: scripts/demo.mjs on a copy of the root project (as on a
// fresh clone: no lake yet), run twice — the second run plans "No changes" and answers the same.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { copyRootProject } from "../helpers/cpg-lake.js";
import { REPO_ROOT } from "../helpers/fixture-project.js";

function demo(dir: string): string {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "demo.mjs"), "--dir", dir], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" },
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`demo exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

/** The demo's output from its first query on: what both runs print the same. */
const queries = (out: string) => out.slice(out.indexOf("== The graph"));

describe("npm run demo (scripts/demo.mjs)", () => {
  it(
    "plans, applies, summarizes and queries the CPG of stdlib json; a second run has no changes and the same answers",
    () => {
      const dir = copyRootProject("cpg-demo");
      const first = demo(dir);
      expect(first).toMatch(/^Plan: 23 to create, 5 to update, 0 to rematerialize, 0 to destroy\.$/m);
      expect(first).toMatch(/^ {6}load: extract 5 files of stdlib:json /m);
      expect(first).toContain("== cpgc apply .cpg/demo.plan");
      expect(first).toMatch(/^Apply complete! Resources: 23 created, 5 updated, 0 rematerialized, 0 destroyed\.$/m);
      // idempotent: the plan right after the apply is empty
      expect(first).toContain("== cpgc plan --detailed-exitcode\n\nNo changes. Your lake matches the configuration.  (exit 0)");
      // the summary: node and edge counts by kind, through `cpgc query`
      expect(first).toMatch(/^\$ cpgc query "select kind, count\(\*\) as nodes from cpg_nodes /m);
      for (const kind of ["file", "module", "class", "function", "parameter", "call", "name", "attribute", "import", "scope", "symbol", "instruction"]) {
        expect(first).toMatch(new RegExp(`^${kind} +\\| \\d+$`, "m"));
      }
      for (const kind of ["AST_CHILD", "CONTAINS", "DEFINES", "REFERENCES", "CALLS", "IMPORTS", "BYTECODE_LINE"]) {
        expect(first).toMatch(new RegExp(`^${kind} +\\| \\d+$`, "m"));
      }
      // the examples: callers of json.loads, classes with the most methods
      expect(first).toContain("== Who calls json.loads?");
      expect(first).toMatch(/^json\.load +\| __init__\.py +\| \d+$/m);
      expect(first).toMatch(/^json\.encoder\.JSONEncoder +\| 4 +\| __init__, default, encode, iterencode$/m);

      // README.md shows the same commands
      const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
      const commands = first.split("\n").filter((l) => l.startsWith("$ cpgc query "));
      expect(commands).toHaveLength(4);
      for (const c of commands) expect(readme).toContain(c);

      const second = demo(dir);
      expect(second).toContain("No changes. Your lake matches the configuration.");
      expect(second).not.toContain("cpgc apply");
      expect(queries(second)).toBe(queries(first));
    },
    600_000,
  );
});
