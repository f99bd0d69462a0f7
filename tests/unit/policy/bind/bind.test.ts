import { describe, expect, it } from "vitest";
import { parseColumnType, tableCatalogFromSchemaJson } from "../../../../compiler/src/catalog/index.js";
import { bindQuery, type BindOptions } from "../../../../compiler/src/policy/bind/index.js";
import { parseQuery, printSql } from "../../../../compiler/src/sql/index.js";
import { formatArrowType } from "../../../../compiler/src/types/index.js";
import { FUNCTIONS } from "../../../conformance/sql-qualify-cases.js";

const { catalog } = tableCatalogFromSchemaJson({
  t: { id: "bigint", name: "string", price: "decimal(10, 2)", qty: "int", ts: "timestamp", d: "date" },
  u: { id: "int64", t_id: "int64", tags: "list<utf8>", s: "struct<a: int32, b: struct<c: utf8>>", m: "MAP<STRING, INT>" },
  v: { id: "bigint", t_id: "bigint", score: "double" },
});

function bind(sql: string, opts: BindOptions = {}) {
  const p = parseQuery(sql);
  if (!p.ok) throw new Error(p.diagnostics.map((d) => d.diagnostic.message).join("; "));
  const r = bindQuery(p.ast, catalog, FUNCTIONS, opts);
  return { ...r, sql: printSql(r.ast).sql, types: r.schema.map((c) => `${c.name}: ${c.typeText}${c.nullable ? "" : "!"}`), errors: r.diagnostics.map((d) => `${d.kind}@${d.range.start}-${d.range.end}: ${d.diagnostic.message}${d.diagnostic.hints.length ? ` (${d.diagnostic.hints.join("; ")})` : ""}`) };
}

describe("table catalog", () => {
  it("reads Arrow type strings and SQL type names", () => {
    const t = (s: string) => {
      const r = parseColumnType(s);
      return r.ok ? formatArrowType(r.type) : `error: ${r.message}`;
    };
    expect(["bigint", "int", "string", "varchar", "double", "decimal(15, 2)", "date", "timestamp", "TEXT", "DATETIME", "STRUCT<a_1 INT, b_1 VARCHAR>", "INT[]", "MAP<STRING, INT>", "struct<a: int64>", "utf8", "float"].map(t)).toEqual([
      "int64", "int32", "utf8", "utf8", "float64", "decimal(15, 2)", "date32", "timestamp[us]", "utf8", "timestamp[us]", "struct<a_1: int32, b_1: utf8>", "list<int32>", "map<utf8, int32>", "struct<a: int64>", "utf8", "float32",
    ]);
    expect(t("nonsense_type")).toMatch(/^error/);
  });

  it("looks tables up case-insensitively", () => {
    expect(catalog.lookup("T")?.name).toBe("t");
    expect(catalog.lookup("nope")).toBeUndefined();
  });
});

describe("qualify", () => {
  it("qualifies columns, aliases tables and projections", () => {
    expect(bind("select id, name from t where qty > 1").sql).toBe("SELECT t.id AS id, t.name AS name FROM t AS t WHERE t.qty > 1");
  });

  it("expands stars with EXCLUDE / REPLACE / RENAME and COLUMNS", () => {
    expect(bind("select * exclude (ts, d) replace (qty * 2 as qty) rename (name as n) from t").sql).toBe("SELECT t.id AS id, t.name AS n, t.price AS price, t.qty * 2 AS qty FROM t AS t");
    expect(bind("select columns('^(id|qty)$') from t").sql).toBe("SELECT t.id AS id, t.qty AS qty FROM t AS t");
  });

  it("tells struct fields from table qualifiers", () => {
    const r = bind("select u.s.b.c, s.a, s.b from u");
    expect(r.sql).toBe("SELECT u.s.b.c AS c, u.s.a AS a, u.s.b AS b FROM u AS u");
    expect(r.types).toEqual(["c: utf8", "a: int32", "b: struct<c: utf8>"]);
  });

  it("merges USING columns and keeps USING unless asked to expand it", () => {
    expect(bind("select id, score from t join v using (id)").sql).toBe("SELECT COALESCE(t.id, v.id) AS id, v.score AS score FROM t AS t JOIN v AS v USING (id)");
    expect(bind("select * from t join v using (id)", { expandUsing: true }).sql).toContain("JOIN v AS v ON t.id = v.id");
  });

  it("scopes CTEs (incl. recursive with column lists) and correlated subqueries", () => {
    const r = bind("with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r");
    expect(r.errors).toEqual([]);
    expect(r.sql).toBe("WITH RECURSIVE r(n) AS (SELECT 1 AS n UNION ALL SELECT r.n + 1 AS n FROM r AS r WHERE r.n < 3) SELECT r.n AS n FROM r AS r");
    expect(bind("select id from t where exists (select 1 from v where v.t_id = t.id and score > qty)").sql).toBe(
      "SELECT t.id AS id FROM t AS t WHERE EXISTS (SELECT 1 AS \"1\" FROM v AS v WHERE v.t_id = t.id AND v.score > t.qty)",
    );
  });

  it("binds lateral subqueries to the items on their left", () => {
    const r = bind("select x.m from t, lateral (select max(score) as m from v where v.t_id = t.id) x");
    expect(r.errors).toEqual([]);
    expect(r.sql).toContain("WHERE v.t_id = t.id");
  });

  it("diagnoses unknown tables and columns with did-you-mean, at the reference", () => {
    const sql = "select nme from tt";
    const r = bind(sql);
    expect(r.errors[0]).toMatch(/^unknown_table@16-18: unknown table 'tt' \(did you mean 't'\?\)/);
    const c = bind("select nmae from t");
    expect(c.errors).toEqual(["unresolved_column@7-11: column 'nmae' could not be resolved (did you mean 'name'?)"]);
    expect(bind("select t.nmae from t").errors[0]).toMatch(/unknown_column.*did you mean 't.name'/);
    expect(bind("select id from t, v").errors[0]).toMatch(/^ambiguous_column@7-9/);
    expect(bind("select s.zz from u").errors[0]).toMatch(/^unknown_field/);
    expect(bind("select a from t as a, v as a").errors[0]).toMatch(/^duplicate_alias/);
    expect(bind("select id from t order by 3").errors[0]).toMatch(/^ordinal_out_of_range/);
  });

  it("reads a bare table name as the row struct in DuckDB only", () => {
    const duck = bind("select v from v");
    expect(duck.errors).toEqual([]);
    expect(duck.types).toEqual(["v: struct<id: int64, t_id: int64, score: float64>!"]);
    expect(bind("select v from v", { dialect: "ansi" }).errors).toEqual([
      "unresolved_column@7-8: column 'v' could not be resolved: 'v' is a table, and a bare table name is its row only in DuckDB (select its columns with 'v.*')",
    ]);
    expect(bind("select x from v as x", { dialect: "spark" }).errors).toEqual([
      "unresolved_column@7-8: column 'x' could not be resolved: 'x' is a table, and a bare table name is its row only in DuckDB (select its columns with 'x.*', or the row as a struct with 'struct(x.*)')",
    ]);
  });
});

