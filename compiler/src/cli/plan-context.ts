/**
 * What `plan` and `apply` share: compile the project (diagnostics exactly as `validate` prints
 * them), turn the manifest into the desired state, open the engine the config describes, observe
 * the lake and plan. The only module that wires the compiler to the runtime's observation.
 */
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";

import { compileProject, validateProject, type Manifest } from "../compile/index.js";
import { didYouMean, displayPath, hasErrors, sortDiagnostics } from "../diagnostics/index.js";
import { desiredState } from "../plan/desired.js";
import { planChanges } from "../plan/diff.js";
import { planExitCode } from "../plan/exit-code.js";
import type { DesiredState, ObservedState, Plan, PlanOptions, VariableValue } from "../plan/model.js";
import type { SpecModel } from "../spec/index.js";
import type { OptionSpec, ParsedArgs } from "./args.js";
import { checkCachePath, openCheckCache, saveCheckCache } from "./check-cache-file.js";
import { shippedFunctionCatalog } from "./function-catalog.js";
import { useColor, type CommandIO } from "./io.js";
import { MessageError } from "./errors.js";
import { DEFAULT_CONFIG, UsageError } from "./lake-root.js";
import { countLine, printDiagnostics } from "./report.js";
import { parseVarFlags } from "./vars.js";
import { cpgcVersion } from "./version.js";

type Database = import("../../../runtime-native/index.js").Database;

export const CONFIG_OPTION: OptionSpec = { name: "config", short: "c", value: "FILE", description: "Project config file (default ./cpg.config.yaml)." };
export const VAR_OPTION: OptionSpec = { name: "var", value: "NAME=VALUE", repeatable: true, description: "Set a variable for view SQL, over the config's `variables` (repeatable)." };
export const NO_COLOR_OPTION: OptionSpec = { name: "no-color", description: "No colors, even on a terminal." };

/** The options that shape a plan; `apply` without a plan file takes them too. */
export const PLAN_SHAPE_OPTIONS: readonly OptionSpec[] = [
  { name: "target", value: "NAME", repeatable: true, description: "Plan only this table and the ancestors it needs (repeatable)." },
  { name: "exclude", value: "NAME", repeatable: true, description: "Leave this table (and what needs it) out of the plan (repeatable)." },
  { name: "refresh-only", description: "Only report drift (commits cpgc did not make); change nothing else." },
  { name: "allow-destructive", description: "Allow actions that drop columns or data (schema mode overwrite)." },
  { name: "prune", description: "Destroy orphans: Delta tables under the lake root that no spec names." },
  VAR_OPTION,
];

export function planOptionsFromArgs(args: ParsedArgs): PlanOptions {
  const vars = parseVarFlags(args.repeated.get("var") ?? []);
  if (!vars.ok) throw new UsageError(vars.error);
  return {
    variables: vars.variables,
    allow_destructive: args.options.has("allow-destructive"),
    prune: args.options.has("prune"),
    refresh_only: args.options.has("refresh-only"),
    targets: [...(args.repeated.get("target") ?? [])],
    excludes: [...(args.repeated.get("exclude") ?? [])],
  };
}

/** Options of PLAN_SHAPE_OPTIONS given on the command line (for "only without a plan file"). */
export function planShapeOptionsGiven(args: ParsedArgs): string[] {
  return PLAN_SHAPE_OPTIONS.map((o) => o.name).filter((n) => args.options.has(n));
}

export function colorFor(args: ParsedArgs, io: CommandIO, stream: "stdout" | "stderr" = "stdout"): boolean {
  return !args.options.has("no-color") && useColor(io, stream);
}

export interface ProjectContext {
  readonly configPath: string;
  readonly model: SpecModel;
  readonly manifest: Manifest;
  readonly desired: DesiredState;
  readonly lakeRoot: string;
}

/**
 * Validates and compiles the project, then builds the desired state. Diagnostics go to stderr
 * exactly as `cpgc validate` prints them (warnings too); returns null when there are errors.
 */
export async function compileForPlan(
  args: Pick<ParsedArgs, "options" | "repeated">,
  io: CommandIO,
  /** The variables of a saved plan, instead of the command line's `-var`. */
  savedVariables?: Readonly<Record<string, VariableValue>>,
): Promise<ProjectContext | null> {
  const configPath = (args.options.get("config") as string | undefined) ?? DEFAULT_CONFIG;
  const vars = savedVariables ? { ok: true as const, variables: { ...savedVariables } } : parseVarFlags(args.repeated.get("var") ?? []);
  if (!vars.ok) throw new UsageError(vars.error);
  const functions = shippedFunctionCatalog();
  const cachePath = checkCachePath(io.cwd, configPath);
  const cache = openCheckCache(cachePath, functions);
  const validated = await validateProject(configPath, functions, { cwd: io.cwd, variables: vars.variables, cache });
  if (validated.model) saveCheckCache(cachePath, cache);
  printDiagnostics(validated.diagnostics, validated.sources, io);
  const color = useColor(io, "stderr");
  const invalid = (diags: typeof validated.diagnostics) => {
    io.stderr(`${color ? "\x1b[1;31m✗\x1b[0m" : "✗"} invalid: ${countLine(diags)}`);
    return null;
  };
  if (!validated.model || hasErrors(validated.diagnostics)) return invalid(validated.diagnostics);
  const model = validated.model;
  const compiled = compileProject(model, functions, validated.sources);
  if (hasErrors(compiled.diagnostics) || !compiled.manifest) {
    // Validation already printed the warnings; only what compiling adds is new.
    const errors = sortDiagnostics(compiled.diagnostics.filter((d) => d.severity === "error"));
    printDiagnostics(errors, validated.sources, io);
    return invalid(errors);
  }
  const root = model.config.lake?.root;
  if (root === undefined) throw new UsageError(`${configPath} sets no lake.root; add \`lake: { root: .cpg/lake }\``);
  const lakeRoot = resolve(model.rootDir, root);
  const desired = desiredState(compiled.manifest, { configDir: model.rootDir, lakeRoot, variables: model.variables });
  return { configPath, model, manifest: compiled.manifest, desired, lakeRoot };
}

