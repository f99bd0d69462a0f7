/**
 * Apply: executes a Plan against the lake, table by table in the plan's (dependency) order.
 *
 * Per table write: check the pin (or find this plan's txn: already applied), remove untracked
 * files of interrupted runs, register the inputs, stage the rows in a TEMP TABLE, check the
 * expectations (a failure: no commit, descendants skipped, the rest proceeds), digest the stage,
 * complete the durable state, then ONE commit that carries the rows, the metadata changes, the
 * state (`cpgc` domain), the txn `cpgc:<plan_id>` and the provenance (with `step.checkpoint`, the
 * checkpoint the table's interval asks for; with `step.vacuum`, a vacuum at the table's retention
 * after it). The pin check and the commit are one atomic step: the commit carries the pinned
 * version (`expectedVersion`) and fails rather than rebase when another writer got there first
 * ("stale plan: T moved from vN to vM", PLAN_STALE). Destroys move the table
 * directory aside (atomic) before removing it; logical view changes are one `_cpgc_views`
 * commit at the end. A process killed at any point leaves each table either at its old version
 * or at the committed one — a fresh plan + apply converges from there.
 *
 * Extract datasets: the extractor runs once, before the first table action, for the union of the
 * files the plan's extract steps need (extract.ts); each dataset then commits its staged rows
 * (create, overwrite, or replaceWhere `path IN (…)` + the new rows) with its state.
 * Incremental views (`step.incremental`): the changed keys come from the inputs' change feeds
 * (incremental.ts) and the commit replaces those keys' rows; a feed that cannot be read
 * rematerializes in full instead. A replaceWhere's expectations and digests see the whole table
 * after the commit. Views read by several actions are computed once (`step.cache`, cache.ts).
 * What an apply stages under `<lake>/_cpgc_staging` is removed when it ends (and by the next apply
 * after a crash).
 */

import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";

import {
  RUNS_TABLE,
  TXN_APP_PREFIX,
  VIEWS_TABLE,
  type ActionResult,
  type ApplyReport,
  type DesiredState,
  type DesiredTable,
  type ExpectationResult,
  type Plan,
  type TablePlan,
  type TableState,
  type TableOp,
} from "../../../compiler/src/plan/model.js";
import type { Database } from "../../index.js";
import { loadDeltaSnapshot } from "../delta.js";
import { registerDeltaView } from "../scan.js";
import type { DeltaSnapshot } from "../delta-types.js";
import { cleanupUntrackedFiles, vacuumDeltaTable, type DeltaCommitOptions, type DeltaWriteResult } from "../delta-write.js";
import { NativeError } from "../errors.js";
import { applyCaches, type ApplyCaches } from "./cache.js";
import { alterTable, createTable, writePolicy, type AlterSpec, type TableCommitCall, type WriteSpec } from "./commit.js";
import { columnDigests } from "./digest.js";
import { carriedDigests, isColumnDigest, sameForReader } from "../../../compiler/src/plan/digests.js";
import { engineVersion } from "./engine.js";
import { evaluateExpectations, expectationsHash, expectationsPass } from "./expectations.js";
import { runExtractions } from "./extract.js";
import { extractState, type ExtractOutcome } from "./extract-rows.js";
import { changedKeyLiterals, collectChangedKeys, differingKeys, dropKeys, FULL_TABLE, keyPredicate, literalKeyPredicate, pushDownKeys, refreshSql } from "./incremental.js";
import { registerInputs, type InputRecord } from "./inputs.js";
import { hasCommit } from "./log.js";
import type { LakeLease } from "./lock.js";
import { tablePath } from "./observe.js";
import { recordRun, runsTablePath } from "./runs.js";
import { STAGING_DIR } from "./staging.js";
import { AFTER_VIEW, afterReplaceSql, dropAfter, dropStage, nameStage, replaceParts, stageRows, STAGE_TABLE, type Staged } from "./stage.js";
import { isCpgcCommit, snapshotState, stateDomain } from "./state.js";
import { quoteIdent } from "./sql.js";
import { readLogicalViews, viewsTablePath, viewsTableVersion, writeLogicalViews, type LogicalViewRecord } from "./views.js";

export type ApplyEvent =
  | { readonly type: "action-start"; readonly table: string; readonly op: TableOp }
  | { readonly type: "extract-progress"; readonly extractor: string; readonly done: number; readonly total: number }
  | { readonly type: "extract-end"; readonly extractor: string; readonly files: number; readonly failed: number; readonly duration_ms: number }
  | { readonly type: "action-end"; readonly table: string; readonly op: TableOp; readonly result: ActionResult }
  | { readonly type: "cleanup"; readonly table: string; readonly files: number }
  | { readonly type: "warning"; readonly table: string | null; readonly message: string };

