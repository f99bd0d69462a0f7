// The duckdb printer against DuckDB itself: for every corpus query and expression DuckDB's parser
// accepts, DuckDB reads the printed text into the same parse tree as the original (compared with
// json_serialize_sql, source positions aside). Needs the native addon; skipped without it.
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../runtime-native/index.js";
import { parseExpression, parseQuery, printSql } from "../../compiler/src/sql/index.js";
import { HAVE_CORPUS, identityEntries, tpchQueries } from "../unit/sql/helpers/corpus.js";

function tryOpen(): Database | null {
  try {
    return openDatabase({ threads: 1 });
  } catch {
    return null;
  }
}

const db = HAVE_CORPUS ? tryOpen() : null;
afterAll(() => db?.close());

/** DuckDB's parse tree of `sql` without positions, or null when DuckDB cannot parse it. */
function duckTree(database: Database, sql: string): string | null {
  const row = database.query(`SELECT json_serialize_sql('${sql.replace(/'/g, "''")}') AS j`).rows[0];
  const json = JSON.parse(String(row?.["j"])) as { error?: boolean };
  if (json.error) return null;
  return JSON.stringify(json, (key, value: unknown) => (key === "query_location" ? undefined : value));
}

describe.skipIf(!db)("duckdb printer agrees with DuckDB's parser", () => {
  const inputs = [
    ...tpchQueries().map((q) => ({ sql: q.sql, expression: false })),
    ...identityEntries()
      .filter((e) => e.kind === "query" || e.kind === "expression")
      .map((e) => ({ sql: e.sql, expression: e.kind === "expression" })),
  ];

  it("on every corpus entry both read", () => {
    const database = db!;
    const disagreements: string[] = [];
    let compared = 0;
    for (const { sql, expression } of inputs) {
      const parsed = expression ? parseExpression(sql) : parseQuery(sql);
      if (!parsed.ok) continue;
      const printed = printSql(parsed.ast, "duckdb");
      if (printed.diagnostics.length > 0) continue;
      const original = duckTree(database, expression ? `SELECT ${sql}` : sql);
      if (original === null) continue;
      compared++;
      const mine = duckTree(database, expression ? `SELECT ${printed.sql}` : printed.sql);
      if (mine !== original) disagreements.push(`${sql}\n  printed: ${printed.sql}`);
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });
});
