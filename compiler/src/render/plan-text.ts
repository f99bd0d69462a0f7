/**
 * `cpgc plan` for a terminal, terraform-like: a legend of the symbols in use, one block per table
 * with something to do (noop tables are hidden), errors and warnings, and exactly one closing
 * summary line. Formats `planView` only; color is a layer over the same text (stripping the
 * escapes gives the uncolored output byte for byte).
 */
import type { Plan } from "../plan/model.js";
import { lineText, planView, type Marker, type SectionKind, type ShownOp, type TableView, type ViewSection, OP_SYMBOLS } from "./plan-view.js";

type Style = "green" | "yellow" | "red" | "cyan" | "bold" | "dim" | "boldRed" | "boldYellow";

const SGR: Readonly<Record<Style, string>> = {
  green: "32",
  yellow: "33",
  red: "31",
  cyan: "36",
  bold: "1",
  dim: "2",
  boldRed: "1;31",
  boldYellow: "1;33",
};

export type Paint = (style: Style, s: string) => string;

const painter = (color: boolean): Paint => (color ? (style, s) => (s === "" ? s : `\x1b[${SGR[style]}m${s}\x1b[0m`) : (_style, s) => s);

const OP_STYLE: Readonly<Record<ShownOp, Style>> = {
  create: "green",
  update: "yellow",
  replace: "red",
  rematerialize: "cyan",
  register: "cyan",
  destroy: "red",
  orphan: "yellow",
};

const MARKER_STYLE: Readonly<Record<Marker, Style | null>> = { "+": "green", "-": "red", "~": "yellow", " ": null, "…": "dim" };
/** Sections that explain rather than change: dimmed. */
const MUTED: ReadonlySet<SectionKind> = new Set(["indirect", "hidden"]);

/** `-/+` is red then green, like terraform's replace. */
function symbol(op: ShownOp, paint: Paint): string {
  return op === "replace" ? `${paint("red", "-")}/${paint("green", "+")}` : paint(OP_STYLE[op], OP_SYMBOLS[op].symbol);
}

export function tableHeader(t: TableView, paint: Paint): string {
  return `${symbol(t.op, paint)} ${paint("bold", t.address)} ${t.label}`;
}

/** A section's lines, unindented; the markdown renderer uses these with a paint that does nothing. */
export function sectionLines(s: ViewSection, paint: Paint): string[] {
  return s.lines.map((l) => {
    const text = lineText(l);
    if (MUTED.has(s.kind)) return paint("dim", text);
    const style = l.marker === null ? null : MARKER_STYLE[l.marker];
    if (style === null) return text;
    // Color the marker and what follows it, not the indentation.
    const indent = text.length - text.trimStart().length;
    return `${text.slice(0, indent)}${paint(style, text.slice(indent))}`;
  });
}

/** Listed apart from the actions: apply does nothing to them. */
export const ORPHANS_HEADING = "Tables in the lake that no spec names:";

export const plainPaint: Paint = (_style, s) => s;

export function renderPlanText(plan: Plan, opts: { readonly color: boolean }): string {
  const paint = painter(opts.color);
  const view = planView(plan);
  const out: string[] = [];
  const gap = () => {
    if (out.length > 0 && out[out.length - 1] !== "") out.push("");
  };
  out.push(...view.scope);
  if (view.tables.length > 0) {
    gap();
    out.push("Actions are indicated with the following symbols:");
    for (const op of view.legend) out.push(`  ${symbol(op, paint)} ${OP_SYMBOLS[op].legend}`);
    const block = (heading: string, tables: readonly TableView[]) => {
      if (tables.length === 0) return;
      gap();
      out.push(heading);
      for (const t of tables) {
        out.push("", `  ${tableHeader(t, paint)}`);
        for (const s of t.sections) out.push(...sectionLines(s, paint).map((l) => `      ${l}`));
      }
    };
    block("cpgc will perform the following actions:", view.tables.filter((t) => t.op !== "orphan"));
    block(ORPHANS_HEADING, view.tables.filter((t) => t.op === "orphan"));
  }
  for (const w of view.warnings) {
    gap();
    out.push(`${paint("boldYellow", "Warning:")} ${w}`);
  }
  for (const e of view.errors) {
    gap();
    out.push(`${paint("boldRed", "Error:")} ${paint("bold", `[${e.code}]`)} ${e.address === null ? "" : `${e.address}: `}${e.message}`);
    for (const h of e.hints) out.push(`  ${paint("cyan", "hint:")} ${h}`);
  }
  if (view.errors.length > 0) {
    gap();
    const n = view.errors.length;
    out.push(`The plan has ${n} error${n === 1 ? "" : "s"}: apply refuses it until ${n === 1 ? "it is" : "they are"} resolved.`);
  }
  gap();
  out.push(view.noChanges ? paint("green", view.summary) : `${paint("bold", "Plan:")}${view.summary.slice("Plan:".length)}`);
  return `${out.join("\n")}\n`;
}