export interface ApplyOptions {
  readonly db: Database;
  /** Renewed between actions; losing it stops the run. */
  readonly lease?: LakeLease;
  /** Recorded in commitInfo and the run manifest (default: the plan's). */
  readonly cpgcVersion?: string;
  readonly onEvent?: (event: ApplyEvent) => void;
  readonly runId?: string;
  /** The config directory source patterns are relative to (default: derived per source). */
  readonly configDir?: string;
  /** Append the run to `_cpgc_runs` at the end (default true). */
  readonly record?: boolean;
  /** Untracked files younger than this are left alone (default: 0 with a lease, else one hour). */
  readonly cleanupMinAgeMs?: number;
  /** Extractor worker processes (default: the CPU count). */
  readonly extractWorkers?: number;
}

const TRASH_DIR = "_cpgc_trash";

type Outcome = Omit<ActionResult, "table" | "op" | "duration_ms">;

const failure = (error: { code: string; message: string }, extra: Partial<Outcome> = {}): Outcome => ({
  outcome: "failed",
  version: null,
  rows_written: null,
  inputs: {},
  expectations: [],
  error,
  ...extra,
});

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof NativeError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: "INTERNAL", message: error.message };
  return { code: "INTERNAL", message: String(error) };
}

function loadSnapshot(table: string): DeltaSnapshot | null {
  if (!existsSync(path.join(table, "_delta_log"))) return null;
  try {
    return loadDeltaSnapshot(table, { files: "none" });
  } catch (error) {
    if (error instanceof NativeError && error.code === "DELTA_TABLE_NOT_FOUND") return null;
    throw error;
  }
}

function fallbackState(table: DesiredTable): TableState {
  return {
    format: 1,
    spec_hash: table.spec_hash,
    writer_hash: table.writer_hash,
    ast_fingerprint: table.ast_fingerprint,
    policy_hash: table.policy_hash,
    sql: table.sql,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    properties: { ...table.properties },
    inputs: {},
    source_fingerprint: null,
    digests: null,
    digest_engine: null,
  };
}

function sameDefinition(a: TableState, b: TableState): boolean {
  return (
    a.spec_hash === b.spec_hash &&
    a.ast_fingerprint === b.ast_fingerprint &&
    a.policy_hash === b.policy_hash &&
    a.sql === b.sql &&
    a.columns.length === b.columns.length &&
    a.columns.every((c, i) => c.name === b.columns[i]?.name && c.type === b.columns[i]?.type && c.nullable === b.columns[i]?.nullable)
  );
}

const REPLACED_VIEW = "__cpgc_replaced";

/** `<rows>:<sum>` of a digest as numbers (null when malformed). */
function digestParts(digest: string): [bigint, bigint] | null {
  const colon = digest.indexOf(":");
  try {
    return colon < 0 ? null : [BigInt(digest.slice(0, colon)), BigInt(digest.slice(colon + 1))];
  } catch {
    return null;
  }
}

/**
 * The digests of a table after a replaceWhere, without reading the rows it keeps: digests are
 * sums over rows, so they are the current ones minus those of the rows the predicate matches (a
 * scan pruned by the predicate) plus the stage's. Null — the caller digests the whole table — unless
 * the current digests are cpgc's for exactly the rows of `snapshot` (its latest commit is
 * cpgc's), from this engine, and over the same columns and types.
 */
function replacedDigests(
  db: Database,
  table: DesiredTable,
  dir: string,
  snapshot: DeltaSnapshot,
  current: TableState | null,
  predicate: string,
  staged: Readonly<Record<string, string>>,
): Record<string, string> | null {
  const before = current?.digests ?? null;
  if (current === null || before === null || current.digest_engine !== engineVersion() || !isCpgcCommit(snapshot.commitInfo)) return null;
  const columns = table.columns.map((c) => c.name);
  const types = new Map(current.columns.map((c) => [c.name, c.type]));
  if (!table.columns.every((c) => types.get(c.name) === c.type)) return null;
  // The same entries on both sides: the same columns, the row entry, the same key.
  const entries = Object.keys(staged).sort();
  if (entries.join("\u0000") !== Object.keys(before).sort().join("\u0000")) return null;
  try {
    registerDeltaView(db, REPLACED_VIEW, dir, { version: snapshot.version, where: predicate });
    const removed = columnDigests(db, `SELECT ${columns.map(quoteIdent).join(", ")} FROM ${quoteIdent(REPLACED_VIEW)}`, columns, table.unique_key);
    const out: Record<string, string> = {};
    for (const e of entries) {
      const [b, r, s] = [digestParts(before[e]!), digestParts(removed[e] ?? ""), digestParts(staged[e]!)];
      if (b === null || r === null || s === null || b[0] < r[0]) return null;
      out[e] = `${b[0] - r[0] + s[0]}:${b[1] - r[1] + s[1]}`;
    }
    return out;
  } finally {
    db.query(`DROP VIEW IF EXISTS ${quoteIdent(REPLACED_VIEW)}`);
  }
}

