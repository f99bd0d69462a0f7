/**
 * The DuckDB relation of a dataset's source, cast to the declared schema.
 *
 * - ndjson  → `read_json(files, columns={...}, format='newline_delimited')`: keys not declared
 *   are ignored, declared keys that are missing are NULL, a value of the wrong type is an error.
 * - csv     → `read_csv(files, all_varchar=true, header, delim, quote, nullstr)`, then each
 *   declared column cast by name (by position without a header).
 * - parquet → `read_parquet(files, union_by_name=true)`, then each declared column cast by name.
 * - delta   → a view registered over the table's latest version, then casts.
 *
 * A row that does not fit is a SOURCE_SCHEMA_MISMATCH naming the dataset, the column and the
 * file ({@link withSourceErrors} locates them after DuckDB's error, which names at most the file).
 */

import type { DesiredColumn, DesiredSource } from "../../../compiler/src/plan/model.js";
import { NativeError } from "../errors.js";
import { registerDeltaView } from "../scan.js";
import { castRelationSql, duckDbType, quoteIdent, sqlString, sqlStringList, type SqlRunner } from "./sql.js";

/** What the source SQL needs of a dataset. */
export interface SourceTable {
  readonly name: string;
  readonly columns: readonly Pick<DesiredColumn, "name" | "type" | "nullable">[];
  readonly source: DesiredSource;
}

/** The column holding each row's file when `withFilename` is set. */
export const FILENAME_COLUMN = "__cpgc_file";

function csvOptions(source: DesiredSource): { header: boolean; sql: string } {
  const o = source.options as { header?: unknown; delimiter?: unknown; quote?: unknown; null_string?: unknown };
  const header = o.header !== false;
  const parts = [`header=${header ? "true" : "false"}`, "all_varchar=true"];
  if (typeof o.delimiter === "string") parts.push(`delim=${sqlString(o.delimiter)}`);
  if (typeof o.quote === "string") parts.push(`quote=${sqlString(o.quote)}`);
  if (typeof o.null_string === "string") parts.push(`nullstr=${sqlString(o.null_string)}`);
  return { header, sql: parts.join(", ") };
}

/** The view a Delta source is read through. */
export function deltaSourceView(table: Pick<SourceTable, "name">): string {
  return `__cpgc_source_${table.name}`;
}

function fileList(table: SourceTable, files: readonly string[]): string {
  if (files.length === 0) {
    throw new NativeError("SOURCE_NOT_FOUND", `dataset ${table.name}: the source ${table.source.pattern} matches no file`, { dataset: table.name, pattern: table.source.pattern });
  }
  return sqlStringList(files);
}

/** The raw (uncast) relation of the source; csv without a header names columns column0, column1, ... */
function rawRelation(db: SqlRunner, table: SourceTable, files: readonly string[], withFilename: boolean): string {
  const filename = withFilename ? `, filename=${sqlString(FILENAME_COLUMN)}` : "";
  const where = `dataset ${table.name}`;
  switch (table.source.format) {
    case "ndjson": {
      const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckDbType(c.type, `${where}, column ${c.name}`))}`).join(", ");
      return `SELECT * FROM read_json(${fileList(table, files)}, columns={${columns}}, format='newline_delimited', records=true${filename})`;
    }
    case "csv":
      return `SELECT * FROM read_csv(${fileList(table, files)}, ${csvOptions(table.source).sql}${filename})`;
    case "parquet":
      return `SELECT * FROM read_parquet(${fileList(table, files)}, union_by_name=true${filename})`;
    case "delta": {
      const view = deltaSourceView(table);
      registerDeltaView(db, view, table.source.location);
      return `SELECT *${withFilename ? `, NULL::VARCHAR AS ${quoteIdent(FILENAME_COLUMN)}` : ""} FROM ${quoteIdent(view)}`;
    }
    case "extractor":
      throw new NativeError("INVALID_ARGUMENT", `dataset ${table.name}: extractor sources are run by the extractor, not read by the engine`, { dataset: table.name });
  }
}

/**
 * The relation of a dataset's rows: exactly the declared columns, in order, with their DuckDB
 * types (plus {@link FILENAME_COLUMN} with `withFilename`). Delta sources register a view in `db`.
 */
export function sourceRelationSql(db: SqlRunner, table: SourceTable, files: readonly string[], options: { withFilename?: boolean } = {}): string {
  const withFilename = options.withFilename === true;
  const raw = rawRelation(db, table, files, withFilename);
  const byPosition = table.source.format === "csv" && !csvOptions(table.source).header;
  const columns = table.columns.map((c, i) => ({ name: byPosition ? `column${i}` : c.name, alias: c.name, type: c.type }));
  if (!byPosition) {
    const cast = castRelationSql(raw, columns, `dataset ${table.name}`, "source");
    return withFilename ? cast.replace(/^SELECT /, `SELECT ${quoteIdent(FILENAME_COLUMN)}, `) : cast;
  }
  const select = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${duckDbType(c.type, `dataset ${table.name}, column ${c.alias}`)}) AS ${quoteIdent(c.alias)}`);
  if (withFilename) select.unshift(quoteIdent(FILENAME_COLUMN));
  return `SELECT ${select.join(", ")} FROM (\n${raw}\n) AS "source"`;
}

