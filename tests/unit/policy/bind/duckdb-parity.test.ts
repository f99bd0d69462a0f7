// Binder results DuckDB can check: per case, the output schema (names and DuckDB types) or the
// diagnostic kinds. With the native addon, DuckDB's DESCRIBE of the same query gives that schema,
// and a case the binder rejects fails in DuckDB too (cases of another dialect are not run there).
import { afterAll, describe, expect, it } from "vitest";
import { EMPTY_TABLE_CATALOG } from "../../../../compiler/src/catalog/index.js";
import { bindQuery, type BindErrorKind } from "../../../../compiler/src/policy/bind/index.js";
import { parseQuery, type Dialect } from "../../../../compiler/src/sql/index.js";
import { toDuckDbType } from "../../../../compiler/src/types/index.js";
import { openDuckDbIfBuilt } from "../../../helpers/duckdb.js";
import { FUNCTIONS } from "../../../conformance/sql-qualify-cases.js";

interface Case {
  readonly sql: string;
  /** `name TYPE` per output column, in DuckDB's spelling. */
  readonly schema?: readonly string[];
  readonly errors?: readonly BindErrorKind[];
  readonly dialect?: Dialect;
}

const CASES: readonly Case[] = [
  // a derived table's duplicate output names are renamed as DuckDB renames them (a, a_1, a_2; a taken name gets another suffix)
  { sql: "SELECT * FROM (SELECT 1 AS a, 2 AS a) t", schema: ["a INTEGER", "a_1 INTEGER"] },
  { sql: "SELECT * FROM (SELECT 1 AS a, 2 AS a, 'x' AS a) t", schema: ["a INTEGER", "a_1 INTEGER", "a_2 VARCHAR"] },
  { sql: "SELECT * FROM (SELECT 1 AS a, 2 AS a, 3 AS a_1) t", schema: ["a INTEGER", "a_1 INTEGER", "a_1_1 INTEGER"] },
  { sql: "SELECT t.* FROM (SELECT 1 AS a, 2 AS a) t", schema: ["a INTEGER", "a_1 INTEGER"] },
  { sql: "SELECT a, a_1 FROM (SELECT 1 AS a, 'x' AS a) t", schema: ["a INTEGER", "a_1 VARCHAR"] },
  { sql: "SELECT a FROM (SELECT 1 AS a, 'x' AS a) t", schema: ["a INTEGER"] },
  { sql: "WITH c AS (SELECT 1 AS a, 2 AS a) SELECT * FROM c", schema: ["a INTEGER", "a_1 INTEGER"] },
  { sql: "SELECT * FROM (SELECT 1 AS a, 2 AS a UNION ALL SELECT 3, 4) t", schema: ["a INTEGER", "a_1 INTEGER"] },
  { sql: "SELECT * FROM (SELECT 1 AS a, 2 AS a) t(x)", schema: ["x INTEGER", "a INTEGER"] },
  { sql: "SELECT * FROM (SELECT 1 AS a, 2 AS b) t, (SELECT 3 AS a) u", schema: ["a INTEGER", "b INTEGER", "a INTEGER"] },
  { sql: "SELECT a FROM (SELECT 1 AS a) t, (SELECT 2 AS a) u", errors: ["ambiguous_column"] },
  // past 16 columns the repeat check takes another path
  {
    sql: `SELECT * FROM (SELECT ${Array.from({ length: 17 }, (_, i) => `${i} AS c${i % 16}`).join(", ")}) t`,
    schema: [...Array.from({ length: 16 }, (_, i) => `c${i} INTEGER`), "c0_1 INTEGER"],
  },
  // outside DuckDB the names stay and a bare reference to one is ambiguous
  { sql: "SELECT a FROM (SELECT 1 AS a, 2 AS a) t", dialect: "spark", errors: ["ambiguous_column"] },
  { sql: "SELECT a FROM (SELECT 1 AS a, 2 AS a) t", dialect: "ansi", errors: ["ambiguous_column"] },
  // a list of 2-field structs is a list of map entries (field names do not matter)
  { sql: "SELECT map_from_entries(list({'k': 'a', 'v': 1})) AS m", schema: ["m MAP(VARCHAR, INTEGER)"] },
  { sql: "SELECT map_from_entries([{'key': 1, 'value': 'x'}, {'key': 2, 'value': 'y'}]) AS m", schema: ["m MAP(INTEGER, VARCHAR)"] },
  { sql: "SELECT map_from_entries([row(1, 2.5)]) AS m", schema: ["m MAP(INTEGER, DECIMAL(2,1))"] },
  { sql: "SELECT map_from_entries([{'k': 1}]) AS m", errors: ["no_overload"] },
  { sql: "SELECT map_from_entries([1, 2]) AS m", errors: ["no_overload"] },
  // a bare NULL takes the type of the other arm of a set operation; alone it is INTEGER
  { sql: "SELECT NULL AS x UNION ALL SELECT 'a'", schema: ["x VARCHAR"] },
  { sql: "SELECT 'a' AS x UNION ALL SELECT NULL", schema: ["x VARCHAR"] },
  { sql: "SELECT NULL AS x UNION ALL SELECT 1.5", schema: ["x DECIMAL(2,1)"] },
  { sql: "SELECT NULL AS x INTERSECT SELECT 'a'", schema: ["x VARCHAR"] },
  { sql: "SELECT NULL AS x UNION ALL BY NAME SELECT 'a' AS x", schema: ["x VARCHAR"] },
  { sql: "SELECT NULL AS x", schema: ["x INTEGER"] },
  { sql: "SELECT NULL AS x UNION ALL SELECT NULL", schema: ["x INTEGER"] },
  { sql: "SELECT x FROM (SELECT NULL AS x) t UNION ALL SELECT 'a'", schema: ["x VARCHAR"] },
  { sql: "WITH c AS (SELECT NULL AS x) SELECT x FROM c UNION ALL SELECT 'a'", schema: ["x VARCHAR"] },
  { sql: "SELECT x FROM (VALUES (NULL), ('a')) t(x)", schema: ["x VARCHAR"] },
  { sql: "SELECT (SELECT NULL) AS x UNION ALL SELECT 'a'", schema: ["x VARCHAR"] },
];

