/**
 * The data part of a table's diff: whether its rows must be (re)written, why, from what, and which
 * columns that may change.
 *
 * - source: loaded when the table is new, has no cpgc state, its source fingerprint differs from
 *   the one recorded (the reason names the files), its schema gained or retyped columns (they
 *   must be read from the files), its partitioning changed, or others wrote to it (drift).
 *   Dirty columns: those whose source digest differs from the recorded one (all when either side
 *   has none or another engine computed them).
 * - table / incremental views: materialized when new or without state, when ast_fingerprint or
 *   policy_hash changed (semantic diff: only new output columns → non-breaking, those dirty;
 *   else breaking, all dirty), when an input column they read is dirty (indirect), when an
 *   earlier apply left them behind their inputs (catch-up: recorded input digests, or versions
 *   for inputs without digests), or to restore drift. A table view with `incremental.key` whose
 *   inputs changed (its own query and schema unchanged) is recomputed in full and written as the
 *   difference: a replaceWhere of the keys whose rows differ (`step.incremental.difference`), so
 *   its change feed — what incremental readers refresh by — names only those keys.
 * - managed: rows are never written, except rewritten from the table itself when the schema
 *   change needs it (widening without typeWidening, drops without column mapping, partitioning).
 */
import { semanticDiff, type DiffableView } from "../artifacts/semantic-diff.js";
import type { QueryLineage } from "../policy/bind/index.js";
import { keyPushdown } from "./key-pushdown.js";
import { allDirty, CLEAN, deltaReads, isClean, mergeDirt, propagate, type Dirt, type Hit } from "./impact.js";
import { compareDigests, ROW_DIGEST } from "./digests.js";
import type { Change, DesiredTable, ObservedSource, ObservedState, ObservedTable, PlanError, TablePlan, TableState, TableStep } from "./model.js";
import type { SchemaOutcome } from "./diff-schema.js";

type Present = Extract<ObservedTable, { status: "present" }>;

export interface DataOutcome {
  readonly changes: readonly Change[];
  readonly write: TableStep["write"] | undefined;
  readonly dirt: Dirt;
  readonly hits: readonly Hit[];
  readonly sql_diff: { readonly before: string | null; readonly after: string } | null;
  readonly errors: readonly PlanError[];
  /** A source whose files changed but not its rows: the commit records the files seen (no write). */
  readonly record_source?: boolean;
  /** Parts of the step only some roles have (extract files, the incremental refresh). */
  readonly step?: Pick<TableStep, "extract" | "incremental">;
  readonly changed_keys?: NonNullable<TablePlan["changed_keys"]>;
  readonly notes?: readonly string[];
}

const NOTHING: DataOutcome = { changes: [], write: undefined, dirt: CLEAN, hits: [], sql_diff: null, errors: [] };

/** Why the table's rows must be restored wholesale, if they must (absent, no state, drift). */
export interface Restore {
  readonly reason: string;
  readonly kind: "create" | "adopt" | "drift";
}

// ─── Sources ────────────────────────────────────────────────────────────────────────────────────