function attempt(db: SqlRunner, sql: string): string | null {
  try {
    db.query(sql);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** Finds the column (and file) of a failure reading the source; null when no single column explains it. */
export function locateSourceMismatch(db: SqlRunner, table: SourceTable, files: readonly string[]): { column: string; file: string | null; message: string } | null {
  const byPosition = table.source.format === "csv" && !csvOptions(table.source).header;
  for (const [i, column] of table.columns.entries()) {
    const one: SourceTable = { ...table, columns: [column] };
    const type = duckDbType(column.type, `dataset ${table.name}, column ${column.name}`);
    const name = quoteIdent(byPosition ? `column${i}` : column.name);
    const probe = (subset: readonly string[]): string | null => {
      if (table.source.format === "ndjson") return attempt(db, `SELECT count(${name}) FROM (${rawRelation(db, one, subset, false)})`);
      if (table.source.format === "delta") return attempt(db, `SELECT count(CAST(${name} AS ${type})) FROM (${rawRelation(db, table, subset, false)})`);
      const raw = rawRelation(db, table, subset, true);
      const missing = attempt(db, `SELECT ${name} FROM (${raw}) LIMIT 0`);
      if (missing !== null) return missing;
      const { rows } = db.query(
        `SELECT ${quoteIdent(FILENAME_COLUMN)} AS f, CAST(${name} AS VARCHAR) AS v FROM (${raw}) WHERE ${name} IS NOT NULL AND TRY_CAST(${name} AS ${type}) IS NULL LIMIT 1`,
      );
      const row = rows[0];
      return row === undefined ? null : `value ${JSON.stringify(row["v"])} cannot be cast to ${type} (file ${String(row["f"])})`;
    };
    const all = probe(files);
    if (all === null) continue;
    const file = files.length === 1 ? (files[0] ?? null) : (files.find((f) => probe([f]) !== null) ?? null);
    return { column: column.name, file, message: firstLine(all) };
  }
  return null;
}

/** Rows of non-nullable columns that hold NULL: the first offending column and file (null when none). */
export function findNullViolation(db: SqlRunner, table: SourceTable, files: readonly string[]): { column: string; file: string | null } | null {
  const required = table.columns.filter((c) => !c.nullable);
  if (required.length === 0) return null;
  const relation = sourceRelationSql(db, table, files, { withFilename: true });
  const conditions = required.map((c) => `${quoteIdent(c.name)} IS NULL`);
  const select = required.map((c, i) => `bool_or(${conditions[i] ?? "FALSE"}) AS c${i}`).join(", ");
  const { rows } = db.query(`SELECT ${select}, min(CASE WHEN ${conditions.join(" OR ")} THEN ${quoteIdent(FILENAME_COLUMN)} END) AS f FROM (${relation})`);
  const row = rows[0] ?? {};
  const index = required.findIndex((_, i) => row[`c${i}`] === true);
  const column = required[index];
  if (column === undefined) return null;
  return { column: column.name, file: typeof row["f"] === "string" ? row["f"] : null };
}

/**
 * Runs `fn` (which reads the source); a DuckDB failure becomes SOURCE_SCHEMA_MISMATCH naming the
 * dataset, column and file when a single column explains it, else the original error prefixed
 * with the dataset.
 */
export function withSourceErrors<T>(db: SqlRunner, table: SourceTable, files: readonly string[], fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof NativeError) || error.code !== "DUCKDB_QUERY_FAILED") throw error;
    const found = locateSourceMismatch(db, table, files);
    if (found === null) {
      throw new NativeError(error.code, `dataset ${table.name}: reading the source ${table.source.pattern} failed: ${error.message}`, { ...error.details, dataset: table.name }, { cause: error });
    }
    const column = table.columns.find((c) => c.name === found.column);
    throw new NativeError(
      "SOURCE_SCHEMA_MISMATCH",
      `dataset ${table.name}: column ${found.column} (${column?.type ?? "?"}) does not fit ${found.file ?? table.source.pattern}: ${found.message}`,
      { dataset: table.name, column: found.column, file: found.file ?? "", pattern: table.source.pattern },
      { cause: error },
    );
  }
}
