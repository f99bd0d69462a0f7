/**
 * Data expectations, checked against a staged relation before its commit: not_null, unique,
 * accepted_values, row_count and custom SQL (a query returning the offending rows). Each result
 * has the number of offending rows (the row count for row_count) and up to 5 of them as JSON
 * objects. Severity `warn` reports without failing.
 *
 * A replaceWhere keeps most of a table's rows. When the rows it keeps passed the same
 * (error-severity) expectations at their commit — the state records which, `expectations_passed`
 * — the row-local ones (not_null, accepted_values) look at the new rows only and unique at the
 * new rows plus the kept rows sharing their keys; row_count adds the new rows to the kept count
 * the table's file statistics give. The results are those of a check of the whole table.
 */

import { fingerprint } from "../../../compiler/src/artifacts/canonical.js";
import type { ExpectationResult } from "../../../compiler/src/plan/model.js";
import type { ExpectationSpec } from "../../../compiler/src/spec/schema/index.js";
import { columnPathSql, quoteIdent, scalar, sqlLiteral, toNumber, type SqlRunner } from "./sql.js";

export const SAMPLE_ROWS = 5;

/** A short name for messages: `not_null(a, b)`, `unique(id)`, `accepted_values(kind)`, `row_count(min 1)`, `sql(name)`. */
export function expectationName(e: ExpectationSpec): string {
  if ("not_null" in e) return `not_null(${e.not_null.join(", ")})`;
  if ("unique" in e) return `unique(${e.unique.join(", ")})`;
  if ("accepted_values" in e) return `accepted_values(${e.accepted_values.column})`;
  if ("row_count" in e) {
    const bounds = [e.row_count.min !== undefined ? `min ${e.row_count.min}` : null, e.row_count.max !== undefined ? `max ${e.row_count.max}` : null].filter((b) => b !== null);
    return `row_count(${bounds.join(", ")})`;
  }
  return `sql(${e.name ?? e.sql.replace(/\s+/g, " ").trim().slice(0, 60)})`;
}

function samples(db: SqlRunner, offendingSql: string): Record<string, unknown>[] {
  const { rows } = db.query(`SELECT CAST(to_json(cpgc_sample) AS VARCHAR) AS j FROM (\n${offendingSql}\n) AS cpgc_sample LIMIT ${SAMPLE_ROWS}`);
  return rows.map((r) => JSON.parse(String(r["j"])) as Record<string, unknown>);
}

function count(db: SqlRunner, sql: string): number {
  return toNumber(scalar(db, `SELECT count(*) AS n FROM (\n${sql}\n) AS cpgc_count`));
}

/** The offending rows of an expectation as a query over `relation` (null for row_count). */
export function offendingRowsSql(e: ExpectationSpec, relation: string): string | null {
  const from = `SELECT * FROM ${relation}`;
  if ("not_null" in e) return `${from} WHERE ${e.not_null.map((c) => `${columnPathSql(c)} IS NULL`).join(" OR ")}`;
  if ("unique" in e) {
    const keys = e.unique.map((c) => `${columnPathSql(c)} AS ${quoteIdent(c)}`).join(", ");
    const groups = e.unique.map(columnPathSql).join(", ");
    const notNull = e.unique.map((c) => `${columnPathSql(c)} IS NOT NULL`).join(" AND ");
    return `SELECT ${keys}, count(*) AS _count FROM ${relation} WHERE ${notNull} GROUP BY ${groups} HAVING count(*) > 1 ORDER BY _count DESC, ${groups}`;
  }
  if ("accepted_values" in e) {
    const column = columnPathSql(e.accepted_values.column);
    return `${from} WHERE ${column} IS NOT NULL AND ${column} NOT IN (${e.accepted_values.values.map(sqlLiteral).join(", ")})`;
  }
  if ("row_count" in e) return null;
  return e.sql;
}

