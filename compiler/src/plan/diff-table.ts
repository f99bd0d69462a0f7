/**
 * One Delta table's plan (roles source, extract, managed, table, incremental): create it when
 * absent, else combine the schema, properties/features, writer and data diffs into one step —
 * one atomic commit: `alter` (metadata) and `write` (rows) together, plus the state to record.
 *
 * Op: create (absent) · replace (a destructive schema change or new partitioning: -/+) ·
 * rematerialize (a view's rows are recomputed) · update (anything else that commits) · noop.
 * Others' commits (drift) are restored for tables cpgc computes (source, extract, table, incremental) and
 * only shown for managed tables, whose rows others write by design.
 */
import { propertiesDiff, writerDiff } from "./diff-properties.js";
import { managedData, sourceData, viewData, type DataOutcome, type Restore } from "./diff-data.js";
import { extractData } from "./diff-extract.js";
import { schemaDiff } from "./diff-schema.js";
import { allDirty, CLEAN, type Dirt } from "./impact.js";
import type { Change, DesiredTable, ObservedState, ObservedTable, PlanError, PlanOptions, TablePlan, TableStep } from "./model.js";
import { driftReason, pinOf, recordedState, strongestClass, type RecordContext } from "./table-plan.js";

type Present = Extract<ObservedTable, { status: "present" }>;

export interface TableOutcome {
  readonly plan: TablePlan;
  readonly dirt: Dirt;
  readonly errors: readonly PlanError[];
  readonly warnings: readonly string[];
}

export interface TableContext extends RecordContext {
  readonly observed: ObservedState;
  readonly options: PlanOptions;
  /** The plans of the tables planned before this one (its inputs among them). */
  readonly planned?: (name: string) => TablePlan | undefined;
}

function base(t: DesiredTable, obs: ObservedTable | undefined): TablePlan {
  return {
    name: t.name,
    kind: t.kind,
    role: t.role,
    op: "noop",
    class: "cosmetic",
    changes: [],
    schema_diff: [],
    sql_diff: null,
    indirect: null,
    dirty_columns: [],
    pin: pinOf(obs),
    depends_on: [...t.inputs],
    step: {},
    state: null,
    drift: obs?.status === "present" ? obs.drift : null,
    notes: [...t.notes],
    unchanged_attributes: 0,
  };
}

export function planDeltaTable(t: DesiredTable, ctx: TableContext): TableOutcome {
  const obs = ctx.observed.tables[t.name];
  const plain = base(t, obs);
  const own = t.errors ?? [];
  if (obs === undefined) {
    return { plan: plain, dirt: CLEAN, errors: [...own, { code: "CPG1408", message: `the lake was not observed for ${t.name}`, hints: ["this is a bug in cpgc: please report it"] }], warnings: [] };
  }
  if (obs.status === "unreadable") {
    return { plan: plain, dirt: CLEAN, errors: [...own, { code: "CPG1400", message: `the table cannot be read: ${obs.error.message} (${obs.error.code})`, hints: ["inspect it with `cpgc table show`; cpgc plans nothing for a table it cannot read"] }], warnings: [] };
  }
  if (t.role === "extract" && t.extract === undefined) return { plan: plain, dirt: CLEAN, errors: own, warnings: [] }; // how it gets rows is unknown: its CPG1404 errors say why
  const unregister: Change[] = ctx.observed.logical_views[t.name] !== undefined ? [{ kind: "register", class: "metadata-only", reason: "no longer a logical view: removed from _cpgc_views" }] : [];
  return obs.status === "absent" ? create(t, plain, ctx, own, unregister) : update(t, obs, plain, ctx, own, unregister);
}

