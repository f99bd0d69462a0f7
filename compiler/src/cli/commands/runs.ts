import type { CommandSpec, ParsedArgs } from "../args.js";
import { guard } from "../errors.js";
import { EXIT, type Command, type CommandIO, type ExitCode } from "../io.js";
import { DEFAULT_CONFIG, lakeRootFromConfig, UsageError } from "../lake-root.js";
import { CONFIG_OPTION } from "../plan-context.js";

type RunRecord = import("../../../../runtime-native/ts/apply/runs.js").RunRecord;

export const RUNS_JSON_VERSION = "1.0";

const spec: CommandSpec = {
  name: "runs",
  summary: "List the applies recorded in the lake's _cpgc_runs table, newest first.",
  usage: "cpgc runs [-c FILE] [--limit N] [--json]",
  positionals: [],
  options: [
    CONFIG_OPTION,
    { name: "limit", value: "N", description: "At most N runs (default 20; 0 for all)." },
    { name: "json", description: "Print the runs as JSON (format_version 1.0), every action with its outcome, versions and rows." },
  ],
  details: [
    "Every apply records a run: its id, the plan it applied, start and end, status (success,",
    "partial, failed) and per table the outcome, the versions read and written, rows written.",
    "The lake is lake.root of the config (relative to the config file); an empty lake has no runs.",
    "Exit codes: 0 listed, 1 error.",
  ].join("\n"),
};

function limitOf(args: ParsedArgs): number | undefined {
  const raw = args.options.get("limit");
  if (raw === undefined) return 20;
  if (typeof raw !== "string" || !/^\d+$/.test(raw)) throw new UsageError(`--limit needs a non-negative integer, got '${String(raw)}'`);
  return raw === "0" ? undefined : Number(raw);
}

function duration(start: string, end: string | null | undefined): string {
  if (!end) return "-";
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms)) return "-";
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 60_000)}m`;
}

/** "3 committed, 1 failed" over the run's actions, outcomes in a fixed order. */
function outcomes(run: RunRecord): string {
  const counts = new Map<string, number>();
  for (const a of run.actions) counts.set(a.outcome, (counts.get(a.outcome) ?? 0) + 1);
  const order = ["committed", "already-applied", "registered", "destroyed", "unchanged", "failed", "skipped"];
  const parts = order.filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${o}`);
  return parts.length > 0 ? parts.join(", ") : "no actions";
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd());
}

async function runRuns(args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  const limit = limitOf(args);
  const lakeRoot = lakeRootFromConfig((args.options.get("config") as string | undefined) ?? DEFAULT_CONFIG, io.cwd);
  const { readRuns } = await import("../../../../runtime-native/ts/apply/runs.js");
  const runs = readRuns(lakeRoot, limit === undefined ? {} : { limit });
  if (args.options.has("json")) {
    io.stdout(JSON.stringify({ format_version: RUNS_JSON_VERSION, lake_root: lakeRoot, runs }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
    return EXIT.ok;
  }
  if (runs.length === 0) {
    io.stdout(`No runs recorded in ${lakeRoot} yet.`);
    return EXIT.ok;
  }
  const rows = runs.map((r) => [r.run_id, r.started_at, duration(r.started_at, r.ended_at), r.status, r.plan_id, outcomes(r)]);
  io.stdout(table([["RUN", "STARTED", "DURATION", "STATUS", "PLAN", "ACTIONS"], ...rows]).join("\n"));
  return EXIT.ok;
}

export const runsCommand: Command = {
  spec,
  run: (args, io) => guard(spec, io, () => runRuns(args, io)),
};
