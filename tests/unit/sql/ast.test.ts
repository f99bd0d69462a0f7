import { describe, expect, it } from "vitest";
import {
  binary, CHILD_KEYS, tableRef, childrenOf, column, createTransformer, identifier, numberLiteral, parseQuery, printSql, sameTree, stripRanges, visitNodes, walk,
  type Node, type NodeKind, type Query,
} from "../../../compiler/src/sql/index.js";
import { SqlParser } from "../../../compiler/src/sql/parser/parser.js";
import { AstBuilder } from "../../../compiler/src/sql/build/builder.js";

const RICH = `
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3), s AS MATERIALIZED (VALUES (1, 'a'))
SELECT DISTINCT ON (a.x) a.x, b.* EXCLUDE (y) REPLACE (y + 1 AS z) RENAME (w AS v), count(*) FILTER (WHERE a.y > 0) AS c,
  sum(DISTINCT a.z ORDER BY a.z) OVER (w ORDER BY a.x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY a.x DESC NULLS LAST), first_value(a.x IGNORE NULLS) OVER w,
  CASE a.k WHEN 1 THEN 'one' ELSE NULL END, CAST(a.x AS DECIMAL(10, 2)), TRY_CAST(a.s AS STRUCT(f INT, g VARCHAR[])), a.m::MAP(VARCHAR, INT),
  EXTRACT(YEAR FROM a.d), DATE '2020-01-01' + INTERVAL '1' DAY, a.ts AT TIME ZONE 'UTC', a.n COLLATE nocase, {'k': [1, 2][1:2]}, MAP {'a': 1},
  (a.s).f, a.l[1].g, 'x'.upper(), list_transform(a.l, v -> v + 1), f(p := 1), COLUMNS('^x'), (1, 2), $1,
  a.x IS NOT NULL AND a.y IS DISTINCT FROM 2 OR a.z BETWEEN 1 AND 2 OR a.s NOT LIKE 'x%' ESCAPE '!' OR a.x IN (1, 2)
  OR a.x IN (SELECT 1) OR a.x > ALL (SELECT 1) OR NOT EXISTS (SELECT 1) OR -a.x < (SELECT 1)
FROM a LEFT JOIN b USING (k) JOIN LATERAL (SELECT 1) AS l(q) ON TRUE, UNNEST([1]) WITH ORDINALITY AS u(e, o),
  t PIVOT (sum(v) AS s FOR k IN (1 AS one)) AS p, t2 UNPIVOT INCLUDE NULLS (v FOR k IN (c1, c2)) AS up
  LATERAL VIEW OUTER explode(a.l) e AS item
WHERE a.x > 0 GROUP BY GROUPING SETS ((a.x), ROLLUP (a.y), CUBE (a.z), ()) HAVING count(*) > 1
WINDOW w AS (PARTITION BY a.y ORDER BY a.x) QUALIFY row_number() OVER w = 1
ORDER BY 1 LIMIT 10 OFFSET 5`;

function rich(): Query {
  const r = parseQuery(RICH);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.diagnostic.message).join("; "));
  return r.ast;
}

describe("grammar and builder", () => {
  it("the grammar has no ambiguities or other definition errors (validations on)", () => {
    expect(() => new SqlParser()).not.toThrow();
  });

  it("the builder has a method for every grammar rule", () => {
    expect(() => new AstBuilder()).not.toThrow();
  });
});

