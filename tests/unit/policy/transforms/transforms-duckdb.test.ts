// Each executable transform case (cases.ts) and the whole lane: DuckDB returns the same rows for
// the input and for the output, over small fixture tables. Real engine (the native facade);
// skipped when the addon is not built.
import { afterAll, describe, expect, it } from "vitest";
import type { Database } from "../../../../runtime-native/index.js";
import { openDuckDbIfBuilt } from "../../../helpers/duckdb.js";
import { runLane } from "../../../../compiler/src/policy/lane.js";
import { resolveProfile } from "../../../../compiler/src/policy/profile.js";
import { TRANSFORMS } from "../../../../compiler/src/policy/transforms/index.js";
import { parseQuery, printSql } from "../../../../compiler/src/sql/index.js";
import { CASES } from "./cases.js";

const db = openDuckDbIfBuilt();
afterAll(() => db?.close());

const SETUP = [
  "CREATE TABLE t1 AS SELECT * FROM (VALUES (1, 10), (1, 11), (2, 20), (3, NULL), (NULL, 5), (2, 20)) AS v(a, b)",
  "CREATE TABLE t2 AS SELECT * FROM (VALUES (1, 'x'), (2, 'y'), (4, 'z'), (NULL, 'n')) AS v(a, c)",
  "CREATE TABLE t3 AS SELECT * FROM (VALUES (1, [1, 2]), (2, []), (3, NULL), (4, [3])) AS v(a, l)",
];

const rows = (database: Database, sql: string) =>
  JSON.stringify(database.query(sql).rows.map((r) => Object.values(r)), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));

describe.skipIf(!db)("transforms keep the rows DuckDB returns", () => {
  const database = db!;
  for (const s of SETUP) database.query(s);

  it.each(CASES.filter((c) => c.execute).map((c) => [c.transform, c.input] as const))("%s: %s", (transform, input) => {
    const parsed = parseQuery(input);
    if (!parsed.ok) throw new Error("does not parse");
    const out = TRANSFORMS[transform](parsed.ast, resolveProfile({ transforms: [transform] }));
    const sql = printSql(out.query, "duckdb").sql;
    expect(sql).not.toBe(input);
    expect(rows(database, sql)).toBe(rows(database, input));
  });

  it.each(CASES.filter((c) => c.execute).map((c) => [c.input] as const))("whole lane: %s", (input) => {
    const r = runLane(input, resolveProfile({ transforms: ["hoist_ctes", "normalize_unnest", "eliminate_qualify", "expand_using"] }));
    expect(r.ok).toBe(true);
    expect(rows(database, r.canonicalSql!)).toBe(rows(database, input));
  });
});
