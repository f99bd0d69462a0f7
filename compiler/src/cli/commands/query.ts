import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";

import type { CommandSpec } from "../args.js";
import { EXIT, type Command, type CommandIO, type ExitCode } from "../io.js";
import { DEFAULT_CONFIG, lakeRootFromConfig, UsageError } from "../lake-root.js";

// Types only: the native facade is imported on use, so other commands never load the addon.
type Native = typeof import("../../../../runtime-native/index.js");
type Database = import("../../../../runtime-native/index.js").Database;

export const OUTPUT_FORMATS = ["table", "ndjson", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const spec: CommandSpec = {
  name: "query",
  summary: "Run SQL over the Delta tables and logical views of a lake (each table is a view named after its directory).",
  usage: 'cpgc query "SQL" [--lake DIR | -c FILE] [--format table|ndjson|csv]',
  positionals: ["SQL"],
  options: [
    { name: "lake", value: "DIR", description: "Lake root (default: lake.root of the config)." },
    { name: "config", short: "c", value: "FILE", description: "Project config whose lake.root is the lake (default ./cpg.config.yaml)." },
    { name: "format", value: "FORMAT", choices: OUTPUT_FORMATS, description: "Output format (default: table)." },
  ],
  details: [
    "Every directory under the lake root that holds a _delta_log is a view named after the directory",
    "(its latest version: partition values, column mapping and deletion vectors applied). Views are",
    "scanned lazily by DuckDB, which prunes columns; quote names that are not plain identifiers.",
    "The logical views `cpgc apply` recorded (materialize: view, in the lake's _cpgc_views table)",
    "are defined over those tables too, so they can be queried by name.",
    "Errors print one line with the error code (e.g. DUCKDB_QUERY_FAILED) and exit 1.",
  ].join("\n"),
};

export { UsageError };

/** Prints a NativeError as `error[CODE]: message` (one line); rethrows anything else. */
export function reportNativeError(error: unknown, io: CommandIO): ExitCode {
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  if (e.name === "NativeError" && typeof e.code === "string") {
    io.stderr(`error[${e.code}]: ${String(e.message).replace(/\s*\n\s*/g, " ")}`);
    return EXIT.error;
  }
  throw error;
}

function csvCell(value: string | null): string {
  if (value === null) return "";
  return /[",\n\r]/.test(value) || value === "" ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Runs `sql` and renders its rows: DuckDB formats the values (to_json for ndjson, VARCHAR casts
 * for csv and table), so timestamps, decimals and nested values print as the engine spells them.
 */
export function renderQuery(db: Database, sql: string, format: OutputFormat): string[] {
  const body = sql.trim().replace(/;\s*$/, "");
  if (format === "ndjson") {
    const { rows } = db.query(`SELECT CAST(to_json(q) AS VARCHAR) AS j FROM (\n${body}\n) AS q`);
    return rows.map((r) => String(r["j"]));
  }
  const { columns } = db.query(`SELECT * FROM (\n${body}\n) AS q LIMIT 0`);
  if (columns.length === 0) return [];
  // Column names may repeat: rename them by position, then let DuckDB format every value.
  const aliases = columns.map((_, i) => `"q${i}"`).join(", ");
  const casts = columns.map((_, i) => `CAST("q${i}" AS VARCHAR) AS c${i}`).join(", ");
  const { rows } = db.query(`SELECT ${casts} FROM (\n${body}\n) AS q(${aliases})`);
  const cells = rows.map((r) => columns.map((_, i) => (r[`c${i}`] === null ? null : String(r[`c${i}`]))));
  if (format === "csv") return [columns.map((c) => csvCell(c.name)).join(","), ...cells.map((row) => row.map(csvCell).join(","))];
  const shown = cells.map((row) => row.map((v) => (v === null ? "NULL" : v.replace(/\n/g, "\\n"))));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...shown.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]) => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join(" | ").trimEnd();
  return [line(columns.map((c) => c.name)), widths.map((w) => "-".repeat(w)).join("-+-"), ...shown.map(line), `(${rows.length} row${rows.length === 1 ? "" : "s"})`];
}

