/**
 * The policy lane driver: sanitize → parse → transforms (profile order) → [bind] → canonicalize →
 * normalize predicates → fingerprint. Each step is a named pure function (tree, profile) →
 * { tree, diagnostics }; the driver only runs the list (`laneSteps`) and collects diagnostics.
 *
 * The binder (qualify + stars + types, policy/bind) slots in through `hooks.bind` between the
 * transforms and canonicalize; `hooks.steps` may rewrite the whole list (tests, tools).
 * A step's error diagnostics stop the lane (later steps assume their prerequisites held).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import { parseQuery, printSql, type Query, type TextRange } from "../sql/index.js";
import { canonicalize } from "./canonicalize/index.js";
import { normalizePredicates } from "./cnf.js";
import { astFingerprint } from "./fingerprint.js";
import { policyHash, type PolicyProfile } from "./profile.js";
import { renderTemplate, type RenderedSql, type TemplateValue } from "./sanitize.js";
import { passDiagnostic, TRANSFORMS, type PassDiagnostic, type PassResult } from "./transforms/index.js";

/** One step of the lane. */
export interface LaneStep {
  readonly name: string;
  readonly run: (query: Query, profile: PolicyProfile) => PassResult;
}

export interface LaneHooks {
  /** The binder step (qualify, expand stars, annotate types), run after the transforms. */
  readonly bind?: LaneStep["run"];
  /** Rewrites the step list (e.g. to insert a step); gets the default list. */
  readonly steps?: (steps: readonly LaneStep[]) => readonly LaneStep[];
  /** When given, the result carries policy_hash(profile, functionCatalogHash). */
  readonly functionCatalogHash?: string;
  /** The query already parsed from this text's rendering (the spec loader parses every view once). */
  readonly parsed?: Query;
}

/** A lane diagnostic: offsets into the text as written (before template rendering). */
export type LaneDiagnostic = PassDiagnostic;

export interface LaneResult {
  readonly ok: boolean;
  /** The canonical tree (null when sanitize or parse failed). */
  readonly ast: Query | null;
  /** The canonical tree printed in the duckdb dialect (what the engine executes). */
  readonly canonicalSql: string | null;
  readonly astFingerprint: string | null;
  readonly policyHash?: string;
  /** The template variables the text used, sorted. */
  readonly variables: readonly string[];
  readonly diagnostics: readonly LaneDiagnostic[];
}

/** A step that reports nothing (shared: most steps of most runs say nothing). */
const NONE: readonly PassDiagnostic[] = Object.freeze([]);
const done = (query: Query): PassResult => ({ query, diagnostics: NONE });

/** The profile's steps before and after the binder (made once per profile: profiles are readonly data). */
interface ProfileSteps {
  readonly transforms: readonly LaneStep[];
  readonly tail: readonly LaneStep[];
  /** transforms then tail: the whole list when there is no binder. */
  readonly all: readonly LaneStep[];
}

const PROFILE_STEPS = new WeakMap<PolicyProfile, ProfileSteps>();

function profileSteps(profile: PolicyProfile): ProfileSteps {
  let s = PROFILE_STEPS.get(profile);
  if (!s) {
    const transforms = profile.transforms.map((name): LaneStep => ({ name, run: TRANSFORMS[name] }));
    const tail: LaneStep[] = [
      { name: "canonicalize", run: (q, p) => done(canonicalize(q, p)) },
      { name: "normalize_predicates", run: (q, p) => done(normalizePredicates(q, { maxDistance: p.normalize_predicates.max_distance })) },
    ];
    s = { transforms: Object.freeze(transforms), tail: Object.freeze(tail), all: Object.freeze([...transforms, ...tail]) };
    PROFILE_STEPS.set(profile, s);
  }
  return s;
}

/** The steps after parsing, in order, for `profile`. */
export function laneSteps(profile: PolicyProfile, hooks: LaneHooks = {}): readonly LaneStep[] {
  const s = profileSteps(profile);
  const steps = hooks.bind ? [...s.transforms, { name: "bind", run: hooks.bind }, ...s.tail] : s.all;
  return hooks.steps ? hooks.steps(steps) : steps;
}

const anyError = (ds: readonly { readonly diagnostic: Diagnostic }[]): boolean => ds.some((d) => d.diagnostic.severity === "error");

