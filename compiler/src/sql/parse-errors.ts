import { closestMatch } from "../diagnostics/index.js";
import type { IRecognitionException, IToken } from "./chevrotain.js";
import { sqlDiagnostic, type SqlDiagnostic } from "./diagnostics.js";
import { keywordClass } from "./lexer/keywords.js";

/** Parser errors as diagnostics: chevrotain's exception, its range and a hint where one helps. */

/** Clause words: finding one where a name was expected is a misplaced clause, not a name to quote. */
const CLAUSE_WORDS = new Set([
  "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "QUALIFY", "ON", "USING",
  "JOIN", "AND", "OR", "NOT", "AS", "WITH", "BY", "THEN", "ELSE", "END", "WHEN", "IN", "IS", "LIKE", "FETCH", "INTO", "ALL", "DISTINCT",
]);

/** Keywords a misspelled word most likely meant (`form` → FROM). */
const TYPO_TARGETS = [
  "SELECT", "FROM", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "UNION", "EXCEPT", "INTERSECT",
  "WITH", "DISTINCT", "QUALIFY", "WINDOW", "PARTITION", "BETWEEN", "VALUES",
];

function typoHint(candidates: readonly (IToken | undefined)[]): string | undefined {
  for (const t of candidates) {
    if (!t || t.tokenType.name !== "Identifier" || t.image.length < 4) continue;
    const match = closestMatch(t.image, TYPO_TARGETS, { maxDistance: 2 });
    if (match) return `did you mean ${match} instead of '${t.image}'?`;
  }
  return undefined;
}

export function syntaxDiagnostic(e: IRecognitionException, text: string, tokens: readonly IToken[]): SqlDiagnostic {
  const t = e.token;
  const atEnd = t.tokenType.name === "EOF" || Number.isNaN(t.startOffset);
  const start = atEnd ? text.trimEnd().length : t.startOffset;
  const end = atEnd ? start : t.startOffset + t.image.length;
  const word = atEnd ? "" : t.image.toUpperCase();
  const cls = atEnd ? null : keywordClass(word);
  const at = atEnd ? tokens.length : tokens.indexOf(t);
  const prev = at > 0 ? tokens[at - 1] : undefined;
  let hint: string | undefined;
  if (prev?.tokenType.name === "Comma" && CLAUSE_WORDS.has(word)) hint = `remove the ',' before '${t.image}'`;
  else if ((cls === "reserved" || cls === "typeFunc") && !CLAUSE_WORDS.has(word)) hint = `'${t.image}' is a reserved word; to use it as a name, quote it: "${t.image}"`;
  else hint = typoHint([atEnd ? undefined : t, prev]);
  return sqlDiagnostic("CPG1000", e.message, { start, end }, [hint]);
}

/** `{{ name }}` left in the text: the template pass renders placeholders before parsing. */
export function placeholders(text: string, tokens: readonly IToken[], diags: SqlDiagnostic[]): boolean {
  let found = false;
  for (const t of tokens) {
    if (t.tokenType.name !== "TemplateOpen") continue;
    const close = text.indexOf("}}", t.startOffset + 2);
    const end = close < 0 ? t.startOffset + 2 : close + 2;
    const what = close < 0 ? "unclosed template placeholder '{{'" : `template placeholder ${text.slice(t.startOffset, end)} was not rendered`;
    diags.push(sqlDiagnostic("CPG1003", what, { start: t.startOffset, end }, [
      "placeholders are replaced by config variables before the query is parsed; check the variable name, or render the template first",
    ]));
    found = true;
  }
  return found;
}
