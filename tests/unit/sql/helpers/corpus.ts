import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseExpression, parseQuery, printSql, sameTree, type Dialect, type Node, type ParseResult } from "../../../../compiler/src/sql/index.js";

const REPO = resolve(fileURLToPath(new URL("../../../..", import.meta.url)));

/** The shared SQL corpus (read-only), ../shared/corpus/sql; CPGC_SQL_CORPUS overrides. */
export const CORPUS_DIR = process.env["CPGC_SQL_CORPUS"] ?? resolve(REPO, "../shared/corpus/sql");
export const HAVE_CORPUS = existsSync(join(CORPUS_DIR, "identity.jsonl"));

export interface TpchQuery {
  readonly name: string;
  readonly sql: string;
}

export function tpchQueries(): TpchQuery[] {
  const dir = join(CORPUS_DIR, "tpch", "queries");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ""), sql: readFileSync(join(dir, f), "utf8") }));
}

export interface IdentityEntry {
  readonly index: number;
  readonly sql: string;
  readonly kind: "query" | "expression" | "ddl" | "dml" | "utility";
}

export function identityEntries(): IdentityEntry[] {
  return readFileSync(join(CORPUS_DIR, "identity.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const e = JSON.parse(l) as { sql: string; kind: IdentityEntry["kind"] };
      return { index: i + 1, sql: e.sql, kind: e.kind };
    });
}

export const ROUND_TRIP_DIALECTS: readonly Dialect[] = ["duckdb", "spark", "ansi"];

export type Parsed = { readonly ast: Node; readonly asSelectItem: boolean };

export function parseAs(sql: string, expression: boolean, dialect: Dialect): ParseResult<Node> {
  return expression ? parseExpression(sql, { dialect }) : parseQuery(sql, { dialect });
}

/** The outcome of parse → print(d) → parse for one dialect. */
export type DialectOutcome =
  | { readonly status: "ok"; readonly sql: string }
  | { readonly status: "inexpressible"; readonly reason: string }
  | { readonly status: "reparse-error"; readonly sql: string; readonly reason: string }
  | { readonly status: "mismatch"; readonly sql: string };

export function roundTrip(ast: Node, expression: boolean, dialect: Dialect): DialectOutcome {
  const printed = printSql(ast, dialect);
  if (printed.diagnostics.length > 0) return { status: "inexpressible", reason: printed.diagnostics[0]!.diagnostic.message };
  const again = parseAs(printed.sql, expression, dialect);
  if (!again.ok) return { status: "reparse-error", sql: printed.sql, reason: again.diagnostics.map((d) => d.diagnostic.message).join("; ") };
  return sameTree(ast, again.ast) ? { status: "ok", sql: printed.sql } : { status: "mismatch", sql: printed.sql };
}
