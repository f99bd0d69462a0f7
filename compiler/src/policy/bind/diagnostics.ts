/**
 * Diagnostics of the binder (qualify + annotate types): CPG12xx in diagnostics/codes.ts. Each carries a `kind`, the
 * machine-readable reason conformance suites and callers match on.
 */
import { diagnostic, type DiagnosticCode } from "../../diagnostics/index.js";
import type { Range } from "../../sql/index.js";
import type { SqlDiagnostic } from "../../sql/index.js";

export const BIND_DIAGNOSTICS = {
  unknown_table: "CPG1200",
  unresolved_column: "CPG1201",
  ambiguous_column: "CPG1202",
  duplicate_alias: "CPG1203",
  ambiguous_using_column: "CPG1204",
  ordinal_out_of_range: "CPG1205",
  join_without_from: "CPG1206",
  unknown_column: "CPG1207",
  unknown_field: "CPG1208",
  empty_star: "CPG1209",
  unknown_function: "CPG1210",
  no_overload: "CPG1211",
  type_mismatch: "CPG1212",
  set_op_arity: "CPG1213",
  alias_columns: "CPG1214",
  unsupported: "CPG1215",
} as const satisfies Record<string, DiagnosticCode>;

export type BindErrorKind = keyof typeof BIND_DIAGNOSTICS;

export interface BindDiagnostic extends SqlDiagnostic {
  readonly kind: BindErrorKind;
}

export function bindDiagnostic(kind: BindErrorKind, message: string, range: Range, hints: readonly (string | undefined)[] = [], severity: "error" | "warning" = "error"): BindDiagnostic {
  const code = BIND_DIAGNOSTICS[kind];
  return Object.freeze({
    kind,
    diagnostic: diagnostic(code, message, { hints, severity }),
    range: Object.freeze({ start: Math.max(0, range.start), end: Math.max(0, range.end) }),
  });
}
