// Key pushdown: which inputs an incremental refresh by key may read filtered on the changed keys.
// Cases as data: the query (as the canonical lane writes it: every column qualified), the key and
// the filtered inputs — including the shapes where filtering would change the key's rows and must
// not happen. tests/unit/cpg-refresh checks the same decisions against the engine.
import { describe, expect, it } from "vitest";

import { keyPushdown, type InputKind } from "../../../compiler/src/plan/key-pushdown.js";

const TABLES = new Set(["t", "u", "w"]);
const VIEWS: Record<string, string> = {
  lv: "SELECT t.path AS path, t.x AS x FROM t AS t WHERE t.x > 0",
  lv_all: "SELECT t.path AS path, count(*) AS n FROM t AS t GROUP BY ALL",
  lv_limit: "SELECT t.path AS path FROM t AS t LIMIT 3",
};
const resolve = (name: string): InputKind | undefined => (TABLES.has(name) ? { kind: "table" } : VIEWS[name] !== undefined ? { kind: "view", sql: VIEWS[name]! } : undefined);

interface Case {
  readonly name: string;
  readonly sql: string;
  readonly key?: string;
  /** `table.column` of each filtered input. */
  readonly filtered: readonly string[];
}

const CASES: readonly Case[] = [
  { name: "a column passed through", sql: "SELECT a.path AS path, a.x AS x FROM t AS a WHERE a.x > 1", filtered: ["t.path"] },
  { name: "the key under another name", sql: "SELECT a.file AS path, a.x AS x FROM t AS a", filtered: ["t.file"] },
  { name: "an inner join of two keyed inputs", sql: "SELECT a.path AS path, b.y AS y FROM t AS a JOIN u AS b ON b.path = a.path AND b.id = a.id", filtered: ["t.path", "u.path"] },
  { name: "an inner join on another column: only the key's side", sql: "SELECT a.path AS path, b.y AS y FROM t AS a JOIN u AS b ON b.id = a.id", filtered: ["t.path"] },
  { name: "a WHERE equality joins like an ON", sql: "SELECT a.path AS path FROM t AS a, u AS b WHERE a.path = b.path AND a.id = b.id", filtered: ["t.path", "u.path"] },
  { name: "a chain of equalities", sql: "SELECT a.path AS path FROM t AS a JOIN u AS b ON b.path = a.path JOIN w AS c ON c.file = b.path", filtered: ["t.path", "u.path", "w.file"] },
  { name: "LEFT JOIN: the null-supplying side matched on the key", sql: "SELECT n.path AS path, s.v AS v FROM t AS n LEFT JOIN u AS s ON n.path = s.path AND n.i = s.i", filtered: ["t.path", "u.path"] },
  { name: "LEFT JOIN: the key from the null-supplying side binds the preserved side", sql: "SELECT s.path AS path FROM t AS n LEFT JOIN u AS s ON s.path = n.path", filtered: ["t.path", "u.path"] },
  { name: "LEFT JOIN on another column: the right side's key binds only it", sql: "SELECT s.path AS path FROM t AS n LEFT JOIN u AS s ON s.id = n.id", filtered: ["u.path"] },
  {
    name: "LEFT JOIN: an equality between two columns of the preserved side does not hold for unmatched rows",
    sql: "SELECT a.path AS path FROM t AS a LEFT JOIN u AS b ON a.path = a.other AND b.id = a.id JOIN w AS c ON c.file = a.other",
    filtered: ["t.path"],
  },
  { name: "FULL JOIN on the key: both sides (the other side's unmatched rows have a NULL key)", sql: "SELECT a.path AS path FROM t AS a FULL JOIN u AS b ON b.path = a.path", filtered: ["t.path", "u.path"] },
  {
    name: "FULL JOIN on the key, then a LEFT JOIN on the other side's key: bound through the matched pair",
    sql: "SELECT a.path AS path FROM t AS a FULL JOIN u AS b ON b.path = a.path LEFT JOIN w AS c ON c.file = b.path",
    filtered: ["t.path", "u.path", "w.file"],
  },
  { name: "FULL JOIN keyed by coalesce of both sides", sql: "SELECT coalesce(a.path, b.path) AS path, a.x AS x, b.y AS y FROM t AS a FULL JOIN u AS b ON a.path = b.path", filtered: ["t.path", "u.path"] },
  {
    name: "coalesce of a preserved side's key and LEFT JOINed sides' keys (lineage for each input)",
    sql: "SELECT coalesce(a.path, b.path, c.file) AS path FROM t AS a LEFT JOIN u AS b ON b.path = a.path LEFT JOIN w AS c ON c.file = a.path AND c.id = a.id",
    filtered: ["t.path", "u.path", "w.file"],
  },
  {
    name: "coalesce over LEFT JOINs whose keys are compared with each other only: nothing proved for the first",
    sql: "SELECT coalesce(a.path, b.path, c.file) AS path FROM t AS a LEFT JOIN u AS b ON b.id = a.id LEFT JOIN w AS c ON c.file = b.path",
    filtered: [],
  },
  { name: "coalesce of columns that are not compared: nothing", sql: "SELECT coalesce(a.path, b.path) AS path FROM t AS a FULL JOIN u AS b ON a.id = b.id", filtered: [] },
  {
    name: "an aggregate grouped by a coalesced key",
    sql: "SELECT coalesce(a.path, b.path) AS path, count(*) AS n FROM t AS a JOIN u AS b ON b.path = a.path GROUP BY coalesce(a.path, b.path)",
    filtered: ["t.path", "u.path"],
  },
  { name: "an aggregate grouped by the key", sql: "SELECT a.path AS path, count(*) AS n, max(a.x) AS top FROM t AS a GROUP BY a.path", filtered: ["t.path"] },
  { name: "GROUP BY ALL", sql: "SELECT a.path AS path, a.kind AS kind, count(*) AS n FROM t AS a GROUP BY ALL", filtered: ["t.path"] },
  { name: "an aggregate grouped by another column whose key is an aggregate: nothing", sql: "SELECT max(a.path) AS path, a.kind AS kind FROM t AS a GROUP BY a.kind", filtered: [] },
  { name: "grouping sets mix keys: nothing", sql: "SELECT a.path AS path, count(*) AS n FROM t AS a GROUP BY ROLLUP (a.path)", filtered: [] },
  { name: "DISTINCT", sql: "SELECT DISTINCT a.path AS path, a.kind AS kind FROM t AS a", filtered: ["t.path"] },
  { name: "DISTINCT ON another column: nothing", sql: "SELECT DISTINCT ON (a.kind) a.path AS path, a.kind AS kind FROM t AS a", filtered: [] },
  { name: "a window partitioned by the key", sql: "SELECT a.path AS path, row_number() OVER (PARTITION BY a.path ORDER BY a.x) AS rn FROM t AS a", filtered: ["t.path"] },
  { name: "a window over every key: nothing", sql: "SELECT a.path AS path, row_number() OVER (ORDER BY a.x) AS rn FROM t AS a", filtered: [] },
  { name: "QUALIFY with a window over every key: nothing", sql: "SELECT a.path AS path FROM t AS a QUALIFY count(*) OVER () > 1", filtered: [] },
  { name: "LIMIT keeps rows by their position among all keys: nothing", sql: "SELECT a.path AS path FROM t AS a ORDER BY a.x LIMIT 10", filtered: [] },
  { name: "UNION ALL: each branch by its key column", sql: "SELECT a.path AS path, a.x AS v FROM t AS a UNION ALL SELECT b.file AS file, b.y AS y FROM u AS b", filtered: ["t.path", "u.file"] },
  { name: "UNION ALL with a branch of NULL keys: that branch's table read in full", sql: "SELECT a.path AS path FROM t AS a UNION ALL SELECT CAST(NULL AS VARCHAR) AS path FROM u AS b", filtered: ["t.path"] },
  { name: "EXCEPT compares whole rows, key included", sql: "SELECT a.path AS path, a.x AS x FROM t AS a EXCEPT SELECT b.path AS path, b.y AS y FROM u AS b", filtered: ["t.path", "u.path"] },
  { name: "a derived table proved for the column the key comes from", sql: "SELECT d.path AS path, d.n AS n FROM (SELECT a.path AS path, count(*) AS n FROM t AS a GROUP BY a.path) AS d", filtered: ["t.path"] },
  {
    name: "a derived table joined on the key",
    sql: "SELECT a.path AS path, d.n AS n FROM t AS a LEFT JOIN (SELECT b.path AS path, count(*) AS n FROM u AS b GROUP BY b.path) AS d ON d.path = a.path",
    filtered: ["t.path", "u.path"],
  },
  {
    name: "a derived table that totals every key: read in full",
    sql: "SELECT a.path AS path, d.n AS n FROM t AS a CROSS JOIN (SELECT count(*) AS n FROM u AS b) AS d",
    filtered: ["t.path"],
  },
  {
    name: "a table read again in a subquery: never filtered",
    sql: "SELECT a.path AS path FROM t AS a WHERE a.x IN (SELECT b.x FROM t AS b)",
    filtered: [],
  },
  { name: "a self-join on another column: the other occurrence is not keyed", sql: "SELECT a.path AS path, p.x AS px FROM t AS a JOIN t AS p ON p.id = a.parent", filtered: [] },
  { name: "a self-join on the key too", sql: "SELECT a.path AS path, p.x AS px FROM t AS a JOIN t AS p ON p.id = a.parent AND p.path = a.path", filtered: ["t.path"] },
  { name: "a semi join's other side is read in full", sql: "SELECT a.path AS path FROM t AS a SEMI JOIN u AS b ON b.path = a.path", filtered: ["t.path"] },
  { name: "a scalar subquery is read in full", sql: "SELECT a.path AS path, (SELECT count(*) FROM u AS b WHERE b.path = a.path) AS n FROM t AS a", filtered: ["t.path"] },
  {
    name: "a CTE every reference of which is keyed",
    sql: "WITH m AS (SELECT w.path AS path, w.module AS module FROM w AS w) SELECT a.path AS path, m.module AS module FROM t AS a LEFT JOIN m AS m ON m.path = a.path UNION ALL SELECT m.path AS path, m.module AS module FROM m AS m",
    filtered: ["t.path", "w.path"],
  },
  {
    name: "a CTE one reference of which is not keyed: read in full",
    sql: "WITH m AS (SELECT w.path AS path, w.module AS module FROM w AS w) SELECT a.path AS path, m.module AS module FROM t AS a LEFT JOIN m AS m ON m.module = a.module",
    filtered: ["t.path"],
  },
  {
    name: "a recursive CTE whose recursive step stays on the key",
    sql: "WITH RECURSIVE tree(path, id, depth) AS (SELECT s.path AS path, s.id AS id, 0 AS depth FROM t AS s WHERE s.parent IS NULL UNION ALL SELECT c.path AS path, c.id AS id, tr.depth + 1 AS depth FROM tree AS tr JOIN t AS c ON c.parent = tr.id AND c.path = tr.path) SELECT tree.path AS path, tree.id AS id, tree.depth AS depth FROM tree AS tree",
    filtered: ["t.path"],
  },
  {
    name: "a recursive CTE whose recursive step crosses keys: read in full",
    sql: "WITH RECURSIVE tree(path, id) AS (SELECT s.path AS path, s.id AS id FROM t AS s WHERE s.parent IS NULL UNION ALL SELECT c.path AS path, c.id AS id FROM tree AS tr JOIN t AS c ON c.parent = tr.id) SELECT tree.path AS path, tree.id AS id FROM tree AS tree",
    filtered: [],
  },
  { name: "a logical view is proved through its SQL", sql: "SELECT v.path AS path, v.x AS x FROM lv AS v", filtered: ["t.path"] },
  { name: "a logical view with LIMIT is read in full", sql: "SELECT v.path AS path FROM lv_limit AS v", filtered: [] },
  { name: "a logical view read in full and the same table keyed: not filtered", sql: "SELECT a.path AS path FROM t AS a JOIN lv_all AS v ON v.n = a.x", filtered: [] },
  { name: "a key that is not an output column: nothing", sql: "SELECT a.file AS file FROM t AS a", filtered: [] },
  { name: "an expression key: nothing", sql: "SELECT lower(a.path) AS path FROM t AS a", filtered: [] },
  { name: "a positional join: nothing", sql: "SELECT a.path AS path FROM t AS a POSITIONAL JOIN u AS b", filtered: [] },
  { name: "names the resolver does not know are left alone", sql: "SELECT a.path AS path FROM t AS a JOIN elsewhere AS e ON e.path = a.path", filtered: ["t.path"] },
];

describe("keyPushdown", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const got = keyPushdown(c.sql, c.key ?? "path", resolve).map((f) => `${f.table}.${f.column}`);
      expect(got).toEqual(c.filtered);
    });
  }

  it("SQL that does not parse: nothing", () => {
    expect(keyPushdown("SELECT FROM WHERE", "path", resolve)).toEqual([]);
  });
});
