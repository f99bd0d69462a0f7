/**
 * planChanges: DesiredState × ObservedState × options → Plan. Pure and deterministic (the caller
 * gives the id and the clock).
 *
 * Tables are planned in dependency order so each one sees the dirt its inputs' actions cause
 * (impact.ts); a table left out of the plan (--exclude, not a --target nor an ancestor of one,
 * --refresh-only) passes no dirt on. Then logical views no spec declares (unregistered) and
 * orphans (listed; destroyed with --prune). Every desired Delta table and orphan is pinned at the
 * version seen, logical views at `_cpgc_views`' version; a saved plan is refused when a pin moved.
 * Errors do not stop planning: the plan shows everything, and is unappliable while it has errors.
 */
import { planCaches } from "./cache.js";
import { planDeltaTable } from "./diff-table.js";
import { planLogicalView, planOrphan, planUnregister } from "./diff-lake.js";
import { CLEAN, withAncestors, type Dirt } from "./impact.js";
import { PLAN_FILE_FORMAT, type DesiredState, type ObservedState, type Plan, type PlanOptions, type PlanSummary, type TablePlan } from "./model.js";
import { computePlanHash } from "./plan-file.js";
import { driftOnly, leaveAlone, viewsTablePin } from "./table-plan.js";

export interface PlanMeta {
  readonly cpgc_version: string;
  readonly plan_id: string;
  readonly created_at: string;
}

type PlanErrorEntry = Plan["errors"][number];

/** Errors about what the lake holds stay under --refresh-only; errors about changes do not apply. */
const OBSERVATION_ERRORS = new Set(["CPG1400", "CPG1405", "CPG1408"]);

export function planChanges(desired: DesiredState, observed: ObservedState, options: PlanOptions, meta: PlanMeta): Plan {
  const byNameMap = new Map(desired.tables.map((t) => [t.name, t]));
  const byName = (n: string) => byNameMap.get(n);
  const errors: PlanErrorEntry[] = [];
  const warnings: string[] = [];
  const viewsPin = viewsTablePin(observed);

  const known = new Set([...byNameMap.keys(), ...observed.orphans.map((o) => o.name), ...Object.keys(observed.logical_views)]);
  for (const [flag, names] of [["--target", options.targets], ["--exclude", options.excludes]] as const) {
    for (const n of names) if (!known.has(n)) errors.push({ table: n, code: "CPG1407", message: `${flag} ${n}: no dataset, view or orphan of this lake has that name`, hints: [] });
  }
  const targeted = options.targets.length > 0 ? withAncestors(options.targets.filter((n) => byNameMap.has(n)), byName) : null;
  const excluded = new Set(options.excludes);
  const leftOut = (name: string): string | null =>
    excluded.has(name) ? "excluded (--exclude)" : targeted !== null && !targeted.has(name) && !options.targets.includes(name) ? "not a --target nor needed by one" : null;

  const dirt = new Map<string, Dirt>();
  const planned = new Map<string, TablePlan>();
  let tables: TablePlan[] = [];
  for (const t of desired.tables) {
    const ctx = { observed, options, byName, dirt: (n: string) => dirt.get(n), planned: (n: string) => planned.get(n) };
    const outcome = t.role === "view" ? { ...planLogicalView(t, observed, ctx.dirt, (n) => byName(n)?.unique_key ?? [], viewsPin), errors: t.errors ?? [], warnings: [] } : planDeltaTable(t, ctx);
    let plan = outcome.plan;
    let passed = outcome.dirt;
    let errs = outcome.errors;
    const why = leftOut(t.name);
    if (why !== null) {
      plan = leaveAlone(plan, why);
      passed = CLEAN;
      errs = [];
    } else if (options.refresh_only) {
      plan = driftOnly(plan);
      passed = CLEAN;
      errs = errs.filter((e) => OBSERVATION_ERRORS.has(e.code));
    }
    dirt.set(t.name, passed);
    planned.set(t.name, plan);
    tables.push(plan);
    errors.push(...errs.map((e) => ({ table: t.name, ...e })));
    warnings.push(...outcome.warnings);
  }

  if (!options.refresh_only) tables = planCaches(tables, byName);

  for (const name of Object.keys(observed.logical_views).sort()) {
    if (byNameMap.has(name)) continue; // still declared (as a logical view, or now a Delta table that unregisters it)
    const plan = planUnregister(name, viewsPin);
    const why = leftOut(name);
    tables.push(why !== null ? leaveAlone(plan, why) : options.refresh_only ? driftOnly(plan) : plan);
  }

  for (const o of [...observed.orphans].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (byName(o.name)?.role === "view") {
      warnings.push(`${o.name}: a Delta table is left in the lake from when ${o.name} was materialized; it is now a logical view of the same name, so cpgc does not remove the table: delete ${o.path} by hand`);
      tables.push(planOrphan(o, false));
      continue;
    }
    const destroy = options.prune && !options.refresh_only && leftOut(o.name) === null;
    tables.push(planOrphan(o, destroy));
  }

  const body: Omit<Plan, "plan_hash"> = {
    format_version: PLAN_FILE_FORMAT,
    cpgc_version: meta.cpgc_version,
    plan_id: meta.plan_id,
    created_at: meta.created_at,
    project: desired.project,
    config_hash: desired.config_hash,
    lake_root: desired.lake_root,
    options,
    tables,
    views_table_pin: viewsPin,
    summary: summarize(tables),
    errors,
    warnings,
  };
  return { ...body, plan_hash: computePlanHash({ ...body, plan_hash: "" }) };
}

/** Counts ops: replace and register count as updates; listed orphans count nowhere. */
export function summarize(tables: readonly TablePlan[]): PlanSummary {
  const n = (...ops: TablePlan["op"][]) => tables.filter((t) => ops.includes(t.op)).length;
  return { create: n("create"), update: n("update", "replace", "register"), rematerialize: n("rematerialize"), destroy: n("destroy"), unchanged: n("noop") };
}
