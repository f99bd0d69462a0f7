import { describe, expect, it } from "vitest";
import type { Manifest } from "../../../compiler/src/compile/index.js";
import { projectGraph, renderDot, renderGraphJson, renderMermaid, GRAPH_RENDERERS } from "../../../compiler/src/render/index.js";
import { MANIFEST } from "./fixtures.js";

describe("projectGraph", () => {
  it("nodes in manifest order, edges from lineage tables sorted by (from, to)", () => {
    const g = projectGraph(MANIFEST);
    expect(g.nodes.map((n) => [n.name, n.kind, n.materialize, n.columns])).toEqual([
      ["customers", "dataset", null, 2],
      ["orders", "dataset", null, 3],
      ["big_orders", "view", "view", 2],
      ["order_totals", "view", "table", 3],
      ["vip", "view", "incremental", 2],
    ]);
    expect(g.edges).toEqual([
      { from: "big_orders", to: "vip" },
      { from: "customers", to: "order_totals" },
      { from: "order_totals", to: "vip" },
      { from: "orders", to: "big_orders" },
      { from: "orders", to: "order_totals" },
    ]);
  });
});

const cases: { name: string; render: (m: Manifest) => string; expected: string }[] = [
  {
    name: "dot",
    render: (m) => renderDot(projectGraph(m)),
    expected: `digraph "shop" {
  rankdir=LR;
  "customers" [shape=cylinder, label="customers\\ndataset"];
  "orders" [shape=cylinder, label="orders\\ndataset"];
  "big_orders" [shape=box, style="rounded,dashed", label="big_orders\\nview"];
  "order_totals" [shape=box, label="order_totals\\ntable"];
  "vip" [shape=box3d, label="vip\\nincremental"];
  "big_orders" -> "vip";
  "customers" -> "order_totals";
  "order_totals" -> "vip";
  "orders" -> "big_orders";
  "orders" -> "order_totals";
}`,
  },
  {
    name: "mermaid",
    render: (m) => renderMermaid(projectGraph(m)),
    expected: `flowchart LR
  n0[("customers<br/>dataset")]
  n1[("orders<br/>dataset")]
  n2("big_orders<br/>view")
  n3["order_totals<br/>table"]
  n4[["vip<br/>incremental"]]
  n2 --> n4
  n0 --> n3
  n3 --> n4
  n1 --> n2
  n1 --> n3`,
  },
];

describe("graph renderers", () => {
  it.each(cases)("$name: exact output", ({ render, expected }) => {
    expect(render(MANIFEST)).toBe(expected);
  });

  it("json: versioned, same nodes and edges as the graph", () => {
    const json = JSON.parse(renderGraphJson(projectGraph(MANIFEST))) as Record<string, unknown>;
    expect(json).toEqual({
      format_version: "1.0",
      project: "shop",
      nodes: [
        { name: "customers", kind: "dataset", materialize: null, columns: 2 },
        { name: "orders", kind: "dataset", materialize: null, columns: 3 },
        { name: "big_orders", kind: "view", materialize: "view", columns: 2 },
        { name: "order_totals", kind: "view", materialize: "table", columns: 3 },
        { name: "vip", kind: "view", materialize: "incremental", columns: 2 },
      ],
      edges: projectGraph(MANIFEST).edges,
    });
  });

  it("escapes quotes and backslashes in names", () => {
    const m = { ...MANIFEST, project: 'a"b', order: ['q"x\\y'], datasets: [{ name: 'q"x\\y', columns: [], source: null, policy: {} }], views: [] } as unknown as Manifest;
    expect(renderDot(projectGraph(m))).toBe(`digraph "a\\"b" {\n  rankdir=LR;\n  "q\\"x\\\\y" [shape=cylinder, label="q\\"x\\\\y\\ndataset"];\n}`);
    expect(renderMermaid(projectGraph(m))).toBe(`flowchart LR\n  n0[("q#quot;x\\y<br/>dataset")]`);
  });

  it("is deterministic and the registry holds every format", () => {
    expect(Object.keys(GRAPH_RENDERERS)).toEqual(["dot", "mermaid", "json"]);
    for (const r of Object.values(GRAPH_RENDERERS)) expect(r(projectGraph(MANIFEST))).toBe(r(projectGraph(MANIFEST)));
  });
});
