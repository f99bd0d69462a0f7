import type { IToken } from "./chevrotain.js";

/** What a statement is, from its first word: a view holds exactly one query. */
export type StatementKind = "query" | "ddl" | "dml" | "utility";

const KINDS: Readonly<Record<string, StatementKind>> = Object.fromEntries([
  ...["CREATE", "DROP", "ALTER", "TRUNCATE", "COMMENT", "RENAME"].map((w) => [w, "ddl"]),
  ...["INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "COPY", "REPLACE"].map((w) => [w, "dml"]),
  ...[
    "SET", "RESET", "USE", "PRAGMA", "ATTACH", "DETACH", "EXPLAIN", "DESCRIBE", "SHOW", "SUMMARIZE", "CALL", "LOAD", "INSTALL", "BEGIN", "START",
    "COMMIT", "ROLLBACK", "ABORT", "VACUUM", "ANALYZE", "CHECKPOINT", "EXPORT", "IMPORT", "GRANT", "REVOKE", "CACHE", "UNCACHE", "REFRESH", "MSCK",
    "OPTIMIZE", "EXECUTE", "PREPARE", "DEALLOCATE", "ADD", "LIST", "KILL", "LOCK", "UNLOCK", "DECLARE",
  ].map((w) => [w, "utility"]),
]);

/**
 * The kind of a statement from its first word, or for `WITH … INSERT/UPDATE/…` from the word
 * that follows the CTE list (anything else is read as a query).
 */
export function statementKind(tokens: readonly IToken[]): StatementKind {
  const first = tokens[0];
  if (!first) return "query";
  // Queries start with one of these tokens: no spelling to look up (upper-casing the first word of
  // every query was a hot spot, and a deoptimization loop when its strings differed in kind).
  const head = first.tokenType.name;
  if (head === "SELECT" || head === "VALUES" || head === "FROM" || head === "LParen") return "query";
  if (head !== "WITH") return KINDS[first.image.toUpperCase()] ?? "query";
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const name = tokens[i]!.tokenType.name;
    if (name === "LParen") depth++;
    else if (name === "RParen" && --depth === 0) {
      // The CTE list ends at the first top-level `)` not followed by a comma.
      const next = tokens[i + 1];
      if (!next || next.tokenType.name === "Comma" || next.image.toUpperCase() === "AS") continue;
      const after = KINDS[next.image.toUpperCase()];
      return after === "ddl" || after === "dml" ? after : "query";
    }
  }
  return "query";
}

const HEAD_WORDS = new Set(["OR", "REPLACE", "TEMP", "TEMPORARY", "TABLE", "VIEW", "INTO", "FROM", "UNIQUE", "INDEX", "SCHEMA", "MACRO", "FUNCTION", "SEQUENCE", "TYPE", "DATABASE", "MATERIALIZED", "SECRET"]);

/** The leading keywords of a statement, for messages: "CREATE OR REPLACE VIEW …", "SELECT …". */
export function statementHead(tokens: readonly IToken[]): string {
  // `WITH … INSERT INTO …` is named by its INSERT.
  let start = 0;
  if (tokens[0]?.image.toUpperCase() === "WITH") {
    start = Math.max(0, tokens.findIndex((t) => KINDS[t.image.toUpperCase()] === "dml" || KINDS[t.image.toUpperCase()] === "ddl"));
  }
  const words = [tokens[start]!.image.toUpperCase()];
  for (const t of tokens.slice(start + 1, start + 4)) {
    const w = t.image.toUpperCase();
    if (!HEAD_WORDS.has(w)) break;
    words.push(w);
  }
  return `${words.join(" ")} …`;
}

/** Splits tokens at top-level semicolons; empty statements are dropped. */
export function splitStatements(tokens: readonly IToken[]): IToken[][] {
  if (!tokens.some((t) => t.tokenType.name === "Semicolon")) return tokens.length > 0 ? [tokens as IToken[]] : [];
  const out: IToken[][] = [];
  let current: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType.name === "Semicolon") {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) out.push(current);
  return out;
}
