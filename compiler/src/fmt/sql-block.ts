import { format, type FormatOptionsWithLanguage } from "sql-formatter";

/** `{{ name }}` template placeholders: passed through untouched, never substituted. */
export const PLACEHOLDER_PATTERN = String.raw`\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}`;

/**
 * keywordCase is `preserve`, not `lower`: DuckDB keeps the spelling of unquoted identifiers in
 * result column names (`select 1 as Value` names its column `Value`), and sql-formatter's keyword
 * list includes words that are also used as identifiers (value, year, name, ...). Lower-casing
 * "keywords" could therefore rename a view's columns — fmt must never change meaning, only layout.
 */
const OPTIONS: FormatOptionsWithLanguage = {
  language: "duckdb",
  keywordCase: "preserve",
  identifierCase: "preserve",
  dataTypeCase: "preserve",
  functionCase: "preserve",
  tabWidth: 2,
  useTabs: false,
  paramTypes: { custom: [{ regex: PLACEHOLDER_PATTERN }] },
};

export type SqlFormatResult =
  | { readonly ok: true; readonly sql: string }
  | { readonly ok: false; readonly reason: string; /** 0-based offset in the query, when the formatter said where. */ readonly offset?: number };

/**
 * Pretty-prints one query. Fails (so the caller leaves the query as written) when sql-formatter
 * cannot parse it, when its output is not stable under a second run, or when the output differs
 * from the input in anything but whitespace.
 */
export function formatSql(sql: string): SqlFormatResult {
  let once: string;
  try {
    once = format(sql, OPTIONS);
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    return { ok: false, reason: firstLine(message), ...locate(sql, message) };
  }
  let twice: string;
  try {
    twice = format(once, OPTIONS);
  } catch {
    twice = "";
  }
  if (twice !== once) return { ok: false, reason: "sql-formatter gives a different result when run on its own output" };
  if (squash(once) !== squash(sql)) return { ok: false, reason: "sql-formatter would change more than whitespace" };
  return { ok: true, sql: once };
}

/**
 * The YAML block literal (`|`) holding `sql`, for a key at column `keyColumn`: the header (with an
 * optional trailing comment kept from the original) and the body lines indented two spaces deeper
 * than the key. Ends with a newline; the scalar's value is `sql` plus one newline.
 */
export function blockLiteral(sql: string, keyColumn: number, headerComment?: string): string {
  const pad = " ".repeat(keyColumn + 2);
  const body = sql.split("\n").map((l) => (l === "" ? "" : pad + l));
  // A first line that starts with a space would be taken as extra indentation; sql-formatter never
  // emits one, but an explicit indentation indicator keeps the scalar exact if it ever does.
  const indicator = /^\s/.test(sql) ? "|2" : "|";
  return `${indicator}${headerComment ? ` ${headerComment}` : ""}\n${body.join("\n")}\n`;
}

/** The formatter's message on one line, without the position (the diagnostic shows it) or dialect note. */
function firstLine(message: string): string {
  const head = message.split(/\n\s*\n|\nSQL dialect used/)[0] ?? message;
  return head
    .replace(/\s+/g, " ")
    .replace(/\s*at line \d+ column \d+\.?/, "")
    .trim();
}

/** sql-formatter reports "at line L column C" (1-based); turns that into an offset in the query. */
function locate(sql: string, message: string): { offset?: number } {
  const m = /line (\d+) column (\d+)/.exec(message);
  if (!m) return {};
  const lines = sql.split("\n");
  const line = Number(m[1]);
  const col = Number(m[2]);
  if (line < 1 || line > lines.length) return {};
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += (lines[i]?.length ?? 0) + 1;
  return { offset: offset + Math.max(0, col - 1) };
}

/** Whitespace-insensitive form, to check the formatter moved nothing but whitespace. */
function squash(s: string): string {
  return s.replace(/\s+/g, "");
}
