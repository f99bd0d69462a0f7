// Issue 6's acceptance on the demo's package: the root project (cpg.config.yaml + specs/) applied
// over a copy of python3's standard-library `json` package (-var source_root=…), plus one file
// python3 cannot parse, through the CLI's own entry point. What the graph must contain comes from
// python3's ast (tests/e2e/cpg-ast-facts.py), not from the extractor.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

import { astFacts, callEdges, classContains, copyRootProject, copyTree, defNodes, expectedGraph, stdlibPackageDir, type AstFacts } from "../helpers/cpg-lake.js";
import { cli, expectExit, lakeRows, query } from "../helpers/plan-apply-lake.js";

/** A module written for Python 2: python3's parser refuses it. */
const BROKEN = { path: "_py2_compat.py", text: '"""Python 2 leftovers."""\n\ndef report(x):\n    print "value:", x\n' };
/** The edit of the "touch one file" step: a new function with two calls, appended to decoder.py. */
const PROBE = "\n\ndef _acceptance_probe(s):\n    return _decode_uXXXX(s, 0) if s else JSONDecoder().decode(s)\n";

interface ApplyJson {
  status: string;
  actions: { table: string; outcome: string; files_extracted?: number; refresh?: { mode: string; keys?: number; reason?: string }; filtered_inputs?: string[] }[];
}
interface PlanJson {
  tables: { name: string; kind: string; role: string; op: string; changes: { kind: string; reason: string }[] }[];
}

let src: string; // the copied package: <tmp>/json
let vars: string[];
let a: string; // project whose lake is built once, then updated incrementally
let b: string; // project whose lake is built from scratch (twice)
let facts: AstFacts;
let firstApply: string;

async function apply(dir: string): Promise<string> {
  return expectExit(await cli(["apply", "--auto-approve", ...vars], dir), 0).stdout;
}

/** cpg_nodes, cpg_edges, cpg_props and every other table and logical view, rows sorted. */
const allRows = (dir: string) => lakeRows(join(dir, ".cpg", "lake"));

async function expectGraphMatches(dir: string, f: AstFacts): Promise<void> {
  const want = expectedGraph(f);
  expect(await defNodes(dir)).toEqual(want.defs);
  expect(await classContains(dir)).toEqual(want.contains);
  const calls = await callEdges(dir);
  for (const c of want.calls) expect(calls).toContain(c);
}

beforeAll(async () => {
  src = copyTree(stdlibPackageDir("json"), "cpg-acc-src");
  writeFileSync(join(src, BROKEN.path), BROKEN.text);
  vars = ["-var", `source_root=${src}`];
  facts = astFacts(src);
  a = copyRootProject("cpg-acc-a");
  b = copyRootProject("cpg-acc-b");
  firstApply = await apply(a);
  await apply(b);
}, 600_000);

