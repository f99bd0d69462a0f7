// Acceptance (issue 3): each TPC-H query, printed in the duckdb dialect after the whole policy lane
// (transforms, bind against the TPC-H schema, canonicalize, CNF), returns in DuckDB exactly the
// rows of the original text, on a small generated TPC-H data set (tests/helpers/tpch-data.ts).
// Queries with an ORDER BY are compared in order, the others as multisets; values as DuckDB
// returns them (no numeric tolerance). Needs the native addon; skipped without it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type QueryResult } from "../../runtime-native/index.js";
import { tableCatalogFromSchemaJson } from "../../compiler/src/catalog/index.js";
import { bindQuery } from "../../compiler/src/policy/bind/index.js";
import { runLane } from "../../compiler/src/policy/lane.js";
import type { PolicyProfile } from "../../compiler/src/policy/profile.js";
import { FUNCTIONS } from "../helpers/validate.js";
import { tpchLoadSql } from "../helpers/tpch-data.js";
import { CORPUS_DIR, HAVE_CORPUS, tpchQueries } from "../unit/sql/helpers/corpus.js";

const PROFILE: PolicyProfile = {
  dialect: "duckdb",
  transforms: ["hoist_ctes", "eliminate_qualify", "normalize_unnest", "expand_using"],
  normalize_predicates: { max_distance: 128 },
};

function tryOpen(): Database | null {
  try {
    return openDatabase({ threads: 1 });
  } catch {
    return null;
  }
}

const db = HAVE_CORPUS ? tryOpen() : null;
afterAll(() => db?.close());
if (db) for (const stmt of tpchLoadSql()) db.query(stmt);

const catalog = HAVE_CORPUS ? tableCatalogFromSchemaJson(JSON.parse(readFileSync(join(CORPUS_DIR, "tpch", "schema.json"), "utf8"))).catalog : null;

/** One row as text: values in column order, bigints and doubles exactly as DuckDB gave them. */
const rowText = (result: QueryResult, row: QueryResult["rows"][number]) =>
  JSON.stringify(result.columns.map((c) => row[c.key]), (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));

function rowsOf(result: QueryResult, ordered: boolean): string[] {
  const rows = result.rows.map((r) => rowText(result, r));
  return ordered ? rows : rows.sort();
}

// In this corpus only the outermost query has an ORDER BY.
const hasOrderBy = (sql: string) => /\border\s+by\b/i.test(sql);

const nonEmpty: string[] = [];
const counts: string[] = [];

describe.skipIf(!db)("TPC-H in DuckDB: canonical SQL returns the original's rows", () => {
  const queries = HAVE_CORPUS ? tpchQueries() : [];

  it.each(queries)("$name", ({ name, sql }) => {
    const lane = runLane(sql, PROFILE, {}, {
      bind: (q) => {
        const bound = bindQuery(q, catalog!, FUNCTIONS);
        return { query: bound.ast, diagnostics: bound.diagnostics };
      },
    });
    expect(lane.diagnostics.map((d) => `${d.diagnostic.code} ${d.diagnostic.message}`)).toEqual([]);
    expect(lane.ok).toBe(true);
    const original = db!.query(sql);
    const canonical = db!.query(lane.canonicalSql!);
    expect(canonical.columns.map((c) => [c.name, c.type])).toEqual(original.columns.map((c) => [c.name, c.type]));
    const ordered = hasOrderBy(sql);
    expect(rowsOf(canonical, ordered)).toEqual(rowsOf(original, ordered));
    counts.push(`${name}=${original.rows.length}`);
    expect(lane.canonicalSql).not.toBe(sql);
    if (original.rows.length > 0 && original.rows.some((r) => Object.values(r).some((v) => v !== null))) nonEmpty.push(name);
  });

  it("the data set makes at least 18 of 22 queries return rows", () => {
    // eslint-disable-next-line no-console
    console.log(`TPC-H non-empty results: ${nonEmpty.length}/22 (rows: ${counts.sort().join(", ")})`);
    expect(nonEmpty.length).toBeGreaterThanOrEqual(18);
  });
});
