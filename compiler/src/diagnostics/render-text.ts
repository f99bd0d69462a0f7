import type { Diagnostic, Location } from "./diagnostic.js";
import type { SourceText } from "./source-text.js";

export interface RenderOptions {
  /** Source texts by file name, for code frames. */
  readonly sources: ReadonlyMap<string, SourceText>;
  readonly color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Renders a diagnostic the way compilers do: header, location, code frame with a caret, hints. */
export function renderDiagnostic(d: Diagnostic, opts: RenderOptions): string {
  const c = opts.color;
  const sevColor = d.severity === "error" ? "1;31" : "1;33";
  const out: string[] = [`${paint(c, sevColor, `${d.severity}[${d.code}]`)}${paint(c, "1", `: ${d.message}`)}`];
  if (d.location) out.push(...renderLocation(d.location, opts, ""));
  for (const r of d.related) out.push(...renderLocation(r, opts, r.message));
  for (const h of d.hints) out.push(`  ${paint(c, "1;36", "= hint:")} ${h}`);
  return out.join("\n");
}

function renderLocation(loc: Location, opts: RenderOptions, note: string): string[] {
  const start = loc.range?.start;
  const where = start ? `${loc.file}:${start.line}:${start.column}` : loc.file;
  const lines = [`  ${paint(opts.color, "1;34", "-->")} ${where}${note ? ` (${note})` : ""}`];
  const src = opts.sources.get(loc.file);
  if (!src || !loc.range || !start) return lines;
  const lineText = src.line(start.line);
  const gutter = String(start.line).length;
  const pad = " ".repeat(gutter);
  const end = loc.range.end;
  const width = end.line === start.line ? Math.max(1, end.column - start.column) : Math.max(1, lineText.length - start.column + 1);
  const caretPad = expandTabs(lineText.slice(0, start.column - 1)).replace(/[^\t]/g, " ");
  lines.push(`  ${pad} ${paint(opts.color, "1;34", "|")}`);
  lines.push(`  ${start.line} ${paint(opts.color, "1;34", "|")} ${expandTabs(lineText)}`);
  lines.push(`  ${pad} ${paint(opts.color, "1;34", "|")} ${caretPad}${paint(opts.color, "1;31", "^".repeat(width))}`);
  return lines;
}

function expandTabs(s: string): string {
  return s.replace(/\t/g, "    ");
}
