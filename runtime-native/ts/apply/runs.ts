/**
 * The run manifest: the Delta table `_cpgc_runs` under the lake root, one row per apply run
 * (run id, plan id, start / end, status, cpgc version, files cleaned, and per action its
 * outcome, committed version, rows written, input versions, error and duration).
 *
 * Rows are blind appends (concurrent runs never conflict); the first run creates the table.
 */

import path from "node:path";

import { RUNS_TABLE, type ActionOutcome, type ApplyReport, type DeltaFieldJson, type TableOp } from "../../../compiler/src/plan/model.js";
import type { Database } from "../../index.js";
import type { DeltaWriteResult } from "../delta-write.js";
import { appendToDeltaTable, createDeltaTable, type DeltaFieldSpec } from "../delta-write.js";
import { NativeError } from "../errors.js";
import { registerDeltaView } from "../scan.js";
import { withDatabase } from "./engine.js";
import { hasCommit } from "./log.js";
import { quoteIdent, sqlLiteral, sqlString } from "./sql.js";

export interface RunAction {
  readonly table: string;
  readonly op: TableOp;
  readonly outcome: ActionOutcome;
  readonly version: number | null;
  readonly rows_written: number | null;
  readonly inputs: Readonly<Record<string, number>>;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly duration_ms: number;
}

export interface RunRecord {
  readonly run_id: string;
  readonly plan_id: string;
  readonly started_at: string;
  readonly ended_at: string;
  readonly status: ApplyReport["status"];
  readonly cpgc_version: string;
  readonly cleaned_files: number;
  readonly actions: readonly RunAction[];
}

const field = (name: string, type: DeltaFieldJson["type"], nullable = true): DeltaFieldJson => ({ name, type, nullable, metadata: {} });

export const RUNS_SCHEMA: readonly DeltaFieldJson[] = [
  field("run_id", "string", false),
  field("plan_id", "string", false),
  field("started_at", "timestamp", false),
  field("ended_at", "timestamp", false),
  field("status", "string", false),
  field("cpgc_version", "string", false),
  field("cleaned_files", "long"),
  field("actions", {
    type: "array",
    containsNull: false,
    elementType: {
      type: "struct",
      fields: [
        field("table", "string", false),
        field("op", "string", false),
        field("outcome", "string", false),
        field("version", "long"),
        field("rows_written", "long"),
        field("inputs", { type: "map", keyType: "string", valueType: "long", valueContainsNull: false }),
        field("error_code", "string"),
        field("error_message", "string"),
        field("duration_ms", "long"),
      ],
    },
  }),
];

/** The txn appId prefix of run records (one per run id). */
export const RUN_TXN_PREFIX = "cpgc-run:";

const ACTION_TYPE =
  'STRUCT("table" VARCHAR, "op" VARCHAR, "outcome" VARCHAR, "version" BIGINT, "rows_written" BIGINT, "inputs" MAP(VARCHAR, BIGINT), "error_code" VARCHAR, "error_message" VARCHAR, "duration_ms" BIGINT)';

/** Path of the lake's `_cpgc_runs` table. */
export function runsTablePath(lakeRoot: string): string {
  return path.join(path.resolve(lakeRoot), RUNS_TABLE);
}

const bigint = (value: number | null): string => (value === null ? "NULL::BIGINT" : `${Math.round(value)}::BIGINT`);
const timestamp = (iso: string): string => `CAST(${sqlString(iso)} AS TIMESTAMPTZ)`;

function mapSql(entries: Readonly<Record<string, number>>): string {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return "MAP([]::VARCHAR[], []::BIGINT[])";
  return `MAP([${keys.map(sqlString).join(", ")}], [${keys.map((k) => `${Math.round(entries[k] ?? 0)}::BIGINT`).join(", ")}])`;
}

function actionSql(a: RunAction): string {
  return `{'table': ${sqlString(a.table)}, 'op': ${sqlString(a.op)}, 'outcome': ${sqlString(a.outcome)}, 'version': ${bigint(a.version)}, 'rows_written': ${bigint(a.rows_written)}, 'inputs': ${mapSql(a.inputs)}, 'error_code': ${sqlLiteral(a.error_code)}, 'error_message': ${sqlLiteral(a.error_message)}, 'duration_ms': ${bigint(a.duration_ms)}}`;
}