function create(t: DesiredTable, plain: TablePlan, ctx: TableContext, own: readonly PlanError[], extra: readonly Change[]): TableOutcome {
  const restore: Restore = { kind: "create", reason: "the table does not exist" };
  const data = dataOf(t, null, null, restore, ctx);
  const changes: Change[] = [{ kind: "create", class: "non-breaking", reason: "the table does not exist" }, ...data.changes, ...extra];
  const step: TableStep = {
    create: { schema: t.delta_schema, partition_columns: t.partition_by, properties: t.properties, features: t.features },
    ...(data.write ? { write: data.write } : {}),
    ...data.step,
    checkpoint: true,
  };
  const dirt = allDirty(t);
  return {
    plan: {
      ...plain,
      op: "create",
      class: strongestClass(changes),
      changes,
      schema_diff: t.columns.map((c) => ({ column: c.name, change: "added", before: null, after: `${c.type}${c.nullable ? "" : " not null"}` })),
      sql_diff: data.sql_diff,
      dirty_columns: [...dirt.columns],
      step,
      state: recordedState(t, undefined, data.write !== undefined, ctx),
      notes: [...plain.notes, ...(data.notes ?? [])],
    },
    dirt,
    errors: [...own, ...data.errors],
    warnings: [],
  };
}

const REBUILT = new Set(["source", "extract", "table", "incremental"]);

function update(t: DesiredTable, obs: Present, plain: TablePlan, ctx: TableContext, own: readonly PlanError[], extra: readonly Change[]): TableOutcome {
  const changes: Change[] = [];
  let restore: Restore | null = null;
  if (obs.state === null) {
    restore = { kind: "adopt", reason: "the table has no cpgc state (another tool or an older cpgc made it)" };
    changes.push({ kind: "drift", class: REBUILT.has(t.role) ? "non-breaking" : "metadata-only", reason: `${restore.reason}: cpgc adopts it` });
  } else if (obs.drift === null || obs.drift.length > 0) {
    const reason = obs.drift === null ? "the log no longer reaches cpgc's last commit: other writers may have changed the table" : driftReason(obs.drift);
    if (REBUILT.has(t.role)) restore = { kind: "drift", reason: "others' commits are undone" };
    changes.push({ kind: "drift", class: REBUILT.has(t.role) ? "non-breaking" : "cosmetic", reason: REBUILT.has(t.role) ? `${reason}; the table is rebuilt from its spec` : `${reason} (a managed table: shown only)` });
  }
  if (!REBUILT.has(t.role)) restore = null;
  const schema = schemaDiff(t, obs, ctx.options);
  const props = propertiesDiff(t, obs);
  const writer = writerDiff(t, obs);
  const data = dataOf(t, obs, schema, restore, ctx);
  if (obs.state !== null && rewritesAppendOnly(obs, data) && props.unset.includes(APPEND_ONLY)) return liftAppendOnlyFirst(t, obs, plain, props, data, own);
  changes.push(...schema.changes, ...props.changes, ...(writer ? [writer] : []), ...data.changes, ...extra);
  const errors = [...own, ...schema.errors, ...data.errors, ...appendOnlyErrors(t, obs, data, props.unset)];
  const unchanged = schema.unchanged + props.unchanged;
  const commits = changes.some((c) => c.class !== "cosmetic");
  if (!commits) return { plan: { ...plain, changes, unchanged_attributes: unchanged }, dirt: CLEAN, errors, warnings: props.warnings };

  const schemaChanged = schema.diffs.length > 0;
  const alter: NonNullable<TableStep["alter"]> = {
    ...(schemaChanged ? { schema: { fields: t.delta_schema, renames: schema.renames } } : {}),
    ...(schema.partitionChanged ? { partition_columns: t.partition_by } : {}),
    ...(Object.keys(props.set).length > 0 ? { set_properties: props.set } : {}),
    ...(props.unset.length > 0 ? { unset_properties: props.unset } : {}),
    ...(props.features.length > 0 ? { features: props.features } : {}),
  };
  const write = data.write;
  const step: TableStep = {
    ...(Object.keys(alter).length > 0 ? { alter } : {}),
    ...(write ? { write } : {}),
    ...data.step,
    checkpoint: true,
    ...(write?.mode === "overwrite" || write?.mode === "replaceWhere" ? { vacuum: true } : {}),
  };
  const op = schema.destructive || schema.partitionChanged ? "replace" : write && t.kind === "view" ? "rematerialize" : "update";
  const dirt = data.dirt;
  return {
    plan: {
      ...plain,
      op,
      class: strongestClass(changes),
      changes,
      schema_diff: schema.diffs,
      sql_diff: data.sql_diff,
      indirect: data.hits.length > 0 ? data.hits : null,
      dirty_columns: t.columns.map((c) => c.name).filter((c) => dirt.columns.has(c)),
      step,
      state: recordedState(t, obs, write !== undefined, ctx, data.record_source === true),
      unchanged_attributes: unchanged,
      notes: [...plain.notes, ...(data.notes ?? [])],
      ...(data.changed_keys !== undefined ? { changed_keys: data.changed_keys } : {}),
    },
    dirt,
    errors,
    warnings: props.warnings,
  };
}

