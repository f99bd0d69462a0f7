import { resolve } from "node:path";

import { didYouMean } from "../../diagnostics/index.js";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { EXIT, type Command, type CommandIO, type ExitCode } from "../io.js";
import { OUTPUT_FORMATS, renderQuery, reportNativeError, type OutputFormat } from "./query.js";

// Types only: the native facade itself is imported on use, so other commands never load the addon.
type Native = typeof import("../../../../runtime-native/index.js");
type DeltaSnapshot = import("../../../../runtime-native/index.js").DeltaSnapshot;
type DeltaHistory = import("../../../../runtime-native/index.js").DeltaHistory;

const SUBCOMMANDS = ["show", "history", "scan", "changes", "vacuum"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const spec: CommandSpec = {
  name: "table",
  summary: "Inspect a Delta table: snapshot (show), history, rows (scan), change feed (changes), vacuum.",
  usage: [
    "cpgc table show PATH [--version N | --timestamp T] [--json]",
    "       cpgc table history PATH [--limit N] [--json]",
    "       cpgc table scan PATH [--version N | --timestamp T] [--where SQL] [--columns a,b] [--format ndjson|csv|table] [--limit N] [--json]",
    "       cpgc table changes PATH --from V [--to V] [--format ndjson|csv|table] [--limit N]",
    "       cpgc table vacuum PATH [--retention-hours H] [--dry-run] [--json]",
  ].join("\n"),
  positionals: ["SUBCOMMAND", "PATH"],
  options: [
    { name: "version", value: "N", description: "show: time travel to version N." },
    { name: "timestamp", value: "T", description: "show: time travel to the newest version committed at or before T (ISO-8601, UTC unless it has an offset; or ms since the epoch)." },
    { name: "limit", value: "N", description: "history: at most N commits, newest first; scan, changes: at most N rows." },
    { name: "json", description: "Print JSON (format_version 1.0) instead of text; scan: the scan report on stdout instead of stderr, rows as ndjson." },
    { name: "where", value: "SQL", description: "scan: keep rows matching this predicate; its simple conjuncts (col op literal, IS NULL, IN, BETWEEN) also prune files." },
    { name: "columns", value: "A,B", description: "scan: only these columns, in this order." },
    { name: "format", value: "FORMAT", choices: OUTPUT_FORMATS, description: "scan, changes: row format (default ndjson)." },
    { name: "from", value: "V", description: "changes: first version (inclusive)." },
    { name: "to", value: "V", description: "changes: last version (inclusive; default the latest)." },
    { name: "retention-hours", value: "H", description: "vacuum: keep files removed less than H hours ago (default: the table's retention)." },
    { name: "dry-run", description: "vacuum: list the files that would be deleted, delete nothing." },
  ],
  details: [
    "show prints the version, protocol and table features, schema (physical names under column mapping),",
    "partition columns, configuration, number of files and records (numRecords statistics minus rows",
    "deleted by deletion vectors; Parquet footers for files without statistics).",
    "history prints every commit still in the log: version, timestamp, operation and parameters.",
    "scan prints the rows (partition values, column mapping, deletion vectors and type widening applied)",
    "and reports on stderr how many files were scanned and pruned by statistics / partition values.",
    "changes prints the change data feed: rows with _change_type, _commit_version, _commit_timestamp,",
    "from cdc files, or from the add/remove actions of commits without them.",
    "vacuum deletes data files that no version within the retention references.",
    "Errors print one line with the error code (e.g. DELTA_UNSUPPORTED_FEATURE) and exit 1.",
  ].join("\n"),
};

class UsageError extends Error {}

function nonNegativeInteger(args: ParsedArgs, name: string): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`--${name} needs a non-negative integer, got '${String(raw)}'`);
  }
  return Number(raw);
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function humanBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Aligns rows of cells into columns separated by two spaces (the last column is not padded). */
function columns(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd());
}

interface ShowFacts {
  readonly snapshot: DeltaSnapshot;
  readonly numRecords: number;
  readonly sizeBytes: number;
}

