// semanticDiff: pairs of view versions (SQL through the whole lane, bound against a small schema)
// with the expected class and the changes listed (kind, clause, column).
import { describe, expect, it } from "vitest";
import { semanticDiff, type DiffableView } from "../../../compiler/src/artifacts/semantic-diff.js";
import { tableCatalogFromSchemaJson } from "../../../compiler/src/catalog/index.js";
import { bindQuery, type BindResult } from "../../../compiler/src/policy/bind/index.js";
import { runLane } from "../../../compiler/src/policy/lane.js";
import { FUNCTIONS } from "../../helpers/validate.js";

const { catalog } = tableCatalogFromSchemaJson({
  orders: { o_id: "bigint", o_cust: "bigint", o_total: "double", o_date: "date", o_status: "string" },
  customers: { c_id: "bigint", c_name: "string", c_region: "string" },
});

function view(sql: string, withTree = true): DiffableView {
  let bound: BindResult | undefined;
  const lane = runLane(sql, { dialect: "duckdb", transforms: ["hoist_ctes", "expand_using"], normalize_predicates: { max_distance: 128 } }, {}, {
    bind: (q) => {
      bound = bindQuery(q, catalog, FUNCTIONS);
      return { query: bound.ast, diagnostics: bound.diagnostics };
    },
  });
  if (!lane.ok || !bound) throw new Error(`lane failed: ${JSON.stringify(lane.diagnostics)}`);
  const columns = bound.schema.map((c) => ({ name: c.name, type: c.typeText, nullable: c.nullable }));
  return { ast_fingerprint: lane.astFingerprint!, columns, lineage: bound.lineage, ...(withTree ? { sql: lane.canonicalSql! } : {}) };
}

type Case = readonly [title: string, before: string, after: string, cls: string, changes: readonly string[]];
const BASE = "SELECT o_id, o_total FROM orders WHERE o_status = 'F'";
const AGG = "SELECT o_cust, sum(o_total) AS total FROM orders WHERE o_status = 'F' GROUP BY o_cust";
const JOIN = "SELECT o_id, c_name FROM orders JOIN customers ON o_cust = c_id";

const CASES: readonly Case[] = [
  ["reformatted and re-cased", BASE, "select O_ID,\n  o_total -- c\nfrom ORDERS where o_status='F'", "cosmetic", []],
  ["AND terms reordered", `${BASE} AND o_total > 1`, "SELECT o_id, o_total FROM orders WHERE o_total > 1 AND o_status = 'F'", "cosmetic", []],
  ["a new column", BASE, "SELECT o_id, o_total, o_date FROM orders WHERE o_status = 'F'", "additive", ["column_added select o_date"]],
  ["two new columns", BASE, "SELECT o_id, o_total, o_date, o_cust FROM orders WHERE o_status = 'F'", "additive", ["column_added select o_date", "column_added select o_cust"]],
  ["a removed column", BASE, "SELECT o_id FROM orders WHERE o_status = 'F'", "breaking", ["column_removed select o_total"]],
  ["a renamed column", BASE, "SELECT o_id, o_total AS amount FROM orders WHERE o_status = 'F'", "breaking", ["column_renamed select amount"]],
  ["a retyped column", BASE, "SELECT o_id, CAST(o_total AS INTEGER) AS o_total FROM orders WHERE o_status = 'F'", "breaking", ["column_retyped select o_total", "column_expression select o_total"]],
  ["a changed column expression", BASE, "SELECT o_id, o_total * 2 AS o_total FROM orders WHERE o_status = 'F'", "breaking", ["column_expression select o_total"]],
  ["a changed filter", BASE, "SELECT o_id, o_total FROM orders WHERE o_status = 'O'", "breaking", ["clause_changed where"]],
  ["a new column and a changed filter", BASE, "SELECT o_id, o_total, o_date FROM orders WHERE o_status = 'O'", "breaking", ["column_added select o_date", "clause_changed where"]],
  ["a changed join condition", JOIN, "SELECT o_id, c_name FROM orders JOIN customers ON o_id = c_id", "breaking", ["clause_changed join"]],
  ["inner join made left", JOIN, "SELECT o_id, c_name FROM orders LEFT JOIN customers ON o_cust = c_id", "breaking", ["clause_changed join"]],
  ["a changed grouping", AGG, "SELECT o_cust, sum(o_total) AS total FROM orders WHERE o_status = 'F' GROUP BY o_cust, o_date", "breaking", ["clause_changed group_by"]],
  ["a changed aggregate", AGG, "SELECT o_cust, max(o_total) AS total FROM orders WHERE o_status = 'F' GROUP BY o_cust", "breaking", ["column_expression aggregate total"]],
  ["a new HAVING", AGG, `${AGG} HAVING sum(o_total) > 10`, "breaking", ["clause_changed having"]],
  ["a new aggregate column", AGG, "SELECT o_cust, sum(o_total) AS total, count(*) AS n FROM orders WHERE o_status = 'F' GROUP BY o_cust", "additive", ["column_added select n"]],
  ["DISTINCT added", BASE, "SELECT DISTINCT o_id, o_total FROM orders WHERE o_status = 'F'", "breaking", ["clause_changed distinct"]],
  ["a LIMIT added", BASE, `${BASE} LIMIT 10`, "breaking", ["clause_changed limit"]],
];

const show = (c: { kind: string; clause: string; column: string | null }) => [c.kind, c.clause, c.column].filter((x) => x !== null).join(" ");

describe("semanticDiff", () => {
  it.each(CASES)("%s", (_title, before, after, cls, changes) => {
    const diff = semanticDiff(view(before), view(after));
    expect({ class: diff.class, changes: diff.changes.map(show) }).toEqual({ class: cls, changes });
  });

  it("lists the changed clause's SQL before and after", () => {
    const diff = semanticDiff(view(BASE), view("SELECT o_id, o_total FROM orders WHERE o_status = 'O'"));
    expect(diff.changes[0]!.before).toContain("'F'");
    expect(diff.changes[0]!.after).toContain("'O'");
  });

  it("without canonical trees falls back to lineage for joins and filters", () => {
    const diff = semanticDiff(view(BASE, false), view("SELECT o_id, o_total FROM orders WHERE o_date IS NOT NULL", false));
    expect({ class: diff.class, changes: diff.changes.map(show) }).toEqual({ class: "breaking", changes: ["clause_changed where"] });
  });

  it("is breaking, not silent, when the fingerprint moved for a reason it cannot place", () => {
    const a = view(BASE, false);
    const diff = semanticDiff(a, { ...a, ast_fingerprint: "other" });
    expect(diff).toEqual({ class: "breaking", changes: [{ kind: "clause_changed", clause: "query", column: null, before: null, after: null }] });
  });
});
