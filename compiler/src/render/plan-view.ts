/**
 * The one view of a Plan that the text and markdown renderers format (terraform's
 * `views/plan.go` idea): which tables to show, with which symbol, and the lines under each. Both
 * renderers walk this structure, so a reason shown in the terminal is the reason shown in the PR
 * comment. Pure: Plan → PlanView; no colors, no markup.
 *
 * Every string that comes from the plan passes through `clean`: names of orphan tables and
 * messages are not validated, and a terminal must not execute what a lake directory is called.
 */
import type { Change, ChangeClass, ColumnDiff, DriftCommit, Plan, TableOp, TablePlan } from "../plan/model.js";
import { sqlDiffLines } from "./plan-sql-diff.js";

/** `…` stands for a run of unchanged SQL lines left out. */
export type Marker = "+" | "-" | "~" | " " | "…";

export interface ViewLine {
  /** Nesting under the section's first line (0 = the section's own line). */
  readonly depth: number;
  readonly marker: Marker | null;
  readonly text: string;
}

export type SectionKind = "changes" | "schema" | "sql" | "indirect" | "drift" | "notes" | "hidden";

export interface ViewSection {
  readonly kind: SectionKind;
  readonly lines: readonly ViewLine[];
}

/** Ops a reader sees (`noop` tables are not shown). */
export type ShownOp = Exclude<TableOp, "noop">;

export interface TableView {
  readonly name: string;
  /** `dataset.files`, `view.functions`, `orphan.old_table`. */
  readonly address: string;
  readonly kind: TablePlan["kind"];
  readonly op: ShownOp;
  readonly symbol: string;
  /** What follows the address: `[class]`, or the orphan wording. */
  readonly label: string;
  readonly class: ChangeClass;
  readonly depends_on: readonly string[];
  readonly sections: readonly ViewSection[];
}

export interface PlanView {
  /** Lines about the plan's scope (targets, refresh-only, prune), shown first. */
  readonly scope: readonly string[];
  /** Ops present among `tables`, in legend order. */
  readonly legend: readonly ShownOp[];
  /** Tables with something to show, in plan (dependency) order. */
  readonly tables: readonly TableView[];
  readonly errors: readonly { readonly address: string | null; readonly code: string; readonly message: string; readonly hints: readonly string[] }[];
  readonly warnings: readonly string[];
  /** True when there is nothing to apply and nothing refused: the "No changes." case. */
  readonly noChanges: boolean;
  /** The one closing line. */
  readonly summary: string;
}

/** Symbol and legend wording per op; a Record over ShownOp so a new op does not compile until it has one. */
export const OP_SYMBOLS: Readonly<Record<ShownOp, { readonly symbol: string; readonly legend: string }>> = {
  create: { symbol: "+", legend: "create" },
  update: { symbol: "~", legend: "update in place" },
  replace: { symbol: "-/+", legend: "replace (the table is rewritten)" },
  rematerialize: { symbol: "⟳", legend: "rematerialize (the view's rows are recomputed)" },
  register: { symbol: "=", legend: "register (logical view, recorded in the lake, never written)" },
  destroy: { symbol: "-", legend: "destroy" },
  orphan: { symbol: "?", legend: "orphan (not destroyed; use --prune)" },
};

export const NO_CHANGES = "No changes. Your lake matches the configuration.";
/** What apply does to an orphan without --prune; its address already says `orphan.`. */
export const ORPHAN_LABEL = "(not destroyed; use --prune)";

