/**
 * Column digests: `<rows>:<sum(hash(column))::HUGEINT>` per column, computed by the engine in
 * one query. Order-independent (a sum), duplicates counted (each row adds its hash), NULLs
 * counted (DuckDB hashes NULL to a constant). Digests from different engine versions are not
 * comparable — callers record `duckdbVersion()` beside them.
 */

import type { ColumnDigest } from "../../../compiler/src/plan/model.js";
import { quoteIdent, type SqlRunner } from "./sql.js";

/** The columns of a relation (DuckDB's DESCRIBE, in order). */
export function relationColumns(db: SqlRunner, relationSql: string): string[] {
  return db.query(`SELECT * FROM (\n${relationSql}\n) AS cpgc_rel LIMIT 0`).columns.map((c) => c.name);
}

/**
 * Digests of `columns` (default: every column) of the relation `relationSql` (a query, or a
 * quoted table name via {@link tableRelation}).
 */
export function columnDigests(db: SqlRunner, relationSql: string, columns?: readonly string[]): Record<string, ColumnDigest> {
  const names = columns ?? relationColumns(db, relationSql);
  const sums = names.map((name, i) => `CAST(coalesce(sum(hash(${quoteIdent(name)})), 0)::HUGEINT AS VARCHAR) AS c${i}`);
  const { rows } = db.query(`SELECT CAST(count(*) AS VARCHAR) AS n${sums.map((s) => `, ${s}`).join("")} FROM (\n${relationSql}\n) AS cpgc_rel`);
  const row = rows[0] ?? {};
  const count = String(row["n"] ?? "0");
  const out: Record<string, ColumnDigest> = {};
  names.forEach((name, i) => {
    out[name] = `${count}:${String(row[`c${i}`] ?? "0")}`;
  });
  return out;
}

/** `SELECT * FROM "name"` — a table or view of the session as a relation. */
export function tableRelation(name: string): string {
  return `SELECT * FROM ${quoteIdent(name)}`;
}

/** The row count a digest records. */
export function digestRows(digest: ColumnDigest): number {
  return Number(digest.slice(0, digest.indexOf(":")));
}
