// The contract project's views (../shared/contract) bind in graph order (functions before
// call_edges) with no diagnostic, and get the derived schemas and lineage a reader expects.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tableCatalogFromModel, type CatalogTable, type TableCatalog } from "../../../../compiler/src/catalog/index.js";
import { bindQuery, type BindResult } from "../../../../compiler/src/policy/bind/index.js";
import { loadProject } from "../../../../compiler/src/spec/load-project.js";
import { walk, type Query } from "../../../../compiler/src/sql/index.js";
import { FUNCTIONS } from "../../../conformance/sql-qualify-cases.js";

const CONTRACT = resolve(fileURLToPath(new URL("../../../..", import.meta.url)), "../shared/contract/cpg.config.yaml");

function viewDeps(ast: Query, views: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  walk(ast, (n) => {
    if (n.kind === "table" && n.name.length === 1 && views.has(n.name[0]!.name)) out.add(n.name[0]!.name);
  });
  return [...out];
}

/** Binds every view in lexicographic topological order, each bound view joining the catalog. */
function bindInGraphOrder(catalog: TableCatalog, queries: ReadonlyMap<string, Query>): { order: string[]; results: Map<string, BindResult> } {
  const names = new Set(queries.keys());
  const deps = new Map([...queries].map(([n, q]) => [n, viewDeps(q, names).filter((d) => d !== n)] as const));
  const order: string[] = [];
  const results = new Map<string, BindResult>();
  let cat = catalog;
  while (order.length < names.size) {
    const next = [...names].filter((n) => !order.includes(n) && deps.get(n)!.every((d) => order.includes(d))).sort()[0];
    if (!next) throw new Error("cycle");
    const r = bindQuery(queries.get(next)!, cat, FUNCTIONS);
    results.set(next, r);
    order.push(next);
    const table: CatalogTable = { name: next, kind: "view", columns: r.schema.map((c) => ({ name: c.name, type: c.type ?? { kind: "utf8" }, nullable: c.nullable })) };
    cat = cat.with(table);
  }
  return { order, results };
}

describe.skipIf(!existsSync(CONTRACT))("contract project views", async () => {
  const load = existsSync(CONTRACT) ? await loadProject(CONTRACT) : null;
  const model = load?.model;

  it("loads", () => {
    expect(load?.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(model).toBeDefined();
  });

  it("bind in graph order with no diagnostic and derive their schemas and lineage", () => {
    if (!model) return;
    const queries = new Map([...model.viewQueries].map(([n, v]) => [n, v.ast] as const));
    const { order, results } = bindInGraphOrder(tableCatalogFromModel(model), queries);
    expect(order).toEqual(["file_stats", "functions", "call_edges"]);
    for (const [name, r] of results) expect({ name, diagnostics: r.diagnostics }).toEqual({ name, diagnostics: [] });
    const schema = (n: string) => results.get(n)!.schema.map((c) => `${c.name}: ${c.typeText}${c.nullable ? "" : " not null"}`);
    expect(schema("functions")).toEqual(["node_id: utf8 not null", "name: utf8", "path: utf8 not null", "bstart: int64", "bend: int64"]);
    expect(schema("file_stats")).toEqual(["path: utf8 not null", "n_nodes: int64 not null", "n_calls: int64 not null"]);
    expect(schema("call_edges")).toEqual(["call_id: utf8 not null", "function_id: utf8 not null", "function_name: utf8"]);

    const fl = results.get("functions")!.lineage;
    expect(fl.columns).toEqual([
      { name: "node_id", sources: ["ast_nodes.node_id"] },
      { name: "name", sources: ["ast_nodes.name"] },
      { name: "path", sources: ["files.path"] },
      { name: "bstart", sources: ["ast_nodes.span"] },
      { name: "bend", sources: ["ast_nodes.span"] },
    ]);
    expect(fl.tables).toEqual(["ast_nodes", "files"]);
    expect(fl.joinKeys).toEqual(["ast_nodes.file_id", "files.file_id"]);
    expect(fl.filterColumns).toEqual(["ast_nodes.file_id", "ast_nodes.kind", "files.file_id", "files.lines"]);

    const ce = results.get("call_edges")!.lineage;
    expect(ce.tables).toEqual(["ast_nodes", "functions"]);
    expect(ce.columns).toEqual([
      { name: "call_id", sources: ["ast_nodes.node_id"] },
      { name: "function_id", sources: ["functions.node_id"] },
      { name: "function_name", sources: ["functions.name"] },
    ]);
    expect(ce.functions).toEqual(["row_number"]);
    expect(ce.joinKeys).toEqual(["ast_nodes.node_id", "ast_nodes.parent_id", "functions.node_id"]);

    const fs = results.get("file_stats")!;
    expect(fs.lineage.columns.map((c) => c.sources)).toEqual([["files.path"], ["ast_nodes.node_id"], ["ast_nodes.kind"]]);
    expect(fs.lineage.joinKeys).toEqual(["ast_nodes.file_id", "files.file_id"]);
  });
});
