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
import { renderTemplate, type TemplateValue } from "./sanitize.js";
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

const done = (query: Query): PassResult => ({ query, diagnostics: [] });

/** The steps after parsing, in order, for `profile`. */
export function laneSteps(profile: PolicyProfile, hooks: LaneHooks = {}): readonly LaneStep[] {
  const steps: LaneStep[] = profile.transforms.map((name) => ({ name, run: TRANSFORMS[name] }));
  if (hooks.bind) steps.push({ name: "bind", run: hooks.bind });
  steps.push({ name: "canonicalize", run: (q, p) => done(canonicalize(q, { dialect: p.dialect })) });
  steps.push({ name: "normalize_predicates", run: (q, p) => done(normalizePredicates(q, { maxDistance: p.normalize_predicates.max_distance })) });
  return hooks.steps ? hooks.steps(steps) : steps;
}

const anyError = (ds: readonly { readonly diagnostic: Diagnostic }[]): boolean => ds.some((d) => d.diagnostic.severity === "error");

/** Runs the steps on a parsed tree (no sanitize/parse): the canonical tree and the diagnostics. */
export function runSteps(query: Query, profile: PolicyProfile, steps: readonly LaneStep[]): PassResult {
  const diagnostics: PassDiagnostic[] = [];
  let q = query;
  for (const step of steps) {
    let r: PassResult;
    try {
      r = step.run(q, profile);
    } catch (e) {
      diagnostics.push(passDiagnostic("CPG1303", `policy lane step ${step.name} failed: ${(e as Error).message}`, null, "error"));
      return { query: q, diagnostics };
    }
    q = r.query;
    if (r.diagnostics.length === 0) continue;
    diagnostics.push(...r.diagnostics);
    if (anyError(r.diagnostics)) break;
  }
  return { query: q, diagnostics };
}

/** The whole lane on a view's SQL text. Never throws on user input. */
export function runLane(sqlText: string, profile: PolicyProfile, variables: Readonly<Record<string, TemplateValue>> = {}, hooks: LaneHooks = {}): LaneResult {
  const hash = hooks.functionCatalogHash !== undefined ? { policyHash: policyHash(profile, hooks.functionCatalogHash) } : {};
  const rendered = renderTemplate(sqlText, variables);
  const fail = (diagnostics: readonly LaneDiagnostic[]): LaneResult => ({ ok: false, ast: null, canonicalSql: null, astFingerprint: null, ...hash, variables: rendered.used, diagnostics });
  if (rendered.diagnostics.length > 0) return fail(rendered.diagnostics);
  const back = (r: TextRange): TextRange => ({ start: rendered.toOriginal(r.start), end: rendered.toOriginal(r.end) });
  const relocate = (ds: readonly { readonly diagnostic: Diagnostic; readonly range: TextRange }[]) => (ds.length === 0 ? [] : ds.map((d) => ({ diagnostic: d.diagnostic, range: back(d.range) })));
  const parsed = hooks.parsed ? { ok: true as const, ast: hooks.parsed, diagnostics: [] } : parseQuery(rendered.text, { dialect: profile.dialect });
  if (!parsed.ok) return fail(relocate(parsed.diagnostics));
  const lane = runSteps(parsed.ast, profile, laneSteps(profile, hooks));
  const printed = printSql(lane.query, "duckdb");
  const diagnostics = parsed.diagnostics.length + lane.diagnostics.length + printed.diagnostics.length === 0 ? [] : [...relocate(parsed.diagnostics), ...relocate(lane.diagnostics), ...relocate(printed.diagnostics)];
  const ok = !anyError(diagnostics);
  return {
    ok,
    ast: lane.query,
    canonicalSql: printed.sql,
    astFingerprint: astFingerprint(lane.query),
    ...hash,
    variables: rendered.used,
    diagnostics,
  };
}