/** Whether every input shows the reader the same rows as when it was last materialized. */
function sameInputs(recorded: TableState["inputs"], now: Readonly<Record<string, InputRecord>>): boolean {
  const names = Object.keys(now);
  if (names.length === 0 || names.length !== Object.keys(recorded).length) return false;
  return names.every((name) => {
    const before = recorded[name]?.digests;
    const after = now[name]?.digests ?? {};
    const columns = Object.keys(after).filter(isColumnDigest);
    return before !== undefined && columns.length > 0 && sameForReader(before, after, columns);
  });
}

interface Context {
  readonly plan: Plan;
  readonly root: string;
  readonly db: Database;
  readonly byName: ReadonlyMap<string, DesiredTable>;
  readonly appId: string;
  readonly provenance: NonNullable<DeltaCommitOptions["metadata"]>;
  readonly configDir: string | undefined;
  readonly cleanupMinAgeMs: number;
  readonly emit: (event: ApplyEvent) => void;
  /** The extractor runs' rows per extract dataset (null: no extract step). */
  readonly extracts: { readonly byTable: ReadonlyMap<string, ExtractOutcome> } | null;
  readonly caches: ApplyCaches;
  cleaned: number;
}

function checkPin(tp: TablePlan, snapshot: DeltaSnapshot | null): { code: string; message: string } | null {
  const pin = tp.pin;
  if (pin.status === "absent") {
    return snapshot === null ? null : { code: "PLAN_STALE", message: `${tp.name} was absent when planned and is now at version ${snapshot.version}; make a new plan` };
  }
  if (snapshot === null) return { code: "PLAN_STALE", message: `${tp.name} was at version ${pin.version} when planned and is now absent; make a new plan` };
  if (snapshot.metadata.id !== pin.table_id) return { code: "PLAN_STALE", message: `${tp.name} was replaced by another table (id ${snapshot.metadata.id}, planned ${pin.table_id}); make a new plan` };
  if (snapshot.version !== pin.version) return { code: "PLAN_STALE", message: `${tp.name} moved from version ${pin.version} to ${snapshot.version} since it was planned; make a new plan` };
  return null;
}

/** Removes data files of interrupted runs that no commit references; returns how many. */
function cleanupUntracked(table: string, minAgeMs: number): number {
  return cleanupUntrackedFiles(table, { minAgeMs }).files.length;
}

/**
 * The same for a table without a commit: every file under its directory (but `_delta_log`) is
 * one an interrupted create wrote and never committed (the cleanup above needs a log to compare
 * with). Returns how many were removed.
 */
function cleanupAbandonedCreate(table: string, minAgeMs: number): number {
  if (!existsSync(table)) return 0;
  const newest = Date.now() - minAgeMs;
  let removed = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dir !== table || entry.name !== "_delta_log") walk(full);
      } else if (statSync(full).mtimeMs <= newest) {
        rmSync(full, { force: true });
        removed++;
      }
    }
  };
  walk(table);
  return removed;
}

/** Files of interrupted commits to one of cpgc's own tables (`_cpgc_views`, `_cpgc_runs`), removed before it is written. */
function cleanupOwnTable(ctx: Context, dir: string, name: string): void {
  const removed = cleanupOwnTableFiles(dir, ctx.cleanupMinAgeMs);
  if (removed > 0) {
    ctx.cleaned += removed;
    ctx.emit({ type: "cleanup", table: name, files: removed });
  }
}

function cleanupOwnTableFiles(dir: string, minAgeMs: number): number {
  if (!existsSync(dir)) return 0;
  return hasCommit(dir) ? cleanupUntracked(dir, minAgeMs) : cleanupAbandonedCreate(dir, minAgeMs);
}

/**
 * Removes what an apply killed while it recorded its run or logical views left in `_cpgc_runs`
 * and `_cpgc_views`: an apply that then finds nothing to do writes neither, so it cleans them
 * here. The caller holds the lake lease (no other apply writes them). Returns how many files.
 */
export function cleanupOwnTables(lakeRoot: string): number {
  return cleanupOwnTableFiles(runsTablePath(lakeRoot), 0) + cleanupOwnTableFiles(viewsTablePath(lakeRoot), 0);
}

