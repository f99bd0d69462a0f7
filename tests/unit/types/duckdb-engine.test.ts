/**
 * Checks the DuckDB mapping against the real engine (the `@duckdb/node-bindings` package the
 * project depends on): every type string we emit is accepted by DuckDB, and what DuckDB's
 * `typeof()` prints for it reads back to the same Arrow type. Skipped when the binding
 * cannot be loaded on this platform.
 */
import { describe, expect, it } from "vitest";
import { formatArrowType, fromDuckDbType, parseArrowType, toDuckDbType } from "../../../compiler/src/types/index.js";
import { ARROW_ONLY_TYPES, DUCKDB_ONLY_TYPES, NOT_NULL_TYPES, PORTABLE_TYPES } from "./type-table.js";

interface Binding {
  open(): Promise<unknown>;
  connect(db: unknown): Promise<unknown>;
  query(con: unknown, sql: string): Promise<unknown>;
}

const binding: Binding | undefined = await import("@duckdb/node-bindings")
  .then((m: { default?: Binding }) => m.default ?? (m as unknown as Binding))
  .catch(() => undefined);

/** DuckDB's own spelling of `sql`, smuggled out through an error message. */
async function duckdbTypeof(db: Binding, con: unknown, sql: string): Promise<string> {
  try {
    await db.query(con, `SELECT error(typeof(NULL::${sql}))`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /^Invalid Input Error: (.*)$/s.exec(message);
    if (m !== null) return m[1]!;
    throw new Error(`DuckDB rejected ${sql}: ${message}`);
  }
  throw new Error("error() did not raise");
}

describe.skipIf(binding === undefined)("DuckDB engine agrees with the mapping", () => {
  const exact = [...PORTABLE_TYPES, ...DUCKDB_ONLY_TYPES];
  const lossy = [...NOT_NULL_TYPES, ...ARROW_ONLY_TYPES];

  it("accepts every emitted type and prints something that reads back", async () => {
    const db = binding!;
    const con = await db.connect(await db.open());
    for (const text of [...exact, ...lossy]) {
      const r = parseArrowType(text);
      if (!r.ok) throw new Error(r.error.message);
      const printed = await duckdbTypeof(db, con, toDuckDbType(r.type));
      const back = fromDuckDbType(printed);
      expect(back.ok ? true : back.error.message, `${text} → ${printed}`).toBe(true);
      if (back.ok && exact.includes(text)) expect(formatArrowType(back.type), printed).toBe(text);
    }
  });

  it("prints the types cpgc refuses the way fromDuckDbType expects", async () => {
    const db = binding!;
    const con = await db.connect(await db.open());
    for (const sql of ["HUGEINT", "UUID", "INTERVAL", "INTEGER[3]", "TIME WITH TIME ZONE", "UNION(a INTEGER)", "ENUM('a')"]) {
      const r = fromDuckDbType(await duckdbTypeof(db, con, sql));
      expect(r.ok, sql).toBe(false);
    }
  });
});