const APPEND_ONLY = "delta.appendOnly";

/** Whether the write would remove files from a table that is append-only at the version read. */
function rewritesAppendOnly(obs: Present, data: DataOutcome): boolean {
  return obs.properties[APPEND_ONLY] === "true" && data.write !== undefined && data.write.mode !== "append";
}

/**
 * Delta refuses a commit that removes files from an append-only table, so a plan that would
 * rewrite the rows of a table that stays append-only is refused here rather than failing at
 * apply.
 */
function appendOnlyErrors(t: DesiredTable, obs: Present, data: DataOutcome, unset: readonly string[]): PlanError[] {
  if (!rewritesAppendOnly(obs, data) || unset.includes(APPEND_ONLY)) return [];
  const why = data.changes.find((c) => c.kind !== "drift")?.reason ?? data.changes[0]?.reason ?? "its rows are rewritten";
  return [
    {
      code: "CPG1413",
      message: `${t.name} is append-only (delta.appendOnly = true), and the plan would rewrite its rows (${why}): Delta refuses removing files from it`,
      hints: ["to rewrite it anyway, remove `appendOnly` from its features and apply (that lifts delta.appendOnly), then apply again"],
    },
  ];
}

/**
 * The version read governs (even the commit that lifts delta.appendOnly may not remove files),
 * so when the spec drops `appendOnly` and the rows must be rewritten too, this apply only
 * commits the property change and records the previous state with the new properties; the next
 * plan sees the table as it then is and plans the rest (schema, rows), with nothing lost or
 * skipped. One commit per action, as everywhere.
 */
function liftAppendOnlyFirst(t: DesiredTable, obs: Present, plain: TablePlan, props: ReturnType<typeof propertiesDiff>, data: DataOutcome, own: readonly PlanError[]): TableOutcome {
  const reasons = data.changes.map((c) => c.reason).join("; ");
  const alter: NonNullable<TableStep["alter"]> = {
    ...(Object.keys(props.set).length > 0 ? { set_properties: props.set } : {}),
    unset_properties: props.unset,
    ...(props.features.length > 0 ? { features: props.features } : {}),
  };
  return {
    plan: {
      ...plain,
      op: "update",
      class: strongestClass(props.changes),
      changes: props.changes,
      step: { alter, checkpoint: true },
      state: { ...obs.state!, properties: { ...t.properties } },
      unchanged_attributes: props.unchanged,
      notes: [...plain.notes, `the rest (${reasons}) is planned after this apply: it lifts delta.appendOnly first, since Delta refuses removing files in the commit that lifts it`],
    },
    dirt: CLEAN,
    errors: [...own, ...data.errors],
    warnings: props.warnings,
  };
}

function dataOf(t: DesiredTable, obs: Present | null, schema: ReturnType<typeof schemaDiff> | null, restore: Restore | null, ctx: TableContext): DataOutcome {
  switch (t.role) {
    case "source":
      return sourceData(t, obs, ctx.observed.sources[t.name], schema, restore);
    case "extract":
      return extractData(t, obs, ctx.observed.sources[t.name], restore);
    case "table":
    case "incremental":
      return viewData(t, obs, schema, restore, { dirt: ctx.dirt, byName: ctx.byName, observed: ctx.observed, ...(ctx.planned !== undefined ? { planned: ctx.planned } : {}) });
    default:
      return managedData(schema);
  }
}
