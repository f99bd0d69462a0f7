// The CPG the root project's views compute, checked against python3's ast (expected.py): every
// def is a function node (name, byte span, qualified name), every method is CONTAINed by its
// class, call sites whose callee is certain resolve to it and only to it, the graph is closed,
// and ids do not change between two runs over copies of the tree. Runs the real extractor and the
// views' canonical SQL in the engine (helpers.ts).
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildCpg, expectedFromAst, FIXTURE_PKG, missing, stdlibPackage, type BuiltCpg, type Expected } from "./helpers.js";

const temp = (prefix: string) => mkdtempSync(path.join(tmpdir(), `cpgc-cpg-views-${prefix}-`));

/** A copy of the tree elsewhere: ids must not depend on where the tree is. */
function copyOf(root: string): string {
  const dir = path.join(temp("tree"), path.basename(root));
  cpSync(root, dir, { recursive: true, filter: (p) => !p.includes("__pycache__") });
  return dir;
}

/** One build per tree for the whole file (the second-run builds excepted), closed at the end. */
const builds = new Map<string, Promise<BuiltCpg>>();
function shared(root: string, variables: Record<string, string>): Promise<BuiltCpg> {
  const key = JSON.stringify([root, variables]);
  if (!builds.has(key)) builds.set(key, buildCpg(root, temp("stage"), variables));
  return builds.get(key)!;
}
afterAll(async () => {
  for (const b of builds.values()) (await b).db.close();
});

const TREES = [
  { name: "the fixture package", root: () => FIXTURE_PKG, variables: { root_package: "pkg" } },
  { name: "stdlib json", root: () => stdlibPackage("json"), variables: { root_package: "json" } },
];

describe.each(TREES)("the CPG of $name", ({ root, variables }) => {
  let cpg: BuiltCpg;
  let again: BuiltCpg;
  let expected: Expected;

  beforeAll(async () => {
    cpg = await shared(root(), variables);
    again = await buildCpg(copyOf(root()), temp("stage"), variables);
    expected = expectedFromAst(root(), cpg.files);
  });
  afterAll(() => again?.db.close());

  it("has every def as a function node with its name, byte span and qualified name", () => {
    const actual = cpg.rows(`
      select n.path, n.name, n.span.line as line, n.span.col as col, n.span.bstart as bstart, n.span.bend as bend, q.value as qualname
      from cpg_nodes n
        join cpg_props q on q.node_id = n.node_id and q.key = 'qualname'
      where n.kind = 'function' and n.ast_kind in ('FunctionDef', 'AsyncFunctionDef')`);
    expect(expected.defs.length).toBeGreaterThan(5);
    expect(missing(expected.defs, actual)).toEqual([]);
    expect(missing(actual, expected.defs)).toEqual([]);
  });

  it("has a CONTAINS edge from each class to each of its methods", () => {
    const actual = cpg.rows(`
      select c.path, qc.value as class, qm.value as method
      from cpg_edges e
        join cpg_nodes c on c.node_id = e.src and c.kind = 'class'
        join cpg_nodes m on m.node_id = e.dst and m.kind = 'function'
        join cpg_props qc on qc.node_id = c.node_id and qc.key = 'qualname'
        join cpg_props qm on qm.node_id = m.node_id and qm.key = 'qualname'
      where e.kind = 'CONTAINS'`);
    expect(expected.methods.length).toBeGreaterThan(2);
    expect(missing(expected.methods, actual)).toEqual([]);
  });

  it("resolves the call sites whose callee is certain to that callee, and only to it", () => {
    const actual = cpg.rows(`
      select c.path, c.span.bstart as bstart, d.path as callee_path, q.value as callee
      from cpg_edges e
        join cpg_nodes c on c.node_id = e.src and c.kind = 'call'
        join cpg_nodes d on d.node_id = e.dst
        join cpg_props q on q.node_id = d.node_id and q.key = 'qualname'
      where e.kind = 'CALLS'`);
    const want = expected.calls.map((c) => ({ path: c.path, bstart: c.bstart, callee_path: c.callee_path, callee: c.callee }));
    expect(new Set(expected.calls.map((c) => c.rule)).size).toBeGreaterThanOrEqual(3);
    expect(missing(want, actual)).toEqual([]);
    const sites = new Set(want.map((w) => `${w.path}:${w.bstart}`));
    expect(missing(actual.filter((a) => sites.has(`${a["path"]}:${a["bstart"]}`)), want)).toEqual([]);
  });

  it("is closed: unique node ids, every edge between two nodes, every property on a node", () => {
    expect(cpg.rows(`select count(*) - count(distinct node_id) as dup from cpg_nodes`)).toEqual([{ dup: 0 }]);
    expect(cpg.rows(`select e.kind, count(*) as n from cpg_edges e where e.src not in (select node_id from cpg_nodes) or e.dst not in (select node_id from cpg_nodes) group by e.kind`)).toEqual([]);
    expect(cpg.rows(`select count(*) as n from cpg_props where node_id not in (select node_id from cpg_nodes)`)).toEqual([{ n: 0 }]);
    expect(cpg.rows(`select count(*) as n from edges_by_src`)).toEqual(cpg.rows(`select count(distinct src) as n from cpg_edges`));
    expect(cpg.rows(`select count(*) as n from props_by_node`)).toEqual(cpg.rows(`select count(distinct node_id) as n from cpg_props`));
    const kinds = cpg.rows(`select distinct kind from cpg_edges order by kind`).map((r) => r["kind"]);
    expect(kinds).toEqual(expect.arrayContaining(["AST_CHILD", "BYTECODE_LINE", "CALLS", "CONTAINS", "DEFINES", "IMPORTS", "REFERENCES"]));
  });

  it("gives every node, edge and property the same ids in a second run over a copy of the tree", () => {
    const queries = [
      `select node_id, kind, name, qualname, path, span from cpg_nodes order by node_id`,
      `select src, dst, kind from cpg_edges order by src, dst, kind`,
      `select node_id, key, value from cpg_props order by node_id, key`,
    ];
    for (const q of queries) {
      const a = cpg.rows(q);
      expect(a.length).toBeGreaterThan(0);
      expect(again.rows(q)).toEqual(a);
    }
  });
});