/** The one commit of a table action: create (table absent) or update. */
function commitTable(dir: string, tp: TablePlan, table: DesiredTable, snapshot: DeltaSnapshot | null, data: WriteSpec | null, call: TableCommitCall): DeltaWriteResult {
  const step = tp.step;
  if (snapshot === null) {
    const create = step.create ?? { schema: table.delta_schema, partition_columns: table.partition_by, properties: table.properties, features: table.features };
    return createTable(dir, { schema: create.schema, partitionColumns: create.partition_columns, properties: create.properties, features: create.features }, data, call);
  }
  const alter: AlterSpec | null = step.create
    ? { schema: { fields: step.create.schema, renames: {} }, partitionColumns: step.create.partition_columns, set: step.create.properties, features: step.create.features }
    : step.alter
      ? {
          ...(step.alter.schema !== undefined ? { schema: step.alter.schema } : {}),
          ...(step.alter.partition_columns !== undefined ? { partitionColumns: step.alter.partition_columns } : {}),
          ...(step.alter.set_properties !== undefined ? { set: step.alter.set_properties } : {}),
          ...(step.alter.unset_properties !== undefined ? { unset: step.alter.unset_properties } : {}),
          ...(step.alter.features !== undefined ? { features: step.alter.features } : {}),
        }
      : null;
  return alterTable(dir, alter, data, call);
}

/** A commit refused because the table left its pinned version (DELTA_VERSION_MOVED) as a stale-plan failure; else null. */
function movedWhileApplying(table: string, error: unknown): { code: string; message: string } | null {
  if (!(error instanceof NativeError) || error.code !== "DELTA_VERSION_MOVED") return null;
  const { expected = "?", actual = "?" } = error.details ?? {};
  return { code: "PLAN_STALE", message: `stale plan: ${table} moved from v${expected} to v${actual} while it was being applied; nothing was committed, make a new plan` };
}

