// Transform cases as data: input → expected SQL per target dialect (printed in that dialect,
// before canonicalize). Run with UPDATE_TRANSFORM_CASES=1 to print the actual outputs.
import type { TransformName } from "../../../../compiler/src/policy/transforms/index.js";

export interface TransformCase {
  readonly transform: TransformName;
  readonly input: string;
  /** Expected output per target dialect (the profile dialect; the output is printed in it). */
  readonly expected: Partial<Record<"duckdb" | "spark" | "ansi", string>>;
  /** Codes of the diagnostics the transform must report. */
  readonly codes?: readonly string[];
  /** Run input and output in DuckDB over the fixture tables and compare rows. */
  readonly execute?: boolean;
}

export const CASES: readonly TransformCase[] = [
  // hoist_ctes
  { transform: "hoist_ctes", execute: true, input: "SELECT * FROM (WITH x AS (SELECT a FROM t1) SELECT a FROM x) AS s", expected: { duckdb: "WITH x AS (SELECT a FROM t1) SELECT * FROM (SELECT a FROM x) AS s" } },
  { transform: "hoist_ctes", execute: true, input: "WITH x AS (SELECT a FROM t1) SELECT * FROM x, (WITH x AS (SELECT b FROM t1) SELECT b FROM x) AS s ORDER BY 1, 2", expected: { duckdb: "WITH x AS (SELECT a FROM t1), x_2 AS (SELECT b FROM t1) SELECT * FROM x, (SELECT b FROM x_2 AS x) AS s ORDER BY 1, 2" } },
  { transform: "hoist_ctes", execute: true, input: "WITH c AS (WITH d AS (SELECT a FROM t1) SELECT a FROM d) SELECT a FROM c ORDER BY a", expected: { duckdb: "WITH d AS (SELECT a FROM t1), c AS (SELECT a FROM d) SELECT a FROM c ORDER BY a" } },
  { transform: "hoist_ctes", execute: true, input: "SELECT a FROM t2 WHERE a IN (WITH t2 AS (SELECT a FROM t1 WHERE a > 1) SELECT a FROM t2) ORDER BY a", expected: { duckdb: "WITH t2_2 AS (SELECT a FROM t1 WHERE a > 1) SELECT a FROM t2 WHERE a IN (SELECT a FROM t2_2 AS t2) ORDER BY a" } },
  { transform: "hoist_ctes", input: "SELECT 1", expected: { duckdb: "SELECT 1" } },
  // eliminate_qualify
  { transform: "eliminate_qualify", execute: true, input: "SELECT a, b FROM t1 QUALIFY row_number() OVER (PARTITION BY a ORDER BY b) = 1 ORDER BY a", expected: { duckdb: "SELECT a, b FROM (SELECT a, b, row_number() OVER (PARTITION BY a ORDER BY b) AS _w0 FROM t1) AS _t WHERE _w0 = 1 ORDER BY a", spark: "SELECT a, b FROM (SELECT a, b, row_number() OVER (PARTITION BY a ORDER BY b) AS _w0 FROM t1) AS _t WHERE _w0 = 1 ORDER BY a" } },
  { transform: "eliminate_qualify", execute: true, input: "SELECT a, b AS x FROM t1 QUALIFY x > min(b) OVER (PARTITION BY a) ORDER BY a, x", expected: { duckdb: "SELECT a, x FROM (SELECT a, b AS x, min(b) OVER (PARTITION BY a) AS _w0 FROM t1) AS _t WHERE x > _w0 ORDER BY a, x" } },
  { transform: "eliminate_qualify", execute: true, input: "SELECT * FROM t1 QUALIFY rank() OVER (ORDER BY b DESC) <= 2 ORDER BY a, b", expected: { duckdb: "SELECT * EXCLUDE (_w0, _o0, _o1) FROM (SELECT *, rank() OVER (ORDER BY b DESC) AS _w0, a AS _o0, b AS _o1 FROM t1) AS _t WHERE _w0 <= 2 ORDER BY _o0, _o1" } },
  { transform: "eliminate_qualify", execute: true, input: "SELECT DISTINCT a FROM t1 QUALIFY count(*) OVER (PARTITION BY a) > 1 ORDER BY a", expected: { duckdb: "SELECT DISTINCT a FROM (SELECT a, count(*) OVER (PARTITION BY a) AS _w0 FROM t1) AS _t WHERE _w0 > 1 ORDER BY a" } },
  { transform: "eliminate_qualify", execute: true, input: "SELECT a, b + 1 FROM t1 QUALIFY lag(b) OVER (ORDER BY a, b) IS NOT NULL AND t1.b > 1 ORDER BY t1.a, 2", expected: { duckdb: "SELECT * EXCLUDE (_w0, _q0, _o0) FROM (SELECT a, b + 1, lag(b) OVER (ORDER BY a, b) AS _w0, t1.b AS _q0, t1.a AS _o0 FROM t1) AS _t WHERE _w0 IS NOT NULL AND _q0 > 1 ORDER BY _o0, 2" } },
  { transform: "eliminate_qualify", input: "SELECT DISTINCT ON (a) a, b FROM t1 QUALIFY row_number() OVER () = 1", expected: { duckdb: "SELECT DISTINCT ON (a) a, b FROM t1 QUALIFY row_number() OVER () = 1" }, codes: ["CPG1301"] },
  // normalize_unnest
  { transform: "normalize_unnest", execute: true, input: "SELECT a, x FROM t3, unnest(t3.l) AS u(x) ORDER BY a, x", expected: { duckdb: "SELECT a, x FROM t3 CROSS JOIN unnest(t3.l) AS u(x) ORDER BY a, x", spark: "SELECT a, x FROM t3 LATERAL VIEW explode(t3.l) u AS x ORDER BY a, x" } },
  { transform: "normalize_unnest", input: "SELECT a, x FROM t3 LATERAL VIEW explode(l) u AS x", expected: { duckdb: "SELECT a, x FROM t3 CROSS JOIN unnest(l) AS u(x)", ansi: "SELECT a, x FROM t3 CROSS JOIN unnest(l) AS u(x)", spark: "SELECT a, x FROM t3 LATERAL VIEW explode(l) u AS x" } },
  { transform: "normalize_unnest", input: "SELECT a, col FROM t3 LATERAL VIEW OUTER explode(l) u", expected: { duckdb: "SELECT a, col FROM t3 LEFT JOIN unnest(l) AS u(col) ON TRUE" } },
  { transform: "normalize_unnest", input: "SELECT explode(l) FROM t3", expected: { duckdb: "SELECT unnest(l) FROM t3", spark: "SELECT explode(l) FROM t3" } },
  { transform: "normalize_unnest", input: "SELECT unnest(l) FROM t3", expected: { spark: "SELECT explode(l) FROM t3", duckdb: "SELECT unnest(l) FROM t3" } },
  { transform: "normalize_unnest", input: "SELECT a, p, x FROM t3 LATERAL VIEW posexplode(l) u AS p, x", expected: { duckdb: "SELECT a, p, x FROM t3 LATERAL VIEW posexplode(l) u AS p, x" }, codes: ["CPG1302"] },
  // expand_using
  { transform: "expand_using", execute: true, input: "SELECT a, t1.b, t2.c FROM t1 JOIN t2 USING (a) ORDER BY a, 2, 3", expected: { duckdb: "SELECT t1.a AS a, t1.b, t2.c FROM t1 JOIN t2 ON t1.a = t2.a ORDER BY a, 2, 3" } },
  { transform: "expand_using", execute: true, input: "SELECT a, count(*) FROM t1 FULL JOIN t2 USING (a) GROUP BY a ORDER BY a NULLS LAST", expected: { duckdb: "SELECT coalesce(t1.a, t2.a) AS a, count(*) FROM t1 FULL JOIN t2 ON t1.a = t2.a GROUP BY coalesce(t1.a, t2.a) ORDER BY a NULLS LAST" } },
  { transform: "expand_using", execute: true, input: "SELECT a FROM t1 AS x JOIN t2 AS y USING (a) LEFT JOIN t1 AS z USING (a) WHERE a > 0 ORDER BY a", expected: { duckdb: "SELECT x.a AS a FROM t1 AS x JOIN t2 AS y ON x.a = y.a LEFT JOIN t1 AS z ON x.a = z.a WHERE x.a > 0 ORDER BY a" } },
  { transform: "expand_using", execute: true, input: "SELECT a FROM t1 RIGHT JOIN t2 USING (a) ORDER BY a", expected: { duckdb: "SELECT t2.a AS a FROM t1 RIGHT JOIN t2 ON t1.a = t2.a ORDER BY a" } },
  { transform: "expand_using", input: "SELECT * FROM t1 JOIN t2 USING (a)", expected: { duckdb: "SELECT * FROM t1 JOIN t2 USING (a)" }, codes: ["CPG1300"] },
  { transform: "expand_using", input: "SELECT t1.a FROM t1, t3 JOIN t2 USING (a)", expected: { duckdb: "SELECT t1.a FROM t1, t3 JOIN t2 ON t3.a = t2.a" } },
  { transform: "expand_using", input: "SELECT t1.a FROM t1 JOIN t3 ON t1.a = t3.a JOIN t2 USING (a)", expected: { duckdb: "SELECT t1.a FROM t1 JOIN t3 ON t1.a = t3.a JOIN t2 USING (a)" }, codes: ["CPG1300"] },
];
