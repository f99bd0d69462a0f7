import { Lexer, type IToken, type TokenType } from "../chevrotain.js";
import { baseDialect, type Dialect } from "../dialect.js";
import { sqlDiagnostic, type SqlDiagnostic } from "../diagnostics.js";
import { Identifier, LEXER_DEFINITIONS, UnterminatedComment, UnterminatedQuoted, UnterminatedString, WORD_TOKENS } from "./tokens.js";

type Flavour = keyof typeof LEXER_DEFINITIONS;

// One lexer per flavour, built on first use and reused: building one costs far more than a run.
const lexers = new Map<Flavour, Lexer>();

function lexerFor(flavour: Flavour): Lexer {
  let lexer = lexers.get(flavour);
  if (!lexer) {
    lexer = new Lexer([...LEXER_DEFINITIONS[flavour]], { positionTracking: "onlyOffset", ensureOptimizations: true });
    lexers.set(flavour, lexer);
  }
  return lexer;
}

export function flavourOf(dialect: Dialect): Flavour {
  return baseDialect(dialect) === "spark" ? "spark" : "standard";
}

// The keyword a word spells, by the word as written: most words recur (keywords, column
// names), and this spares upper-casing each one. Bounded: cleared when it fills up.
const wordTypes = new Map<string, TokenType | null>();
const WORD_CACHE_SIZE = 10_000;

function keywordOf(image: string): TokenType | null {
  let kw = wordTypes.get(image);
  if (kw === undefined) {
    kw = WORD_TOKENS.get(image.toUpperCase()) ?? null;
    if (wordTypes.size >= WORD_CACHE_SIZE) wordTypes.clear();
    wordTypes.set(image, kw);
  }
  return kw;
}

export interface LexResult {
  readonly tokens: IToken[];
  readonly diagnostics: SqlDiagnostic[];
}

/** Splits SQL text into tokens; every lexical error comes back as a diagnostic. */
export function tokenize(text: string, dialect: Dialect): LexResult {
  const result = lexerFor(flavourOf(dialect)).tokenize(text);
  const diagnostics: SqlDiagnostic[] = [];
  for (const e of result.errors) {
    const ch = text.slice(e.offset, e.offset + 1);
    diagnostics.push(sqlDiagnostic("CPG1004", `unexpected character '${ch}'`, { start: e.offset, end: e.offset + e.length }));
  }
  for (const t of result.groups["errors"] ?? []) diagnostics.push(unterminated(t));
  // Keywords are re-typed here rather than matched by one pattern each: one word pattern and a
  // map lookup are much faster than trying a hundred keyword patterns per word.
  const tokens = result.tokens;
  for (const t of tokens) {
    if (t.tokenType !== Identifier) continue;
    const kw = keywordOf(t.image);
    if (kw !== null) {
      t.tokenType = kw;
      t.tokenTypeIdx = kw.tokenTypeIdx!;
    }
  }
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  return { tokens, diagnostics };
}

function unterminated(t: IToken): SqlDiagnostic {
  const at = { start: t.startOffset, end: t.startOffset + Math.min(t.image.length, 2) };
  if (t.tokenType === UnterminatedComment) return sqlDiagnostic("CPG1004", "unterminated block comment", at, ["close it with */"]);
  if (t.tokenType === UnterminatedString) return sqlDiagnostic("CPG1004", "unterminated string literal", at, ["close it with ' (write '' for a quote inside a string)"]);
  if (t.tokenType === UnterminatedQuoted) {
    const q = t.image[0] ?? '"';
    return sqlDiagnostic("CPG1004", q === "`" ? "unterminated quoted name" : "unterminated quoted name or string", at, [`close it with ${q}`]);
  }
  return sqlDiagnostic("CPG1004", "invalid token", at);
}
