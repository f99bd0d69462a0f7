import { availableParallelism, hostname, userInfo } from "node:os";

import type { ApplyReport, Plan } from "../../plan/model.js";
import { stalePins } from "../../plan/staleness.js";
import { NO_CHANGES } from "../../render/plan-view.js";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { extractLine, extractProgressLine, opSymbol, progressLine, runningLine, summaryLines } from "../apply-output.js";
import { parseDuration } from "../duration.js";
import { guard, MessageError, ReportedError } from "../errors.js";
import { EXIT, useColor, type Command, type CommandIO, type ExitCode } from "../io.js";
import { diagnostic, renderDiagnostic } from "../../diagnostics/index.js";
import { UsageError } from "../lake-root.js";
import { lockHeldMessage } from "../lake-lock.js";
import {
  colorFor,
  compileForPlan,
  CONFIG_OPTION,
  makePlan,
  NO_COLOR_OPTION,
  observe,
  openEngine,
  PLAN_SHAPE_OPTIONS,
  planHasChanges,
  planOptionsFromArgs,
  planShapeOptionsGiven,
  printPlanProblems,
  VAR_OPTION,
  type ProjectContext,
} from "../plan-context.js";
import { ask, canPrompt } from "../prompt.js";
import { cpgcVersion } from "../version.js";
import { readPlanFile, renderPlan } from "./plan.js";

type Database = import("../../../../runtime-native/index.js").Database;
type LakeLease = import("../../../../runtime-native/ts/apply/lock.js").LakeLease;

export const APPLY_JSON_VERSION = "1.0";

const spec: CommandSpec = {
  name: "apply",
  summary: "Make the lake match the specs: plan and apply, or apply a saved plan file.",
  usage: "cpgc apply [FILE] [-c FILE] [--auto-approve] [--lock-timeout DURATION] [--json] [--no-color] [plan options without FILE: --target NAME …, --exclude NAME …, --refresh-only, --allow-destructive, --prune, -var NAME=VALUE …]",
  positionals: ["FILE"],
  options: [
    CONFIG_OPTION,
    { name: "auto-approve", description: "Apply without asking (required when stdin is not a terminal and no plan FILE is given)." },
    { name: "lock-timeout", value: "DURATION", description: "How long to wait for the lake lock held by another run, e.g. 30s, 2m (default 0: fail at once)." },
    { name: "json", description: "Print the apply report as JSON (format_version 1.0) instead of text; needs FILE or --auto-approve." },
    ...PLAN_SHAPE_OPTIONS.filter((o) => o !== VAR_OPTION),
    VAR_OPTION,
    NO_COLOR_OPTION,
  ],
  details: [
    "Without FILE: validates and compiles the specs, takes the lake lock, plans, shows the plan and",
    "asks for approval (only 'yes' is accepted) — on a terminal; elsewhere pass --auto-approve.",
    "With FILE (from `cpgc plan -out FILE`): applies exactly that plan, without asking. The specs are",
    "recompiled and the lake re-read first; a stale plan — a pinned table moved, a table that was",
    "absent now exists, or the specs changed — is refused, naming each table and why.",
    "",
    "Each table action is one atomic Delta commit that also records the table's cpgc state; actions",
    "run in dependency order; expectations are checked before a commit, and a failure leaves that",
    "table at its previous version and skips what depends on it. Re-running apply finishes an",
    "interrupted or partly failed run. Every run is recorded in the lake's _cpgc_runs table (`cpgc runs`).",
    "",
    "The lake lock: one apply at a time per lake. A lock held by another run fails at once, or after",
    "--lock-timeout; the message names its owner and how to remove a dead run's lock (`cpgc force-unlock ID`).",
    "",
    "Exit codes: 0 applied (or nothing to do), 1 error, refused, cancelled or any action failed.",
  ].join("\n"),
};

function lockTimeoutMs(args: ParsedArgs): number {
  const raw = args.options.get("lock-timeout");
  if (raw === undefined) return 0;
  const ms = typeof raw === "string" ? parseDuration(raw) : null;
  if (ms === null) throw new UsageError(`invalid --lock-timeout '${String(raw)}': expected a duration such as 0, 30s, 2m or 1h`);
  return ms;
}

