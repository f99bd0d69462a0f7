import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

import { planExitCode } from "../../plan/exit-code.js";
import type { Plan } from "../../plan/model.js";
import { decodePlan, encodePlan, PlanFileError } from "../../plan/plan-file.js";
import { planToJson } from "../../render/plan-json.js";
import { renderPlanMarkdown } from "../../render/plan-markdown.js";
import { renderPlanText } from "../../render/plan-text.js";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { guard, MessageError, ReportedError } from "../errors.js";
import { EXIT, type Command, type CommandIO } from "../io.js";
import { DEFAULT_CONFIG, UsageError } from "../lake-root.js";
import { colorFor, compileForPlan, CONFIG_OPTION, makePlan, NO_COLOR_OPTION, observe, openEngine, PLAN_SHAPE_OPTIONS, planOptionsFromArgs, printPlanProblems } from "../plan-context.js";

const spec: CommandSpec = {
  name: "plan",
  summary: "Show what apply would change to make the lake match the specs (the reviewable diff).",
  usage: "cpgc plan [-c FILE] [-out FILE] [--json | --markdown] [--detailed-exitcode] [--target NAME …] [--exclude NAME …] [--refresh-only] [--allow-destructive] [--prune] [-var NAME=VALUE …] [--no-color]",
  positionals: [],
  options: [
    CONFIG_OPTION,
    { name: "out", short: "o", value: "FILE", description: "Save the plan (msgpack, with the table versions it saw) for `cpgc apply FILE`." },
    { name: "json", description: "Print the plan as JSON (schemas/plan.schema.json, format_version 1.0) instead of text." },
    { name: "markdown", description: "Print the plan as markdown for a pull-request comment (plan hash, a section per table, a Mermaid graph)." },
    { name: "detailed-exitcode", description: "Exit 2 when there are changes, 3 when they include destructive or irreversible ones." },
    ...PLAN_SHAPE_OPTIONS,
    NO_COLOR_OPTION,
  ],
  details: [
    "Validates and compiles the specs (errors print as `cpgc validate` prints them), reads every table",
    "of the lake (lake.root in the config), and lists the actions apply would take, each with its",
    "reasons and change class: + create, ~ update, -/+ replace, ⟳ rematerialize, - destroy.",
    "Nothing is written to the lake; the plan ends with one summary line.",
    "",
    "Single-dash spellings work as in terraform: -out FILE, -var NAME=VALUE.",
    "",
    "Exit codes: 0 success (with --detailed-exitcode: no changes), 1 error,",
    "2 changes present, 3 changes that include destructive or irreversible actions (the last two",
    "only with --detailed-exitcode; otherwise a successful plan exits 0).",
    "JSON output: a minor format_version bump only adds keys; a major bump breaks consumers.",
  ].join("\n"),
};

export type PlanFormat = "text" | "json" | "markdown";

export function planFormat(args: ParsedArgs): PlanFormat {
  if (args.options.has("json") && args.options.has("markdown")) throw new UsageError("give --json or --markdown, not both");
  return args.options.has("json") ? "json" : args.options.has("markdown") ? "markdown" : "text";
}

/** The plan as the chosen format renders it (text colored only when `color`). */
export function renderPlan(plan: Plan, format: PlanFormat, color: boolean): string {
  if (format === "json") return JSON.stringify(planToJson(plan), null, 2);
  if (format === "markdown") return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color });
}

/** Writes the plan file atomically (a reader never sees half a plan). */
export function savePlan(plan: Plan, path: string): void {
  const bytes = encodePlan(plan);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    throw new UsageError(`cannot write the plan to ${path}: ${(error as Error).message}`);
  }
}

/** Reads and decodes a saved plan; a missing, foreign, damaged or newer file is a clear error. */
export function readPlanFile(file: string, io: CommandIO): Plan {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(resolve(io.cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MessageError(code === "ENOENT" ? `plan file not found: ${file}` : `cannot read the plan file ${file}: ${(error as Error).message}`, [], "CPG1410");
  }
  try {
    return decodePlan(bytes);
  } catch (error) {
    if (error instanceof PlanFileError) throw new MessageError(`${file}: ${error.message}`, ["make a new plan with `cpgc plan -out FILE`"], "CPG1410");
    throw error;
  }
}

/** The `cpgc apply …` line that applies a saved plan (with -c when the config is not the default). */
export function applyHint(args: ParsedArgs, file: string): string {
  const config = args.options.get("config");
  const quote = (s: string) => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return `cpgc apply${typeof config === "string" && config !== DEFAULT_CONFIG ? ` -c ${quote(config)}` : ""} ${quote(file)}`;
}

async function runPlan(args: ParsedArgs, io: CommandIO) {
  const format = planFormat(args);
  const out = args.options.get("out");
  if (out === true || out === "") throw new UsageError("-out needs a FILE");
  const ctx = await compileForPlan(args, io);
  if (!ctx) return EXIT.error;
  const db = await openEngine(ctx.model);
  let plan: Plan;
  try {
    plan = makePlan(ctx, await observe(ctx, db, io), planOptionsFromArgs(args));
  } finally {
    db.close();
  }
  const color = colorFor(args, io);
  io.stdout(renderPlan(plan, format, color));
  if (printPlanProblems(plan, ctx.desired, io, format !== "text")) throw new ReportedError();
  if (typeof out === "string") {
    savePlan(plan, resolve(io.cwd, out));
    const note = (text: string) => (format === "text" ? io.stdout(text) : io.stderr(text));
    note(`\nSaved the plan to: ${out}\n\nTo perform exactly these actions, run:\n    ${applyHint(args, out)}`);
  }
  return args.options.has("detailed-exitcode") ? planExitCode(plan) : EXIT.ok;
}

export const planCommand: Command = {
  spec,
  run: (args, io) => guard(spec, io, () => runPlan(args, io)),
};
