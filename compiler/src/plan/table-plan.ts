/**
 * Building blocks of one TablePlan: the class order, the state a commit records, the pins, and
 * the ways a computed plan is narrowed (not targeted, --refresh-only).
 */
import { plannedExtract } from "./diff-extract.js";
import { carriedDigests, readerDigests } from "./digests.js";
import { deltaReads, isClean, type Dirt } from "./impact.js";
import {
  TABLE_STATE_FORMAT,
  type Change,
  type ChangeClass,
  type DesiredTable,
  type DriftCommit,
  type ObservedState,
  type ObservedTable,
  type Pin,
  type TablePlan,
  type TableState,
} from "./model.js";

/** Weakest first (model.ts: TablePlan.class). */
export const CLASS_ORDER: readonly ChangeClass[] = [
  "cosmetic",
  "metadata-only",
  "new-files-only",
  "non-breaking",
  "forward-only",
  "breaking",
  "rewrite-required",
  "destructive",
  "irreversible",
];

export function strongestClass(changes: readonly Change[]): ChangeClass {
  return changes.reduce<ChangeClass>((acc, c) => (CLASS_ORDER.indexOf(c.class) > CLASS_ORDER.indexOf(acc) ? c.class : acc), "cosmetic");
}

export function pinOf(obs: ObservedTable | undefined): Pin {
  return obs?.status === "present" ? { status: "present", table_id: obs.table_id, version: obs.version } : { status: "absent" };
}

export function viewsTablePin(observed: ObservedState): Pin {
  return observed.views_table_version === null ? { status: "absent" } : { status: "present", table_id: observed.views_table_id ?? "", version: observed.views_table_version };
}

/** "2 commits by other writers since cpgc's last apply: v12 WRITE (Apache-Spark/3.5.1), v13" */
export function driftReason(drift: readonly DriftCommit[]): string {
  const shown = drift.slice(0, 3).map((d) => `v${d.version}${d.operation ? ` ${d.operation}` : ""}${d.engine ? ` (${d.engine})` : ""}`);
  const more = drift.length > 3 ? ` and ${drift.length - 3} more` : "";
  return `${drift.length} commit${drift.length === 1 ? "" : "s"} by other writers since cpgc's last apply: ${shown.join(", ")}${more}`;
}

export interface RecordContext {
  readonly observed: ObservedState;
  readonly byName: (name: string) => DesiredTable | undefined;
  /** Dirt the plan gives each table so far (an input being rewritten has no version to record yet). */
  readonly dirt: (name: string) => Dirt | undefined;
}

/**
 * The durable state a commit for `t` records. With a write, inputs and digests are what apply
 * measures (it completes them); without one, the table's rows are unchanged, so the previous
 * digests (through renames), inputs and source fingerprint carry over.
 */
export function recordedState(t: DesiredTable, obs: ObservedTable | undefined, write: boolean, ctx: RecordContext, sourceSeen = false): TableState {
  const prev = obs?.status === "present" ? obs.state : null;
  const src = ctx.observed.sources[t.name];
  const isSource = t.role === "source";
  // sourceSeen: the source's files changed while its rows did not (proven by digests).
  const recordSource = write || sourceSeen;
  const sourceFiles = recordSource ? src?.files.map((f) => ({ path: f.path, sha256: f.sha256 })) : prev?.source_files;
  const present = obs?.status === "present" ? obs : null;
  // A write is the next commit (apply refuses to commit when the pinned version moved); without
  // one, the rows are those of the last commit that wrote them — unless others committed since.
  const rows_version = present === null ? 0 : write ? present.version + 1 : present.drift !== null && present.drift.length === 0 && prev?.rows_version !== undefined ? prev.rows_version : present.version;
  const extract = t.role !== "extract" ? undefined : write ? plannedExtract(t, src) : prev?.extract;
  return {
    format: TABLE_STATE_FORMAT,
    spec_hash: t.spec_hash,
    writer_hash: t.writer_hash,
    ast_fingerprint: t.ast_fingerprint,
    policy_hash: t.policy_hash,
    sql: t.sql,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    properties: { ...t.properties },
    inputs: write ? plannedInputs(t, ctx) : (prev?.inputs ?? {}),
    source_fingerprint: isSource ? (recordSource ? (src?.fingerprint ?? null) : (prev?.source_fingerprint ?? null)) : null,
    digests: write ? null : carriedDigests(prev?.digests, t.columns),
    digest_engine: write ? null : (prev?.digest_engine ?? null),
    ...(isSource && sourceFiles !== undefined ? { source_files: sourceFiles } : {}),
    ...(t.kind === "view" ? { lineage: t.lineage } : {}),
    writer: t.writer,
    rows_version,
    ...(extract !== undefined ? { extract } : {}),
  };
}

/** Per Delta table read: the version and digests the plan saw, when the plan leaves that input alone (else apply fills them). */
function plannedInputs(t: DesiredTable, ctx: RecordContext): TableState["inputs"] {
  const out: Record<string, { version: number; digests: Record<string, string> }> = {};
  for (const [name, cols] of deltaReads(t, ctx.byName)) {
    const cur = ctx.observed.tables[name];
    const moving = !isClean(ctx.dirt(name) ?? { columns: new Set(), rows: false }) || cur?.status !== "present";
    if (moving || cur?.status !== "present") {
      out[name] = { version: -1, digests: {} };
      continue;
    }
    out[name] = { version: cur.version, digests: readerDigests(cur.state?.digests, cols.size === 0 ? null : cols) };
  }
  return out;
}

/** A table the plan leaves alone (not targeted, excluded): its changes are not applied. */
export function leaveAlone(tp: TablePlan, why: string): TablePlan {
  if (tp.op === "noop" || tp.op === "orphan") return tp;
  return {
    ...tp,
    op: tp.kind === "orphan" ? "orphan" : "noop",
    class: "cosmetic",
    changes: [],
    sql_diff: null,
    indirect: null,
    dirty_columns: [],
    step: {},
    state: null,
    notes: [...tp.notes, `${why}: ${tp.changes.length} change${tp.changes.length === 1 ? "" : "s"} not planned`],
  };
}

/** --refresh-only: drift is reported, nothing is changed. */
export function driftOnly(tp: TablePlan): TablePlan {
  const changes = tp.changes.filter((c) => c.kind === "drift").map((c) => ({ ...c, class: "cosmetic" as const }));
  return { ...tp, op: tp.kind === "orphan" ? "orphan" : "noop", class: "cosmetic", changes, sql_diff: null, indirect: null, dirty_columns: [], step: {}, state: null };
}