function lockOwner(file: string | undefined): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${hostname()}: cpgc apply${file ? ` ${file}` : ""}`;
}

async function acquireLock(lakeRoot: string, timeoutMs: number, owner: string, planId: string | null, io: CommandIO): Promise<LakeLease> {
  const lock = await import("../../../../runtime-native/ts/apply/lock.js");
  let told = false;
  const onWait = (holder: { owner: string; id: string }) => {
    if (told || !io.stderrIsTTY) return;
    told = true;
    io.stderr(`Waiting up to ${timeoutMs / 1000}s for the lake lock held by ${holder.owner} (lock ${holder.id})…`);
  };
  try {
    return await lock.acquireLakeLock(lakeRoot, { timeoutMs, owner, planId, onWait });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "LOCK_HELD") throw error;
    io.stderr(lockHeldMessage(error, lakeRoot, timeoutMs, lock.readLakeLock));
    throw new ReportedError();
  }
}

/** Refuses a saved plan that no longer describes the lake; names each table and why. */
function refuseStale(stale: readonly { table: string; reason: string }[], file: string, io: CommandIO): never {
  const width = Math.max(7, ...stale.map((s) => s.table.length));
  const color = useColor(io, "stderr");
  io.stderr(
    [
      renderDiagnostic(diagnostic("CPG1411", `the saved plan ${file} is stale: the lake or the specs changed since it was made`), { sources: new Map(), color }),
      ...stale.map((s) => `  ${(s.table === "" ? "(specs)" : s.table).padEnd(width)}  ${s.reason}`),
      `  ${color ? "\x1b[1;36m= hint:\x1b[0m" : "= hint:"} nothing was changed; make a new plan (\`cpgc plan -out FILE\`), review it and apply that`,
    ].join("\n"),
  );
  throw new ReportedError();
}

async function approve(io: CommandIO, lease: LakeLease): Promise<boolean> {
  io.stdout("\nDo you want to perform these actions?\n  cpgc will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n");
  // A person may take their time: keep the lease alive while waiting for the answer.
  const renew = setInterval(() => {
    try {
      lease.renew();
    } catch {
      // lost: applyPlan renews before each action and stops the run with LOCK_NOT_HELD
    }
  }, 10_000);
  try {
    const answer = await ask("  Enter a value: ");
    return answer === "yes";
  } finally {
    clearInterval(renew);
  }
}

interface Run {
  readonly ctx: ProjectContext;
  readonly db: Database;
  readonly lease: LakeLease;
}

/**
 * Runs the plan (the runtime's apply records the run in `_cpgc_runs`). One line per extractor run
 * and per table as it finishes; on a terminal the work in progress shows first (the extractor's
 * file count, the table being worked on), then its line replaces it. Extractors run with the
 * engine's threads as workers (engine.threads in the config, else the CPU count).
 */
async function execute(plan: Plan, run: Run, args: ParsedArgs, io: CommandIO): Promise<ApplyReport> {
  const { applyPlan } = await import("../../../../runtime-native/ts/apply/execute.js");
  const json = args.options.has("json");
  const color = colorFor(args, io, json ? "stderr" : "stdout");
  const out = json ? io.stderr : io.stdout;
  const live = !json && io.isTTY && process.stdout.isTTY ? (text: string) => process.stdout.write(text) : null;
  const acting = plan.tables.filter((t) => t.op !== "noop" && t.op !== "orphan");
  const layout = { name: Math.max(0, ...acting.map((t) => t.name.length)), symbol: Math.max(1, ...acting.map((t) => opSymbol(t.op).length)) };
  if (!json) io.stdout("");
  return applyPlan(plan, run.ctx.desired, {
    db: run.db,
    lease: run.lease,
    cpgcVersion: cpgcVersion(),
    configDir: run.ctx.model.rootDir,
    extractWorkers: run.ctx.model.config.engine?.threads ?? availableParallelism(),
    onEvent: (event) => {
      if (event.type === "extract-progress" && live) live(`\r\x1b[2K${extractProgressLine(event.extractor, event.done, event.total, color)}`);
      if (event.type === "extract-end") {
        if (live) live("\r\x1b[2K");
        out(extractLine(event.extractor, event.files, event.failed, event.duration_ms, color));
      }
      if (event.type === "action-start" && live) live(runningLine(event.table, event.op, layout, color));
      if (event.type === "action-end") {
        if (live) live("\r\x1b[2K");
        out(progressLine(event.result, layout, color));
      }
      if (event.type === "warning") io.stderr(`warning: ${event.table ? `${event.table}: ` : ""}${event.message}`);
    },
  });
}