/** The lake root: --lake, else lake.root of the config (relative to the config file). */
function lakeRoot(lake: string | true | undefined, config: string | true | undefined, io: CommandIO): string {
  if (typeof lake === "string") {
    if (config !== undefined) throw new UsageError("give --lake or -c, not both");
    return resolve(io.cwd, lake);
  }
  try {
    return lakeRootFromConfig(typeof config === "string" ? config : DEFAULT_CONFIG, io.cwd);
  } catch (error) {
    if (error instanceof UsageError && config === undefined) throw new UsageError(`no lake: pass --lake DIR or run in a project with cpg.config.yaml (${error.message})`);
    throw error;
  }
}

/** Delta tables under `root` (directories holding `_delta_log`), at most `depth` levels down. */
export function findTables(root: string, depth = 4): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    if (entries.includes("_delta_log") && statSync(join(dir, "_delta_log")).isDirectory()) {
      out.push(dir);
      return;
    }
    if (level >= depth) return;
    for (const entry of entries) {
      if (entry.startsWith(".") || entry.startsWith("_")) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full, level + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** Registers every table under `root` as a view; returns view name → table path. */
export function registerLake(native: Native, db: Database, root: string): Map<string, string> {
  const tables = findTables(root);
  const byName = new Map<string, string[]>();
  for (const table of tables) byName.set(basename(table), [...(byName.get(basename(table)) ?? []), table]);
  const views = new Map<string, string>();
  for (const [name, paths] of byName) {
    // Two tables with the same directory name: both get their path under the root as name.
    for (const table of paths) views.set(paths.length === 1 ? name : relative(root, table).split(/[\\/]/).join("/"), table);
  }
  for (const [name, table] of views) native.registerDeltaView(db, name, table);
  return views;
}

/**
 * Defines the lake's logical views over the tables registered before. A view that cannot bind
 * (e.g. a table it reads was removed) is reported on stderr; the query runs without it.
 */
async function registerViews(db: Database, root: string, io: CommandIO): Promise<void> {
  const { registerLogicalViews } = await import("../../../../runtime-native/ts/apply/views.js");
  const { failed } = registerLogicalViews(db, root);
  for (const f of failed) io.stderr(`warning: logical view ${f.name} is not available: [${f.error.code}] ${f.error.message.replace(/\s*\n\s*/g, " ")}`);
}

async function runQuery(sql: string, format: OutputFormat, root: string, io: CommandIO): Promise<ExitCode> {
  if (!existsSync(root)) throw new UsageError(`the lake root ${root} does not exist`);
  const native = await import("../../../../runtime-native/index.js");
  const db = native.openDatabase();
  try {
    registerLake(native, db, root);
    await registerViews(db, root, io);
    for (const line of renderQuery(db, sql, format)) io.stdout(line);
  } finally {
    db.close();
  }
  return EXIT.ok;
}

function usageError(message: string, io: CommandIO): ExitCode {
  io.stderr(`error: ${message}\n\n${spec.usage}\nRun 'cpgc query --help' for details.`);
  return EXIT.error;
}

export const queryCommand: Command = {
  spec,
  async run(args, io) {
    const [sql, extra] = args.positionals;
    if (sql === undefined || sql.trim() === "") return usageError("missing SQL", io);
    if (extra !== undefined) return usageError(`unexpected argument '${extra}' (quote the SQL as one argument)`, io);
    const format = (args.options.get("format") ?? "table") as OutputFormat;
    try {
      return await runQuery(sql, format, lakeRoot(args.options.get("lake"), args.options.get("config"), io), io);
    } catch (error) {
      if (error instanceof UsageError) return usageError(error.message, io);
      return reportNativeError(error, io);
    }
  },
};