export function sourceData(t: DesiredTable, obs: Present | null, src: ObservedSource | undefined, schema: SchemaOutcome | null, restore: Restore | null): DataOutcome {
  if (src === undefined) return { ...NOTHING, errors: [{ code: "CPG1408", message: `the source of ${t.name} was not observed`, hints: ["this is a bug in cpgc: please report it"] }] };
  if (src.error !== null) {
    return { ...NOTHING, errors: [{ code: "CPG1405", message: `source ${t.source?.pattern ?? ""} cannot be read: ${src.error.message} (${src.error.code})`, hints: ["source paths are relative to the config file's directory"] }] };
  }
  const state = obs?.state ?? null;
  const changes: Change[] = [];
  let dirt: Dirt = CLEAN;
  /** The source's files changed, its rows did not (digests): the new files are recorded, nothing loaded. */
  let sameRows = false;
  const what = t.source?.format === "delta" ? `Delta table ${t.source.pattern}` : `${src.files.length} file${src.files.length === 1 ? "" : "s"} matching ${t.source?.pattern ?? "?"}`;
  if (restore !== null) {
    changes.push({ kind: "load", class: "non-breaking", reason: restore.kind === "create" ? `load ${what}` : `${restore.reason}: load ${what} again` });
    dirt = allDirty(t);
  } else if (state !== null && state.source_fingerprint !== src.fingerprint) {
    sameRows = provesSameRows(t, state, src);
    if (!sameRows) {
      changes.push({ kind: "load", class: "non-breaking", reason: changedFiles(state, src, t) });
      dirt = sourceDirt(t, state, src);
    }
  }
  if (schema !== null && (schema.dirty.length > 0 || schema.partitionChanged || schema.rewrite) && changes.length === 0) {
    changes.push({ kind: "load", class: "non-breaking", reason: `the schema changed: ${what} loaded again` });
  }
  if (schema !== null) dirt = mergeDirt(dirt, { columns: new Set(schema.dirty), rows: false });
  if (changes.length === 0) {
    if (!sameRows || state === null) return NOTHING;
    return { ...NOTHING, changes: [{ kind: "load", class: "metadata-only", reason: `${changedFiles(state, src, t)} — the same rows (by digest): the files are recorded, nothing is loaded` }], record_source: true };
  }
  return {
    ...NOTHING,
    changes,
    dirt,
    write: { mode: "overwrite", from: { kind: "source", source: t.source!, files: src.files.map((f) => f.path) } },
  };
}

/** Whether the digests prove the source's rows (as the declared columns, renames followed) those the table holds. */
function provesSameRows(t: DesiredTable, state: TableState, src: ObservedSource): boolean {
  if (src.digest_engine === null || src.digest_engine !== state.digest_engine) return false;
  const renamed = Object.fromEntries(t.columns.flatMap((c) => (c.renamed_from !== undefined ? [[c.name, c.renamed_from]] : [])));
  return compareDigests(state.digests, src.digests, t.columns.map((c) => c.name), renamed).kind === "same";
}

/** Columns whose digest changed (sound only with a unique key, see digests.ts); all (and the rows) when nothing localizes the change. */
function sourceDirt(t: DesiredTable, state: TableState, src: ObservedSource): Dirt {
  if (src.digest_engine === null || src.digest_engine !== state.digest_engine) return allDirty(t);
  const renamed = Object.fromEntries(t.columns.flatMap((c) => (c.renamed_from !== undefined ? [[c.name, c.renamed_from]] : [])));
  const compared = compareDigests(state.digests, src.digests, t.columns.map((c) => c.name), renamed);
  switch (compared.kind) {
    case "same":
      return CLEAN;
    case "columns":
      return { columns: new Set(compared.columns), rows: false };
    default:
      return allDirty(t);
  }
}

/** "source changed: data/a.ndjson modified, data/b.ndjson added" — as precise as the recorded state allows. */
function changedFiles(state: TableState, src: ObservedSource, t: DesiredTable): string {
  const before = state.source_files;
  if (before === undefined) return `source changed (${src.files.length} file${src.files.length === 1 ? "" : "s"} matching ${t.source?.pattern ?? "?"})`;
  const old = new Map(before.map((f) => [f.path, f.sha256]));
  const now = new Map(src.files.map((f) => [f.path, f.sha256]));
  const parts: string[] = [];
  for (const f of src.files) {
    const sha = old.get(f.path);
    if (sha === undefined) parts.push(`${f.path} added`);
    else if (sha !== f.sha256) parts.push(`${f.path} modified`);
  }
  for (const f of before) if (!now.has(f.path)) parts.push(`${f.path} removed`);
  if (parts.length === 0) return "source settings changed (format, options or declared columns)";
  const shown = parts.slice(0, 5).join(", ");
  return `source changed: ${shown}${parts.length > 5 ? ` and ${parts.length - 5} more` : ""}`;
}

