/** What a transform (or any lane step) returns: the new tree and what it had to say. */
import type { Diagnostic } from "../../diagnostics/index.js";
import { diagnostic, type DiagnosticCode, type Severity } from "../../diagnostics/index.js";
import type { Node, Query, TextRange } from "../../sql/index.js";

/** A diagnostic located by offsets into the SQL text the tree was parsed from (like SqlDiagnostic). */
export interface PassDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly range: TextRange;
}

export interface PassResult {
  readonly query: Query;
  readonly diagnostics: readonly PassDiagnostic[];
}

const NOTHING: readonly PassDiagnostic[] = Object.freeze([]);

/** The result of a pass that leaves the tree as it is and has nothing to say. */
export const unchanged = (query: Query): PassResult => ({ query, diagnostics: NOTHING });

/**
 * The policy lane's codes (CPG13xx in diagnostics/codes.ts).
 */
export type LaneCode = Extract<DiagnosticCode, `CPG13${string}`>;

export function passDiagnostic(code: LaneCode, message: string, at: Node | null, severity: Severity = "warning", hints: readonly (string | undefined)[] = []): PassDiagnostic {
  const r = at && at.range.start >= 0 ? at.range : { start: 0, end: 0 };
  return Object.freeze({ diagnostic: diagnostic(code, message, { severity, hints }), range: Object.freeze({ start: r.start, end: r.end }) });
}
