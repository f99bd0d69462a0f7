/**
 * SQL text shared by the apply modules: quoting, literals, Arrow type strings as DuckDB types,
 * and the small runner interface every module takes (a facade `Database` satisfies it).
 */

import type { DatabaseHandle } from "../binding.js";
import { parseArrowType, toDuckDbType } from "../../../compiler/src/types/index.js";
import { NativeError } from "../errors.js";
import { quoteIdent } from "../scan.js";

export { quoteIdent };

/** Something that runs SQL and returns rows and columns (a facade `Database`). */
export interface SqlRunner {
  query(sql: string): { columns: readonly { name: string; type: string; key: string }[]; rows: readonly Record<string, unknown>[] };
}

/** A session the runtime's writes can run their source SQL in (a facade `Database`). */
export type Session = SqlRunner & { readonly handle: DatabaseHandle };

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL list of string literals: `['a', 'b']`. */
export function sqlStringList(items: readonly string[]): string {
  return `[${items.map(sqlString).join(", ")}]`;
}

/** A literal for a JSON-ish scalar (string, number, boolean, null). */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return sqlString(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (!Number.isFinite(value)) throw new NativeError("INVALID_ARGUMENT", `not a finite number: ${String(value)}`);
  return String(value);
}

/** `span.bstart` → `"span"."bstart"` (each part of a column path quoted). */
export function columnPathSql(columnPath: string): string {
  return columnPath.split(".").map(quoteIdent).join(".");
}

/** The DuckDB type of an Arrow type string (`struct<a: int64>` → `STRUCT("a" BIGINT)`). */
export function duckDbType(arrowType: string, where: string): string {
  const parsed = parseArrowType(arrowType);
  if (!parsed.ok) {
    throw new NativeError("INVALID_ARGUMENT", `${where}: invalid Arrow type ${JSON.stringify(arrowType)}: ${parsed.error.message}`, { type: arrowType });
  }
  return toDuckDbType(parsed.type);
}

/** `SELECT CAST("a" AS T) AS "a", ... FROM (<sql>) AS alias`: a relation with exactly these columns and types. */
export function castRelationSql(sql: string, columns: readonly { name: string; type: string }[], where: string, alias = "cpgc_rel"): string {
  const select = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${duckDbType(c.type, `${where}, column ${c.name}`)}) AS ${quoteIdent(c.name)}`).join(", ");
  return `SELECT ${select} FROM (\n${sql}\n) AS ${quoteIdent(alias)}`;
}

/** The first value of the first row (or undefined). */
export function scalar(db: SqlRunner, sql: string): unknown {
  const { rows } = db.query(sql);
  const row = rows[0];
  if (row === undefined) return undefined;
  return Object.values(row)[0];
}

/** A number from a wire value (number or bigint). */
export function toNumber(value: unknown): number {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  return 0;
}