function printReport(report: ApplyReport, args: ParsedArgs, io: CommandIO): ExitCode {
  const ok = report.status === "success" && report.actions.every((a) => a.outcome !== "failed" && a.outcome !== "skipped");
  if (args.options.has("json")) {
    io.stdout(JSON.stringify({ format_version: APPLY_JSON_VERSION, ...report }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
  } else {
    io.stdout(summaryLines(report, colorFor(args, io)).join("\n"));
  }
  return ok ? EXIT.ok : EXIT.error;
}

function printNoChanges(plan: Plan, args: ParsedArgs, io: CommandIO): ExitCode {
  if (args.options.has("json")) {
    const now = new Date().toISOString();
    io.stdout(JSON.stringify({ format_version: APPLY_JSON_VERSION, run_id: null, plan_id: plan.plan_id, started_at: now, ended_at: now, status: "success", actions: [], cleaned_files: 0 }, null, 2));
  } else {
    io.stdout(`\n${colorFor(args, io) ? `\x1b[32m${NO_CHANGES}\x1b[0m` : NO_CHANGES}`);
  }
  return EXIT.ok;
}

/**
 * A saved plan applies with the `-var` values it was planned with; `-var` beside it may only
 * repeat them (scripts that pass the same flags to plan and apply keep working).
 */
function checkVarsMatchPlan(args: ParsedArgs, saved: Plan, file: string): void {
  const given = planOptionsFromArgs(args).variables;
  const planned = saved.options.variables;
  for (const [name, value] of Object.entries(given)) {
    if (!(name in planned) || planned[name] !== value) {
      const was = name in planned ? `${name}=${String(planned[name])}` : `no -var ${name}`;
      throw new UsageError(`-var ${name}=${String(value)} differs from ${file}, which was planned with ${was}: a saved plan applies with the variables it was made with (drop -var, or plan again)`);
    }
  }
}

async function runApply(args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  const [file] = args.positionals;
  const autoApprove = args.options.has("auto-approve");
  const json = args.options.has("json");
  const timeoutMs = lockTimeoutMs(args);
  if (file !== undefined) {
    const given = planShapeOptionsGiven(args).filter((o) => o !== "var");
    if (given.length > 0) throw new UsageError(`--${given[0]} shapes a new plan; a saved plan FILE is applied as it was made`);
  } else if (!autoApprove && (json || !canPrompt(io))) {
    throw new MessageError(json ? "apply --json without a plan FILE needs --auto-approve" : "apply needs approval, and stdin is not a terminal to ask on", [
      "pass --auto-approve to apply what a fresh plan finds, or apply a reviewed plan: `cpgc plan -out plan.cpgc`, then `cpgc apply plan.cpgc`",
    ]);
  }
  const saved = file === undefined ? undefined : readPlanFile(file, io);
  if (saved) checkVarsMatchPlan(args, saved, file!);
  const ctx = await compileForPlan(args, io, saved?.options.variables);
  if (!ctx) return EXIT.error;
  if (saved && saved.lake_root !== ctx.lakeRoot) {
    throw new MessageError(`${file} was planned for the lake at ${saved.lake_root}; this config's lake is ${ctx.lakeRoot}`, ["apply it with the config it was made from (-c FILE)"]);
  }
  const db = await openEngine(ctx.model);
  let lease: LakeLease | undefined;
  try {
    lease = await acquireLock(ctx.lakeRoot, timeoutMs, lockOwner(file), saved?.plan_id ?? null, io);
    const observed = await observe(ctx, db, io);
    let plan: Plan;
    if (saved) {
      const stale = stalePins(saved, ctx.desired, observed);
      if (stale.length > 0) refuseStale(stale, file!, io);
      plan = saved;
    } else {
      plan = makePlan(ctx, observed, planOptionsFromArgs(args));
      if (!json) io.stdout(renderPlan(plan, "text", colorFor(args, io)));
    }
    if (printPlanProblems(plan, ctx.desired, io, json || saved !== undefined)) return EXIT.error;
    // A fresh plan printed in text already ends with "No changes."
    if (!planHasChanges(plan)) {
      const { cleanupOwnTables } = await import("../../../../runtime-native/ts/apply/execute.js");
      cleanupOwnTables(ctx.lakeRoot);
      return saved || json ? printNoChanges(plan, args, io) : EXIT.ok;
    }
    if (!saved && !autoApprove && !(await approve(io, lease))) {
      io.stderr("Apply cancelled: nothing was changed.");
      return EXIT.error;
    }
    const report = await execute(plan, { ctx, db, lease }, args, io);
    return printReport(report, args, io);
  } finally {
    try {
      lease?.release();
    } finally {
      db.close();
    }
  }
}

export const applyCommand: Command = {
  spec,
  run: (args, io) => guard(spec, io, () => runApply(args, io)),
};
