/**
 * Delta tables as DuckDB relations: the addon plans (prunes files, decodes deletion vectors,
 * maps physical → logical names, aligns types) and returns SQL; the caller's database runs it.
 *
 * ```ts
 * const db = openDatabase();
 * const { rows, plan } = scanDeltaTable(db, "lake/events", { where: "id > 10", columns: ["id"] });
 * plan.stats.filesPruned;
 * registerDeltaView(db, "events", "lake/events"); db.query("SELECT count(*) FROM events");
 * ```
 */

import path from "node:path";

import { NativeError } from "./errors.js";
import { callNative, libraryPath, loadBinding } from "./load.js";
import type { DeltaChangesPlan, DeltaScanPlan } from "./scan-types.js";
import { decodeMsgpack, encodeMsgpack } from "./wire.js";

/** Something that runs SQL and returns rows (a `Database` of the facade). */
export interface ScanRunner {
  query(sql: string): { columns: readonly { name: string; type: string; key: string }[]; rows: readonly Record<string, unknown>[] };
}

export interface DeltaScanOptions {
  version?: number | bigint;
  /** Milliseconds since the epoch (see `parseTimestamp`). */
  timestampMs?: number;
  /** A SQL predicate over the logical columns: applied by DuckDB, simple conjuncts also prune files. */
  where?: string;
  libraryPath?: string;
}

function nonNegative(value: number | bigint, option: string): bigint {
  if (!(typeof value === "bigint" ? value >= 0n : Number.isSafeInteger(value) && value >= 0)) {
    throw new NativeError("INVALID_ARGUMENT", `${option} must be a non-negative integer, got ${String(value)}`, { option });
  }
  return BigInt(value);
}

function checkFormat<T>(value: unknown, what: string): T {
  if (typeof value !== "object" || value === null || (value as { formatVersion?: unknown }).formatVersion !== 1) {
    throw new NativeError("INVALID_RESULT", `the native ${what} does not have formatVersion 1`);
  }
  return value as T;
}

/** Plans a scan of the table at `tablePath` (no data is read yet; footers of scanned files are). */
export function planDeltaScan(tablePath: string, options: DeltaScanOptions = {}): DeltaScanPlan {
  const wire: { version?: bigint; timestampMs?: bigint; predicate?: string } = {};
  if (options.version !== undefined && options.timestampMs !== undefined) {
    throw new NativeError("INVALID_ARGUMENT", "give either version or timestamp, not both", { option: "version" });
  }
  if (options.version !== undefined) wire.version = nonNegative(options.version, "version");
  if (options.timestampMs !== undefined) wire.timestampMs = BigInt(options.timestampMs);
  if (options.where !== undefined && options.where.trim() !== "") wire.predicate = options.where;
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const bytes = callNative(() => native.deltaScan(library, path.resolve(tablePath), encodeMsgpack(wire)));
  return checkFormat<DeltaScanPlan>(decodeMsgpack(bytes, "Delta scan plan"), "Delta scan plan");
}

/** Plans the change data feed of versions `from..=to` (default: the latest version). */
export function planDeltaChanges(tablePath: string, options: { from: number | bigint; to?: number | bigint; libraryPath?: string }): DeltaChangesPlan {
  const wire: { from: bigint; to?: bigint } = { from: nonNegative(options.from, "from") };
  if (options.to !== undefined) wire.to = nonNegative(options.to, "to");
  const native = loadBinding();
  const library = libraryPath(options.libraryPath);
  const bytes = callNative(() => native.deltaChanges(library, path.resolve(tablePath), encodeMsgpack(wire)));
  return checkFormat<DeltaChangesPlan>(decodeMsgpack(bytes, "Delta changes plan"), "Delta changes plan");
}

/** A quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `SELECT <columns> FROM (<sql>) [LIMIT n]`, checking the columns exist. */
export function projectSql(sql: string, available: readonly { name: string }[], options: { columns?: readonly string[]; limit?: number }): string {
  let select = "*";
  if (options.columns !== undefined && options.columns.length > 0) {
    const known = new Map(available.map((c) => [c.name.toLowerCase(), c.name]));
    select = options.columns
      .map((name) => {
        const column = available.some((c) => c.name === name) ? name : known.get(name.toLowerCase());
        if (column === undefined) {
          throw new NativeError("INVALID_ARGUMENT", `no column ${JSON.stringify(name)} in the table (columns: ${available.map((c) => c.name).join(", ")})`, { option: "columns", column: name });
        }
        return quoteIdent(column);
      })
      .join(", ");
  }
  let out = `SELECT ${select} FROM (\n${sql}\n) AS delta_relation`;
  if (options.limit !== undefined) out += ` LIMIT ${nonNegative(options.limit, "limit")}`;
  return out;
}

export interface DeltaScanResult<R> {
  readonly plan: DeltaScanPlan;
  readonly columns: readonly { name: string; type: string; key: string }[];
  readonly rows: readonly R[];
}

/** Scans the table into rows through `db` (projection and limit applied by DuckDB). */
export function scanDeltaTable<R = Record<string, unknown>>(
  db: ScanRunner,
  tablePath: string,
  options: DeltaScanOptions & { columns?: readonly string[]; limit?: number } = {},
): DeltaScanResult<R> {
  const plan = planDeltaScan(tablePath, options);
  const sql = projectSql(plan.sql, plan.columns, options);
  const { columns, rows } = db.query(sql);
  return { plan, columns, rows: rows as readonly R[] };
}

/** Creates (or replaces) the view `name` over the latest version of the table at `tablePath`. */
export function registerDeltaView(db: ScanRunner, name: string, tablePath: string, options: DeltaScanOptions = {}): DeltaScanPlan {
  const plan = planDeltaScan(tablePath, options);
  db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(name)} AS ${plan.sql}`);
  return plan;
}
