import { diagnostic, type Diagnostic, type DiagnosticCode, type SourceText } from "../diagnostics/index.js";

/** The diagnostic codes of the SQL frontend: the CPG10xx range of the registry (diagnostics/codes.ts). */
export type SqlDiagnosticCode = Extract<DiagnosticCode, `CPG10${string}`>;

/** Offsets into the SQL text: `start` inclusive, `end` exclusive. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A diagnostic of the SQL frontend, located by offsets into the SQL text it was given. The spec
 * layer maps the offsets into the file that holds the query (see {@link locateSqlDiagnostics}).
 */
export interface SqlDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly range: TextRange;
}

export function sqlDiagnostic(code: SqlDiagnosticCode, message: string, range: TextRange, hints: readonly (string | undefined)[] = []): SqlDiagnostic {
  return Object.freeze({ diagnostic: diagnostic(code, message, { hints }), range: Object.freeze({ start: range.start, end: range.end }) });
}

/**
 * Turns SQL diagnostics into located ones. `source` is the file holding the SQL; `toFileOffset`
 * maps an offset of the SQL text to an offset of that file (identity when the file is the SQL,
 * e.g. a `sql_file`; a block-scalar mapper for a query inside YAML).
 */
export function locateSqlDiagnostics(
  diags: readonly SqlDiagnostic[],
  source: SourceText,
  toFileOffset: (offset: number) => number = (o) => o,
): Diagnostic[] {
  return diags.map((d) => {
    const start = toFileOffset(d.range.start);
    const end = toFileOffset(Math.max(d.range.start, d.range.end));
    return Object.freeze({ ...d.diagnostic, location: { file: source.file, range: source.range(start, end) } });
  });
}

/** The SQL code of a diagnostic (the registry type does not know the SQL codes until merged). */
export function sqlCodeOf(d: SqlDiagnostic): string {
  return d.diagnostic.code;
}
