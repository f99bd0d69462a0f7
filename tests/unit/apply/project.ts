// A project on disk for the apply tests that need the whole path: config + spec files written to a
// temporary directory, compiled, observed, planned and applied through the library (no CLI).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { shippedFunctionCatalog } from "../../../compiler/src/cli/function-catalog.js";
import { compileProject, validateProject } from "../../../compiler/src/compile/index.js";
import { desiredState } from "../../../compiler/src/plan/desired.js";
import { planChanges } from "../../../compiler/src/plan/diff.js";
import type { ApplyReport, DesiredState, Plan } from "../../../compiler/src/plan/model.js";
import { registerDeltaView, type Database } from "../../../runtime-native/index.js";
import { applyPlan, type ApplyEvent } from "../../../runtime-native/ts/apply/execute.js";
import { observeLake } from "../../../runtime-native/ts/apply/observe.js";
import { tempProject } from "./helpers.js";

export const REPO = path.resolve(import.meta.dirname, "../../..");
const OPTIONS = { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [], variables: {} };
let planNo = 0;

export interface Project {
  readonly dir: string;
  readonly lake: string;
  /** Writes (or overwrites) a file of the project. */
  write(file: string, text: string): void;
  desired(variables?: Record<string, string>): Promise<DesiredState>;
  plan(d: DesiredState): Plan;
  apply(plan: Plan, d: DesiredState, events?: ApplyEvent[]): Promise<ApplyReport>;
  /** Plans and applies; returns both. */
  converge(variables?: Record<string, string>): Promise<{ plan: Plan; report: ApplyReport; events: ApplyEvent[] }>;
  /** A table's rows (sorted by the given SQL order). */
  rows(table: string, order: string): Record<string, unknown>[];
}

/** A project with `cpg.config.yaml` (lake at .cpg/lake) and the given spec files. */
export function project(db: Database, config: string, specs: Record<string, string>, options: { extractSpecs?: readonly string[] } = {}): Project {
  const { dir, lake } = tempProject();
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write("cpg.config.yaml", config);
  for (const [file, text] of Object.entries(specs)) write(file, text);
  for (const name of options.extractSpecs ?? []) cpSync(path.join(REPO, "specs", "extract", `${name}.yaml`), path.join(dir, "specs", "extract", `${name}.yaml`));
  const desired = async (variables: Record<string, string> = {}) => {
    const functions = shippedFunctionCatalog();
    const validated = await validateProject(path.join(dir, "cpg.config.yaml"), functions, { cwd: dir, variables });
    if (!validated.model) throw new Error(validated.diagnostics.map((d) => d.message).join("\n"));
    const compiled = compileProject(validated.model, functions, validated.sources);
    if (!compiled.manifest) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
    return desiredState(compiled.manifest, { configDir: validated.model.rootDir, lakeRoot: lake, variables: validated.model.variables });
  };
  const plan = (d: DesiredState) =>
    planChanges(d, observeLake(d, { db, digests: true, configDir: dir }), OPTIONS, { cpgc_version: "0.0.0-test", plan_id: `test-${++planNo}`, created_at: new Date().toISOString() });
  const apply = (p: Plan, d: DesiredState, events: ApplyEvent[] = []) => applyPlan(p, d, { db, configDir: dir, extractWorkers: 2, onEvent: (e) => events.push(e), record: false });
  return {
    dir,
    lake,
    write,
    desired,
    plan,
    apply,
    async converge(variables) {
      const d = await desired(variables);
      const p = plan(d);
      if (p.errors.length > 0) throw new Error(`plan errors: ${JSON.stringify(p.errors)}`);
      const events: ApplyEvent[] = [];
      const report = await apply(p, d, events);
      return { plan: p, report, events };
    },
    rows(table, order) {
      registerDeltaView(db, `__rows_${table}`, path.join(lake, table));
      return db.query(`SELECT * FROM "__rows_${table}" ORDER BY ${order}`).rows as Record<string, unknown>[];
    },
  };
}

/** The tables and logical views a plan acts on, `name:op`. */
export const acting = (p: Plan) => p.tables.filter((t) => t.op !== "noop").map((t) => `${t.name}:${t.op}`);

/** Rows as comparable JSON strings (bigint-safe), sorted. */
export function canonical(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).sort();
}

/** A project config whose tables all have the change data feed (what incremental views read). */
export function changeFeedConfig(project: string): string {
  return `version: 1
project: ${project}
specs: ["specs/**/*.yaml"]
lake: { root: .cpg/lake }
defaults:
  delta: { features: [changeDataFeed] }
`;
}
