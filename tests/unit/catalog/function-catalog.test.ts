import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFunctionCatalog, formatFunctionCatalog, functionCatalogHash, FunctionIndex, type EngineFunctionRow, type FunctionCatalog } from "../../../compiler/src/catalog/index.js";
import { engineFunctionCatalogText } from "../../../compiler/src/cli/commands/catalog.js";
import { REPO_ROOT } from "../../helpers/fixture-project.js";

const SNAPSHOT = join(REPO_ROOT, "schemas", "functions.json");
const row = (name: string, type: string, params: [string, string][], ret: string, extra: Partial<EngineFunctionRow> = {}): EngineFunctionRow => ({
  function_name: name,
  function_type: type,
  description: `${name} doc`,
  alias_of: null,
  return_type: ret,
  parameters: params.map(([n]) => n),
  parameter_types: params.map(([, t]) => t),
  varargs: null,
  ...extra,
});

describe("function catalog", () => {
  it("schemas/functions.json equals what the embedded engine provides (run `cpgc catalog snapshot` to refresh)", async () => {
    expect(readFileSync(SNAPSHOT, "utf8")).toBe(await engineFunctionCatalogText());
  });

  it("the snapshot is valid JSON with the functions view SQL relies on", () => {
    const c = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as FunctionCatalog;
    const idx = new FunctionIndex(c);
    expect(c.format_version).toBe("1.1");
    expect(idx.lookup("LOWER").map((f) => [f.kind, f.origin])).toEqual([["scalar", "duckdb"]]);
    expect(idx.lookup("cpg_id").map((f) => [f.kind, f.origin])).toEqual([["scalar", "cpgc"]]);
    expect(idx.lookup("count").some((f) => f.kind === "aggregate")).toBe(true);
    expect(idx.lookup("row_number").map((f) => f.kind)).toEqual(["window"]);
    expect(idx.lookup("list_transform")[0]?.description).toMatch(/lambda/);
    expect(idx.lookup("no_such_function")).toEqual([]);
  });

  it("groups overloads by name and kind, drops duplicates and pragmas, sorts everything", () => {
    const c = buildFunctionCatalog("v1", [
      row("upper", "scalar", [["s", "VARCHAR"]], "VARCHAR"),
      row("abs", "scalar", [["x", "INTEGER"]], "INTEGER"),
      row("abs", "scalar", [["x", "DOUBLE"]], "DOUBLE"),
      row("abs", "scalar", [["x", "INTEGER"]], "INTEGER"),
      row("checkpoint", "pragma", [], "VARCHAR"),
      row("concat", "scalar", [["s", "ANY"]], "VARCHAR", { varargs: "ANY" }),
    ]);
    const byName = Object.fromEntries(c.functions.filter((f) => f.kind !== "window").map((f) => [f.name, f.overloads.length]));
    expect(byName).toEqual({ abs: 2, concat: 1, upper: 1 });
    expect(c.functions.map((f) => f.name)).toEqual([...c.functions.map((f) => f.name)].sort());
    expect(c.functions.find((f) => f.name === "concat")!.overloads[0]!.varargs).toBe("ANY");
  });

  it("formats and hashes deterministically, whatever the row order", () => {
    const rows = [row("a", "scalar", [], "INTEGER"), row("b", "aggregate", [["x", "ANY"]], "BIGINT")];
    const one = buildFunctionCatalog("v1", rows);
    const two = buildFunctionCatalog("v1", [...rows].reverse());
    expect(formatFunctionCatalog(one)).toBe(formatFunctionCatalog(two));
    expect(functionCatalogHash(one)).toBe(functionCatalogHash(two));
    expect(functionCatalogHash(one)).not.toBe(functionCatalogHash(buildFunctionCatalog("v2", rows)));
    expect(JSON.parse(formatFunctionCatalog(one))).toEqual(one);
  });
});
