// cpgc's UDFs in the function catalog: listed with origin "cpgc", documented, and typed by the
// compiler like any function (a view calling them validates; the id columns are utf8).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFunctionCatalog, CPGC_UDFS, FunctionIndex, missingCpgcUdfs, type EngineFunctionRow } from "../../../compiler/src/catalog/index.js";
import { compileProject } from "../../../compiler/src/compile/index.js";
import { loadProject } from "../../../compiler/src/spec/index.js";
import { FIXTURE_CONFIG } from "../../helpers/fixture-project.js";
import { FUNCTIONS, validate } from "../../helpers/validate.js";

const NODES = `kind: Dataset
name: py_nodes
source:
  ndjson: data/py_nodes.ndjson
schema:
  columns:
    - { name: kind, type: utf8, nullable: false }
    - { name: path, type: utf8, nullable: false }
    - { name: span, type: "struct<bstart: int64, bend: int64>" }
    - { name: line, type: int32 }
`;

const VIEW = `kind: View
name: nodes
materialize: table
sql: |
  select cpg_id(n.kind, n.path, n.span.bstart, n.span.bend) as node_id,
         cpg_key_id('file', n.path) as file_id,
         cpg_id('Line', n.path, n.line, n.line + 1) as line_id,
         n.kind
  from py_nodes n
`;

function project(view: string): string {
  const dir = mkdtempSync(join(tmpdir(), "cpgc-udf-"));
  writeFileSync(join(dir, "cpg.config.yaml"), FIXTURE_CONFIG);
  mkdirSync(join(dir, "specs"));
  writeFileSync(join(dir, "specs", "py_nodes.yaml"), NODES);
  writeFileSync(join(dir, "specs", "nodes.yaml"), view);
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data", "py_nodes.ndjson"), '{"kind": "FunctionDef", "path": "a.py", "span": {"bstart": 1, "bend": 2}, "line": 1}\n');
  return dir;
}

describe("cpgc UDFs in the function catalog", () => {
  it("the snapshot lists cpg_id and cpg_key_id as cpgc UDFs with parameter names, types and docs", () => {
    const idx = new FunctionIndex(FUNCTIONS);
    expect(missingCpgcUdfs(FUNCTIONS)).toEqual([]);
    const [id] = idx.lookup("CPG_ID");
    expect(id).toMatchObject({ kind: "scalar", origin: "cpgc", alias_of: null });
    expect(id!.overloads).toEqual([
      {
        parameters: [
          { name: "kind", type: "VARCHAR" },
          { name: "path", type: "VARCHAR" },
          { name: "bstart", type: "BIGINT" },
          { name: "bend", type: "BIGINT" },
        ],
        varargs: null,
        return_type: "VARCHAR",
      },
    ]);
    expect(id!.description).toMatch(/sha256\(str\("cpg-id-v1"\) ‖ str\(kind\) ‖ str\(path\) ‖ i64\(bstart\) ‖ i64\(bend\)\)/);
    const [key] = idx.lookup("cpg_key_id");
    expect(key).toMatchObject({ kind: "scalar", origin: "cpgc" });
    expect(key!.overloads[0]!.parameters.map((p) => `${p.name} ${p.type}`)).toEqual(["kind VARCHAR", "key VARCHAR"]);
    expect(key!.description).toMatch(/cpg-key-id-v1/);
    // Every other function is the engine's.
    expect(FUNCTIONS.functions.filter((f) => f.origin === "cpgc").map((f) => f.name)).toEqual(CPGC_UDFS.map((u) => u.name));
    expect(FUNCTIONS.functions.every((f) => f.origin === "cpgc" || f.origin === "duckdb")).toBe(true);
  });

  it("building the catalog marks documented UDFs, names their parameters, and refuses a different arity", () => {
    const row = (name: string, types: string[]): EngineFunctionRow => ({
      function_name: name,
      function_type: "scalar",
      description: null,
      alias_of: null,
      return_type: "VARCHAR",
      parameters: types.map((_, i) => `col${i}`),
      parameter_types: types,
      varargs: null,
    });
    const c = buildFunctionCatalog("v1", [row("cpg_key_id", ["VARCHAR", "VARCHAR"]), row("upper", ["VARCHAR"])]);
    expect(c.functions.map((f) => [f.name, f.origin])).toEqual([
      ["cpg_key_id", "cpgc"],
      ["upper", "duckdb"],
    ]);
    expect(c.functions[0]!.overloads[0]!.parameters.map((p) => p.name)).toEqual(["kind", "key"]);
    expect(missingCpgcUdfs(c)).toEqual(["cpg_id"]);
    expect(() => buildFunctionCatalog("v1", [row("cpg_id", ["VARCHAR", "VARCHAR"])])).toThrow(/cpg_id takes 2 arguments; .* documents 4/);
  });

  it("a view using cpg_id / cpg_key_id validates, and its id columns are utf8", async () => {
    const dir = project(VIEW);
    const validated = await validate(join(dir, "cpg.config.yaml"));
    expect(validated.diagnostics).toEqual([]);
    const loaded = await loadProject("cpg.config.yaml", { cwd: dir });
    const { manifest, diagnostics } = compileProject(loaded.model!, FUNCTIONS, loaded.sources);
    expect(diagnostics).toEqual([]);
    const columns = manifest!.views.find((v) => v.name === "nodes")!.columns;
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ["node_id", "utf8"],
      ["file_id", "utf8"],
      ["line_id", "utf8"],
      ["kind", "utf8"],
    ]);
  });

  it("a call with the wrong number of arguments is a diagnostic, not a crash", async () => {
    const dir = project(VIEW.replace("cpg_key_id('file', n.path)", "cpg_key_id('file')"));
    const validated = await validate(join(dir, "cpg.config.yaml"));
    expect(validated.diagnostics.map((d) => [d.severity, d.code, d.message])).toEqual([["error", "CPG1211", "no overload of cpg_key_id takes (VARCHAR)"]]);
  });
});
