/**
 * Incremental refresh of a view (materialize: incremental, `step.incremental`): the keys whose rows
 * change, from the inputs' change data feed, into a TEMP TABLE of the session; the replaceWhere
 * predicate and the source query that recompute exactly those keys.
 *
 * Per input `{table, column, after_version}`: the DISTINCT values of `column` in the input's
 * change feed of versions after_version + 1 … the version the apply reads now (every change
 * type: inserts, deletes, both images of updates) — the keys whose rows the view may now hold
 * differently. The key table holds them cast to the view's key type; NULL keys match NULL keys.
 *
 * When the keys are not NULL and can be written as literals (strings, integers; at most
 * MAX_LITERAL_KEYS), the predicate is `key IN ('a', 'b')`: a form the Delta writer's replaceWhere
 * and the scans prune files with (rows of a key live in few files once tables are clustered by
 * it). Then the inputs the plan proved keyed (`step.incremental.pushdown`, key-pushdown.ts) are
 * read through `column IN (…)` too — scans of those tables read only the files of the keys —
 * while the view's output is still filtered by the key (the safety net).
 *
 * Of the changed keys, only those whose rows the refresh actually changes are written
 * ({@link differingKeys}): a key whose recomputed rows equal the table's is left alone, so the
 * commit's change feed — what the next views refresh by — names only real changes.
 */

import path from "node:path";

import type { DesiredTable, TableStep } from "../../../compiler/src/plan/model.js";
import { planDeltaChanges, registerDeltaView } from "../scan.js";
import { castRelationSql, duckDbType, quoteIdent, scalar, sqlString, toNumber, type SqlRunner } from "./sql.js";

export const KEYS_TABLE = "__cpgc_keys";

export type Incremental = NonNullable<TableStep["incremental"]>;

/** The key table's name quoted, and the predicate over the view's key column. */
export function keyPredicate(key: string): string {
  const k = quoteIdent(key);
  const keys = quoteIdent(KEYS_TABLE);
  return `(${k} IN (SELECT "k" FROM ${keys}) OR (${k} IS NULL AND EXISTS (SELECT 1 FROM ${keys} WHERE "k" IS NULL)))`;
}

/** The view's rows of the changed keys: `SELECT * FROM (<view sql>) WHERE <predicate>` (default: {@link keyPredicate}). */
export function refreshSql(viewSql: string, key: string, predicate: string = keyPredicate(key)): string {
  return `SELECT * FROM (\n${viewSql}\n) AS "refreshed" WHERE ${predicate}`;
}

/** More keys than this are matched through the key table, not a literal list. */
export const MAX_LITERAL_KEYS = 10_000;