// ─── Views written as tables ────────────────────────────────────────────────────────────────────

export interface ViewInputs {
  /** Dirt the plan gives each table (logical views: passed through). */
  readonly dirt: (name: string) => Dirt | undefined;
  readonly byName: (name: string) => DesiredTable | undefined;
  readonly observed: ObservedState;
  /** The plan of each table planned so far (inputs come first). */
  readonly planned?: (name: string) => TablePlan | undefined;
}

export function viewData(t: DesiredTable, obs: Present | null, schema: SchemaOutcome | null, restore: Restore | null, inputs: ViewInputs): DataOutcome {
  const state = obs?.state ?? null;
  const write: TableStep["write"] = { mode: "overwrite", from: { kind: "sql", sql: t.sql ?? "" } };
  const sqlAfter = t.sql ?? "";
  if (restore !== null) {
    const reason = restore.kind === "create" ? "materialize the query" : `${restore.reason}: materialized again`;
    return { ...NOTHING, changes: [{ kind: "materialize", class: "non-breaking", reason: restore.kind === "create" ? reason : inFull(t, reason) }], write, dirt: allDirty(t), sql_diff: restore.kind === "drift" ? null : { before: state?.sql ?? null, after: sqlAfter } };
  }
  const changes: Change[] = [];
  let dirt: Dirt = CLEAN;
  let sql_diff: DataOutcome["sql_diff"] = null;
  if (state !== null && (state.ast_fingerprint !== t.ast_fingerprint || state.policy_hash !== t.policy_hash)) {
    const own = ownChange(t, state);
    changes.push({ ...own.change, reason: inFull(t, own.change.reason) });
    dirt = own.dirt;
    if (state.sql !== t.sql) sql_diff = { before: state.sql, after: sqlAfter };
  }
  const catchUp = state === null ? new Map<string, Dirt>() : staleInputs(t, state, inputs);
  const effective = (name: string): Dirt | undefined => {
    const planned = inputs.dirt(name);
    const input = inputs.byName(name);
    const late = input?.role === "view" ? propagate(input, (n) => lateDirt(n, catchUp, inputs), keyOf(inputs)).dirt : catchUp.get(name);
    return late === undefined ? planned : mergeDirt(planned ?? CLEAN, late);
  };
  const impact = propagate(t, effective, keyOf(inputs));
  if (impact.hits.length > 0) {
    dirt = mergeDirt(dirt, impact.dirt);
    if (changes.length === 0) {
      const late = [...catchUp.keys()].filter((k) => !isClean(catchUp.get(k)!));
      // An input whose rows changed dirties all it has: name the table, not every column.
      const cols = impact.hits.map((h) => (effective(h.table)?.rows ? `${h.table} (rows)` : `${h.table}.${h.columns.join(`, ${h.table}.`)}`)).join(", ");
      const reason = late.length > 0 && impact.hits.every((h) => isClean(inputs.dirt(h.table) ?? CLEAN))
        ? `an earlier apply left it behind its inputs (${late.join(", ")} changed since it was materialized)`
        : `inputs it reads changed: ${cols}`;
      if (t.role === "incremental") {
        const refresh = incrementalRefresh(t, state, schema, impact.hits, catchUp, inputs);
        if (refresh.ok) {
          changes.push({ kind: "refresh", class: "non-breaking", reason: `${refresh.text} (${reason})` });
          return { changes, write: { mode: "replaceWhere", from: write.from }, dirt, hits: impact.hits, sql_diff, errors: [], step: { incremental: refresh.step } };
        }
        changes.push({ kind: "refresh", class: "non-breaking", reason: `rematerialize in full: ${refresh.why} (${reason})` });
      } else if (t.incremental !== undefined && state !== null && !(schema !== null && (schema.diffs.length > 0 || schema.rewrite || schema.partitionChanged))) {
        // A table with a key: recomputed in full, written as the difference by key.
        const key = t.incremental.key;
        changes.push({ kind: "materialize", class: "non-breaking", reason: `${reason}; recomputed in full, written as the difference by ${key}` });
        return { changes, write: { mode: "replaceWhere", from: write.from }, dirt, hits: impact.hits, sql_diff, errors: [], step: { incremental: { key, inputs: [], difference: true } } };
      } else changes.push({ kind: "materialize", class: "non-breaking", reason });
    }
  }
  if (schema !== null && (schema.rewrite || schema.dirty.length > 0) && changes.length === 0) {
    changes.push({ kind: "materialize", class: "non-breaking", reason: inFull(t, "the table's schema differs from the query's: materialized again") });
    dirt = mergeDirt(dirt, { columns: new Set(schema.dirty), rows: false });
  }
  if (changes.length === 0) return NOTHING;
  return { changes, write, dirt, hits: impact.hits, sql_diff, errors: [] };
}