/** --target / --exclude must name a table of the project or of the lake (orphans, recorded logical views). */
function checkTableNames(options: PlanOptions, desired: DesiredState, observed: ObservedState): void {
  const names = [...new Set([...desired.tables.map((t) => t.name), ...observed.orphans.map((o) => o.name), ...Object.keys(observed.logical_views)])];
  for (const [option, given] of [["target", options.targets], ["exclude", options.excludes]] as const) {
    for (const name of given) {
      if (names.includes(name)) continue;
      const hint = didYouMean(name, names);
      throw new MessageError(`--${option} '${name}' names no dataset or view of the project and no table of the lake`, [hint ?? `the tables: ${names.join(", ")}`], "CPG1407");
    }
  }
}

/** Opens the embedded engine with the config's engine settings (threads, memory limit, spill directory). */
export async function openEngine(model: SpecModel): Promise<Database> {
  const native = await import("../../../runtime-native/index.js");
  const engine = model.config.engine ?? {};
  const db = native.openDatabase({
    ...(engine.threads !== undefined ? { threads: engine.threads } : {}),
    ...(engine.memory_limit !== undefined ? { memoryLimit: engine.memory_limit.replace(/\s+/g, "") } : {}),
  });
  if (engine.temp_directory !== undefined) {
    const dir = resolve(model.rootDir, engine.temp_directory);
    try {
      db.query(`SET temp_directory = '${dir.replace(/'/g, "''")}'`);
    } catch (error) {
      db.close();
      throw error;
    }
  }
  return db;
}

/** Projects with this many tables announce the read before it starts (on a terminal). */
const ANNOUNCE_TABLES = 20;

/**
 * Reads the lake (synchronously: the runtime's reads block). On a terminal, stderr says what is
 * going on when the read is likely long (many tables) and how long it took when it was; stdout
 * stays the plan, and nothing is printed elsewhere. Sources whose files changed get their column
 * digests (the rest cost nothing), so the plan rematerializes only the views that read a column
 * whose values changed.
 */
export async function observe(ctx: ProjectContext, db: Database, io: CommandIO): Promise<ObservedState> {
  const { observeLake } = await import("../../../runtime-native/ts/apply/observe.js");
  const tables = ctx.desired.tables.filter((t) => t.role !== "view").length;
  const what = `${tables} table${tables === 1 ? "" : "s"} under ${displayPath(io.cwd, ctx.lakeRoot)}`;
  const started = Date.now();
  if (io.stderrIsTTY && tables >= ANNOUNCE_TABLES) io.stderr(`Reading the lake: ${what}…`);
  const observed = observeLake(ctx.desired, { db, configDir: ctx.model.rootDir, digests: true });
  const seconds = (Date.now() - started) / 1000;
  if (io.stderrIsTTY && (tables >= ANNOUNCE_TABLES || seconds >= 1)) io.stderr(`Read ${what} in ${seconds.toFixed(1)}s.`);
  return observed;
}

export function makePlan(ctx: ProjectContext, observed: ObservedState, options: PlanOptions): Plan {
  checkTableNames(options, ctx.desired, observed);
  return planChanges(ctx.desired, observed, options, { cpgc_version: cpgcVersion(), plan_id: randomUUID(), created_at: new Date().toISOString() });
}

/** Whether the plan changes anything (the same test as `--detailed-exitcode`'s 0). */
export function planHasChanges(plan: Plan): boolean {
  return planExitCode(plan) !== 0;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/**
 * Reports the plan's errors on stderr; returns whether there were any. The text rendering on stdout
 * already shows them in full, so `full: false` prints only the closing line (with the codes);
 * with JSON or markdown on stdout, stderr gets each one as a diagnostic (code, table, where the
 * table is defined, hints) and the warnings.
 */
export function printPlanProblems(plan: Plan, desired: DesiredState, io: CommandIO, full: boolean): boolean {
  const color = useColor(io, "stderr");
  if (full) {
    for (const w of plan.warnings) io.stderr(`${paint(color, "1;33", "warning")}${paint(color, "1", `: ${w}`)}`);
    for (const e of plan.errors) {
      const at = desired.tables.find((t) => t.name === e.table)?.defined_at;
      const lines = [`${paint(color, "1;31", `error[${e.code}]`)}${paint(color, "1", `: ${e.table === "" ? "" : `${e.table}: `}${e.message}`)}`];
      if (at) lines.push(`  ${paint(color, "1;34", "-->")} ${at}`);
      for (const h of e.hints) lines.push(`  ${paint(color, "1;36", "= hint:")} ${h}`);
      io.stderr(`${lines.join("\n")}\n`);
    }
  }
  if (plan.errors.length > 0) {
    const n = plan.errors.length;
    const codes = [...new Set(plan.errors.map((e) => e.code))].join(", ");
    io.stderr(`${paint(color, "1;31", "✗")} the plan cannot be applied: ${n} error${n === 1 ? "" : "s"} (${codes})`);
  }
  return plan.errors.length > 0;
}