describe("nodes", () => {
  it("are frozen, lists included", () => {
    walk(rich(), (n) => {
      expect(Object.isFrozen(n)).toBe(true);
      for (const v of Object.values(n)) if (Array.isArray(v)) expect(Object.isFrozen(v)).toBe(true);
    });
  });

  it("list every child slot in CHILD_KEYS", () => {
    const seen = new Set<NodeKind>();
    walk(rich(), (n) => {
      seen.add(n.kind);
      const slots = new Set<string>(CHILD_KEYS[n.kind] as readonly string[]);
      for (const [key, value] of Object.entries(n)) {
        const holdsNode = (v: unknown): boolean => (Array.isArray(v) ? v.some(holdsNode) : typeof v === "object" && v !== null && "kind" in v);
        if (key !== "range" && holdsNode(value)) expect(slots, `${n.kind}.${key}`).toContain(key);
      }
    });
    // The rich query reaches every kind but these (they have no child slots to check).
    const missing = (Object.keys(CHILD_KEYS) as NodeKind[]).filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });

  it("keep source ranges that point at their text", () => {
    const q = rich();
    visitNodes(q, {
      identifier: (id) => {
        const text = RICH.slice(id.range.start, id.range.end);
        expect(text.replace(/^["`]|["`]$/g, "").replace(/^'|'$/g, "")).toBe(id.name);
      },
      call: (c) => {
        expect(RICH.slice(c.range.start, c.range.end).startsWith(c.name.map((n) => n.name).join("."))).toBe(true);
      },
      select: (s) => {
        expect(RICH.slice(s.range.start, s.range.start + 6).toUpperCase()).toBe("SELECT");
      },
    });
    expect(RICH.slice(q.range.start, q.range.end)).toBe(RICH.trim());
  });

  it("end at the node's last token: spaces and comments after it are not part of it", () => {
    const sql = "SELECT  f( a ) /* c */ , b -- x\n FROM t  /* end */ ";
    const q = parseQuery(sql);
    if (!q.ok) throw new Error("parse failed");
    const texts: string[] = [];
    walk(q.ast, (n) => {
      if (n.kind === "call" || n.kind === "column" || n.kind === "select") texts.push(`${n.kind}: ${sql.slice(n.range.start, n.range.end)}`);
    });
    expect(texts.sort()).toEqual(["call: f( a )", "column: a", "column: b", "select: SELECT  f( a ) /* c */ , b -- x\n FROM t"]);
  });

  it("compare equal without ranges", () => {
    const a = parseQuery("select a+1 from t");
    const b = parseQuery("SELECT   a + 1\nFROM t -- x");
    expect(a.ok && b.ok && sameTree(a.ast, b.ast)).toBe(true);
    expect(a.ok && b.ok && stripRanges(a.ast)).toEqual(b.ok && stripRanges(b.ast));
  });
});

describe("transformer", () => {
  it("shares every node when no handler changes anything", () => {
    const q = rich();
    const identity = createTransformer({});
    expect(identity(q)).toBe(q);
  });

  it("rebuilds only the path to a changed node", () => {
    const r = parseQuery("select a, b from t where c > 1");
    if (!r.ok) throw new Error("parse");
    const renamed = createTransformer({
      identifier: (id) => (id.name === "c" ? identifier("renamed", false, id.range) : id),
    })(r.ast);
    expect(printSql(renamed).sql).toBe("SELECT a, b FROM t WHERE renamed > 1");
    expect(renamed).not.toBe(r.ast);
    if (renamed.body.kind !== "select" || r.ast.body.kind !== "select") throw new Error("select");
    expect(renamed.body.items).toBe(r.ast.body.items);
    expect(renamed.body.from).toBe(r.ast.body.from);
  });

  it("lets a handler replace a node with another kind of the same category", () => {
    const r = parseQuery("select x + 0, y from t");
    if (!r.ok) throw new Error("parse");
    const simplify = createTransformer({
      binary: (b, ctx) => {
        const next = ctx.visitChildren(b);
        return next.op === "+" && next.right.kind === "number" && next.right.value === "0" ? next.left : next;
      },
    });
    expect(printSql(simplify(r.ast)).sql).toBe("SELECT x, y FROM t");
  });

  it("rejects, at compile time, a handler that puts a node of another category in place", () => {
    // @ts-expect-error a column stands for a value: a table cannot replace it
    const wrong = createTransformer({ column: () => tableRef([identifier("t")]) });
    expect(typeof wrong).toBe("function");
  });

  it("builds trees from factories that print", () => {
    const e = binary("*", column([identifier("a")]), binary("+", numberLiteral("1"), numberLiteral("2")));
    expect(printSql(e).sql).toBe("a * (1 + 2)");
  });

  it("children come in source order", () => {
    const r = parseQuery("select a from t where b");
    if (!r.ok || r.ast.body.kind !== "select") throw new Error("parse");
    expect(childrenOf(r.ast.body).map((n: Node) => n.kind)).toEqual(["selectItem", "table", "column"]);
  });
});
