// decideStatsColumns: per case a policy (on top of the built-in write defaults) → the kept columns
// and each candidate's reasons and outcome, for one view with lineage and a schema.
import { describe, expect, it } from "vitest";
import { decideStatsColumns, typeKeepsStats, type StatsView } from "../../../compiler/src/artifacts/stats-columns.js";
import type { ManifestColumn } from "../../../compiler/src/compile/manifest.js";
import type { EffectivePolicy } from "../../../compiler/src/spec/effective-policy.js";

const col = (name: string, type: string): ManifestColumn => ({ name, type, nullable: true });
const SCHEMA = [col("order_id", "int64"), col("cust_id", "int64"), col("day", "date32"), col("region", "utf8"), col("total", "float64"), col("tags", "list<utf8>"), col("attrs", "map<utf8, utf8>")];

const VIEW: StatsView = {
  columns: SCHEMA,
  lineage: {
    columns: [
      { name: "order_id", sources: ["orders.id"] },
      { name: "cust_id", sources: ["orders.cust"] },
      { name: "day", sources: ["orders.ts"] },
      { name: "region", sources: ["customers.region"] },
      { name: "total", sources: ["orders.amount", "orders.tax"] },
      { name: "tags", sources: ["orders.tags"] },
      { name: "attrs", sources: ["orders.attrs"] },
    ],
    tables: ["customers", "orders"],
    joinKeys: ["customers.id", "orders.cust"],
    filterColumns: ["customers.id", "customers.region", "orders.amount", "orders.cust", "orders.tags"],
    functions: [],
  },
};

type Write = Partial<Pick<EffectivePolicy["write"], "partition_by" | "zorder_by" | "stats_policy" | "stats_columns" | "stats_max_columns">>;
const policy = (w: Write): Pick<EffectivePolicy, "write"> =>
  ({ write: { partition_by: [], zorder_by: [], stats_policy: "auto", stats_columns: [], stats_max_columns: 32, ...w } }) as unknown as Pick<EffectivePolicy, "write">;

type Case = readonly [title: string, write: Write, columns: readonly string[], decisions: readonly string[]];
const CASES: readonly Case[] = [
  ["off: nothing", { stats_policy: "off", zorder_by: ["day"] }, [], []],
  [
    "auto: join keys and filter columns mapped through lineage, nested types left out",
    {},
    ["cust_id", "region"],
    ["cust_id join_key,filter_column kept", "region filter_column kept", "tags filter_column type_without_stats"],
  ],
  [
    "auto: zorder first, partition last",
    { zorder_by: ["day"], partition_by: ["order_id"] },
    ["day", "cust_id", "region", "order_id"],
    ["day zorder_by kept", "cust_id join_key,filter_column kept", "region filter_column kept", "tags filter_column type_without_stats", "order_id partition_by kept"],
  ],
  [
    "auto: capped by stats_max_columns",
    { zorder_by: ["day"], stats_max_columns: 2 },
    ["day", "cust_id"],
    ["day zorder_by kept", "cust_id join_key,filter_column kept", "region filter_column over_cap", "tags filter_column type_without_stats"],
  ],
  ["auto with stats_columns: exactly those", { stats_columns: ["total", "day"], zorder_by: ["region"] }, ["day", "total"], ["day stats_columns kept", "total stats_columns kept"]],
  ["explicit: stats_columns only, checked against the schema", { stats_policy: "explicit", stats_columns: ["attrs", "nope", "total"] }, ["total"], ["total stats_columns kept", "attrs stats_columns type_without_stats", "nope stats_columns not_in_schema"]],
  ["explicit without stats_columns: nothing", { stats_policy: "explicit", zorder_by: ["day"] }, [], []],
];

describe("decideStatsColumns", () => {
  it.each(CASES)("%s", (_title, write, columns, decisions) => {
    const r = decideStatsColumns(VIEW, policy(write), SCHEMA);
    expect({ columns: r.columns, decisions: r.decisions.map((d) => `${d.column} ${d.reasons.join(",")} ${d.outcome}`) }).toEqual({ columns, decisions });
  });

  it("records the base columns behind a join/filter reason", () => {
    const r = decideStatsColumns(VIEW, policy({}), SCHEMA);
    expect(r.decisions[0]).toEqual({ column: "cust_id", reasons: ["join_key", "filter_column"], sources: ["orders.cust"], outcome: "kept" });
  });

  it.each([
    ["int64", true], ["utf8", true], ["decimal(10, 2)", true], ["timestamp[us, UTC]", true], ["bool", true],
    ["list<int64>", false], ["map<utf8, int64>", false], ["struct<a: int64>", false], ["binary", false], ["INTERVAL", false], ["unknown", false],
  ] as const)("typeKeepsStats(%s) = %s", (type, keeps) => {
    expect(typeKeepsStats(type)).toBe(keeps);
  });
});
