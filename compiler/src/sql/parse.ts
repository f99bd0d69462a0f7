import type { IToken } from "./chevrotain.js";
import type { SqlCst } from "./parser/cst.js";
import type { Expr, Node } from "./ast/nodes.js";
import type { Query } from "./ast/queries.js";
import { astBuilder } from "./build/builder.js";
import { baseDialect, type Dialect } from "./dialect.js";
import { sqlCodeOf, sqlDiagnostic, type SqlDiagnostic } from "./diagnostics.js";
import { tokenize } from "./lexer/lexer.js";
import { placeholders, syntaxDiagnostic } from "./parse-errors.js";
import { tooDeep, tooDeepTree } from "./parse-limits.js";
import { sqlParser } from "./parser/parser.js";
import { splitStatements, statementHead, statementKind } from "./statements.js";

export { MAX_NESTING, MAX_TREE_DEPTH } from "./parse-limits.js";

export interface ParseOptions {
  /** The dialect the text is written in (default duckdb): string quoting, `^`, type names. */
  readonly dialect?: Dialect;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly ast: T; readonly diagnostics: readonly SqlDiagnostic[] }
  | { readonly ok: false; readonly ast: null; readonly diagnostics: readonly SqlDiagnostic[] };

const KIND_NAMES: Readonly<Record<string, string>> = {
  ddl: "DDL statements (CREATE, DROP, ALTER, …)",
  dml: "DML statements (INSERT, UPDATE, DELETE, …)",
  utility: "session and utility statements (SET, PRAGMA, …)",
};

function fail<T>(diagnostics: readonly SqlDiagnostic[]): ParseResult<T> {
  return { ok: false, ast: null, diagnostics };
}

/**
 * Parses the SQL of a view: exactly one query (a trailing `;` is allowed). Never throws: every
 * lexical, syntax and statement-level problem is a diagnostic with offsets into `text`.
 */
export function parseQuery(text: string, options: ParseOptions = {}): ParseResult<Query> {
  const dialect = options.dialect ?? "duckdb";
  const lexed = tokenize(text, dialect);
  const diags: SqlDiagnostic[] = [...lexed.diagnostics];
  if (placeholders(text, lexed.tokens, diags)) return fail(diags);
  const statements = splitStatements(lexed.tokens);
  const first = statements[0];
  if (!first) {
    if (diags.length === 0) diags.push(sqlDiagnostic("CPG1005", "the SQL holds no query", { start: 0, end: text.length }, ["a view's sql is one SELECT (or WITH …) query"]));
    return fail(diags);
  }
  const kind = statementKind(first);
  if (kind !== "query") {
    diags.push(sqlDiagnostic("CPG1001", `a view holds one query; found ${statementHead(first)}`, statementRange(first), [`${KIND_NAMES[kind]} cannot define a view: its SQL is the one SELECT (or WITH … SELECT) that computes its rows`]));
    return fail(diags);
  }
  const second = statements[1];
  if (second) {
    diags.push(sqlDiagnostic("CPG1002", `a view holds one query; found a second statement: ${statementHead(second)}`, statementRange(second), ["remove everything after the first query's ';'"]));
  }
  return finish(text, first, dialect, diags, "query") as ParseResult<Query>;
}

/** Parses one SQL expression (no statement around it). */
export function parseExpression(text: string, options: ParseOptions = {}): ParseResult<Expr> {
  const dialect = options.dialect ?? "duckdb";
  const lexed = tokenize(text, dialect);
  const diags: SqlDiagnostic[] = [...lexed.diagnostics];
  if (placeholders(text, lexed.tokens, diags)) return fail(diags);
  if (lexed.tokens.length === 0) {
    if (diags.length === 0) diags.push(sqlDiagnostic("CPG1005", "the SQL holds no expression", { start: 0, end: text.length }));
    return fail(diags);
  }
  return finish(text, lexed.tokens, dialect, diags, "expression") as ParseResult<Expr>;
}

/** Tokens → CST → AST, with the limits checked on the way; any diagnostic so far fails the parse. */
function finish(text: string, tokens: IToken[], dialect: Dialect, diags: SqlDiagnostic[], entry: "query" | "expression"): ParseResult<Node> {
  if (tooDeep(tokens, diags)) return fail(diags);
  const cst = runParser(tokens, text, diags, entry);
  if (!cst || diags.length > 0) return fail(diags);
  const builder = astBuilder();
  const built = guard(() => (entry === "query" ? builder.buildQuery(cst, baseDialect(dialect)) : builder.buildExpression(cst, baseDialect(dialect))), tokens[0]!, diags);
  if (!built || built.diagnostics.length > 0) return fail([...diags, ...(built?.diagnostics ?? [])]);
  if (tooDeepTree(built.ast, tokens.length, diags)) return fail(diags);
  return { ok: true, ast: built.ast, diagnostics: [] };
}

function runParser(tokens: IToken[], text: string, diags: SqlDiagnostic[], entry: "query" | "expression"): SqlCst | null {
  const parser = sqlParser();
  let cst: SqlCst;
  try {
    // without error recovery first (faster); with it when there are errors, to report them all
    parser.setRecovery(false);
    parser.input = tokens;
    cst = (entry === "query" ? parser.queryStatement() : parser.expressionStatement()) as unknown as SqlCst;
    if (!parser.hasErrors()) return cst;
    parser.setRecovery(true);
    parser.input = tokens;
    cst = (entry === "query" ? parser.queryStatement() : parser.expressionStatement()) as unknown as SqlCst;
  } catch (err) {
    // Only a bug (or an input beyond MAX_NESTING's reach) gets here; it is still a diagnostic.
    const at = tokens[0];
    diags.push(sqlDiagnostic("CPG1000", `internal error while parsing: ${(err as Error).message}`, { start: at?.startOffset ?? 0, end: text.length }, ["this is a bug in cpgc; please report it with the query"]));
    return null;
  }
  const seen = new Set<number>();
  // After a lexical error the parser sees a mutilated query: what it reports from there on
  // follows from the first error, so only the lexical error is worth reading.
  const lexicalAt = Math.min(...diags.filter((d) => sqlCodeOf(d) === "CPG1004").map((d) => d.range.start));
  for (const e of parser.errors) {
    const d = syntaxDiagnostic(e, text, tokens);
    if (d.range.start >= lexicalAt) continue;
    if (seen.has(d.range.start)) continue;
    seen.add(d.range.start);
    diags.push(d);
  }
  return cst;
}

function statementRange(tokens: readonly IToken[]): { start: number; end: number } {
  const last = tokens[tokens.length - 1]!;
  return { start: tokens[0]!.startOffset, end: last.startOffset + last.image.length };
}

/** The builder throws only on a bug; that still becomes a diagnostic rather than an exception. */
function guard<T>(fn: () => T, at: IToken, diags: SqlDiagnostic[]): T | null {
  try {
    return fn();
  } catch (err) {
    diags.push(sqlDiagnostic("CPG1000", `internal error while reading the query: ${(err as Error).message}`, { start: at.startOffset, end: at.startOffset + at.image.length }, ["this is a bug in cpgc; please report it with the query"]));
    return null;
  }
}