function bind(c: Case): { schema: string[]; errors: BindErrorKind[] } {
  const p = parseQuery(c.sql);
  if (!p.ok) throw new Error(p.diagnostics.map((d) => d.diagnostic.message).join("; "));
  const r = bindQuery(p.ast, EMPTY_TABLE_CATALOG, FUNCTIONS, { dialect: c.dialect ?? "duckdb" });
  return { schema: r.schema.map((col) => `${col.name} ${col.type ? toDuckDbType(col.type) : col.typeText}`), errors: r.diagnostics.map((d) => d.kind) };
}

const db = openDuckDbIfBuilt();
afterAll(() => db?.close());

describe("binder agrees with DuckDB", () => {
  it.each(CASES.map((c) => [`${c.dialect ?? "duckdb"}: ${c.sql}`, c] as const))("%s", (_, c) => {
    const r = bind(c);
    expect(r.errors).toEqual(c.errors ?? []);
    if (c.schema) expect(r.schema).toEqual(c.schema);
  });

  it.skipIf(!db)("DuckDB describes each DuckDB case's query as expected", () => {
    const wrong: string[] = [];
    for (const c of CASES.filter((x) => (x.dialect ?? "duckdb") === "duckdb")) {
      let described: string[] | string;
      try {
        described = db!.query(`DESCRIBE ${c.sql}`).rows.map((row) => `${String(row["column_name"])} ${String(row["column_type"])}`);
      } catch (e) {
        described = `error: ${(e as Error).message.split("\n")[0]}`;
      }
      const expected = c.schema ?? "error";
      const ok = typeof described === "string" ? expected === "error" : JSON.stringify(described) === JSON.stringify(expected);
      if (!ok) wrong.push(`${c.sql}: DuckDB ${JSON.stringify(described)}`);
    }
    expect(wrong).toEqual([]);
  });
});