/** The row of a run as a DuckDB query. */
export function runRowSql(run: RunRecord): string {
  const actions = run.actions.length === 0 ? `[]::${ACTION_TYPE}[]` : `[${run.actions.map(actionSql).join(", ")}]::${ACTION_TYPE}[]`;
  return [
    `SELECT ${sqlString(run.run_id)} AS run_id, ${sqlString(run.plan_id)} AS plan_id,`,
    `${timestamp(run.started_at)} AS started_at, ${timestamp(run.ended_at)} AS ended_at,`,
    `${sqlString(run.status)} AS status, ${sqlString(run.cpgc_version)} AS cpgc_version, ${bigint(run.cleaned_files)} AS cleaned_files,`,
    `${actions} AS actions`,
  ].join(" ");
}

/** The run record of an apply report. */
export function runRecordOf(report: ApplyReport, cpgcVersion: string): RunRecord {
  return {
    run_id: report.run_id,
    plan_id: report.plan_id,
    started_at: report.started_at,
    ended_at: report.ended_at,
    status: report.status,
    cpgc_version: cpgcVersion,
    cleaned_files: report.cleaned_files,
    actions: report.actions.map((a) => ({
      table: a.table,
      op: a.op,
      outcome: a.outcome,
      version: a.version,
      rows_written: a.rows_written,
      inputs: a.inputs,
      error_code: a.error?.code ?? null,
      error_message: a.error?.message ?? null,
      duration_ms: a.duration_ms,
    })),
  };
}

/**
 * Appends the run to `_cpgc_runs` (creating the table on the first run). Idempotent: the append
 * carries the txn `cpgc-run:<run_id>`, so recording a run twice keeps one row (result.skipped).
 */
export function recordRun(lakeRoot: string, report: ApplyReport, options: { cpgcVersion: string; db?: Database }): DeltaWriteResult {
  const table = runsTablePath(lakeRoot);
  const source = { sql: runRowSql(runRecordOf(report, options.cpgcVersion)) };
  const metadata = { run_id: report.run_id, plan_id: report.plan_id, cpgc_version: options.cpgcVersion };
  const call = { ...(options.db !== undefined ? { db: options.db } : {}), commit: { metadata } };
  if (!hasCommit(table)) {
    try {
      createDeltaTable(table, { schema: RUNS_SCHEMA as unknown as DeltaFieldSpec[], partitionColumns: [] }, call);
    } catch (error) {
      if (!(error instanceof NativeError && error.code === "DELTA_TABLE_EXISTS")) throw error;
    }
  }
  return appendToDeltaTable(table, source, { ...call, commit: { metadata, txn: { appId: `${RUN_TXN_PREFIX}${report.run_id}`, version: 0 } } });
}

/** The runs of the lake, newest first (at most `limit`); none when the table is absent. */
export function readRuns(lakeRoot: string, options: { limit?: number; db?: Database } = {}): RunRecord[] {
  const table = runsTablePath(lakeRoot);
  if (!hasCommit(table)) return [];
  const limit = options.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  return withDatabase(options.db, (db) => {
    const view = "__cpgc_runs_table";
    registerDeltaView(db, view, table);
    try {
      const { rows } = db.query(
        `SELECT run_id, plan_id, epoch_ms(started_at) AS s, epoch_ms(ended_at) AS e, status, cpgc_version, cleaned_files, CAST(to_json(actions) AS VARCHAR) AS actions FROM ${quoteIdent(view)} ORDER BY started_at DESC, run_id DESC${limit}`,
      );
      return rows.map((r) => ({
        run_id: String(r["run_id"]),
        plan_id: String(r["plan_id"]),
        started_at: new Date(Number(r["s"])).toISOString(),
        ended_at: new Date(Number(r["e"])).toISOString(),
        status: String(r["status"]) as RunRecord["status"],
        cpgc_version: String(r["cpgc_version"]),
        cleaned_files: Number(r["cleaned_files"] ?? 0),
        actions: (JSON.parse(String(r["actions"] ?? "[]")) as RunAction[] | null) ?? [],
      }));
    } finally {
      db.query(`DROP VIEW IF EXISTS ${quoteIdent(view)}`);
    }
  });
}
