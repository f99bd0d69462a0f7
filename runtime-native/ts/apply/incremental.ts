/**
 * Incremental refresh of a view (materialize: incremental, `step.incremental`): the keys whose rows
 * change, from the inputs' change data feed, into a TEMP TABLE of the session; the replaceWhere
 * predicate and the source query that recompute exactly those keys.
 *
 * Per input `{table, column, after_version}`: the DISTINCT values of `column` in the input's
 * change feed of versions after_version + 1 … the version the apply reads now (every change
 * type: inserts, deletes, both images of updates) — the keys whose rows the view may now hold
 * differently. The key table holds them cast to the view's key type; NULL keys match NULL keys.
 */

import path from "node:path";

import type { DesiredTable, TableStep } from "../../../compiler/src/plan/model.js";
import { planDeltaChanges } from "../scan.js";
import { duckDbType, quoteIdent, scalar, toNumber, type SqlRunner } from "./sql.js";

export const KEYS_TABLE = "__cpgc_keys";

export type Incremental = NonNullable<TableStep["incremental"]>;

/** The key table's name quoted, and the predicate over the view's key column. */
export function keyPredicate(key: string): string {
  const k = quoteIdent(key);
  const keys = quoteIdent(KEYS_TABLE);
  return `(${k} IN (SELECT "k" FROM ${keys}) OR (${k} IS NULL AND EXISTS (SELECT 1 FROM ${keys} WHERE "k" IS NULL)))`;
}

/** The view's rows of the changed keys: `SELECT * FROM (<view sql>) WHERE key IN (…)`. */
export function refreshSql(viewSql: string, key: string): string {
  return `SELECT * FROM (\n${viewSql}\n) AS "refreshed" WHERE ${keyPredicate(key)}`;
}

/**
 * Fills the key table from the inputs' change feeds up to `versions` (the versions the apply
 * registered); returns how many distinct keys. Throws when a feed cannot be read (the caller then
 * rematerializes in full).
 */
export function collectChangedKeys(db: SqlRunner, lakeRoot: string, view: Pick<DesiredTable, "name" | "columns">, step: Incremental, versions: Readonly<Record<string, number>>): number {
  const column = view.columns.find((c) => c.name === step.key);
  if (column === undefined) throw new Error(`${view.name}: incremental.key ${step.key} is not a column`);
  const type = duckDbType(column.type, `view ${view.name}, column ${column.name}`);
  const parts: string[] = [];
  for (const input of step.inputs) {
    const now = versions[input.table];
    if (now === undefined || now <= input.after_version) continue;
    const changes = planDeltaChanges(path.join(path.resolve(lakeRoot), ...input.table.split("/")), { from: input.after_version + 1, to: now });
    parts.push(`SELECT CAST(${quoteIdent(input.column)} AS ${type}) AS "k" FROM (\n${changes.sql}\n) AS "changes"`);
  }
  const relation = parts.length === 0 ? `SELECT CAST(NULL AS ${type}) AS "k" WHERE FALSE` : parts.join("\nUNION\n");
  db.query(`CREATE OR REPLACE TEMPORARY TABLE ${quoteIdent(KEYS_TABLE)} AS SELECT DISTINCT "k" FROM (\n${relation}\n) AS "keys"`);
  return toNumber(scalar(db, `SELECT count(*) FROM ${quoteIdent(KEYS_TABLE)}`));
}

export function dropKeys(db: SqlRunner): void {
  db.query(`DROP TABLE IF EXISTS ${quoteIdent(KEYS_TABLE)}`);
}