function writeAction(ctx: Context, tp: TablePlan): Outcome {
  const table = ctx.byName.get(tp.name);
  if (table === undefined) return failure({ code: "PLAN_STALE", message: `${tp.name} is not in the configuration any more; make a new plan` });
  const dir = tablePath(ctx.root, tp.name);
  const step = tp.step;
  const snapshot = loadSnapshot(dir);
  if (snapshot !== null && snapshot.appTransactions.some((t) => t.appId === ctx.appId)) {
    return { outcome: "already-applied", version: snapshot.version, rows_written: null, inputs: {}, expectations: [], error: null };
  }
  const stale = checkPin(tp, snapshot);
  if (stale !== null) return failure(stale);
  const removed = snapshot !== null ? cleanupUntracked(dir, ctx.cleanupMinAgeMs) : cleanupAbandonedCreate(dir, ctx.cleanupMinAgeMs);
  if (removed > 0) {
    ctx.cleaned += removed;
    ctx.emit({ type: "cleanup", table: tp.name, files: removed });
  }

  const current = snapshot === null ? null : snapshotState(snapshot);
  const planned = tp.state ?? fallbackState(table);
  let inputs: Record<string, InputRecord> = {};
  let staged: Staged | null = null;
  let expectations: ExpectationResult[] = [];
  let write = step.write;
  let refresh: ActionResult["refresh"] | undefined;
  /** Inputs registered filtered on an incremental refresh's keys (dropped when the action ends). */
  let pushedDown: readonly string[] = [];
  const extracted = step.extract !== undefined ? ctx.extracts?.byTable.get(tp.name) : undefined;
  if (step.extract !== undefined && write !== undefined) {
    if (extracted === undefined) return failure({ code: "INTERNAL", message: `${tp.name}: the extractor did not run for it` });
    if (!extracted.ok) return failure(extracted.error, { version: snapshot?.version ?? null });
  }
  try {
    if (write !== undefined) {
      if (write.from.kind !== "source") inputs = registerInputs(ctx.db, ctx.root, table, ctx.byName, ctx.caches);
      if (write.from.kind === "self" && snapshot !== null) inputs = { ...inputs, [tp.name]: { version: snapshot.version, digests: {} } };
      const versions = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.version]));
      // Rematerialized only because of inputs whose read columns did not change: nothing to do.
      // (Not for refreshes by key: they compare the rows themselves — per-column digests cannot
      // see values moved between rows.)
      if (
        tp.op === "rematerialize" &&
        write.from.kind === "sql" &&
        step.alter === undefined &&
        step.incremental === undefined &&
        snapshot !== null &&
        current !== null &&
        isCpgcCommit(snapshot.commitInfo) &&
        sameDefinition(current, planned) &&
        sameInputs(current.inputs, inputs)
      ) {
        return { outcome: "unchanged", version: snapshot.version, rows_written: 0, inputs: versions, expectations: [], error: null };
      }
      if (step.incremental !== undefined && write.mode === "replaceWhere" && write.from.kind === "sql" && snapshot !== null) {
        try {
          const key = step.incremental.key;
          let keys: number;
          if (step.incremental.difference === true) {
            // A table written as a difference: the view in full, against the whole table.
            keys = differingKeys(ctx.db, dir, table, key, snapshot.version, write.from.sql);
          } else {
            const changed = collectChangedKeys(ctx.db, ctx.root, table, step.incremental, versions);
            const literals = changed > 0 ? changedKeyLiterals(ctx.db, table, key) : null;
            const candidates = literals !== null ? literalKeyPredicate(key, literals) : keyPredicate(key);
            if (literals !== null && (step.incremental.pushdown?.length ?? 0) > 0) {
              try {
                pushedDown = pushDownKeys(ctx.db, ctx.root, step.incremental.pushdown ?? [], versions, literals, (t) => ctx.caches.relationFor(t));
              } catch (error) {
                // Read every input in full again: the output filter alone still gives the keys' rows.
                inputs = registerInputs(ctx.db, ctx.root, table, ctx.byName, ctx.caches);
                pushedDown = [];
                ctx.emit({ type: "warning", table: tp.name, message: `inputs read in full: ${errorOf(error).message}` });
              }
            }
            // The changed keys' rows recomputed, against the table's rows of those keys.
            keys = changed > 0 ? differingKeys(ctx.db, dir, table, key, snapshot.version, refreshSql(write.from.sql, key, candidates), candidates) : 0;
          }
          const literals = keys > 0 ? changedKeyLiterals(ctx.db, table, key) : null;
          const predicate = literals !== null ? literalKeyPredicate(key, literals) : keyPredicate(key);
          write = { mode: "replaceWhere", from: { kind: "sql", sql: refreshSql(`SELECT * FROM ${quoteIdent(FULL_TABLE)}`, key, predicate) }, predicate };
          refresh = { mode: "incremental", keys };
        } catch (error) {
          const reason = step.incremental.difference === true ? `the difference could not be computed: ${errorOf(error).message}` : `the change feed could not be read: ${errorOf(error).message}`;
          ctx.emit({ type: "warning", table: tp.name, message: `rematerialized in full: ${reason}` });
          if (pushedDown.length > 0) inputs = registerInputs(ctx.db, ctx.root, table, ctx.byName, ctx.caches);
          pushedDown = [];
          write = { mode: "overwrite", from: write.from };
          refresh = { mode: "full", reason };
        }
      } else if (step.incremental !== undefined && write.mode === "replaceWhere") {
        write = { mode: "overwrite", from: write.from }; // the table is gone: nothing to refresh
      } else if (table.role === "incremental" && snapshot !== null) {
        refresh = { mode: "full", reason: tp.changes.map((c) => c.reason).join("; ") };
      }
    }
    // An incremental refresh with no changed keys: nothing to write, only the state (the input versions read) to record.
    if (write !== undefined && !(refresh?.mode === "incremental" && refresh.keys === 0)) {
      staged = stageRows(ctx.db, table, write.from, dir, {
        ...(ctx.configDir !== undefined ? { configDir: ctx.configDir } : {}),
        ...(extracted?.ok === true ? { extracted: extracted.rows } : {}),
      });
      // A replaceWhere keeps rows outside the predicate: expectations and digests judge the whole table after the commit.
      const whole = write.mode === "replaceWhere" && snapshot !== null ? afterReplaceSql(ctx.db, table, dir, snapshot.version, write.predicate ?? "false") : null;
      if (whole !== null && snapshot !== null) {
        const columns = table.columns.map((c) => c.name);
        const digests = replacedDigests(ctx.db, table, dir, snapshot, current, write.predicate ?? "false", staged.digests) ?? columnDigests(ctx.db, whole, columns, table.unique_key);
        staged = { ...staged, digests };
      }
      if (table.expectations.length > 0) {
        nameStage(ctx.db, tp.name, whole !== null ? AFTER_VIEW : STAGE_TABLE);
        // The kept rows passed these expectations at their commit when the state says so and the
        // latest commit is cpgc's (no one else changed the rows since).
        const keptPassed = snapshot !== null && isCpgcCommit(snapshot.commitInfo) && current?.expectations_passed === expectationsHash(table.expectations);
        // A refresh by key (or an extract by path) replaces whole keys: the added rows hold only replaced keys.
        const replacedKey = step.incremental?.key ?? (step.extract !== undefined ? "path" : null);
        const parts = whole !== null && snapshot !== null ? replaceParts(ctx.db, snapshot, write.predicate ?? "false", keptPassed, replacedKey) : undefined;
        expectations = evaluateExpectations(ctx.db, quoteIdent(whole !== null ? AFTER_VIEW : STAGE_TABLE), table.expectations, parts);
        if (!expectationsPass(expectations)) {
          const failed = expectations.filter((e) => !e.passed && e.severity === "error");
          const message = `${failed.map((e) => `${e.expectation}: ${e.failing} ${e.expectation.startsWith("row_count") ? "rows" : "offending rows"}`).join("; ")}; ${tp.name} stays at ${snapshot === null ? "absent" : `version ${snapshot.version}`}`;
          return failure({ code: "EXPECTATION_FAILED", message }, { inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.version])), expectations, version: snapshot?.version ?? null });
        }
      }
    }

    const state: TableState = {
      ...planned,
      inputs: write === undefined ? (current?.inputs ?? planned.inputs) : Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== tp.name || write?.from.kind !== "self")),
      digests: staged !== null ? staged.digests : carriedDigests(current?.digests, table.columns),
      digest_engine: staged !== null ? engineVersion() : (current?.digest_engine ?? null),
      // Without a write, the plan's: the table's own (unchanged) or the files it proved hold the same rows.
      source_fingerprint: staged?.sourceFingerprint ?? planned.source_fingerprint,
      ...(staged?.sourceFiles != null ? { source_files: staged.sourceFiles } : {}),
      ...(step.extract !== undefined && extracted?.ok === true && planned.extract !== undefined
        ? { extract: { ...planned.extract, version: extracted.rows.version, files: extractState(planned.extract.files, step.extract, extracted.rows) } }
        : {}),
      // The version whose rows this state vouches for: this commit's when it writes rows (the lake
      // lock keeps others from committing in between), else the planner's (the rows' last writer).
      rows_version: write !== undefined ? (snapshot === null ? 0 : snapshot.version + 1) : (planned.rows_version ?? current?.rows_version ?? snapshot?.version ?? 0),
      // The rows written passed every error-severity expectation (a failure returned above).
      ...(staged !== null ? { expectations_passed: expectationsHash(table.expectations) } : current?.expectations_passed !== undefined ? { expectations_passed: current.expectations_passed } : {}),
    };
    // step.checkpoint: the checkpoint the table's interval asks for, written right after the commit.
    // expectedVersion: the pin is re-checked by the commit itself (a writer slipping in after
    // checkPin makes the commit fail, never rebase); a create is put-if-absent on version 0.
    const commit: DeltaCommitOptions = {
      metadata: ctx.provenance,
      txn: { appId: ctx.appId, version: 0 },
      domainMetadata: [stateDomain(state)],
      checkpoint: step.checkpoint !== false,
      ...(tp.pin.status === "present" ? { expectedVersion: tp.pin.version } : {}),
    };
    const data: WriteSpec | null =
      write === undefined || staged === null
        ? null
        : { mode: write.mode, sql: staged.sql, ...(write.predicate !== undefined ? { predicate: write.predicate } : {}), policy: writePolicy(table.writer) };
    const call = { db: ctx.db, commit };

    let result: DeltaWriteResult;
    try {
      result = commitTable(dir, tp, table, snapshot, data, call);
    } catch (error) {
      const stale = movedWhileApplying(tp.name, error);
      if (stale === null) throw error;
      return failure(stale, { inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.version])), expectations });
    }
    if (result.skipped) return { outcome: "already-applied", version: result.version, rows_written: null, inputs: {}, expectations, error: null };
    if (write?.mode === "overwrite" && ctx.caches.keepStage(tp.name)) staged = null;

    if (step.vacuum === true) vacuumDeltaTable(dir);
    return {
      outcome: "committed",
      version: result.version,
      rows_written: data === null ? 0 : result.numAddedRecords,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.version])),
      expectations,
      error: null,
      ...(step.extract !== undefined && extracted?.ok === true ? { files_extracted: extracted.rows.files.length } : {}),
      ...(refresh !== undefined ? { refresh } : {}),
      ...(pushedDown.length > 0 ? { filtered_inputs: [...pushedDown] } : {}),
    };
  } finally {
    try {
      dropAfter(ctx.db);
      dropKeys(ctx.db);
      dropStage(ctx.db, tp.name);
      // The next action registers what it reads again; nothing may see these filtered views.
      for (const name of pushedDown) ctx.db.query(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
    } catch {
      // the session is torn down with the database anyway
    }
  }
}