describe("annotate types", () => {
  it("types arithmetic, aggregates, windows and CASE/COALESCE", () => {
    const r = bind(
      "select price * qty as a, sum(qty) as b, avg(price) as c, count(*) as d, row_number() over (order by id) as e, coalesce(name, 'x') as f, case when qty > 1 then price else 0 end as g, d + interval 1 day as h, list(name) as i, min(ts) as j from t group by all",
    );
    expect(r.errors).toEqual([]);
    expect(r.types).toEqual([
      "a: decimal(18, 2)", "b: decimal(38, 0)", "c: float64", "d: int64!", "e: int64!", "f: utf8!", "g: decimal(12, 2)", "h: timestamp[us]", "i: list<utf8>", "j: timestamp[us]",
    ]);
  });

  it("types nested access and list functions", () => {
    const r = bind("select tags[1] as a, m['k'] as b, len(tags) as c, list_transform(tags, x -> length(x)) as d, {'k': id} as e, [1, 2] as f from u");
    expect(r.errors).toEqual([]);
    expect(r.types).toEqual(["a: utf8", "b: int32", "c: int64", "d: list<int64>", "e: struct<k: int64>!", "f: list<int32>!"]);
  });

  it("reports type errors and unknown functions", () => {
    expect(bind("select id from u where s = 1").errors[0]).toMatch(/^type_mismatch.*cannot compare STRUCT/);
    expect(bind("select lenght(name) from t").errors[0]).toMatch(/^unknown_function.*did you mean 'length'/);
    expect(bind("select name + s from t, u").errors[0]).toMatch(/^type_mismatch/);
  });

  it("unifies set operation columns", () => {
    expect(bind("select qty from t union all select score from v").types).toEqual(["qty: float64"]);
  });
});

describe("lineage", () => {
  it("follows columns through CTEs, subqueries and set operations", () => {
    const r = bind("with c as (select id, price * qty as total from t) select x.id, x.total + 1 as t2 from (select * from c union select id, score from v) x join v on v.id = x.id where v.score > 0");
    expect(r.errors).toEqual([]);
    expect(r.lineage.columns).toEqual([
      { name: "id", sources: ["t.id", "v.id"] },
      { name: "t2", sources: ["t.price", "t.qty", "v.score"] },
    ]);
    expect(r.lineage.tables).toEqual(["t", "v"]);
    expect(r.lineage.joinKeys).toEqual(["t.id", "v.id"]);
    expect(r.lineage.filterColumns).toEqual(["t.id", "v.id", "v.score"]);
  });
});

describe("expression types", () => {
  it("records every expression's type in a side table keyed by the qualified node", () => {
    const p = parseQuery("select qty + 1 as a from t where name like 'x%'");
    if (!p.ok) throw new Error("parse");
    const r = bindQuery(p.ast, catalog, FUNCTIONS);
    const q = r.ast.body;
    if (q.kind !== "select") throw new Error("select");
    expect(r.types.get(q.items[0]!.expr)).toEqual({ type: { kind: "int32" }, nullable: true });
    expect(r.types.get(q.where!)?.type).toEqual({ kind: "bool" });
  });
});