/** What the state records as passed: the hash of the table's error-severity expectations. */
export function expectationsHash(expectations: readonly ExpectationSpec[]): string {
  return fingerprint(expectations.filter((e) => (e.severity ?? "error") === "error"));
}

/** A replaceWhere's parts, for checks that need not read every row (see the header). */
export interface ReplaceParts {
  /** The rows the commit adds (quoted relation). */
  readonly added: string;
  /** The rows of the current version the commit keeps (quoted relation). */
  readonly kept: string;
  /** How many rows it keeps, from the table's file statistics (null: unknown). */
  readonly keptRows: number | null;
  /** The kept rows passed this table's error-severity expectations when they were committed. */
  readonly keptPassed: boolean;
  /** The column whose values the commit replaces whole (every added row has one of them, no kept row does). */
  readonly replacedKey?: string | null;
}

/** Duplicate keys of the whole table: any involves an added row, as the kept rows were unique. */
function uniqueOverReplace(e: Extract<ExpectationSpec, { unique: unknown }>, parts: ReplaceParts): string {
  // Unique columns that include the replaced key: no kept row can share an added row's values.
  if (parts.replacedKey && e.unique.includes(parts.replacedKey)) return offendingRowsSql(e, parts.added) as string;
  const keys = e.unique.map((c) => `${columnPathSql(c)} AS ${quoteIdent(c)}`).join(", ");
  const tuple = e.unique.map(columnPathSql).join(", ");
  const notNull = e.unique.map((c) => `${columnPathSql(c)} IS NOT NULL`).join(" AND ");
  const touched = `SELECT ${keys} FROM ${parts.added} WHERE ${notNull} UNION ALL SELECT ${keys} FROM ${parts.kept} WHERE ${notNull} AND (${tuple}) IN (SELECT (${tuple}) FROM ${parts.added})`;
  return offendingRowsSql(e, `(${touched}) AS cpgc_touched`) as string;
}

/**
 * Checks `expectations` against `relation` (a quoted table or view name of the session, e.g. the
 * staged rows). Custom SQL refers to the table by its own name: the caller makes that name
 * resolve to the staged rows. `replace`: the same checks, cheaper (see the header).
 */
export function evaluateExpectations(db: SqlRunner, relation: string, expectations: readonly ExpectationSpec[], replace?: ReplaceParts): ExpectationResult[] {
  return expectations.map((e) => {
    const severity = e.severity ?? "error";
    const expectation = expectationName(e);
    if ("row_count" in e) {
      const fromStats = replace !== undefined && replace.keptRows !== null;
      const rows = fromStats ? replace.keptRows! + count(db, `SELECT * FROM ${replace.added}`) : count(db, `SELECT * FROM ${relation}`);
      const passed = (e.row_count.min === undefined || rows >= e.row_count.min) && (e.row_count.max === undefined || rows <= e.row_count.max);
      return { expectation, passed, severity, failing: rows, sample: [], from_stats: fromStats };
    }
    // Nested paths in a unique key stay on the whole table (the touched rows are projected by name).
    const incremental = replace !== undefined && replace.keptPassed && severity === "error" && !("sql" in e) && !("unique" in e && e.unique.some((c) => c.includes(".")));
    const sql = !incremental ? (offendingRowsSql(e, relation) as string) : "unique" in e ? uniqueOverReplace(e, replace) : (offendingRowsSql(e, replace.added) as string);
    const failing = "unique" in e ? toNumber(scalar(db, `SELECT coalesce(sum(_count), 0) AS n FROM (\n${sql}\n) AS d`)) : count(db, sql);
    return { expectation, passed: failing === 0, severity, failing, sample: failing === 0 ? [] : samples(db, sql), from_stats: false };
  });
}

/** Whether the results let the commit go ahead (every error-severity expectation passed). */
export function expectationsPass(results: readonly ExpectationResult[]): boolean {
  return results.every((r) => r.passed || r.severity === "warn");
}