function destroyAction(ctx: Context, tp: TablePlan): Outcome {
  if (tp.name.startsWith("_") || tp.name.split("/").some((p) => p === ".." || p === "" || p.startsWith("_"))) {
    return failure({ code: "INVALID_ARGUMENT", message: `refusing to destroy ${tp.name}: not a table name cpgc manages` });
  }
  const dir = tablePath(ctx.root, tp.name);
  if (!existsSync(path.join(dir, "_delta_log"))) return { outcome: "destroyed", version: null, rows_written: null, inputs: {}, expectations: [], error: null };
  const snapshot = loadSnapshot(dir);
  if (snapshot !== null && tp.pin.status === "present" && (snapshot.metadata.id !== tp.pin.table_id || snapshot.version !== tp.pin.version)) {
    return failure(checkPin(tp, snapshot) ?? { code: "PLAN_STALE", message: `${tp.name} changed since it was planned` });
  }
  const trash = path.join(ctx.root, TRASH_DIR);
  mkdirSync(trash, { recursive: true });
  const aside = path.join(trash, `${tp.name.replace(/\//g, "__")}-${randomUUID()}`);
  renameSync(dir, aside);
  rmSync(aside, { recursive: true, force: true });
  return { outcome: "destroyed", version: snapshot?.version ?? null, rows_written: null, inputs: {}, expectations: [], error: null };
}