describe("the CPG of the stdlib json package (root project, issue 6 acceptance)", () => {
  it("python3's ast sees what the test relies on: defs, methods, a handful of known call sites, one broken file", () => {
    expect(facts.defs.length).toBeGreaterThan(25);
    expect(facts.methods.length).toBeGreaterThan(5);
    expect(facts.calls.length).toBeGreaterThanOrEqual(5);
    expect(facts.broken).toEqual([{ path: BROKEN.path, line: 4 }]);
  });

  it("a file with a syntax error is a row of extract_errors and does not stop the build", async () => {
    expect(firstApply).toMatch(/extracted 6 files with python \(1 failed: see extract_errors\)/);
    expect(firstApply).toMatch(/^Apply complete! Resources: /m);
    expect(await query(a, "select path, stage, error_type, line from extract_errors")).toEqual([
      { path: BROKEN.path, stage: "parse", error_type: "SyntaxError", line: 4 },
    ]);
    // the file is in the tree (a file node) but has no AST, scopes or symbols
    expect(await query(a, `select kind from cpg_nodes where path = '${BROKEN.path}'`)).toEqual([{ kind: "file" }]);
  });

  it("every def of the package is a function node; every method has a CONTAINS edge from its class; known call sites resolve (CALLS)", async () => {
    await expectGraphMatches(a, facts);
    // the defs carry fully qualified names
    const named = await query(a, "select count(*) as n from cpg_nodes where kind = 'function' and ast_kind = 'FunctionDef' and qualname like 'json.%'");
    expect(named).toEqual([{ n: facts.defs.length }]);
  });

  it("the graph is closed: every edge's ends and every property's node are nodes", async () => {
    const dangling = await query(
      a,
      "select e.kind, count(*) as n from cpg_edges e left join cpg_nodes s on s.node_id = e.src left join cpg_nodes d on d.node_id = e.dst " +
        "where s.node_id is null or d.node_id is null group by e.kind",
    );
    expect(dangling).toEqual([]);
    expect(await query(a, "select count(*) as n from cpg_props p anti join cpg_nodes n on n.node_id = p.node_id")).toEqual([{ n: 0 }]);
    // every edge kind but INHERITS (no class of json derives from another class of the package)
    const kinds = (await query(a, "select distinct kind from cpg_edges order by kind")).map((r) => r["kind"]);
    expect(kinds).toEqual(["AST_CHILD", "BYTECODE_LINE", "CALLS", "CONTAINS", "DEFINES", "IMPORTS", "REFERENCES"]);
  });

  it("node ids (and every row of the graph) are identical across two applies into two fresh lakes", async () => {
    const [ra, rb] = [await allRows(a), await allRows(b)];
    for (const t of ["cpg_nodes", "cpg_edges", "cpg_props"]) expect(ra[t]?.length, t).toBeGreaterThan(1000);
    const ids = (rows: string[]) => rows.map((r) => (JSON.parse(r) as { node_id: string }).node_id).sort();
    expect(ids(ra["cpg_nodes"]!)).toEqual(ids(rb["cpg_nodes"]!));
    expect(ra).toEqual(rb);
  });

  it(
    "touching one file re-extracts exactly that file, refreshes the incremental views by key, and equals a from-scratch build",
    async () => {
      const decoder = join(src, "decoder.py");
      appendFileSync(decoder, PROBE);
      expect(readFileSync(decoder, "utf8")).toContain("_acceptance_probe");

      // the plan: each extract dataset re-extracts decoder.py alone; each incremental view (as the
      // specs declare them) is refreshed by key from its inputs' change feeds
      const plan = JSON.parse(expectExit(await cli(["plan", "--json", ...vars], a), 0).stdout) as PlanJson;
      const extract = plan.tables.filter((t) => t.role === "extract").map((t) => t.name);
      const incremental = plan.tables.filter((t) => t.role === "incremental").map((t) => t.name);
      expect(extract).toHaveLength(8);
      expect(incremental.length).toBeGreaterThanOrEqual(10);
      const reason = (name: string, kind: string) => plan.tables.find((t) => t.name === name)?.changes.find((c) => c.kind === kind)?.reason ?? "";
      for (const t of extract) expect([t, reason(t, "load")]).toEqual([t, `re-extract 1 file (1 changed: decoder.py) of 6 in ${src}`]);
      const refresh = Object.fromEntries(incremental.map((t) => [t, reason(t, "refresh")]));
      const notIncremental = Object.entries(refresh).filter(([, r]) => !r.startsWith("refresh incrementally by path")).map(([t, r]) => `${t}: ${r}`);
      expect(notIncremental).toEqual([]);

      const report = JSON.parse(expectExit(await cli(["apply", "--auto-approve", "--json", ...vars], a), 0).stdout) as ApplyJson;
      expect(report.status).toBe("success");
      const byTable = Object.fromEntries(report.actions.map((x) => [x.table, x]));
      for (const t of extract) expect([t, byTable[t]?.files_extracted]).toEqual([t, 1]);
      for (const t of incremental) {
        const r = byTable[t];
        // by decoder.py alone (0 keys: its rows there did not change), reading its inputs through
        // the key (key pushdown; which ones: tests/unit/cpg-views/schema.test.ts)
        expect([t, r?.outcome, r?.refresh?.mode]).toEqual([t, "committed", "incremental"]);
        expect(r?.refresh?.keys ?? -1, t).toBeLessThanOrEqual(1);
        expect(r?.filtered_inputs?.length ?? 0, t).toBeGreaterThan(0);
      }
      for (const t of ["cpg_nodes", "cpg_props", "props_by_node", "cpg_edges", "edges_by_src"]) expect([t, byTable[t]?.refresh]).toEqual([t, { mode: "incremental", keys: 1 }]);
      // the cross-file edges are recomputed, and only decoder.py's are written (its new call)
      expect(byTable["cpg_cross_edges"]?.refresh).toEqual({ mode: "incremental", keys: 1 });
      expect(expectExit(await cli(["plan", "--detailed-exitcode", ...vars], a), 0).stdout).toContain("No changes.");

      // the new function and its same-module call are in the graph…
      const after = astFacts(src);
      const probe = after.defs.find((d) => d.name === "_acceptance_probe");
      expect(after.calls.filter((c) => c.path === "decoder.py" && c.line === (probe?.line ?? 0) + 1).map((c) => c.callee)).toEqual(["_decode_uXXXX"]);
      await expectGraphMatches(a, after);
      // …and the incrementally updated lake equals one built from scratch over the edited tree
      rmSync(join(b, ".cpg"), { recursive: true, force: true });
      await apply(b);
      const [ra, rb] = [await allRows(a), await allRows(b)];
      expect(Object.keys(ra).sort()).toEqual(Object.keys(rb).sort());
      for (const t of Object.keys(ra)) expect(ra[t], t).toEqual(rb[t]);
    },
    600_000,
  );
});