/** An incremental view's full rematerialization says so, and why. */
function inFull(t: DesiredTable, reason: string): string {
  return t.role === "incremental" ? `rematerialize in full: ${reason}` : reason;
}

const CDF = "delta.enableChangeDataFeed";

type Refresh = { ok: true; text: string; step: NonNullable<TableStep["incremental"]> } | { ok: false; why: string };

/** A column's base `table.column` sources, followed through logical views to the Delta tables. */
function baseLineage(t: DesiredTable, column: string, byName: (name: string) => DesiredTable | undefined, trail: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const s of t.lineage[column] ?? []) {
    const dot = s.indexOf(".");
    const [table, col] = [s.slice(0, dot), s.slice(dot + 1)];
    const input = byName(table);
    if (input?.role === "view" && !trail.includes(table)) for (const b of baseLineage(input, col, byName, [...trail, table])) out.add(b);
    else out.add(s);
  }
  return [...out].sort();
}

/**
 * Whether an incremental view whose inputs changed can be refreshed by its key: its state is
 * there and its query and schema are unchanged (the caller checked the query), and every Delta
 * table whose rows changed under the inputs that hit it (directly, or through logical views) has
 * the change data feed on (in the spec and in the lake), was read at a recorded version, is not
 * rewritten in full by this plan, and is the source of the key — the key's lineage, followed
 * through logical views, names exactly one of its columns. The changed keys are then that column's
 * values in those tables' change feeds after the recorded versions (apply reads them).
 */