// C0/C1 controls (ANSI escapes, newlines that would break the layout) and bidi overrides
// (text that reads differently from what it is) are shown as escapes instead.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A plan string made safe to print on one line. */
export function clean(s: string): string {
  return s.replace(UNSAFE, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const addressOf = (t: Pick<TablePlan, "kind" | "name">): string => `${t.kind}.${clean(t.name)}`;

const quote = (s: string) => clean(JSON.stringify(s));

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.rematerialize} to rematerialize, ${s.destroy} to destroy.`;
}

/** Tables apply acts on (orphans that are only listed do nothing). */
export const acts = (t: TablePlan): boolean => t.op !== "noop" && t.op !== "orphan";

export function planView(plan: Plan): PlanView {
  const tables = plan.tables.filter((t): t is TablePlan & { op: ShownOp } => t.op !== "noop").map(tableView);
  const ops = new Set(tables.map((t) => t.op));
  const kinds = new Map(plan.tables.map((t) => [t.name, t.kind]));
  const noChanges = !plan.tables.some(acts) && plan.errors.length === 0;
  return {
    scope: scopeLines(plan),
    legend: (Object.keys(OP_SYMBOLS) as ShownOp[]).filter((op) => ops.has(op)),
    tables,
    errors: plan.errors.map((e) => {
      const kind = kinds.get(e.table);
      return {
        address: e.table === "" ? null : kind ? addressOf({ kind, name: e.table }) : clean(e.table),
        code: clean(e.code),
        message: clean(e.message),
        hints: e.hints.map(clean),
      };
    }),
    warnings: plan.warnings.map(clean),
    noChanges,
    summary: noChanges ? NO_CHANGES : summaryLine(plan),
  };
}

function scopeLines(plan: Plan): string[] {
  const o = plan.options;
  const lines: string[] = [];
  if (o.refresh_only) lines.push("Refresh-only plan (--refresh-only): records drift, changes no data.");
  if (o.targets.length > 0) lines.push(`Targeted plan (--target): ${o.targets.map(clean).join(", ")} and the ancestors they need.`);
  if (o.excludes.length > 0) lines.push(`Excluded (--exclude): ${o.excludes.map(clean).join(", ")}.`);
  if (o.allow_destructive) lines.push("Destructive changes are allowed (--allow-destructive).");
  if (o.prune) lines.push("Orphan tables are destroyed (--prune).");
  const vars = Object.entries(o.variables);
  if (vars.length > 0) lines.push(`Variables (-var): ${vars.map(([k, v]) => clean(`${k}=${String(v)}`)).join(", ")}.`);
  return lines;
}

function tableView(t: TablePlan & { op: ShownOp }): TableView {
  const sections: ViewSection[] = [];
  const push = (kind: SectionKind, lines: readonly ViewLine[]) => {
    if (lines.length > 0) sections.push({ kind, lines });
  };
  push("changes", t.changes.flatMap((c) => changeLines(c, t.class)));
  if (t.schema_diff.length > 0) push("schema", [line(0, null, "schema:"), ...t.schema_diff.map(columnLine)]);
  if (t.sql_diff) push("sql", [line(0, null, t.sql_diff.before === null ? "sql:" : "sql diff:"), ...sqlDiffLines(t.sql_diff.before, t.sql_diff.after).map((l) => ({ ...l, text: clean(l.text) }))]);
  if (t.indirect && t.indirect.length > 0) push("indirect", [line(0, null, `(because inputs changed: ${indirectColumns(t.indirect).join(", ")})`)]);
  if (t.drift && t.drift.length > 0) push("drift", driftLines(t.drift));
  push("notes", t.notes.map((n) => line(0, null, `note: ${clean(n)}`)));
  if (t.unchanged_attributes > 0) push("hidden", [line(0, null, `(${t.unchanged_attributes} unchanged attribute${t.unchanged_attributes === 1 ? "" : "s"} hidden)`)]);
  return {
    name: clean(t.name),
    address: addressOf(t),
    kind: t.kind,
    op: t.op,
    symbol: OP_SYMBOLS[t.op].symbol,
    label: t.op === "orphan" ? ORPHAN_LABEL : `[${t.class}]`,
    class: t.class,
    depends_on: t.depends_on.map(clean),
    sections,
  };
}

const line = (depth: number, marker: Marker | null, text: string): ViewLine => ({ depth, marker, text });

/** A change's reason, with its own class when it is weaker than the table's (the table shows the strongest). */
function changeLines(c: Change, tableClass: ChangeClass): ViewLine[] {
  const cls = c.class === tableClass ? "" : ` [${c.class}]`;
  const lines = [line(0, null, `${c.kind}: ${clean(c.reason)}${cls}`)];
  for (const a of c.attributes ?? []) {
    const name = clean(a.name);
    if (a.before === null && a.after === null) lines.push(line(1, "~", `${name}: (unset)`));
    else if (a.before === null) lines.push(line(1, "+", `${name}: ${quote(a.after!)}`));
    else if (a.after === null) lines.push(line(1, "-", `${name}: ${quote(a.before)}`));
    else lines.push(line(1, "~", `${name}: ${quote(a.before)} → ${quote(a.after)}`));
  }
  return lines;
}

const nullability = (s: string | null) => (s === "true" ? "nullable" : s === "false" ? "not null" : clean(s ?? "?"));

function columnLine(d: ColumnDiff): ViewLine {
  const col = clean(d.column);
  const v = (s: string | null) => clean(s ?? "?");
  switch (d.change) {
    case "added":
      return line(1, "+", d.after === null ? col : `${col}: ${v(d.after)}`);
    case "removed":
      return line(1, "-", d.before === null ? col : `${col}: ${v(d.before)}`);
    case "retyped":
      return line(1, "~", `${col}: ${v(d.before)} → ${v(d.after)}`);
    case "nullability":
      return line(1, "~", `${col}: ${nullability(d.before)} → ${nullability(d.after)}`);
    case "renamed":
      return line(1, "~", `${col} ← ${v(d.before)} (rename)`);
  }
}

/** `table.column` per dirty input column; a table alone when the plan names no columns. */
export function indirectColumns(indirect: NonNullable<TablePlan["indirect"]>): string[] {
  return indirect.flatMap((i) => (i.columns.length === 0 ? [clean(i.table)] : i.columns.map((c) => `${clean(i.table)}.${clean(c)}`)));
}

function driftLines(drift: readonly DriftCommit[]): ViewLine[] {
  const n = drift.length;
  return [
    line(0, null, `${n} commit${n === 1 ? "" : "s"} not made by cpgc:`),
    ...drift.map((d) => {
      const at = d.timestamp !== null && Number.isFinite(d.timestamp) ? ` at ${new Date(d.timestamp).toISOString()}` : "";
      return line(1, null, `v${d.version} ${clean(d.operation ?? "(unknown operation)")} by ${clean(d.engine ?? "(unknown engine)")}${at}`);
    }),
  ];
}

/** A line as both renderers print it, before indentation and color. */
export function lineText(l: ViewLine): string {
  return `${"  ".repeat(l.depth)}${l.marker === null ? "" : `${l.marker} `}${l.text}`;
}