/** Applies `plan` (computed from `desired`) to the lake; never rejects for a table's failure (see each ActionResult). */
export async function applyPlan(plan: Plan, desired: DesiredState, options: ApplyOptions): Promise<ApplyReport> {
  if (plan.errors.length > 0) {
    throw new NativeError("PLAN_STALE", `the plan has ${plan.errors.length} error(s) and cannot be applied: ${plan.errors.map((e) => `${e.table}: ${e.message}`).join("; ")}`);
  }
  if (plan.config_hash !== desired.config_hash) {
    throw new NativeError("PLAN_STALE", "the plan was made from another configuration (config hash differs); make a new plan");
  }
  const startedAt = new Date().toISOString();
  const runId = options.runId ?? randomUUID();
  const cpgcVersion = options.cpgcVersion ?? plan.cpgc_version;
  const root = path.resolve(desired.lake_root);
  const emit = (event: ApplyEvent): void => options.onEvent?.(event);
  const byName = new Map(desired.tables.map((t) => [t.name, t]));
  mkdirSync(root, { recursive: true });
  rmSync(path.join(root, TRASH_DIR), { recursive: true, force: true });
  // What an interrupted apply staged (this one holds the lake lock: nobody else is staging).
  if (options.lease !== undefined) rmSync(path.join(root, STAGING_DIR), { recursive: true, force: true });
  const extracts = plan.tables.some((t) => t.op !== "noop" && t.op !== "orphan" && t.step.extract !== undefined)
    ? await runExtractions(plan, byName, {
        lakeRoot: root,
        runId,
        workers: options.extractWorkers ?? availableParallelism(),
        ...(options.configDir !== undefined ? { configDir: options.configDir } : {}),
        onProgress: (extractor, done, total) => emit({ type: "extract-progress", extractor, done, total }),
        // A resumed apply: tables that already have this plan's commit need no rows.
        skip: (tp) => {
          try {
            return loadSnapshot(tablePath(root, tp.name))?.appTransactions.some((t) => t.appId === `${TXN_APP_PREFIX}${plan.plan_id}`) === true;
          } catch {
            return false; // the action reports what is wrong with the table
          }
        },
      })
    : null;
  for (const r of extracts?.results ?? []) {
    emit({ type: "extract-end", extractor: r.extractor, files: r.result.filesExtracted + r.result.filesFailed, failed: r.result.filesFailed, duration_ms: Math.round(r.result.durationMs) });
  }
  const ctx: Context = {
    plan,
    root,
    db: options.db,
    byName,
    appId: `${TXN_APP_PREFIX}${plan.plan_id}`,
    provenance: { run_id: runId, plan_id: plan.plan_id, cpgc_version: cpgcVersion },
    configDir: options.configDir,
    cleanupMinAgeMs: options.cleanupMinAgeMs ?? (options.lease !== undefined ? 0 : 3_600_000),
    emit,
    extracts,
    caches: applyCaches(plan, byName, { db: options.db, lakeRoot: root, warn: (table, message) => emit({ type: "warning", table, message }) }),
    cleaned: 0,
  };

  const results: ActionResult[] = [];
  const blocked = new Set<string>();
  const registrations: { name: string; record: Omit<LogicalViewRecord, "ord">; index: number; started: number }[] = [];
  const unregistrations: { name: string; index: number; started: number }[] = [];
  const recordedViews = new Set(readLogicalViews(ctx.db, root).views.map((v) => v.name));
  let lost: NativeError | null = null;

  const finish = (tp: TablePlan, started: number, outcome: Outcome): void => {
    ctx.caches.readerDone(tp.name);
    const result: ActionResult = { table: tp.name, op: tp.op, ...outcome, duration_ms: Date.now() - started };
    if (result.outcome === "failed" || result.outcome === "skipped") blocked.add(tp.name);
    results.push(result);
    emit({ type: "action-end", table: tp.name, op: tp.op, result });
  };

  for (const tp of plan.tables) {
    if (tp.op === "noop" || tp.op === "orphan") continue;
    const started = Date.now();
    emit({ type: "action-start", table: tp.name, op: tp.op });
    if (lost !== null) {
      finish(tp, started, { ...failure({ code: lost.code, message: lost.message }), outcome: "skipped" });
      continue;
    }
    const failedInput = tp.depends_on.find((d) => blocked.has(d));
    if (failedInput !== undefined) {
      finish(tp, started, { ...failure({ code: "SKIPPED", message: `skipped: ${failedInput} was not applied` }), outcome: "skipped" });
      continue;
    }
    try {
      options.lease?.renew();
    } catch (error) {
      lost = error instanceof NativeError ? error : new NativeError("LOCK_NOT_HELD", String(error));
      finish(tp, started, failure(errorOf(error)));
      continue;
    }
    const desiredTable = ctx.byName.get(tp.name);
    try {
      if (tp.op === "register") {
        if (desiredTable === undefined) throw new NativeError("PLAN_STALE", `${tp.name} is not in the configuration any more; make a new plan`);
        const sql = tp.step.register?.sql ?? desiredTable.sql;
        if (sql === null) throw new NativeError("INVALID_ARGUMENT", `logical view ${tp.name} has no SQL`);
        const record = {
          name: tp.name,
          ast_fingerprint: desiredTable.ast_fingerprint ?? "",
          policy_hash: desiredTable.policy_hash ?? "",
          sql,
          columns: desiredTable.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
        };
        registrations.push({ name: tp.name, record, index: results.length, started });
        finish(tp, started, { outcome: "registered", version: null, rows_written: null, inputs: {}, expectations: [], error: null });
      } else if (tp.op === "destroy" && (tp.kind === "view" || desiredTable?.role === "view" || (recordedViews.has(tp.name) && !existsSync(path.join(tablePath(root, tp.name), "_delta_log"))))) {
        unregistrations.push({ name: tp.name, index: results.length, started });
        finish(tp, started, { outcome: "destroyed", version: null, rows_written: null, inputs: {}, expectations: [], error: null });
      } else if (tp.op === "destroy") {
        finish(tp, started, destroyAction(ctx, tp));
      } else {
        if (recordedViews.has(tp.name)) unregistrations.push({ name: tp.name, index: -1, started });
        finish(tp, started, writeAction(ctx, tp));
      }
    } catch (error) {
      finish(tp, started, failure(errorOf(error)));
    }
  }

  try {
    ctx.caches.close();
    extracts?.cleanup();
  } catch (error) {
    emit({ type: "warning", table: null, message: `staged files were not all removed: ${errorOf(error).message}` });
  }

  // Logical views: one _cpgc_views commit for every (un)registration of the plan.
  const viewActions = [...registrations.map((r) => r.index), ...unregistrations.map((u) => u.index)].filter((i) => i >= 0);
  if (registrations.length + unregistrations.length > 0 && lost === null) {
    try {
      const pin = plan.views_table_pin;
      const version = viewsTableVersion(root);
      const snapshot = version === null ? null : loadDeltaSnapshot(viewsTablePath(root), { files: "none" });
      const tableMoved = pin.status === "absent" ? snapshot !== null : snapshot === null || snapshot.version !== pin.version || (pin.table_id !== "" && snapshot.metadata.id !== pin.table_id);
      const ours = snapshot !== null && snapshot.appTransactions.some((t) => t.appId === ctx.appId);
      if (tableMoved && !ours) throw new NativeError("PLAN_STALE", `_cpgc_views moved since the plan (now ${version === null ? "absent" : `version ${version}`}); make a new plan`);
      if (!ours) {
        cleanupOwnTable(ctx, viewsTablePath(root), VIEWS_TABLE);
        const result = writeLogicalViews(
          ctx.db,
          root,
          { register: registrations.map((r) => r.record), unregister: unregistrations.map((u) => u.name) },
          { order: plan.tables.map((t) => t.name), commit: { metadata: ctx.provenance, txn: { appId: ctx.appId, version: 0 }, ...(pin.status === "present" ? { expectedVersion: pin.version } : {}) } },
        );
        if (result !== null) for (const i of viewActions) results[i] = { ...(results[i] as ActionResult), version: result.version };
      }
    } catch (error) {
      for (const i of viewActions) results[i] = { ...(results[i] as ActionResult), ...failure(movedWhileApplying(VIEWS_TABLE, error) ?? errorOf(error)) };
    }
  }

  const ok = new Set(["committed", "already-applied", "registered", "destroyed", "unchanged"]);
  const bad = results.filter((r) => !ok.has(r.outcome));
  const status: ApplyReport["status"] = bad.length === 0 ? "success" : bad.length === results.length ? "failed" : "partial";
  if (options.record !== false) {
    try {
      cleanupOwnTable(ctx, runsTablePath(root), RUNS_TABLE);
    } catch (error) {
      emit({ type: "warning", table: RUNS_TABLE, message: `files of an interrupted run were not removed: ${errorOf(error).message}` });
    }
  }
  const report: ApplyReport = { run_id: runId, plan_id: plan.plan_id, started_at: startedAt, ended_at: new Date().toISOString(), status, actions: results, cleaned_files: ctx.cleaned };
  if (options.record !== false) {
    try {
      recordRun(root, report, { cpgcVersion, db: ctx.db });
    } catch (error) {
      emit({ type: "warning", table: null, message: `the run was not recorded in _cpgc_runs: ${errorOf(error).message}` });
    }
  }
  return report;
}