function showJson(table: string, { snapshot: s, numRecords, sizeBytes }: ShowFacts, native: Native): unknown {
  return {
    format_version: "1.0",
    table,
    version: s.version,
    timestamp: iso(s.timestamp),
    timestamp_ms: s.timestamp,
    protocol: {
      min_reader_version: s.protocol.minReaderVersion,
      min_writer_version: s.protocol.minWriterVersion,
      reader_features: s.protocol.readerFeatures ?? [],
      writer_features: s.protocol.writerFeatures ?? [],
    },
    column_mapping: s.columnMapping,
    schema: s.schema.map((f) => ({
      name: f.name,
      type: native.formatDeltaType(f.type),
      nullable: f.nullable,
      ...(f.physicalName !== undefined ? { physical_name: f.physicalName } : {}),
      ...(f.fieldId !== undefined ? { field_id: f.fieldId } : {}),
    })),
    partition_columns: s.metadata.partitionColumns,
    configuration: s.metadata.configuration,
    num_files: s.summary.numFiles,
    num_records: numRecords,
    size_bytes: sizeBytes,
    warnings: s.warnings,
  };
}

function showText(table: string, { snapshot: s, numRecords, sizeBytes }: ShowFacts, native: Native): string[] {
  const features = (list: readonly string[] | undefined) => (list && list.length > 0 ? list.join(", ") : "(none)");
  const lines = [`Delta table ${table}`];
  const facts: string[][] = [
    ["version", `${s.version}${s.timestamp === null ? "" : ` (${iso(s.timestamp)})`}`],
    ["protocol", `reader ${s.protocol.minReaderVersion}, writer ${s.protocol.minWriterVersion}`],
  ];
  if (s.protocol.readerFeatures !== undefined) facts.push(["reader features", features(s.protocol.readerFeatures)]);
  if (s.protocol.writerFeatures !== undefined) facts.push(["writer features", features(s.protocol.writerFeatures)]);
  facts.push(
    ["partition columns", s.metadata.partitionColumns.length > 0 ? s.metadata.partitionColumns.join(", ") : "(none)"],
    ["files", `${s.summary.numFiles} (${humanBytes(sizeBytes)})`],
    ["records", String(numRecords)],
  );
  if (s.columnMapping !== "none") facts.push(["column mapping", s.columnMapping]);
  lines.push(...columns(facts));
  lines.push("", `schema (${s.schema.length} column${s.schema.length === 1 ? "" : "s"})`);
  lines.push(
    ...columns(
      s.schema.map((f) => [
        f.name,
        native.formatDeltaType(f.type),
        [f.nullable ? "" : "not null", f.physicalName !== undefined ? `physical ${f.physicalName}` : ""].filter(Boolean).join(", "),
      ]),
    ),
  );
  const configuration = Object.entries(s.metadata.configuration).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  lines.push("", configuration.length > 0 ? "configuration" : "configuration (none)");
  lines.push(...configuration.map(([k, v]) => `  ${k} = ${v}`));
  if (s.warnings.length > 0) lines.push("", "warnings", ...s.warnings.map((w) => `  ${w}`));
  return lines;
}

async function show(native: Native, table: string, args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  const version = nonNegativeInteger(args, "version");
  const timestamp = args.options.get("timestamp");
  if (version !== undefined && timestamp !== undefined) throw new UsageError("give --version or --timestamp, not both");
  if (args.options.has("limit")) throw new UsageError("--limit applies to 'table history'");
  // Only files without a numRecords statistic are listed: their rows come from Parquet footers.
  const snapshot = native.loadDeltaSnapshot(table, {
    files: "withoutNumRecords",
    ...(version !== undefined ? { version } : {}),
    ...(typeof timestamp === "string" ? { timestamp } : {}),
  });
  const db = snapshot.files.length > 0 ? native.openDatabase({ threads: 1 }) : undefined;
  let numRecords: number;
  try {
    numRecords = native.countSnapshotRows(snapshot, db === undefined ? {} : { db }).numRecords;
  } finally {
    db?.close();
  }
  const facts: ShowFacts = { snapshot, numRecords, sizeBytes: snapshot.summary.sizeBytes };
  if (args.options.has("json")) io.stdout(JSON.stringify(showJson(table, facts, native), null, 2));
  else io.stdout(showText(table, facts, native).join("\n"));
  return EXIT.ok;
}