describe("the CPG of the fixture package, rule by rule", () => {
  let cpg: BuiltCpg;
  beforeAll(async () => {
    cpg = await shared(FIXTURE_PKG, { root_package: "pkg" });
  });

  /** Edges of a kind as `src qualname|name → dst qualname|name`. */
  const edges = (kind: string, where = "true") =>
    cpg
      .rows(`
        select coalesce(s.qualname, s.name) as src, coalesce(d.qualname, d.name) as dst
        from cpg_edges e
          join cpg_nodes s on s.node_id = e.src
          join cpg_nodes d on d.node_id = e.dst
        where e.kind = '${kind}' and ${where}`)
      .map((r) => `${r["src"]} → ${r["dst"]}`)
      .sort();

  it("resolves calls through self and cls, base classes of other files, classes and imported modules", () => {
    const calls = cpg
      .rows(`
        select c.path, c.span.line as line, p.value as callee_name, d.qualname as callee
        from cpg_edges e
          join cpg_nodes c on c.node_id = e.src
          join cpg_nodes d on d.node_id = e.dst
          join cpg_props p on p.node_id = c.node_id and p.key = 'callee_name'
        where e.kind = 'CALLS'`)
      .map((r) => `${r["path"]}:${r["line"]} ${r["callee_name"]} → ${r["callee"]}`);
    expect(calls).toEqual(
      expect.arrayContaining([
        "__init__.py:27 step → pkg.Base.step", // self.step() in the class
        "__init__.py:38 __private_helper → pkg.Base.__private_helper", // a class-private method
        "__init__.py:49 make → pkg.Base.make", // cls.make() in a classmethod
        "__init__.py:61 run → pkg.Base.run", // self.run() inherited from a base of the file
        "__init__.py:62 mix → pkg.sub.Mixin.mix", // inherited from a base of another module (sub.Mixin)
        "__init__.py:63 top → pkg.top",
        "__init__.py:68 deep_method → pkg.sub.deep.Deep.deep_method", // base imported from .sub.deep
        "__init__.py:68 make → pkg.Base.make", // Class.method()
        "__init__.py:12 h → pkg.util.helper", // from .util import helper as h
        "__init__.py:12 twice → pkg.util.twice",
        "sub/deep.py:7 helper → pkg.util.helper", // util.helper(), util from `from pkg import util`
        "sub/deep.py:7 twice → pkg.util.twice", // u2.twice(), u2 from `from .. import util as u2`
        "util.py:6 helper → pkg.util.helper",
        "sub/star.py:5 twice → pkg.util.twice", // from ..util import *
        "sub/star.py:5 helper → pkg.util.helper",
      ]),
    );
    // the staticmethod's x.run() has no known receiver; local() is defined twice: both are targets
    expect(calls.filter((c) => c.startsWith("__init__.py:45 "))).toEqual([]);
    expect(calls.filter((c) => c.startsWith("__init__.py:12 local")).length).toBe(2);
  });

  it("links modules by IMPORTS and classes by INHERITS", () => {
    expect(edges("IMPORTS")).toEqual(["pkg → pkg.sub", "pkg → pkg.sub.deep", "pkg → pkg.util", "pkg.sub → pkg.util", "pkg.sub.deep → pkg", "pkg.sub.deep → pkg.util", "pkg.sub.star → pkg.util"]);
    expect(edges("INHERITS")).toEqual(["pkg.Child → pkg.Base", "pkg.Child → pkg.sub.Mixin", "pkg.GrandChild → pkg.sub.deep.Deep"]);
  });

  it("resolves names through scopes: nonlocal, global, free, builtins, class-private names", () => {
    const refs = cpg
      .rows(`
        select n.span.line as line, n.name, coalesce(y.qualname, '?') as symbol, r.value as resolution
        from cpg_edges e
          join cpg_nodes n on n.node_id = e.src and n.kind = 'name'
          join cpg_nodes y on y.node_id = e.dst
          join cpg_props r on r.node_id = n.node_id and r.key = 'resolution'
        where e.kind = 'REFERENCES' and n.path = '__init__.py'`)
      .map((r) => `${r["line"]} ${r["name"]} → ${r["symbol"]} (${r["resolution"]})`);
    expect(refs).toEqual(
      expect.arrayContaining([
        "17 X → pkg.X (global)", // `global X` in local()
        "18 len → builtins.len (builtin)",
        "18 str → builtins.str (builtin)",
        "32 n → pkg.Base.step.n (enclosing)", // `nonlocal n` in inner()
        "33 n → pkg.Base.step.n (enclosing)",
        "35 inner → pkg.Base.step.inner (local)",
        "60 X → pkg.X (global)", // a lambda in a default argument
        "63 top → pkg.top (global)", // from a comprehension
        "63 range → builtins.range (builtin)",
      ]),
    );
    // the only unresolved names are the star-imported ones, which point at the module's namespace
    expect(cpg.rows(`select r.path, r.name, y.qualname from norm_refs r join norm_symbols y on y.symbol_id = r.resolved_symbol_id where r.resolution = 'unresolved' order by r.name`)).toEqual([
      { path: "sub/star.py", name: "helper", qualname: "helper" },
      { path: "sub/star.py", name: "twice", qualname: "twice" },
    ]);
  });

  it("keeps a file with a syntax error as a file node without a module, and an extract_errors row", () => {
    expect(cpg.rows(`select kind, name from cpg_nodes where path = 'broken.py' order by kind`)).toEqual([{ kind: "file", name: "broken.py" }]);
    expect(cpg.rows(`select stage from extract_errors where path = 'broken.py'`)).toEqual([{ stage: "parse" }]);
  });

  it("gives the nodes of an f-string that share one span distinct ids, and redefinitions distinct scopes", () => {
    const locals = cpg.rows(`select qualname, count(*) as n from cpg_nodes where kind = 'scope' and name = 'local' group by qualname`);
    expect(locals).toEqual([{ qualname: "pkg.local", n: 2 }]);
    expect(cpg.rows(`select count(*) as n from norm_ast where path = '__init__.py' and ast_kind = 'JoinedStr'`)).toEqual([{ n: 2 }]);
  });

  it("links every instruction with a source line to an AST node of its line, and every node to its scope", () => {
    expect(cpg.rows(`select count(*) as n from norm_bytecode where line > 0 and ast_id is null`)).toEqual([{ n: 0 }]);
    const wrong = cpg.rows(`
      select b.path, b.offset, b.code_idx
      from norm_bytecode b
        join cpg_nodes n on n.node_id = b.ast_id
      where coalesce(b.span.line, b.line) <> n.span.line`);
    expect(wrong).toEqual([]);
    expect(cpg.rows(`select count(*) as n from cpg_nodes where kind not in ('file', 'symbol', 'scope', 'instruction') and scope_id is null and path is not null and kind <> 'module'`)).toEqual([{ n: 0 }]);
  });
});