function incrementalRefresh(t: DesiredTable, state: TableState | null, schema: SchemaOutcome | null, hits: readonly Hit[], catchUp: ReadonlyMap<string, Dirt>, inputs: ViewInputs): Refresh {
  const key = t.incremental?.key;
  if (key === undefined) return { ok: false, why: "the view has no incremental.key" };
  if (state === null) return { ok: false, why: "the table has no cpgc state" };
  if (schema !== null && (schema.diffs.length > 0 || schema.rewrite || schema.partitionChanged)) return { ok: false, why: "the table's schema changes" };
  const sources = baseLineage(t, key, inputs.byName);
  const changed = new Set<string>();
  for (const h of hits) {
    const input = inputs.byName(h.table);
    if (input === undefined) return { ok: false, why: `input ${h.table} is not in the configuration` };
    if (input.role !== "view") {
      changed.add(h.table);
      continue;
    }
    // Through a logical view: the Delta tables under it whose rows changed.
    for (const [base] of deltaReads(input, inputs.byName)) {
      if (!isClean(mergeDirt(inputs.dirt(base) ?? CLEAN, catchUp.get(base) ?? CLEAN))) changed.add(base);
    }
  }
  const refreshed: { table: string; column: string; after_version: number }[] = [];
  let keys: number | null = 0;
  for (const name of [...changed].sort()) {
    const input = inputs.byName(name);
    if (input === undefined) return { ok: false, why: `input ${name} is not in the configuration` };
    const from = sources.filter((s) => s.startsWith(`${name}.`)).map((s) => s.slice(name.length + 1));
    if (from.length === 0) return { ok: false, why: `the key ${key} does not come from ${name}, whose rows changed` };
    if (from.length > 1) return { ok: false, why: `the key ${key} comes from several columns of ${name} (${from.join(", ")})` };
    const obs = inputs.observed.tables[name];
    if (obs?.status !== "present") return { ok: false, why: `${name} is created by this apply` };
    if (input.properties[CDF] !== "true" || obs.properties[CDF] !== "true") return { ok: false, why: `${name} has no change data feed (${CDF}: true in its policy and in the lake)` };
    const recorded = state.inputs[name]?.version;
    if (recorded === undefined || recorded < 0) return { ok: false, why: `the version of ${name} it was materialized from is not recorded` };
    if (recorded > obs.version) return { ok: false, why: `${name} is older than the version it was materialized from` };
    const planned = inputs.planned?.(name);
    if (planned?.step.write?.mode === "overwrite") return { ok: false, why: `${name} is rewritten in full by this plan` };
    const ck = planned?.changed_keys;
    keys = keys !== null && ck !== undefined && ck.column === from[0] && recorded === obs.version ? keys + ck.values.length : null;
    refreshed.push({ table: name, column: from[0]!, after_version: recorded });
  }
  if (refreshed.length === 0) return { ok: false, why: "no input hit it" };
  const names = refreshed.map((r) => r.table);
  const count = keys === null ? "" : ` (≤ ${keys} key${keys === 1 ? "" : "s"})`;
  const pushdown = pushdownOf(t, key, inputs.byName);
  return { ok: true, text: `refresh incrementally by ${key}${count} from the change feed of ${names.join(", ")}`, step: { key, inputs: refreshed, ...(pushdown.length > 0 ? { pushdown } : {}) } };
}

/**
 * The Delta tables the refresh may read filtered on the changed keys (key-pushdown.ts), through
 * logical views too; only where the filtered column has the key's type (the keys compare as they
 * are, no cast that could make different values equal).
 */
function pushdownOf(t: DesiredTable, key: string, byName: (name: string) => DesiredTable | undefined): { table: string; column: string }[] {
  if (t.sql === null) return [];
  const keyType = t.columns.find((c) => c.name === key)?.type;
  const filters = keyPushdown(t.sql, key, (name) => {
    const input = byName(name);
    if (input === undefined) return undefined;
    return input.role === "view" ? (input.sql !== null ? { kind: "view", sql: input.sql } : undefined) : { kind: "table" };
  });
  return filters.filter((f) => keyType !== undefined && byName(f.table)?.columns.find((c) => c.name === f.column)?.type === keyType);
}

function lateDirt(name: string, catchUp: ReadonlyMap<string, Dirt>, inputs: ViewInputs): Dirt | undefined {
  const input = inputs.byName(name);
  return input?.role === "view" ? propagate(input, (n) => lateDirt(n, catchUp, inputs), keyOf(inputs)).dirt : catchUp.get(name);
}

/** An input's unique key, for propagate (none for a table the configuration lacks). */
function keyOf(inputs: ViewInputs): (name: string) => readonly string[] {
  return (name) => inputs.byName(name)?.unique_key ?? [];
}

