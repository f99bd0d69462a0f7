// mayApply is each transform's first check: it must find the construct the transform rewrites
// wherever it sits in the tree (the transform cases then show what is done with it), and say no
// only when the construct is absent.
import { describe, expect, it } from "vitest";
import { mayApply } from "../../../../compiler/src/policy/transforms/applicable.js";
import type { TransformName } from "../../../../compiler/src/policy/transforms/index.js";
import { parseQuery, type Dialect } from "../../../../compiler/src/sql/index.js";

const ROWS: readonly (readonly [TransformName, string, boolean, Dialect?])[] = [
  ["hoist_ctes", "SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) AS s", true],
  ["hoist_ctes", "SELECT a FROM t WHERE a IN (WITH x AS (SELECT 1) SELECT * FROM x)", true],
  ["hoist_ctes", "WITH x AS (WITH y AS (SELECT 1) SELECT * FROM y) SELECT * FROM x", true],
  ["hoist_ctes", "WITH x AS (SELECT 1) SELECT * FROM x", false],
  ["eliminate_qualify", "SELECT a FROM t QUALIFY row_number() OVER () = 1", true],
  ["eliminate_qualify", "SELECT (SELECT a FROM t QUALIFY row_number() OVER () = 1)", true],
  ["eliminate_qualify", "SELECT a, row_number() OVER () AS r FROM t", false],
  ["normalize_unnest", "SELECT * FROM t, unnest(l) AS u(x)", true],
  ["normalize_unnest", "SELECT EXPLODE(l) FROM t", true],
  ["normalize_unnest", "SELECT explode_outer(l) FROM t", true],
  ["normalize_unnest", "SELECT * FROM t LATERAL VIEW posexplode(l) u AS p, x", true, "spark"],
  ["normalize_unnest", "WITH w AS (SELECT unnest(l) FROM t) SELECT * FROM w", true],
  ["normalize_unnest", "SELECT flatten(l) FROM t", false],
  ["expand_using", "SELECT a FROM t JOIN u USING (a)", true],
  ["expand_using", "SELECT * FROM (SELECT a FROM t JOIN u USING (a)) AS s", true],
  ["expand_using", "SELECT a FROM t JOIN u ON t.a = u.a", false],
];

const CASES = ROWS.map(([name, sql, expected, dialect]) => ({ name, sql, expected, dialect: dialect ?? "duckdb" }));

describe("mayApply", () => {
  it.each(CASES)("$name on $sql: $expected", ({ name, sql, expected, dialect }) => {
    const parsed = parseQuery(sql, { dialect });
    if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.diagnostic.message).join("; "));
    expect(mayApply(parsed.ast, name)).toBe(expected);
    // remembered per tree: asked again, and after the other transforms, the same answer
    for (const other of ["hoist_ctes", "eliminate_qualify", "normalize_unnest", "expand_using"] as const) mayApply(parsed.ast, other);
    expect(mayApply(parsed.ast, name)).toBe(expected);
  });

  it("answers for a construct only in the tree it was asked about", () => {
    const a = parseQuery("SELECT a FROM t JOIN u USING (a)");
    const b = parseQuery("SELECT a FROM t JOIN u ON t.a = u.a");
    if (!a.ok || !b.ok) throw new Error("parse");
    expect([mayApply(a.ast, "expand_using"), mayApply(b.ast, "expand_using")]).toEqual([true, false]);
  });
});
