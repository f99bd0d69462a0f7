// What the CPG e2e tests share: python3's own view of a source tree (tests/e2e/cpg-ast-facts.py),
// copies of the root project and of stdlib packages, and reading the graph back out of a lake.
import { spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { basename, join } from "node:path";

import { REPO_ROOT } from "./fixture-project.js";
import { query, tempDir } from "./plan-apply-lake.js";

export interface AstFacts {
  defs: { path: string; name: string; line: number; col: number }[];
  methods: { path: string; cls: string; cls_line: number; cls_col: number; name: string; line: number; col: number }[];
  calls: { path: string; callee: string; line: number; col: number; end_line: number; end_col: number; def_line: number; def_col: number }[];
  broken: { path: string; line: number | null }[];
}

function python(args: readonly string[]): string {
  const r = spawnSync(process.env["CPGC_PYTHON"] ?? "python3", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python3 ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Defs, methods, known call sites and unparsable files of the tree at `root`, by python3's ast. */
export function astFacts(root: string): AstFacts {
  return JSON.parse(python([join(REPO_ROOT, "tests", "e2e", "cpg-ast-facts.py"), root])) as AstFacts;
}

/** The directory of a package of python3's standard library (e.g. json → /usr/lib/python3.11/json). */
export function stdlibPackageDir(name: string): string {
  return python(["-c", `import importlib.util; print(list(importlib.util.find_spec(${JSON.stringify(name)}).submodule_search_locations)[0])`]).trim();
}

/** A temporary copy of a directory without __pycache__ (writable, so tests can edit its files). */
export function copyTree(from: string, name: string): string {
  const dir = join(tempDir(name), basename(from));
  cpSync(from, dir, { recursive: true, filter: (p) => basename(p) !== "__pycache__" });
  return dir;
}

/** A temporary copy of the root project: cpg.config.yaml and the spec library (no lake). */
export function copyRootProject(name: string): string {
  const dir = tempDir(name);
  cpSync(join(REPO_ROOT, "cpg.config.yaml"), join(dir, "cpg.config.yaml"));
  cpSync(join(REPO_ROOT, "specs"), join(dir, "specs"), { recursive: true });
  return dir;
}

/** `path:line:col` of a source position, the way the tests compare nodes with ast's facts. */
export const at = (path: string, line: number, col: number): string => `${path}:${line}:${col}`;

/** Function nodes of real defs (not lambdas) as `path:line:col name`. */
export async function defNodes(dir: string): Promise<string[]> {
  const rows = await query(
    dir,
    "select path, span.line as line, span.col as col, name from cpg_nodes where kind = 'function' and ast_kind in ('FunctionDef', 'AsyncFunctionDef')",
  );
  return rows.map((r) => `${at(String(r["path"]), Number(r["line"]), Number(r["col"]))} ${String(r["name"])}`).sort();
}

/** CONTAINS edges class → def as `path:line:col → line:col`. */
export async function classContains(dir: string): Promise<string[]> {
  const rows = await query(
    dir,
    "select c.path, c.span.line as cl, c.span.col as cc, m.path as mpath, m.span.line as ml, m.span.col as mc " +
      "from cpg_edges e join cpg_nodes c on c.node_id = e.src and c.kind = 'class' " +
      "join cpg_nodes m on m.node_id = e.dst and m.ast_kind in ('FunctionDef', 'AsyncFunctionDef') where e.kind = 'CONTAINS'",
  );
  return rows.map((r) => `${at(String(r["path"]), Number(r["cl"]), Number(r["cc"]))} → ${at(String(r["mpath"]), Number(r["ml"]), Number(r["mc"]))}`).sort();
}

/** CALLS edges as `path:line:col-end_line:end_col → callee path:line:col`. */
export async function callEdges(dir: string): Promise<string[]> {
  const rows = await query(
    dir,
    "select c.path, c.span.line as l, c.span.col as c, c.span.end_line as el, c.span.end_col as ec, f.path as fpath, f.span.line as fl, f.span.col as fc " +
      "from cpg_edges e join cpg_nodes c on c.node_id = e.src and c.kind = 'call' join cpg_nodes f on f.node_id = e.dst where e.kind = 'CALLS'",
  );
  return rows.map((r) => `${at(String(r["path"]), Number(r["l"]), Number(r["c"]))}-${r["el"]}:${r["ec"]} → ${at(String(r["fpath"]), Number(r["fl"]), Number(r["fc"]))}`).sort();
}

/** What ast's facts say the three queries above must contain. */
export function expectedGraph(facts: AstFacts): { defs: string[]; contains: string[]; calls: string[] } {
  return {
    defs: facts.defs.map((d) => `${at(d.path, d.line, d.col)} ${d.name}`).sort(),
    contains: facts.methods.map((m) => `${at(m.path, m.cls_line, m.cls_col)} → ${at(m.path, m.line, m.col)}`).sort(),
    calls: facts.calls.map((c) => `${at(c.path, c.line, c.col)}-${c.end_line}:${c.end_col} → ${at(c.path, c.def_line, c.def_col)}`).sort(),
  };
}