function operationParameters(info: Readonly<Record<string, unknown>> | null): string {
  const params = info?.["operationParameters"];
  if (typeof params !== "object" || params === null) return "";
  const text = Object.entries(params)
    .filter(([, v]) => v !== null && v !== undefined && v !== "" && v !== "[]")
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

function historyOutput(table: string, history: DeltaHistory, json: boolean): string {
  if (json) {
    return JSON.stringify(
      {
        format_version: "1.0",
        table,
        entries: history.entries.map((e) => ({
          version: e.version,
          timestamp: iso(e.timestamp),
          timestamp_ms: e.timestamp,
          in_commit_timestamp: e.inCommitTimestamp,
          operation: typeof e.commitInfo?.["operation"] === "string" ? e.commitInfo["operation"] : null,
          commit_info: e.commitInfo,
        })),
      },
      null,
      2,
    );
  }
  const rows = history.entries.map((e) => [
    String(e.version),
    iso(e.timestamp) ?? "",
    typeof e.commitInfo?.["operation"] === "string" ? e.commitInfo["operation"] : "-",
    operationParameters(e.commitInfo),
  ]);
  return [`Delta table ${table}: ${history.entries.length} commit${history.entries.length === 1 ? "" : "s"}`, ...columns([["version", "timestamp", "operation", "parameters"], ...rows])].join("\n");
}

async function historyCommand(native: Native, table: string, args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  if (args.options.has("version") || args.options.has("timestamp")) throw new UsageError("--version and --timestamp apply to 'table show'");
  const limit = nonNegativeInteger(args, "limit");
  const history = native.loadDeltaHistory(table, limit === undefined ? {} : { limit });
  io.stdout(historyOutput(table, history, args.options.has("json")));
  return EXIT.ok;
}

function format(args: ParsedArgs): OutputFormat {
  return (args.options.get("format") ?? "ndjson") as OutputFormat;
}

function onlyFor(args: ParsedArgs, sub: string, allowed: readonly string[]): void {
  for (const name of args.options.keys()) {
    if (!allowed.includes(name)) throw new UsageError(`--${name} does not apply to 'table ${sub}'`);
  }
}

async function scanCommand(native: Native, table: string, args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  onlyFor(args, "scan", ["version", "timestamp", "where", "columns", "format", "limit", "json"]);
  const version = nonNegativeInteger(args, "version");
  const timestamp = args.options.get("timestamp");
  if (version !== undefined && timestamp !== undefined) throw new UsageError("give --version or --timestamp, not both");
  const limit = nonNegativeInteger(args, "limit");
  const where = args.options.get("where");
  const columnsArg = args.options.get("columns");
  const columns = typeof columnsArg === "string" ? columnsArg.split(",").map((c) => c.trim()).filter((c) => c !== "") : undefined;
  const json = args.options.has("json");
  if (json && args.options.has("format")) throw new UsageError("--json prints rows as ndjson; drop --format");
  const plan = native.planDeltaScan(table, {
    ...(version !== undefined ? { version } : {}),
    ...(typeof timestamp === "string" ? { timestampMs: native.parseTimestamp(timestamp) } : {}),
    ...(typeof where === "string" ? { where } : {}),
  });
  const sql = native.projectSql(plan.sql, plan.columns, { ...(columns !== undefined ? { columns } : {}), ...(limit !== undefined ? { limit } : {}) });
  const db = native.openDatabase();
  let lines: string[];
  try {
    lines = renderQuery(db, sql, json ? "ndjson" : format(args));
  } finally {
    db.close();
  }
  const st = plan.stats;
  if (json) {
    io.stdout(
      JSON.stringify({
        format_version: "1.0",
        table,
        version: plan.version,
        columns: plan.columns.map((c) => ({ name: c.name, type: c.type, partition: c.partition })),
        files_total: st.filesTotal,
        files_scanned: st.filesScanned,
        files_pruned: st.filesPruned,
        files_with_deletion_vectors: st.filesWithDeletionVectors,
        rows_deleted_by_deletion_vectors: st.rowsDeletedByDeletionVectors,
        bytes_scanned: st.bytesScanned,
        conjuncts_used: st.conjunctsUsed,
        conjuncts_ignored: st.conjunctsIgnored,
        rows: lines.map((l) => JSON.parse(l) as unknown),
      }),
    );
    return EXIT.ok;
  }
  for (const line of lines) io.stdout(line);
  io.stderr(
    `scanned ${st.filesScanned} of ${st.filesTotal} file${st.filesTotal === 1 ? "" : "s"} (${st.filesPruned} pruned) at version ${plan.version}` +
      (st.filesWithDeletionVectors > 0 ? `; ${st.rowsDeletedByDeletionVectors} row(s) deleted by deletion vectors` : ""),
  );
  return EXIT.ok;
}

async function changesCommand(native: Native, table: string, args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  onlyFor(args, "changes", ["from", "to", "format", "limit"]);
  const from = nonNegativeInteger(args, "from");
  if (from === undefined) throw new UsageError("'table changes' needs --from V");
  const to = nonNegativeInteger(args, "to");
  const limit = nonNegativeInteger(args, "limit");
  const plan = native.planDeltaChanges(table, { from, ...(to !== undefined ? { to } : {}) });
  const sql = native.projectSql(plan.sql, plan.columns, limit !== undefined ? { limit } : {});
  const db = native.openDatabase();
  try {
    for (const line of renderQuery(db, sql, format(args))) io.stdout(line);
  } finally {
    db.close();
  }
  io.stderr(`changes of versions ${plan.fromVersion}..${plan.toVersion}: ${plan.commitsFromCdcFiles} commit(s) from cdc files, ${plan.commitsFromFileActions} from add/remove actions`);
  return EXIT.ok;
}

async function vacuumCommand(native: Native, table: string, args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  onlyFor(args, "vacuum", ["retention-hours", "dry-run", "json"]);
  const raw = args.options.get("retention-hours");
  let retentionHours: number | undefined;
  if (raw !== undefined) {
    retentionHours = Number(raw);
    if (typeof raw !== "string" || !/^\d+(\.\d+)?$/.test(raw)) throw new UsageError(`--retention-hours needs a non-negative number, got '${String(raw)}'`);
  }
  const dryRun = args.options.has("dry-run");
  const result = native.vacuumDeltaTable(table, { dryRun, ...(retentionHours !== undefined ? { retentionHours } : {}) });
  if (args.options.has("json")) {
    io.stdout(JSON.stringify({ format_version: "1.0", table, dry_run: result.dryRun, retention_ms: result.retentionMs, files: result.files }, null, 2));
    return EXIT.ok;
  }
  io.stdout(`${result.dryRun ? "would delete" : "deleted"} ${result.files.length} file${result.files.length === 1 ? "" : "s"}`);
  for (const file of result.files) io.stdout(`  ${file}`);
  return EXIT.ok;
}

function usageError(message: string, io: CommandIO): ExitCode {
  io.stderr(`error: ${message}\n\n${spec.usage}\nRun 'cpgc table --help' for details.`);
  return EXIT.error;
}

export const tableCommand: Command = {
  spec,
  async run(args, io) {
    const [sub, target] = args.positionals;
    if (sub === undefined) return usageError("missing subcommand: show, history, scan, changes or vacuum", io);
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      const hint = didYouMean(sub, SUBCOMMANDS);
      return usageError(`unknown subcommand '${sub}' for 'table'${hint ? `; ${hint}` : ""}`, io);
    }
    if (target === undefined) return usageError(`'table ${sub}' needs the PATH of a Delta table`, io);
    const table = resolve(io.cwd, target);
    try {
      const native = await import("../../../../runtime-native/index.js");
      const run = { show, history: historyCommand, scan: scanCommand, changes: changesCommand, vacuum: vacuumCommand }[sub as Subcommand];
      return await run(native, table, args, io);
    } catch (error) {
      if (error instanceof UsageError) return usageError(error.message, io);
      return reportNativeError(error, io);
    }
  },
};