/** A run of steps: the tree so far, what the steps said, and whether one stopped the lane. */
interface Run {
  query: Query;
  readonly diagnostics: PassDiagnostic[];
  stopped: boolean;
}

function runStep(run: Run, name: string, step: LaneStep["run"], profile: PolicyProfile): void {
  let r: PassResult;
  try {
    r = step(run.query, profile);
  } catch (e) {
    run.diagnostics.push(passDiagnostic("CPG1303", `policy lane step ${name} failed: ${(e as Error).message}`, null, "error"));
    run.stopped = true;
    return;
  }
  run.query = r.query;
  if (r.diagnostics.length === 0) return;
  run.diagnostics.push(...r.diagnostics);
  if (anyError(r.diagnostics)) run.stopped = true;
}

function runAll(run: Run, steps: readonly LaneStep[], profile: PolicyProfile): void {
  for (let i = 0; i < steps.length && !run.stopped; i++) runStep(run, steps[i]!.name, steps[i]!.run, profile);
}

/** Runs the steps on a parsed tree (no sanitize/parse): the canonical tree and the diagnostics. */
export function runSteps(query: Query, profile: PolicyProfile, steps: readonly LaneStep[]): PassResult {
  const run: Run = { query, diagnostics: [], stopped: false };
  runAll(run, steps, profile);
  return { query: run.query, diagnostics: run.diagnostics };
}

/** The profile's steps with the hooks' binder, without building the list (the lane runs once per view). */
function runLaneSteps(query: Query, profile: PolicyProfile, hooks: LaneHooks): Run {
  const run: Run = { query, diagnostics: [], stopped: false };
  if (hooks.steps) {
    runAll(run, laneSteps(profile, hooks), profile);
    return run;
  }
  const s = profileSteps(profile);
  runAll(run, s.transforms, profile);
  if (hooks.bind && !run.stopped) runStep(run, "bind", hooks.bind, profile);
  runAll(run, s.tail, profile);
  return run;
}

type Located = readonly { readonly diagnostic: Diagnostic; readonly range: TextRange }[];

/** Diagnostics with offsets into the rendered text, moved to the text as written. */
function relocate(ds: Located, rendered: RenderedSql): LaneDiagnostic[] {
  return ds.map((d) => ({ diagnostic: d.diagnostic, range: { start: rendered.toOriginal(d.range.start), end: rendered.toOriginal(d.range.end) } }));
}

function result(ok: boolean, ast: Query | null, canonicalSql: string | null, astFingerprint: string | null, policyHash: string | undefined, variables: readonly string[], diagnostics: readonly LaneDiagnostic[]): LaneResult {
  return policyHash === undefined
    ? { ok, ast, canonicalSql, astFingerprint, variables, diagnostics }
    : { ok, ast, canonicalSql, astFingerprint, policyHash, variables, diagnostics };
}

/** The whole lane on a view's SQL text. Never throws on user input. */
export function runLane(sqlText: string, profile: PolicyProfile, variables: Readonly<Record<string, TemplateValue>> = {}, hooks: LaneHooks = {}): LaneResult {
  const hash = hooks.functionCatalogHash !== undefined ? policyHash(profile, hooks.functionCatalogHash) : undefined;
  const rendered = renderTemplate(sqlText, variables);
  if (rendered.diagnostics.length > 0) return result(false, null, null, null, hash, rendered.used, rendered.diagnostics);
  const parsed = hooks.parsed ? { ok: true as const, ast: hooks.parsed, diagnostics: NONE } : parseQuery(rendered.text, { dialect: profile.dialect });
  if (!parsed.ok) return result(false, null, null, null, hash, rendered.used, relocate(parsed.diagnostics, rendered));
  const lane = runLaneSteps(parsed.ast, profile, hooks);
  const printed = printSql(lane.query, "duckdb");
  const diagnostics =
    parsed.diagnostics.length + lane.diagnostics.length + printed.diagnostics.length === 0
      ? NONE
      : [...relocate(parsed.diagnostics, rendered), ...relocate(lane.diagnostics, rendered), ...relocate(printed.diagnostics, rendered)];
  return result(!anyError(diagnostics), lane.query, printed.sql, astFingerprint(lane.query), hash, rendered.used, diagnostics);
}
