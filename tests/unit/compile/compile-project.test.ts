import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalEncode } from "../../../compiler/src/artifacts/index.js";
import { compileProject, referencedTables } from "../../../compiler/src/compile/index.js";
import { parseQuery } from "../../../compiler/src/sql/index.js";
import { loadProject } from "../../../compiler/src/spec/index.js";
import { SHARED_CONTRACT } from "../../helpers/fixture-project.js";
import { FUNCTIONS } from "../../helpers/validate.js";

async function compileDir(dir: string) {
  const loaded = await loadProject("cpg.config.yaml", { cwd: dir });
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return compileProject(loaded.model!, FUNCTIONS, loaded.sources);
}

function contractCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "cpgc-compile-"));
  cpSync(SHARED_CONTRACT, dir, { recursive: true });
  return dir;
}

describe("compileProject", () => {
  it("compiles the contract project: graph order, derived schemas, lineage, fingerprints", async () => {
    const { manifest, diagnostics } = await compileDir(contractCopy());
    expect(diagnostics).toEqual([]);
    expect(manifest!.order).toEqual(["ast_nodes", "files", "file_stats", "functions", "call_edges"]);
    const byName = Object.fromEntries(manifest!.views.map((v) => [v.name, v]));
    expect(byName["functions"]!.columns).toEqual([
      { name: "node_id", type: "utf8", nullable: false },
      { name: "name", type: "utf8", nullable: true },
      { name: "path", type: "utf8", nullable: false },
      { name: "bstart", type: "int64", nullable: true },
      { name: "bend", type: "int64", nullable: true },
    ]);
    expect(byName["call_edges"]!.lineage.tables).toEqual(["ast_nodes", "functions"]);
    expect(byName["functions"]!.variables).toEqual(["min_lines"]);
    expect(byName["file_stats"]!.materialize).toBe("view");
    for (const v of manifest!.views) {
      expect(v.ast_fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(v.policy_hash).toBe(manifest!.policy_hash);
    }
  });

  it("records keys, checks, expectations, row-deciding columns and where each table is defined (format 1.2)", async () => {
    const { manifest } = await compileDir(contractCopy());
    expect(manifest!.format_version).toBe("1.3");
    const ds = Object.fromEntries(manifest!.datasets.map((d) => [d.name, d]));
    expect(ds["ast_nodes"]!.primary_key).toEqual(["node_id"]);
    expect(ds["ast_nodes"]!.checks).toEqual([{ name: "span_ordered", expr: "span.bstart <= span.bend" }]);
    expect(ds["ast_nodes"]!.defined_at).toBe("specs/ast_nodes.yaml:2");
    expect(ds["files"]!.checks).toEqual([]);
    const vs = Object.fromEntries(manifest!.views.map((v) => [v.name, v]));
    expect(vs["functions"]!.expectations).toEqual([{ not_null: ["node_id", "path"] }, { unique: ["node_id"] }]);
    expect(vs["functions"]!.defined_at).toBe("specs/views.yaml:2");
    expect(vs["functions"]!.row_deciding).toEqual(["ast_nodes.file_id", "ast_nodes.kind", "files.file_id", "files.lines"]);
    // GROUP BY f.path is an output column: its source decides rows too.
    expect(vs["file_stats"]!.row_deciding).toEqual(["ast_nodes.file_id", "files.file_id", "files.path"]);
    // A window (QUALIFY) and a recursive CTE: not attributable to columns.
    expect(vs["call_edges"]!.row_deciding).toBeNull();
  });

  it("defined_at does not depend on the directory cpgc runs in", async () => {
    const dir = contractCopy();
    const here = await loadProject("cpg.config.yaml", { cwd: dir });
    const above = await loadProject(join(basename(dir), "cpg.config.yaml"), { cwd: dirname(dir) });
    const at = (l: typeof here) => compileProject(l.model!, FUNCTIONS, l.sources).manifest!.views.map((v) => v.defined_at);
    expect(at(above)).toEqual(at(here));
  });

  it("carries renamed_from of dataset columns", async () => {
    const dir = contractCopy();
    const files = join(dir, "specs", "files.yaml");
    writeFileSync(files, readFileSync(files, "utf8").replace("    - name: lines\n      type: int32", "    - name: line_count\n      type: int32\n      renamed_from: lines").replace("f.lines", "f.line_count"));
    const views = join(dir, "specs", "views.yaml");
    writeFileSync(views, readFileSync(views, "utf8").replace("f.lines", "f.line_count"));
    const { manifest, diagnostics } = await compileDir(dir);
    expect(diagnostics).toEqual([]);
    const cols = manifest!.datasets.find((d) => d.name === "files")!.columns;
    expect(cols.find((c) => c.name === "line_count")).toEqual({ name: "line_count", type: "int32", nullable: true, renamed_from: "lines" });
    expect(cols.find((c) => c.name === "path")).toEqual({ name: "path", type: "utf8", nullable: false });
  });

  it("is deterministic: the same project compiles to the same bytes", async () => {
    const a = await compileDir(contractCopy());
    const b = await compileDir(contractCopy());
    expect(Buffer.from(canonicalEncode(a.manifest)).equals(Buffer.from(canonicalEncode(b.manifest)))).toBe(true);
  });

  it("keeps fingerprints through cosmetic edits and changes them with meaning", async () => {
    const base = await compileDir(contractCopy());
    const fp = (m: typeof base) => Object.fromEntries(m.manifest!.views.map((v) => [v.name, v.ast_fingerprint]));
    const cosmetic = contractCopy();
    const views = join(cosmetic, "specs", "views.yaml");
    writeFileSync(views, readFileSync(views, "utf8").replace("select n.node_id, n.name", "SELECT   n.NODE_ID, /* the name */ n.name").replace("where n.kind in ('FunctionDef', 'AsyncFunctionDef') and f.lines >= {{ min_lines }}", "WHERE f.lines >= {{ min_lines }} AND n.kind IN ('AsyncFunctionDef', 'FunctionDef')"));
    expect(fp(await compileDir(cosmetic))).toEqual(fp(base));
    const semantic = contractCopy();
    const v2 = join(semantic, "specs", "views.yaml");
    writeFileSync(v2, readFileSync(v2, "utf8").replace("f.lines >= {{ min_lines }}", "f.lines > {{ min_lines }}"));
    const changed = fp(await compileDir(semantic));
    expect(changed["functions"]).not.toBe(fp(base)["functions"]);
    expect(changed["file_stats"]).toBe(fp(base)["file_stats"]);
  });

  it("a variable's value is part of the fingerprint", async () => {
    const dir = contractCopy();
    const base = await compileDir(dir);
    const loaded = await loadProject("cpg.config.yaml", { cwd: dir, variables: { min_lines: 20 } });
    const other = compileProject(loaded.model!, FUNCTIONS, loaded.sources);
    const f = (m: typeof base) => m.manifest!.views.find((v) => v.name === "functions")!.ast_fingerprint;
    expect(f(other)).not.toBe(f(base));
  });
});

describe("referencedTables", () => {
  it.each<[string, string[]]>([
    ["select * from a join b using (x)", ["a", "b"]],
    ["with t as (select * from base) select * from t join other on true", ["base", "other"]],
    ["select * from A", ["a"]],
    ['select * from "MixedCase"', ["MixedCase"]],
    ["select (select max(y) from z) from a where exists (select 1 from w)", ["a", "w", "z"]],
  ])("%s", (sql, tables) => {
    const q = parseQuery(sql);
    expect(q.ok).toBe(true);
    expect(referencedTables(q.ast!)).toEqual(tables);
  });
});
