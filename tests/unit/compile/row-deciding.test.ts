import { describe, expect, it } from "vitest";
import { tableCatalogFromModel } from "../../../compiler/src/catalog/index.js";
import { FunctionIndex } from "../../../compiler/src/catalog/index.js";
import { rowDecidingColumns } from "../../../compiler/src/compile/index.js";
import { bindQuery } from "../../../compiler/src/policy/bind/index.js";
import { parseQuery } from "../../../compiler/src/sql/index.js";
import { parseArrowType } from "../../../compiler/src/types/index.js";
import type { SpecModel } from "../../../compiler/src/spec/index.js";
import { FUNCTIONS } from "../../helpers/validate.js";

/** Two tables: t(a, b, c, l list<int64>) and u(a, d). */
const col = (name: string, type: string) => ({ name, type: (parseArrowType(type) as { ok: true; type: never }).type, nullable: true });
const catalog = tableCatalogFromModel({
  columns: new Map([
    ["t", [col("a", "int64"), col("b", "utf8"), col("c", "int64"), col("l", "list<int64>")]],
    ["u", [col("a", "int64"), col("d", "utf8")]],
  ]),
  datasets: new Map([["t", {}], ["u", {}]]),
} as unknown as SpecModel);
const index = new FunctionIndex(FUNCTIONS);
const isAggregate = (n: string) => index.lookup(n).some((f) => f.kind === "aggregate");

function decide(sql: string): string[] | null {
  const parsed = parseQuery(sql);
  expect(parsed.ok).toBe(true);
  const bound = bindQuery(parsed.ast!, catalog, FUNCTIONS);
  expect(bound.diagnostics.filter((d) => d.diagnostic.severity === "error")).toEqual([]);
  return rowDecidingColumns(bound.ast, bound.lineage, isAggregate);
}

describe("rowDecidingColumns", () => {
  it.each<[string, string[] | null]>([
    ["select a, b from t", []],
    ["select a from t where c > 0", ["t.c"]],
    ["select t.b, u.d from t join u on t.a = u.a", ["t.a", "u.a"]],
    ["select b, count(*) as n from t group by b", ["t.b"]],
    ["select b, sum(c) as s from t group by 1", ["t.b"]],
    ["select count(*) as n from t", []],
    ["select distinct b from t", ["t.b"]],
    ["select a, b from t order by c limit 10", null],
    ["select a, c from t order by c limit 10", ["t.c"]],
    ["select a from t limit 10", null],
    ["select a from t union all select a from u", []],
    ["select a from t union select a from u", null],
    ["select a, row_number() over (partition by b order by c) as r from t", null],
    ["select x.a from (select a, max(c) as m from t group by a) as x", null],
    ["select a, unnest(l) as v from t", null],
    ["select count(*) as n from t group by c", null],
    ["with x as (select a from t where b = 'k') select a from x", ["t.b"]],
  ])("%s", (sql, expected) => {
    expect(decide(sql)).toEqual(expected);
  });
});
