/**
 * Logical views (materialize: view) live in the lake's `_cpgc_views` Delta table: one row per
 * view (name, ast_fingerprint, policy_hash, sql, columns, ord). `ord` is the position in
 * dependency order, so registering them in `ord` order lets each view bind to the ones before.
 *
 * Changes rewrite the whole (small) table in one commit: the rows kept, minus those
 * unregistered, plus those (re-)registered, renumbered in the order given.
 */

import path from "node:path";

import { VIEWS_TABLE, type DeltaFieldJson, type ObservedLogicalView } from "../../../compiler/src/plan/model.js";
import { loadDeltaSnapshot } from "../delta.js";
import type { DeltaCommitOptions, DeltaWriteResult } from "../delta-write.js";
import { NativeError } from "../errors.js";
import { registerDeltaView } from "../scan.js";
import { alterTable, createTable } from "./commit.js";
import { hasCommit } from "./log.js";
import { quoteIdent, sqlLiteral, sqlString, type Session, type SqlRunner } from "./sql.js";

export interface LogicalViewColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

export interface LogicalViewRecord extends ObservedLogicalView {
  readonly columns: readonly LogicalViewColumn[];
  readonly ord: number;
}

const COLUMNS_TYPE = 'STRUCT("name" VARCHAR, "type" VARCHAR, "nullable" BOOLEAN)[]';

export const VIEWS_SCHEMA: readonly DeltaFieldJson[] = [
  { name: "name", type: "string", nullable: false, metadata: {} },
  { name: "ast_fingerprint", type: "string", nullable: true, metadata: {} },
  { name: "policy_hash", type: "string", nullable: true, metadata: {} },
  { name: "sql", type: "string", nullable: false, metadata: {} },
  {
    name: "columns",
    type: {
      type: "array",
      elementType: {
        type: "struct",
        fields: [
          { name: "name", type: "string", nullable: false, metadata: {} },
          { name: "type", type: "string", nullable: false, metadata: {} },
          { name: "nullable", type: "boolean", nullable: false, metadata: {} },
        ],
      },
      containsNull: false,
    },
    nullable: true,
    metadata: {},
  },
  { name: "ord", type: "integer", nullable: false, metadata: {} },
];

/** Path of the lake's `_cpgc_views` table. */
export function viewsTablePath(lakeRoot: string): string {
  return path.join(path.resolve(lakeRoot), VIEWS_TABLE);
}

function parseColumns(value: unknown): LogicalViewColumn[] {
  if (!Array.isArray(value)) return [];
  return value.map((c: Record<string, unknown>) => ({ name: String(c["name"]), type: String(c["type"]), nullable: c["nullable"] !== false }));
}

/** The logical views recorded in the lake (by `ord`, then name), and the table's version and id (null when absent). */
export function readLogicalViews(db: SqlRunner, lakeRoot: string): { version: number | null; tableId: string | null; views: LogicalViewRecord[] } {
  const table = viewsTablePath(lakeRoot);
  if (!hasCommit(table)) return { version: null, tableId: null, views: [] };
  const snapshot = loadDeltaSnapshot(table, { files: "none" });
  const plan = registerDeltaView(db, "__cpgc_views_table", table, { version: snapshot.version });
  const { rows } = db.query(`SELECT name, ast_fingerprint, policy_hash, sql, columns, ord FROM "__cpgc_views_table" ORDER BY ord, name`);
  const views = rows.map((r) => ({
    name: String(r["name"]),
    ast_fingerprint: String(r["ast_fingerprint"] ?? ""),
    policy_hash: String(r["policy_hash"] ?? ""),
    sql: String(r["sql"]),
    columns: parseColumns(r["columns"]),
    ord: Number(r["ord"]),
  }));
  db.query(`DROP VIEW IF EXISTS "__cpgc_views_table"`);
  return { version: plan.version, tableId: snapshot.metadata.id, views };
}

/** The current version of `_cpgc_views` (null when absent), without reading rows. */
export function viewsTableVersion(lakeRoot: string): number | null {
  const table = viewsTablePath(lakeRoot);
  if (!hasCommit(table)) return null;
  return loadDeltaSnapshot(table, { files: "none" }).version;
}

