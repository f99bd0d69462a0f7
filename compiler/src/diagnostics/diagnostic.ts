import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning";

/** 1-based line and column, 0-based character offset into the file's text. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface Location {
  readonly file: string;
  readonly range?: Range;
}

/** A second place that explains the first (e.g. the other definition of a duplicate name). */
export interface RelatedLocation extends Location {
  readonly message: string;
}

/** The one type for every user-facing error or warning. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly location?: Location;
  readonly hints: readonly string[];
  readonly related: readonly RelatedLocation[];
}

export interface DiagnosticInit {
  readonly severity?: Severity;
  readonly location?: Location | undefined;
  readonly hints?: readonly (string | undefined)[];
  readonly related?: readonly RelatedLocation[];
}

export function diagnostic(code: DiagnosticCode, message: string, init: DiagnosticInit = {}): Diagnostic {
  return Object.freeze({
    code,
    severity: init.severity ?? "error",
    message,
    ...(init.location ? { location: init.location } : {}),
    hints: (init.hints ?? []).filter((h): h is string => typeof h === "string" && h.length > 0),
    related: init.related ?? [],
  });
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Stable order for output: by file, then position, then code. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.location?.file ?? "";
    const fb = b.location?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const oa = a.location?.range?.start.offset ?? -1;
    const ob = b.location?.range?.start.offset ?? -1;
    if (oa !== ob) return oa - ob;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
