import { renderDiagnostic, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import type { ProjectLoad } from "../spec/index.js";
import type { CommandIO } from "./io.js";
import { useColor } from "./io.js";

/** Prints diagnostics to stderr, each with its code frame, followed by a count line. */
export function printDiagnostics(diags: readonly Diagnostic[], sources: ReadonlyMap<string, SourceText>, io: CommandIO): void {
  const color = useColor(io, "stderr");
  for (const d of diags) io.stderr(`${renderDiagnostic(d, { sources, color })}\n`);
}

export function countLine(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.length - errors;
  const files = new Set(diags.map((d) => d.location?.file).filter(Boolean)).size;
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`];
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return `${parts.join(", ")}${files > 0 ? ` in ${files} file${files === 1 ? "" : "s"}` : ""}`;
}

/** Diagnostics as JSON objects with 1-based line/column, for --format json. */
export function diagnosticsJson(diags: readonly Diagnostic[]): unknown[] {
  const loc = (l: Diagnostic["location"]) =>
    l
      ? {
          file: l.file,
          ...(l.range
            ? { line: l.range.start.line, column: l.range.start.column, end_line: l.range.end.line, end_column: l.range.end.column }
            : {}),
        }
      : null;
  return diags.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    location: loc(d.location),
    hints: d.hints,
    related: d.related.map((r) => ({ message: r.message, location: loc(r) })),
  }));
}

export { displayPath } from "../diagnostics/index.js";

export type { ProjectLoad };