const INTEGER_TYPES = new Set(["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]);

/**
 * The changed keys (the key table's, sorted) as SQL literals of the key column's type; null when
 * they cannot all be written so: a NULL key, a type other than strings and integers, more than
 * {@link MAX_LITERAL_KEYS}.
 */
export function changedKeyLiterals(db: SqlRunner, view: Pick<DesiredTable, "columns">, key: string): string[] | null {
  const type = view.columns.find((c) => c.name === key)?.type;
  const text = type === "utf8" || type === "large_utf8" || type === "string";
  if (type === undefined || (!text && !INTEGER_TYPES.has(type))) return null;
  if (toNumber(scalar(db, `SELECT count(*) FROM ${quoteIdent(KEYS_TABLE)}`)) > MAX_LITERAL_KEYS) return null;
  const { rows } = db.query(`SELECT CAST("k" AS VARCHAR) AS "k" FROM ${quoteIdent(KEYS_TABLE)} ORDER BY "k"`);
  const out: string[] = [];
  for (const row of rows) {
    const k = row["k"];
    if (k === null || k === undefined) return null;
    const value = String(k);
    if (!text && !/^-?\d+$/.test(value)) return null;
    out.push(text ? sqlString(value) : value);
  }
  return out;
}

/** `"column" IN (<literals>)` (at least one literal). */
export function literalKeyPredicate(column: string, literals: readonly string[]): string {
  return `${quoteIdent(column)} IN (${literals.join(", ")})`;
}

/**
 * Re-registers each keyed input (a Delta table the refresh reads, registered at `versions`) as
 * its rows of the changed keys: a pruned scan of the Delta table, or a filter over the relation
 * a cache gives it. Returns the tables filtered. The caller restores the inputs afterwards
 * (registering them again).
 */
export function pushDownKeys(
  db: SqlRunner,
  lakeRoot: string,
  pushdown: NonNullable<Incremental["pushdown"]>,
  versions: Readonly<Record<string, number>>,
  literals: readonly string[],
  cached: (table: string) => string | null,
): string[] {
  const done: string[] = [];
  for (const { table, column } of pushdown) {
    const version = versions[table];
    if (version === undefined) continue; // not read by this action (e.g. only through a cache)
    const where = literalKeyPredicate(column, literals);
    const relation = cached(table);
    if (relation !== null) db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(table)} AS SELECT * FROM ${quoteIdent(relation)} WHERE ${where}`);
    else registerDeltaView(db, table, path.join(path.resolve(lakeRoot), ...table.split("/")), { version, where });
    done.push(table);
  }
  return done;
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

/** The full recompute of a view written as a difference (`step.incremental.difference`). */
export const FULL_TABLE = "__cpgc_full";
const CURRENT_ROWS = "__cpgc_current_rows";
const NEXT_KEYS = "__cpgc_keys_next";

/**
 * The keys whose rows change: computes `viewSql` (the view in full, or its rows of the candidate
 * keys) into {@link FULL_TABLE} and replaces the key table with the keys whose rows there differ
 * from the table's at `version` — all of its rows, or those `currentWhere` selects (the same
 * candidate keys; a pruned scan) — as multisets (`EXCEPT ALL` both ways, NULLs equal). Returns
 * how many. The commit then replaces only those keys' rows, from {@link FULL_TABLE}.
 */
export function differingKeys(
  db: SqlRunner,
  tablePath: string,
  view: Pick<DesiredTable, "name" | "columns">,
  key: string,
  version: number,
  viewSql: string,
  currentWhere?: string,
): number {
  const column = view.columns.find((c) => c.name === key);
  if (column === undefined) throw new Error(`${view.name}: incremental.key ${key} is not a column`);
  const type = duckDbType(column.type, `view ${view.name}, column ${column.name}`);
  db.query(`CREATE OR REPLACE TEMPORARY TABLE ${quoteIdent(FULL_TABLE)} AS ${castRelationSql(viewSql, view.columns, `view ${view.name}`)}`);
  try {
    registerDeltaView(db, CURRENT_ROWS, tablePath, { version, ...(currentWhere !== undefined ? { where: currentWhere } : {}) });
    const cols = view.columns.map((c) => quoteIdent(c.name)).join(", ");
    const [full, current] = [quoteIdent(FULL_TABLE), quoteIdent(CURRENT_ROWS)];
    // into another table first: `currentWhere` may read the key table
    db.query(
      `CREATE OR REPLACE TEMPORARY TABLE ${quoteIdent(NEXT_KEYS)} AS SELECT DISTINCT CAST(${quoteIdent(key)} AS ${type}) AS "k" FROM (` +
        `(SELECT ${cols} FROM ${full} EXCEPT ALL SELECT ${cols} FROM ${current}) UNION ALL (SELECT ${cols} FROM ${current} EXCEPT ALL SELECT ${cols} FROM ${full})) AS "differing"`,
    );
  } finally {
    db.query(`DROP VIEW IF EXISTS ${quoteIdent(CURRENT_ROWS)}`);
  }
  db.query(`DROP TABLE IF EXISTS ${quoteIdent(KEYS_TABLE)}; ALTER TABLE ${quoteIdent(NEXT_KEYS)} RENAME TO ${quoteIdent(KEYS_TABLE)}`);
  return toNumber(scalar(db, `SELECT count(*) FROM ${quoteIdent(KEYS_TABLE)}`));
}

export function dropKeys(db: SqlRunner): void {
  db.query(`DROP TABLE IF EXISTS ${quoteIdent(KEYS_TABLE)}; DROP TABLE IF EXISTS ${quoteIdent(FULL_TABLE)}; DROP TABLE IF EXISTS ${quoteIdent(NEXT_KEYS)}`);
}
