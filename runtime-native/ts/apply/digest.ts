/**
 * Digests of a relation, computed by the engine in one query (what they prove:
 * compiler/src/plan/digests.ts). Each is `<rows>:<sum(hash(…))::HUGEINT>`: order-independent (a
 * sum), duplicates counted (each row adds its hash), NULLs counted (DuckDB hashes NULL to a
 * constant). Per column: hash(column), or hash(key…, column) when the relation has a unique
 * key; `*`: hash of all the columns; `*key:k1,k2`: hash of the key. Digests from different
 * engine versions are not comparable — callers record `duckdbVersion()` beside them.
 */

import { KEY_DIGEST_PREFIX, ROW_DIGEST } from "../../../compiler/src/plan/digests.js";
import type { ColumnDigest } from "../../../compiler/src/plan/model.js";
import { quoteIdent, type SqlRunner } from "./sql.js";

/** The columns of a relation (DuckDB's DESCRIBE, in order). */
export function relationColumns(db: SqlRunner, relationSql: string): string[] {
  return db.query(`SELECT * FROM (\n${relationSql}\n) AS cpgc_rel LIMIT 0`).columns.map((c) => c.name);
}

/**
 * Digests of `columns` (default: every column) of the relation `relationSql` (a query, or a
 * quoted table name via {@link tableRelation}), keyed by `key` when the relation's rows are
 * unique on it (a primary key or a `unique` expectation, checked before the commit).
 */
export function columnDigests(db: SqlRunner, relationSql: string, columns?: readonly string[], key: readonly string[] = []): Record<string, ColumnDigest> {
  const names = columns ?? relationColumns(db, relationSql);
  const keyed = key.length > 0 && key.every((k) => names.includes(k));
  const keyArgs = keyed ? key.map((k) => `${quoteIdent(k)}, `).join("") : "";
  const sum = (args: string, alias: string) => `CAST(coalesce(sum(hash(${args})), 0)::HUGEINT AS VARCHAR) AS ${alias}`;
  const sums = names.map((name, i) => sum(`${keyArgs}${quoteIdent(name)}`, `c${i}`));
  if (names.length > 0) sums.push(sum(names.map(quoteIdent).join(", "), "row_digest"));
  if (keyed) sums.push(sum(key.map(quoteIdent).join(", "), "key_digest"));
  const { rows } = db.query(`SELECT CAST(count(*) AS VARCHAR) AS n${sums.map((s) => `, ${s}`).join("")} FROM (\n${relationSql}\n) AS cpgc_rel`);
  const row = rows[0] ?? {};
  const count = String(row["n"] ?? "0");
  const out: Record<string, ColumnDigest> = {};
  names.forEach((name, i) => {
    out[name] = `${count}:${String(row[`c${i}`] ?? "0")}`;
  });
  if (names.length > 0) out[ROW_DIGEST] = `${count}:${String(row["row_digest"] ?? "0")}`;
  if (keyed) out[`${KEY_DIGEST_PREFIX}${key.join(",")}`] = `${count}:${String(row["key_digest"] ?? "0")}`;
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
