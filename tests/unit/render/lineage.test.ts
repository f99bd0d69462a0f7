import { describe, expect, it } from "vitest";
import { renderQueryLineageText, renderTraceJson, renderTraceText, renderViewLineageJson, resolveLineageTarget, traceColumn } from "../../../compiler/src/render/index.js";
import { MANIFEST } from "./fixtures.js";

describe("resolveLineageTarget", () => {
  const r = (t: string) => {
    const x = resolveLineageTarget(MANIFEST, t);
    return x.ok ? { view: x.view.name, column: x.column } : { message: x.message, hint: x.hint };
  };
  it.each([
    ["vip", { view: "vip", column: null }],
    ["VIP.Score", { view: "vip", column: "score" }],
    ["order_totals.n", { view: "order_totals", column: "n" }],
    ["vp", { message: "unknown view 'vp'", hint: "did you mean 'vip'?" }],
    ["vip.scor", { message: "view 'vip' has no column 'scor'", hint: "did you mean 'score'?" }],
    ["orders.id", { message: "'orders' is a dataset, not a view", hint: "a dataset's columns are where lineage ends; pass a view that reads it" }],
  ])("%s", (target, expected) => {
    expect(r(target)).toEqual(expected);
  });
});

describe("lineage renderers", () => {
  it("view lineage as text", () => {
    expect(renderQueryLineageText(MANIFEST.views[1]!.lineage, "order_totals (table)")).toBe(
      [
        "order_totals (table)",
        "columns:",
        "  customer  ← customers.name",
        "  total     ← orders.amount",
        "  n         ← (no source columns)",
        "tables:         customers, orders",
        "join keys:      customers.id, orders.customer_id",
        "filter columns: customers.id, orders.customer_id",
      ].join("\n"),
    );
  });

  it("view lineage as JSON", () => {
    expect(JSON.parse(renderViewLineageJson("big_orders", "view", MANIFEST.views[0]!.lineage))).toEqual({
      format_version: "1.0",
      view: "big_orders",
      materialize: "view",
      columns: [
        { name: "id", sources: ["orders.id"] },
        { name: "amount", sources: ["orders.amount"] },
      ],
      tables: ["orders"],
      join_keys: [],
      filter_columns: ["orders.amount"],
      functions: [],
    });
  });

  it("traces a column through views down to datasets", () => {
    const trace = traceColumn(MANIFEST, "vip", "score");
    expect(renderTraceText(trace)).toBe(
      [
        "vip.score (incremental)",
        "├── big_orders.amount (view)",
        "│   └── orders.amount (dataset)",
        "└── order_totals.total (table)",
        "    └── orders.amount (dataset)",
      ].join("\n"),
    );
    const json = JSON.parse(renderTraceJson(trace)) as { base_columns: string[]; trace: { sources: { table: string; kind: string }[] } };
    expect(json.base_columns).toEqual(["orders.amount"]);
    expect(json.trace.sources.map((s) => [s.table, s.kind])).toEqual([
      ["big_orders", "view"],
      ["order_totals", "view"],
    ]);
  });

  it("a column computed from no column", () => {
    expect(renderTraceText(traceColumn(MANIFEST, "order_totals", "n"))).toBe("order_totals.n (table)\n└── (no source columns)");
  });
});