function rowSql(view: LogicalViewRecord, ord: number): string {
  const columns =
    view.columns.length === 0
      ? `[]::${COLUMNS_TYPE}`
      : `[${view.columns.map((c) => `{'name': ${sqlString(c.name)}, 'type': ${sqlString(c.type)}, 'nullable': ${sqlLiteral(c.nullable)}}`).join(", ")}]::${COLUMNS_TYPE}`;
  return `SELECT ${sqlString(view.name)} AS "name", ${sqlString(view.ast_fingerprint)} AS ast_fingerprint, ${sqlString(view.policy_hash)} AS policy_hash, ${sqlString(view.sql)} AS "sql", ${columns} AS "columns", ${ord}::INTEGER AS ord`;
}

/** The rows after a change: kept − unregistered − re-registered + registered, in `order` (names), then by old ord. */
export function mergeLogicalViews(
  current: readonly LogicalViewRecord[],
  changes: { readonly register: readonly Omit<LogicalViewRecord, "ord">[]; readonly unregister: readonly string[] },
  order: readonly string[] = [],
): LogicalViewRecord[] {
  const drop = new Set([...changes.unregister, ...changes.register.map((v) => v.name)]);
  const kept = current.filter((v) => !drop.has(v.name));
  const merged = [...kept, ...changes.register.map((v, i) => ({ ...v, ord: Number.MAX_SAFE_INTEGER - changes.register.length + i }))];
  const position = new Map(order.map((name, i) => [name, i]));
  const rank = (v: LogicalViewRecord): [number, number] => [position.get(v.name) ?? Number.MAX_SAFE_INTEGER, v.ord];
  merged.sort((a, b) => {
    const [pa, oa] = rank(a);
    const [pb, ob] = rank(b);
    return pa !== pb ? pa - pb : oa !== ob ? oa - ob : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return merged.map((v, i) => ({ ...v, ord: i }));
}

/**
 * Records logical view changes in `_cpgc_views` as one overwrite (creating the table first when
 * absent). Returns the write result, or null when nothing changes.
 */
export function writeLogicalViews(
  db: Session,
  lakeRoot: string,
  changes: { readonly register: readonly Omit<LogicalViewRecord, "ord">[]; readonly unregister: readonly string[] },
  options: { readonly order?: readonly string[]; readonly commit?: DeltaCommitOptions } = {},
): DeltaWriteResult | null {
  const { views: current } = readLogicalViews(db, lakeRoot);
  const next = mergeLogicalViews(current, changes, options.order ?? []);
  const same =
    next.length === current.length &&
    next.every((v, i) => {
      const c = current[i];
      return c !== undefined && c.name === v.name && c.sql === v.sql && c.ast_fingerprint === v.ast_fingerprint && c.policy_hash === v.policy_hash && c.ord === v.ord && JSON.stringify(c.columns) === JSON.stringify(v.columns);
    });
  const table = viewsTablePath(lakeRoot);
  if (same && hasCommit(table)) return null;
  const sql = next.length === 0 ? `SELECT * FROM (${rowSql({ name: "", ast_fingerprint: "", policy_hash: "", sql: "", columns: [], ord: 0 }, 0)}) WHERE FALSE` : next.map((v) => rowSql(v, v.ord)).join("\nUNION ALL\n");
  const call = { db, commit: options.commit ?? {} };
  const data = { mode: "overwrite" as const, sql, policy: {} };
  if (!hasCommit(table)) return createTable(table, { schema: VIEWS_SCHEMA, partitionColumns: [], properties: {}, features: [] }, data, call);
  return alterTable(table, null, data, call);
}

/**
 * Creates a DuckDB view for every logical view of the lake, in `ord` order, over tables already
 * registered in `db` (as `cpgc query` does). A view that fails to bind is retried after the
 * others; those that never bind are returned with their error.
 */
export function registerLogicalViews(db: SqlRunner, lakeRoot: string): { registered: string[]; failed: { name: string; error: NativeError }[] } {
  const { views } = readLogicalViews(db, lakeRoot);
  let pending = views;
  const registered: string[] = [];
  let errors = new Map<string, NativeError>();
  for (;;) {
    const next: LogicalViewRecord[] = [];
    errors = new Map();
    for (const view of pending) {
      try {
        db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(view.name)} AS ${view.sql}`);
        registered.push(view.name);
      } catch (error) {
        if (!(error instanceof NativeError)) throw error;
        errors.set(view.name, error);
        next.push(view);
      }
    }
    if (next.length === 0 || next.length === pending.length) {
      return { registered, failed: next.map((v) => ({ name: v.name, error: errors.get(v.name) as NativeError })) };
    }
    pending = next;
  }
}
