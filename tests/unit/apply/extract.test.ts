// Extract datasets through observe → plan → apply with the real python3 extractor: a full build,
// the next plan empty, one edit re-extracting exactly the files it touched (one extractor run for
// every table, one commit per table) into rows equal to a from-scratch build, a syntax error as a
// row of extract_errors, and nothing left under _cpgc_staging.
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { loadDeltaHistory, openDatabase } from "../../../runtime-native/index.js";
import type { ApplyEvent } from "../../../runtime-native/ts/apply/execute.js";
import { acting, canonical, project, type Project } from "./project.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const CONFIG = `version: 1
project: extract_test
specs: ["specs/**/*.yaml"]
lake: { root: .cpg/lake }
defaults:
  delta: { features: [changeDataFeed] }
  materialize: table
variables:
  source_root: src
`;

const PER_FILE = `kind: View
name: tokens_per_file
materialize: incremental
incremental: { key: path }
sql: |
  select path, count(*) as tokens, count(*) filter (where kind = 'NAME') as names
  from py_tokens
  group by path
`;

const SOURCES: Record<string, string> = {
  "src/pkg/__init__.py": "from .a import f\n",
  "src/pkg/a.py": "def f(x):\n    return g(x) + 1\n\ndef g(y):\n    return y * 2\n",
  "src/pkg/b.py": "import os\n\nclass C:\n    def m(self):\n        return os.sep\n",
  "src/pkg/c.py": "VALUE = 3\n",
};

function makeProject(): Project {
  const p = project(db, CONFIG, { "specs/views.yaml": PER_FILE, ...SOURCES }, { extractSpecs: ["repo_files", "py_tokens", "extract_errors"] });
  return p;
}

const TABLES = ["repo_files", "py_tokens", "extract_errors"] as const;
const ORDER: Record<string, string> = { repo_files: "path", py_tokens: "path, idx", extract_errors: "path, stage", tokens_per_file: "path" };

function snapshotRows(p: Project): Record<string, string[]> {
  return Object.fromEntries([...TABLES, "tokens_per_file"].map((t) => [t, canonical(p.rows(t, ORDER[t]!).map((r) => (t === "repo_files" ? r : r)))]));
}

const extractEnds = (events: readonly ApplyEvent[]) => events.filter((e) => e.type === "extract-end");

describe("extract datasets in apply", () => {
  it("builds, converges, re-extracts exactly the touched files, and equals a from-scratch build", async () => {
    const p = makeProject();
    const first = await p.converge();
    expect(acting(first.plan)).toEqual(["extract_errors:create", "py_tokens:create", "repo_files:create", "tokens_per_file:create"].sort((a, b) => first.plan.tables.findIndex((t) => a.startsWith(`${t.name}:`)) - first.plan.tables.findIndex((t) => b.startsWith(`${t.name}:`))));
    expect(first.report.status).toBe("success");
    expect(extractEnds(first.events)).toEqual([{ type: "extract-end", extractor: "python", files: 4, failed: 0, duration_ms: expect.any(Number) }]);
    for (const t of TABLES) expect(first.report.actions.find((a) => a.table === t)?.files_extracted).toBe(4);
    expect(p.rows("repo_files", "path").map((r) => r["path"])).toEqual(["pkg/__init__.py", "pkg/a.py", "pkg/b.py", "pkg/c.py"]);
    expect(existsSync(path.join(p.lake, "_cpgc_staging")) ? readdirSync(path.join(p.lake, "_cpgc_staging")) : []).toEqual([]);

    const d = await p.desired();
    expect(acting(p.plan(d))).toEqual([]);

    // Touch one file, add one, remove one.
    p.write("src/pkg/a.py", "def f(x):\n    return g(x) + 2  # changed\n\ndef g(y):\n    return y * 2\n");
    p.write("src/pkg/d.py", "def h():\n    pass\n");
    rmSync(path.join(p.dir, "src/pkg/c.py"));
    const plan = p.plan(d);
    const tokens = plan.tables.find((t) => t.name === "py_tokens")!;
    expect(tokens.op).toBe("update");
    expect(tokens.changes[0]!.reason).toBe("re-extract 2 files (1 changed, 1 added: pkg/a.py, pkg/d.py), remove 1 file (pkg/c.py) of 4 in src");
    const view = plan.tables.find((t) => t.name === "tokens_per_file")!;
    expect(view.changes[0]!.reason).toMatch(/^refresh incrementally by path \(≤ 3 keys\) from the change feed of py_tokens/);
    const versionsBefore = Object.fromEntries(TABLES.map((t) => [t, loadDeltaHistory(path.join(p.lake, t), { limit: 1 }).entries[0]!.version]));
    const events: ApplyEvent[] = [];
    const report = await p.apply(plan, d, events);
    expect(report.status).toBe("success");
    expect(extractEnds(events)).toEqual([{ type: "extract-end", extractor: "python", files: 2, failed: 0, duration_ms: expect.any(Number) }]);
    for (const t of TABLES) {
      const a = report.actions.find((x) => x.table === t)!;
      expect([a.outcome, a.files_extracted, a.version]).toEqual(["committed", 2, versionsBefore[t]! + 1]);
    }
    expect(report.actions.find((a) => a.table === "tokens_per_file")?.refresh).toEqual({ mode: "incremental", keys: 3 });
    expect(acting(p.plan(d))).toEqual([]);

    // A fresh lake built from the edited tree holds the same rows.
    const fresh = makeProject();
    for (const [file, text] of Object.entries({ ...SOURCES, "src/pkg/a.py": "def f(x):\n    return g(x) + 2  # changed\n\ndef g(y):\n    return y * 2\n", "src/pkg/d.py": "def h():\n    pass\n" })) fresh.write(file, text);
    rmSync(path.join(fresh.dir, "src/pkg/c.py"));
    await fresh.converge();
    expect(snapshotRows(p)).toEqual(snapshotRows(fresh));
  });

  it("a resumed apply of the same plan skips what committed and does not run the extractor for it", async () => {
    const p = makeProject();
    const d = await p.desired();
    const plan = p.plan(d);
    expect((await p.apply(plan, d)).status).toBe("success");
    const events: ApplyEvent[] = [];
    const again = await p.apply(plan, d, events);
    expect(again.actions.filter((a) => a.table !== "tokens_per_file").map((a) => a.outcome)).toEqual(["already-applied", "already-applied", "already-applied"]);
    expect(extractEnds(events)).toEqual([]);
  });

  it("a file with a syntax error is a row of extract_errors, and the build goes on", async () => {
    const p = makeProject();
    p.write("src/pkg/broken.py", "def oops(:\n    pass\n");
    const { report } = await p.converge();
    expect(report.status).toBe("success");
    expect(p.rows("extract_errors", "path").map((r) => [r["path"], r["stage"], r["error_type"]])).toEqual([["pkg/broken.py", "parse", "SyntaxError"]]);
    expect(p.rows("repo_files", "path").map((r) => r["path"])).toContain("pkg/broken.py");
  });

  it("-var source_root points the tree elsewhere: the next plan re-extracts in full", async () => {
    const p = makeProject();
    await p.converge();
    p.write("other/x.py", "X = 1\n");
    const d = await p.desired({ source_root: "other" });
    const plan = p.plan(d);
    expect(plan.tables.find((t) => t.name === "repo_files")!.changes[0]!.reason).toMatch(/^the columns, extractor table or source tree changed: extract all 1 file of other/);
    const report = await p.apply(plan, d);
    expect(report.status).toBe("success");
    expect(p.rows("repo_files", "path").map((r) => r["path"])).toEqual(["x.py"]);
  });
});
