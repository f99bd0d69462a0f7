/**
 * How `cpgc apply` reports: one progress line per table action, the closing summary and the
 * failures (expectation counts and sample rows). Pure formatting over ActionResult / ApplyReport.
 */
import type { ActionResult, ApplyReport, TableOp } from "../plan/model.js";
import { clean, OP_SYMBOLS } from "../render/plan-view.js";

const paint = (on: boolean, code: string, s: string) => (on && s !== "" ? `\x1b[${code}m${s}\x1b[0m` : s);

const OUTCOME_COLOR: Readonly<Record<ActionResult["outcome"], string>> = {
  committed: "32",
  "already-applied": "32",
  registered: "32",
  destroyed: "32",
  unchanged: "2",
  failed: "1;31",
  skipped: "33",
};

export function opSymbol(op: TableOp): string {
  return op === "noop" ? " " : OP_SYMBOLS[op].symbol;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a terminal shows while a table's action runs (replaced by its progress line). */
export function runningLine(table: string, op: TableOp, layout: Layout, color: boolean): string {
  return `  ${opSymbol(op).padEnd(layout.symbol)} ${clean(table).padEnd(layout.name)}  ${paint(color, "2", "running…")}`;
}

/** Column widths of the progress lines: the longest symbol and table name of the plan's actions. */
export interface Layout {
  readonly symbol: number;
  readonly name: number;
}

const OUTCOME_WIDTH = Math.max(...Object.keys(OUTCOME_COLOR).map((o) => o.length));

/** `  extracted 23 files with python (1 failed: see extract_errors) in 840 ms` — one extractor run. */
export function extractLine(extractor: string, files: number, failed: number, durationMs: number, color: boolean): string {
  const failures = failed > 0 ? ` (${paint(color, "33", `${failed} failed`)}: see extract_errors)` : "";
  return `  extracted ${plural(files, "file")} with ${clean(extractor)}${failures} in ${Math.round(durationMs)} ms`;
}

/** What a terminal shows while an extractor runs (replaced by its line). */
export function extractProgressLine(extractor: string, done: number, total: number, color: boolean): string {
  return `  extracting with ${clean(extractor)}  ${paint(color, "2", `${done}/${total} files…`)}`;
}

/** `  ⟳ functions  committed        v3  6 rows  41 ms`, aligned in columns. */
export function progressLine(r: ActionResult, layout: Layout, color: boolean): string {
  const parts = [paint(color, OUTCOME_COLOR[r.outcome], r.outcome) + " ".repeat(OUTCOME_WIDTH - r.outcome.length)];
  if (r.version !== null && (r.outcome === "committed" || r.outcome === "already-applied")) parts.push(`v${r.version}`);
  if (r.files_extracted !== undefined) parts.push(plural(r.files_extracted, "file"));
  if (r.refresh !== undefined) parts.push(r.refresh.mode === "incremental" ? `incremental (${plural(r.refresh.keys, "key")})` : "in full");
  if (r.rows_written !== null) parts.push(plural(r.rows_written, "row"));
  parts.push(`${Math.round(r.duration_ms)} ms`);
  if (r.outcome === "failed" && r.error) parts.push(`(${clean(r.error.code)})`);
  return `  ${opSymbol(r.op).padEnd(layout.symbol)} ${clean(r.table).padEnd(layout.name)}  ${parts.join("  ")}`.trimEnd();
}

/** Which summary bucket an action counts in: the plan summary's counting (replace and register are updates). */
function bucket(r: ActionResult): "created" | "updated" | "rematerialized" | "destroyed" | null {
  switch (r.op) {
    case "create":
      return "created";
    case "update":
    case "replace":
      return "updated";
    case "rematerialize":
      return "rematerialized";
    case "destroy":
    case "orphan":
      return "destroyed";
    case "register":
      return "updated";
    case "noop":
      return null;
  }
}

const DONE: ReadonlySet<ActionResult["outcome"]> = new Set(["committed", "already-applied", "registered", "destroyed"]);

/** "Resources: 3 created, 1 updated, 2 rematerialized, 0 destroyed." over the actions that took effect. */
export function resourcesLine(report: ApplyReport): string {
  const n = { created: 0, updated: 0, rematerialized: 0, destroyed: 0 };
  for (const r of report.actions) {
    const b = DONE.has(r.outcome) ? bucket(r) : null;
    if (b) n[b]++;
  }
  return `Resources: ${n.created} created, ${n.updated} updated, ${n.rematerialized} rematerialized, ${n.destroyed} destroyed.`;
}

function sampleLine(row: Readonly<Record<string, unknown>>): string {
  const text = JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return clean(text.length > 200 ? `${text.slice(0, 199)}…` : text);
}

/** Failed and skipped actions, and expectations that failed (warnings included), in detail. */
export function problemLines(report: ApplyReport, color: boolean): string[] {
  const lines: string[] = [];
  let skipping = false;
  for (const r of report.actions) {
    const failedExpectations = r.expectations.filter((e) => !e.passed);
    if (r.outcome !== "failed" && r.outcome !== "skipped" && failedExpectations.length === 0) continue;
    if (r.outcome === "skipped") {
      // Consecutive skips read as one block.
      if (!skipping) lines.push("");
      skipping = true;
      const why = r.error ? clean(r.error.message.replace(/^skipped:\s*/, "")) : "an input was not applied";
      lines.push(`${paint(color, "33", "Skipped:")} ${paint(color, "1", clean(r.table))} — ${why}`);
      continue;
    }
    skipping = false;
    lines.push("");
    if (r.outcome === "failed") {
      const message = r.error ? clean(r.error.message) : "";
      lines.push(`${paint(color, "1;31", "Error:")} ${paint(color, "1", clean(r.table))} failed${r.error ? `: [${clean(r.error.code)}] ${message}` : ""}`);
      if (!/stays at/.test(message)) lines.push(`  ${clean(r.table)} stays at its previous version`);
    } else {
      lines.push(`${paint(color, "1;33", "Warning:")} ${paint(color, "1", clean(r.table))}: expectations with severity warn failed (committed anyway)`);
    }
    for (const e of failedExpectations) {
      const what = /^row_count/.test(e.expectation) ? `${e.failing} rows` : plural(e.failing, "offending row");
      lines.push(`  ${paint(color, e.severity === "error" ? "31" : "33", "✗")} ${clean(e.expectation)}: ${what}${e.from_stats ? " (from file statistics)" : ""}`);
      for (const row of e.sample.slice(0, 5)) lines.push(`      ${sampleLine(row)}`);
    }
  }
  return lines;
}

/** The closing lines: "Apply complete! Resources: …" or, when something failed, what did not happen. */
export function summaryLines(report: ApplyReport, color: boolean): string[] {
  const failed = report.actions.filter((r) => r.outcome === "failed").length;
  const skipped = report.actions.filter((r) => r.outcome === "skipped").length;
  const lines = problemLines(report, color);
  lines.push("");
  if (failed === 0 && skipped === 0 && report.status === "success") {
    lines.push(`${paint(color, "1;32", "Apply complete!")} ${resourcesLine(report)}`);
  } else {
    const what = [failed > 0 ? `${failed} failed` : "", skipped > 0 ? `${skipped} skipped` : ""].filter(Boolean).join(", ");
    lines.push(`${paint(color, "1;31", "Apply incomplete!")} ${resourcesLine(report)}${what ? ` ${what[0]!.toUpperCase()}${what.slice(1)}.` : ""}`);
    lines.push("Tables that committed keep their new versions; fix the problems and run apply again to finish.");
  }
  lines.push(`Run ${report.run_id} (plan ${report.plan_id}) is recorded in _cpgc_runs: cpgc runs`);
  return lines;
}