/** The view's own query changed: a semantic diff decides how much of it is dirty. */
function ownChange(t: DesiredTable, state: TableState): { change: Change; dirt: Dirt } {
  if (state.ast_fingerprint === t.ast_fingerprint) {
    return {
      change: { kind: "materialize", class: "non-breaking", reason: "policy_hash changed (the policy profile or the engine's function catalog): the same query is materialized again" },
      dirt: allDirty(t),
    };
  }
  const lineageOf = (cols: readonly { name: string }[], l: Readonly<Record<string, readonly string[]>> | undefined): QueryLineage => ({
    columns: cols.map((c) => ({ name: c.name, sources: l?.[c.name] ?? [] })),
    tables: [],
    joinKeys: [],
    filterColumns: [],
    functions: [],
  });
  const before: DiffableView = { ast_fingerprint: state.ast_fingerprint ?? "", columns: state.columns, lineage: lineageOf(state.columns, state.lineage), ...(state.sql !== null ? { sql: state.sql } : {}) };
  const after: DiffableView = { ast_fingerprint: t.ast_fingerprint ?? "", columns: t.columns, lineage: lineageOf(t.columns, t.lineage), ...(t.sql !== null ? { sql: t.sql } : {}) };
  const diff = semanticDiff(before, after);
  if (diff.class === "additive") {
    const added = diff.changes.map((c) => c.column!).filter((c) => c !== null);
    return {
      change: { kind: "materialize", class: "non-breaking", reason: `query changed: new output column${added.length === 1 ? "" : "s"} ${added.join(", ")} (existing columns unchanged)` },
      dirt: { columns: new Set(added), rows: false },
    };
  }
  const shown = diff.changes.slice(0, 3).map((c) => (c.column !== null ? `${c.column} ${c.kind.replace("column_", "")}` : `${c.clause.replace("_", " ")} changed`));
  return {
    change: { kind: "materialize", class: "breaking", reason: `query changed: ${shown.join(", ")}${diff.changes.length > 3 ? ` and ${diff.changes.length - 3} more` : ""}` },
    dirt: allDirty(t),
  };
}

/**
 * Catch-up: per Delta table the view reads (through logical views too), the columns whose
 * current digest differs from the one recorded when the view was last materialized — or every
 * column read when digests cannot be compared and the table's version moved.
 */
function staleInputs(t: DesiredTable, state: TableState, inputs: ViewInputs): Map<string, Dirt> {
  const out = new Map<string, Dirt>();
  for (const [name, cols] of deltaReads(t, inputs.byName)) {
    const cur = inputs.observed.tables[name];
    const input = inputs.byName(name);
    if (cur?.status !== "present" || input === undefined) continue;
    const rec = state.inputs[name];
    if (rec === undefined) {
      out.set(name, allDirty(input));
      continue;
    }
    // What the view recorded of an input this plan writes proves nothing (no row digest): after
    // the write, the next plan could only compare versions, and would find it behind. So now.
    if (rec.digests[ROW_DIGEST] === undefined && inputs.planned?.(name)?.step.write !== undefined) {
      out.set(name, allDirty(input));
      continue;
    }
    const now = cur.state?.digests ?? null;
    // No columns listed: the reader reads the input whole.
    const read = cols.size > 0 ? [...cols] : input.columns.map((c) => c.name);
    const compared = compareDigests(rec.digests, now, read);
    if (compared.kind === "all") out.set(name, allDirty(input));
    else if (compared.kind === "columns") {
      if (compared.columns.length > 0) out.set(name, { columns: new Set(compared.columns), rows: false });
    } else if (compared.kind === "incomparable") {
      // No digests: versions. Rows change with a write or with others' commits, not with cpgc's metadata-only commits.
      const rowsNow = cur.drift !== null && cur.drift.length === 0 && cur.state?.rows_version !== undefined ? cur.state.rows_version : cur.version;
      if (rec.version < rowsNow || rec.version > cur.version) out.set(name, allDirty(input));
    }
  }
  return out;
}

// ─── Managed ────────────────────────────────────────────────────────────────────────────────────

export function managedData(schema: SchemaOutcome | null): DataOutcome {
  if (schema === null) return NOTHING;
  const dirt: Dirt = { columns: new Set(schema.dirty), rows: false };
  if (!schema.rewrite) return { ...NOTHING, dirt };
  // The schema diff already says why (its rewrite-required change); the rows come from the table itself.
  return { ...NOTHING, write: { mode: "overwrite", from: { kind: "self" } }, dirt };
}
