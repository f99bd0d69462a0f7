/**
 * The parts of the plan that are not one desired Delta table: logical views (registered in
 * `_cpgc_views`, never written), logical views no spec declares any more (unregistered), and
 * orphans (Delta tables under the lake root that no spec names: listed, destroyed with --prune).
 */
import { allDirty, mergeDirt, propagate, type Dirt } from "./impact.js";
import type { Change, DesiredTable, ObservedState, Pin, TablePlan } from "./model.js";
import { strongestClass } from "./table-plan.js";

function plain(name: string, kind: TablePlan["kind"], role: TablePlan["role"], pin: Pin): TablePlan {
  return {
    name,
    kind,
    role,
    op: "noop",
    class: "cosmetic",
    changes: [],
    schema_diff: [],
    sql_diff: null,
    indirect: null,
    dirty_columns: [],
    pin,
    depends_on: [],
    step: {},
    state: null,
    drift: null,
    notes: [],
    unchanged_attributes: 0,
  };
}

/**
 * A logical view: registered when `_cpgc_views` has no row for it or a different fingerprint,
 * policy hash or SQL. Its dirt passes its inputs' through (readers of a logical view read its
 * inputs), plus every column when its own query changed.
 */
export function planLogicalView(
  t: DesiredTable,
  observed: ObservedState,
  inputs: (name: string) => Dirt | undefined,
  keyOf: (name: string) => readonly string[],
  pin: Pin,
): { plan: TablePlan; dirt: Dirt } {
  const recorded = observed.logical_views[t.name];
  const sql = t.sql ?? "";
  const through = propagate(t, inputs, keyOf).dirt;
  const p = { ...plain(t.name, "view", "view", pin), depends_on: [...t.inputs], notes: [...t.notes] };
  let change: Change | null = null;
  if (recorded === undefined) change = { kind: "register", class: "non-breaking", reason: "the logical view is not registered yet" };
  else if (recorded.ast_fingerprint !== t.ast_fingerprint) change = { kind: "register", class: "breaking", reason: "query changed (ast_fingerprint): the view is registered again" };
  else if (recorded.policy_hash !== t.policy_hash) change = { kind: "register", class: "non-breaking", reason: "policy_hash changed: the view is registered again" };
  else if (recorded.sql !== sql) change = { kind: "register", class: "cosmetic", reason: "the canonical SQL text changed (same fingerprint): the view is registered again" };
  if (change === null) return { plan: { ...p, unchanged_attributes: 3 }, dirt: through };
  const dirt = change.class === "cosmetic" ? through : mergeDirt(through, allDirty(t));
  return {
    plan: {
      ...p,
      op: "register",
      class: change.class,
      changes: [change],
      sql_diff: { before: recorded?.sql ?? null, after: sql },
      dirty_columns: t.columns.map((c) => c.name).filter((c) => dirt.columns.has(c)),
      step: { register: { sql } },
    },
    dirt,
  };
}

/** A logical view recorded in `_cpgc_views` that no spec declares: unregistered (no data is stored). */
export function planUnregister(name: string, pin: Pin): TablePlan {
  const changes: Change[] = [{ kind: "destroy", class: "breaking", reason: "no spec declares this logical view any more: it is unregistered (it stores no data)" }];
  return { ...plain(name, "view", "view", pin), op: "destroy", class: strongestClass(changes), changes, step: { destroy: true } };
}

export function planOrphan(o: ObservedState["orphans"][number], destroy: boolean): TablePlan {
  const pin: Pin = { status: "present", table_id: o.table_id ?? "", version: o.version ?? -1 };
  const base = plain(o.name, "orphan", "orphan", pin);
  if (!destroy) return { ...base, op: "orphan", notes: [`a Delta table at ${o.path} that no spec names; \`cpgc plan --prune\` destroys it`] };
  const changes: Change[] = [{ kind: "destroy", class: "destructive", reason: "no spec names this table (--prune): its directory and data are removed" }];
  return { ...base, op: "destroy", class: "destructive", changes, step: { destroy: true } };
}
