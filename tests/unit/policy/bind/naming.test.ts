// bindQuery names anonymous FROM items only when binding met one (BinderState.anonymous); the
// result must be what naming every query first gives. Checked on hand-picked cases (subtrees the
// binder leaves unbound: a kept star's REPLACE, a recursive CTE's ORDER BY) and on the corpora.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EMPTY_TABLE_CATALOG } from "../../../../compiler/src/catalog/index.js";
import { bindQuery, type BindOptions } from "../../../../compiler/src/policy/bind/index.js";
import { nameAnonymousTables } from "../../../../compiler/src/policy/bind/naming.js";
import { parseQuery, printSql, type Query } from "../../../../compiler/src/sql/index.js";
import { CORPUS_DIR, HAVE_CORPUS, identityEntries, tpchQueries } from "../../sql/helpers/corpus.js";
import { FUNCTIONS } from "../../../conformance/sql-qualify-cases.js";

const OPTIONS: BindOptions = { inferUnknownTables: true };

function outcome(q: Query): string {
  const r = bindQuery(q, EMPTY_TABLE_CATALOG, FUNCTIONS, OPTIONS);
  return JSON.stringify([printSql(r.ast).sql, r.schema, r.lineage, r.diagnostics.map((d) => [d.kind, d.diagnostic.message, d.range])]);
}

/** The SQL texts whose binding differs from binding after naming first. */
function differing(sqls: readonly string[]): string[] {
  const out: string[] = [];
  for (const sql of sqls) {
    const p = parseQuery(sql);
    if (!p.ok) continue;
    if (outcome(p.ast) !== outcome(nameAnonymousTables(p.ast))) out.push(sql);
  }
  return out;
}

describe("anonymous FROM items", () => {
  it("are named as if naming ran first, also inside subtrees the binder leaves unbound", () => {
    const cases = [
      "SELECT * FROM (SELECT 1 AS a)",
      "SELECT x.a FROM (SELECT a FROM (SELECT 1 AS a)) AS x",
      "SELECT * REPLACE ((SELECT max(b) FROM (SELECT 1 AS b)) AS a) FROM t",
      "SELECT count(* REPLACE ((SELECT 1 FROM (SELECT 1)) AS a)) FROM t",
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3 ORDER BY (SELECT 1 FROM (SELECT 1))) SELECT n FROM r",
      "SELECT a FROM t WHERE a IN (SELECT b FROM (SELECT 1 AS b))",
      "SELECT * FROM range(3), unnest([1, 2])",
    ];
    expect(differing(cases)).toEqual([]);
    const p = parseQuery(cases[2]!);
    if (!p.ok) throw new Error("parse");
    expect(printSql(bindQuery(p.ast, EMPTY_TABLE_CATALOG, FUNCTIONS, OPTIONS).ast).sql).toContain("AS _0");
  });

  it.skipIf(!HAVE_CORPUS)("are named as if naming ran first on every corpus query", () => {
    const tables = readFileSync(join(CORPUS_DIR, "qualify_tables.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => (JSON.parse(l) as { input: string }).input);
    const sqls = [...identityEntries().filter((e) => e.kind === "query").map((e) => e.sql), ...tpchQueries().map((q) => q.sql), ...tables];
    expect(differing(sqls)).toEqual([]);
  });
});
