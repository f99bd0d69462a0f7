/**
 * Whether a saved plan still describes the lake: every pin must hold. A plan is stale when the
 * specs changed (config hash), a pinned table moved, was replaced (another table id), vanished,
 * or appeared where the plan saw none, or `_cpgc_views` moved. A table whose latest commit
 * carries this plan's txn (`cpgc:<plan_id>`) is not stale but resumable: an interrupted apply of
 * this very plan committed it, and apply skips it. Apply checks the pins again at each commit;
 * this check is for refusing early, with every reason at once.
 */
import { TXN_APP_PREFIX, type DesiredState, type ObservedState, type ObservedTable, type Pin, type Plan } from "./model.js";

export interface StalePin {
  /** The table, `_cpgc_views`, or "" for the configuration. */
  readonly table: string;
  readonly reason: string;
}

export function stalePins(plan: Plan, desired: DesiredState, observed: ObservedState): StalePin[] {
  const out: StalePin[] = [];
  if (plan.config_hash !== desired.config_hash) out.push({ table: "", reason: "the specs or config changed since the plan was made" });
  const appId = `${TXN_APP_PREFIX}${plan.plan_id}`;
  const orphans = new Map(observed.orphans.map((o) => [o.name, o]));
  for (const tp of plan.tables) {
    if (tp.role === "view") continue; // pinned through _cpgc_views
    if (tp.kind === "orphan") {
      if (tp.op !== "destroy") continue;
      const o = orphans.get(tp.name);
      if (o === undefined) continue; // already gone: nothing left to destroy
      const r = moved(tp.pin, presentLike(o.name, o.table_id ?? "", o.version ?? -1), appId);
      if (r) out.push({ table: tp.name, reason: r });
      continue;
    }
    const now = observed.tables[tp.name];
    if (now === undefined) continue; // not in the lake's observation: the table left the specs (config hash says so)
    const r = moved(tp.pin, now, appId);
    if (r) out.push({ table: tp.name, reason: r });
  }
  const views = observed.views_table_version;
  const pin = plan.views_table_pin;
  if (pin.status === "absent" && views !== null) out.push({ table: "_cpgc_views", reason: `logical views were registered since the plan (_cpgc_views is at version ${views})` });
  if (pin.status === "present" && views === null) out.push({ table: "_cpgc_views", reason: "_cpgc_views vanished since the plan" });
  if (pin.status === "present" && views !== null && views !== pin.version) out.push({ table: "_cpgc_views", reason: `logical views changed since the plan (_cpgc_views moved from version ${pin.version} to ${views})` });
  return out;
}

function presentLike(name: string, table_id: string, version: number): ObservedTable {
  return { name, status: "present", table_id, version, schema: [], partition_columns: [], properties: {}, features: [], protocol: { min_reader_version: 1, min_writer_version: 2 }, state: null, drift: [], num_files: 0, num_records: null };
}

function moved(pin: Pin, now: ObservedTable, appId: string): string | null {
  if (now.status === "unreadable") return `the table cannot be read any more: ${now.error.message}`;
  const resumable = now.status === "present" && now.latest_txn?.app_id === appId;
  if (pin.status === "absent") {
    if (now.status === "absent" || resumable) return null;
    return `the table was absent when planned and now exists (version ${now.version})`;
  }
  if (now.status === "absent") return `the table was at version ${pin.version} when planned and is now absent`;
  if (resumable) return null;
  if (pin.table_id !== "" && now.table_id !== pin.table_id) return `the table was replaced by another one (table id ${now.table_id}, planned ${pin.table_id})`;
  if (now.version !== pin.version) return `the table moved from version ${pin.version} to ${now.version} since the plan`;
  return null;
}
