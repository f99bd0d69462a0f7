import type { Manifest, ViewArtifact } from "../../../compiler/src/compile/index.js";

const lineage = (columns: Record<string, string[]>, tables: string[], extra: Partial<ViewArtifact["lineage"]> = {}): ViewArtifact["lineage"] => ({
  columns: Object.entries(columns).map(([name, sources]) => ({ name, sources })),
  tables,
  joinKeys: [],
  filterColumns: [],
  functions: [],
  ...extra,
});

const view = (name: string, materialize: ViewArtifact["materialize"], columns: Record<string, string[]>, tables: string[], extra: Partial<ViewArtifact["lineage"]> = {}) =>
  ({
    name,
    materialize,
    ast_fingerprint: "f",
    policy_hash: "p",
    sql: "",
    columns: Object.keys(columns).map((c) => ({ name: c, type: "int64", nullable: true })),
    lineage: lineage(columns, tables, extra),
    variables: [],
    policy: {},
  }) as unknown as ViewArtifact;

/** A small project: two datasets, a view per materialization, one reading another view. */
export const MANIFEST = {
  format_version: "1.0",
  project: "shop",
  policy_hash: "p",
  function_catalog_hash: "h",
  order: ["customers", "orders", "big_orders", "order_totals", "vip"],
  datasets: [
    { name: "customers", columns: [{ name: "id", type: "int64", nullable: false }, { name: "name", type: "utf8", nullable: true }], source: null, policy: {} },
    { name: "orders", columns: [{ name: "id", type: "int64", nullable: false }, { name: "customer_id", type: "int64", nullable: true }, { name: "amount", type: "float64", nullable: true }], source: null, policy: {} },
  ],
  views: [
    view("big_orders", "view", { id: ["orders.id"], amount: ["orders.amount"] }, ["orders"], { filterColumns: ["orders.amount"] }),
    view("order_totals", "table", { customer: ["customers.name"], total: ["orders.amount"], n: [] }, ["customers", "orders"], {
      joinKeys: ["customers.id", "orders.customer_id"],
      filterColumns: ["customers.id", "orders.customer_id"],
      functions: ["count", "sum"],
    }),
    view("vip", "incremental", { customer: ["order_totals.customer"], score: ["big_orders.amount", "order_totals.total"] }, ["big_orders", "order_totals"]),
  ],
} as unknown as Manifest;
