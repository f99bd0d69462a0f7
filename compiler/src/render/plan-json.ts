/**
 * `cpgc plan --json` / `cpgc show --json`: the Plan as a versioned JSON document following
 * schemas/plan.schema.json. Key order is fixed here (not taken from the plan object), so the output
 * is byte-stable for equal plans. The apply internals (`step`, `state`) are left out: they are the
 * plan file's business, and consumers should not come to depend on them.
 *
 * Versioning (PLAN_JSON_VERSION): a minor bump only adds keys — consumers must ignore keys they do
 * not know; a major bump breaks — consumers must refuse a major they do not know.
 */
import { PLAN_JSON_VERSION, type ChangeClass, type Pin, type Plan, type TablePlan, type VariableValue } from "../plan/model.js";
import { acts } from "./plan-view.js";

/** Classes that make `--detailed-exitcode` exit 3. */
const DANGEROUS: ReadonlySet<ChangeClass> = new Set(["destructive", "irreversible"]);

/**
 * What `cpgc plan --detailed-exitcode` exits with for this plan: 1 errors (apply refuses it),
 * 3 changes including destructive or irreversible ones, 2 other changes, 0 nothing to do.
 */
export function planJsonExitCode(plan: Plan): 0 | 1 | 2 | 3 {
  if (plan.errors.length > 0) return 1;
  const acting = plan.tables.filter(acts);
  if (acting.some((t) => DANGEROUS.has(t.class) || t.changes.some((c) => DANGEROUS.has(c.class)))) return 3;
  return acting.length > 0 ? 2 : 0;
}

const pinJson = (p: Pin) => (p.status === "absent" ? { status: p.status } : { status: p.status, table_id: p.table_id, version: p.version });

function tableJson(t: TablePlan) {
  return {
    name: t.name,
    address: `${t.kind}.${t.name}`,
    kind: t.kind,
    role: t.role,
    op: t.op,
    class: t.class,
    changes: t.changes.map((c) => ({
      kind: c.kind,
      class: c.class,
      reason: c.reason,
      attributes: (c.attributes ?? []).map((a) => ({ name: a.name, before: a.before, after: a.after })),
    })),
    schema_diff: t.schema_diff.map((d) => ({ column: d.column, change: d.change, before: d.before, after: d.after })),
    sql_diff: t.sql_diff === null ? null : { before: t.sql_diff.before, after: t.sql_diff.after },
    indirect: t.indirect === null ? null : t.indirect.map((i) => ({ table: i.table, columns: [...i.columns] })),
    dirty_columns: [...t.dirty_columns],
    pin: pinJson(t.pin),
    depends_on: [...t.depends_on],
    notes: [...t.notes],
    drift: t.drift === null ? null : t.drift.map((d) => ({ version: d.version, timestamp: d.timestamp, operation: d.operation, engine: d.engine })),
    unchanged_attributes: t.unchanged_attributes,
  };
}

export type PlanTableJson = ReturnType<typeof tableJson>;

export interface PlanJson {
  readonly format_version: typeof PLAN_JSON_VERSION;
  readonly plan_id: string;
  readonly plan_hash: string;
  readonly created_at: string;
  readonly cpgc_version: string;
  readonly project: string;
  readonly config_hash: string;
  readonly lake_root: string;
  readonly options: { allow_destructive: boolean; prune: boolean; refresh_only: boolean; targets: string[]; excludes: string[]; variables: Record<string, VariableValue> };
  readonly summary: { create: number; update: number; rematerialize: number; destroy: number; unchanged: number };
  readonly exit_code: 0 | 1 | 2 | 3;
  readonly views_table_pin: ReturnType<typeof pinJson>;
  readonly tables: PlanTableJson[];
  readonly errors: { table: string; code: string; message: string; hints: string[] }[];
  readonly warnings: string[];
}

export function planToJson(plan: Plan): PlanJson {
  const o = plan.options;
  const s = plan.summary;
  return {
    format_version: PLAN_JSON_VERSION,
    plan_id: plan.plan_id,
    plan_hash: plan.plan_hash,
    created_at: plan.created_at,
    cpgc_version: plan.cpgc_version,
    project: plan.project,
    config_hash: plan.config_hash,
    lake_root: plan.lake_root,
    options: { allow_destructive: o.allow_destructive, prune: o.prune, refresh_only: o.refresh_only, targets: [...o.targets], excludes: [...o.excludes], variables: { ...o.variables } },
    summary: { create: s.create, update: s.update, rematerialize: s.rematerialize, destroy: s.destroy, unchanged: s.unchanged },
    exit_code: planJsonExitCode(plan),
    views_table_pin: pinJson(plan.views_table_pin),
    tables: plan.tables.map(tableJson),
    errors: plan.errors.map((e) => ({ table: e.table, code: e.code, message: e.message, hints: [...e.hints] })),
    warnings: [...plan.warnings],
  };
}
