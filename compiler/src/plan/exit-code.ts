/**
 * `--detailed-exitcode`: 0 nothing to do, 2 changes, 3 changes that include a destructive or
 * irreversible one (1, errors, is the CLI's: it checks plan.errors first). A listed orphan or
 * a table with only cosmetic drift is not a change. Under --refresh-only, drift found is the
 * change (2), since that is what the run looks for.
 */
import type { Plan } from "./model.js";

export function planExitCode(plan: Plan): 0 | 2 | 3 {
  const acting = plan.tables.filter((t) => t.op !== "noop" && t.op !== "orphan");
  if (acting.some((t) => t.class === "destructive" || t.class === "irreversible" || t.changes.some((c) => c.class === "destructive" || c.class === "irreversible"))) return 3;
  if (acting.length > 0) return 2;
  if (plan.options.refresh_only && plan.tables.some((t) => (t.drift !== null && t.drift.length > 0) || t.changes.some((c) => c.kind === "drift"))) return 2;
  return 0;
}
