// The root project's normalize and CPG views as compiled: materialization, output schemas, the
// soundness of their incremental keys, and their Delta policies. views.expected.json holds the
// expected schemas (UPDATE_CPG_VIEWS=1 rewrites it; read the diff).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

import type { Manifest } from "../../../compiler/src/compile/index.js";
import { keyPushdown, type InputKind } from "../../../compiler/src/plan/key-pushdown.js";
import { compileRoot } from "./helpers.js";

const EXPECTED_FILE = path.join(import.meta.dirname, "views.expected.json");

let manifest: Manifest;
beforeAll(async () => {
  manifest = await compileRoot();
});

const view = (name: string) => {
  const v = manifest.views.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no view ${name}`);
  return v;
};
const columns = (name: string) => view(name).columns.map((c) => `${c.name}: ${c.type}${c.nullable ? "" : " not null"}`);

describe("the root project's views", () => {
  it("compile to the expected materialization, cache, incremental key and output schema", () => {
    const actual = Object.fromEntries(
      [...manifest.views]
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((v) => [v.name, { materialize: v.materialize, cache: v.cache ?? null, incremental_key: v.incremental?.key ?? null, columns: columns(v.name) }]),
    );
    if (process.env["UPDATE_CPG_VIEWS"] === "1") writeFileSync(EXPECTED_FILE, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(EXPECTED_FILE, "utf8")));
  });

  it("give the graph tables and accelerators the columns readers rely on", () => {
    // ids come from the UDFs, which are NULL on NULL input: the not_null expectations hold them
    expect(columns("cpg_nodes").slice(0, 6)).toEqual([
      "node_id: utf8",
      "kind: utf8 not null",
      "name: utf8",
      "qualname: utf8",
      "path: utf8",
      "span: struct<bstart: int64, bend: int64, line: int32, col: int32, end_line: int32, end_col: int32>",
    ]);
    expect(columns("cpg_edges")).toEqual(["src: utf8", "dst: utf8", "kind: utf8 not null", "path: utf8 not null"]);
    expect(columns("cpg_props")).toEqual(["path: utf8", "node_id: utf8", "key: utf8", "value: utf8"]);
    expect(columns("edges_by_src")).toEqual(["src: utf8", "edges: list<struct<dst: utf8, kind: utf8>>", "path: utf8 not null"]);
    expect(columns("props_by_node")).toEqual(["path: utf8", "node_id: utf8", "props: map<utf8, utf8>"]);
  });

  it("refresh incrementally only where sound, and the key's lineage names every Delta input's path", () => {
    const byName = new Map<string, { materialize: string }>([
      ...manifest.datasets.map((d) => [d.name, { materialize: "dataset" }] as const),
      ...manifest.views.map((v) => [v.name, { materialize: v.materialize }] as const),
    ]);
    const incremental = manifest.views.filter((v) => v.materialize === "incremental");
    expect(incremental.map((v) => v.name).sort()).toEqual([
      "cpg_edges",
      "cpg_file_edges",
      "cpg_nodes",
      "cpg_props",
      "edges_by_src",
      "norm_ast",
      "norm_bytecode",
      "norm_calls",
      "norm_files",
      "norm_imports",
      "norm_refs",
      "norm_scopes",
      "norm_symbols",
      "props_by_node",
    ]);
    for (const v of incremental) {
      expect(v.incremental?.key, v.name).toBe("path");
      const sources = v.lineage.columns.find((c) => c.name === "path")?.sources ?? [];
      for (const input of v.lineage.tables) {
        const kind = byName.get(input)?.materialize;
        if (kind === "view") {
          // a logical view has no change feed: only constant ones (no inputs) may feed an incremental view
          expect(view(input).lineage.tables, `${v.name} reads logical view ${input}`).toEqual([]);
          continue;
        }
        expect(sources, `${v.name}: path must come from ${input}.path`).toContain(`${input}.path`);
      }
    }
    // what depends on other files is recomputed in full, and written as the difference by path
    expect([view("cpg_cross_edges").materialize, view("cpg_cross_edges").incremental?.key]).toEqual(["table", "path"]);
    for (const name of ["py_import_targets", "py_symbol_defs", "py_class_bases"]) expect([view(name).materialize, view(name).cache]).toEqual(["view", "memory"]);
  });

  it("refresh by path reading every Delta input filtered on the changed paths (key pushdown)", () => {
    const datasets = new Set(manifest.datasets.map((d) => d.name));
    const resolve = (name: string): InputKind | undefined => {
      if (datasets.has(name)) return { kind: "table" };
      const v = manifest.views.find((x) => x.name === name);
      return v === undefined ? undefined : v.materialize === "view" ? { kind: "view", sql: v.sql } : { kind: "table" };
    };
    for (const v of manifest.views.filter((x) => x.materialize === "incremental")) {
      const deltaInputs = v.lineage.tables.filter((t) => resolve(t)?.kind === "table").sort();
      expect(keyPushdown(v.sql, "path", resolve).map((f) => `${f.table}.${f.column}`), v.name).toEqual(deltaInputs.map((t) => `${t}.path`));
    }
  });

  it("give the graph tables policies that match how they are read", () => {
    // refreshed by path: sorted by path, then by the ids readers look up; stats on both
    const graph = { cpg_nodes: ["node_id"], cpg_edges: ["src", "dst"], cpg_props: ["node_id"], edges_by_src: ["src"], props_by_node: ["node_id"] } as const;
    for (const [name, ids] of Object.entries(graph)) {
      const p = view(name).policy;
      expect(p.features, name).toContain("changeDataFeed");
      expect(p.write.zorder_by, name).toEqual(["path", ...ids]);
      expect(p.write.stats_policy, name).toBe("explicit");
      expect(p.write.target_file_size_bytes, name).toBeLessThanOrEqual(16 * 1024 * 1024);
      for (const c of ["path", ...ids]) expect(p.write.stats_columns, name).toContain(c);
      expect(p.write.writer.bloom_filter.map((b) => b.column), name).toEqual([...ids]);
    }
    expect(view("cpg_nodes").policy.write.writer.dictionary).toEqual(["kind", "ast_kind"]);
    expect(view("cpg_edges").policy.write.writer.dictionary).toEqual(["kind"]);
    expect(view("cpg_props").policy.write.writer.dictionary).toEqual(["key"]);
    for (const v of manifest.views.filter((x) => x.materialize !== "view")) expect(v.policy.features, v.name).toContain("changeDataFeed");
  });
});
