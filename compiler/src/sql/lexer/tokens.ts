import { createToken, Lexer, type TokenType } from "../chevrotain.js";
import { keywordClass, NOT_BARE_ALIAS, wordsOf, type KeywordClass } from "./keywords.js";

/*
 * Token categories say where a word may stand; the grammar consumes categories, so a keyword
 * that is also a name needs no special case:
 *   ColLabel  any word (after AS, after a dot)
 *   ColId     a column/table name (identifiers, unreserved and colName keywords)
 *   FuncName  a function or type name (ColId plus typeFunc keywords)
 *   BareAlias an alias written without AS
 */
export const ColLabel = createToken({ name: "ColLabel", pattern: Lexer.NA, label: "a name" });
export const FuncName = createToken({ name: "FuncName", pattern: Lexer.NA, label: "a function name" });
export const ColId = createToken({ name: "ColId", pattern: Lexer.NA, label: "a name" });
export const BareAlias = createToken({ name: "BareAlias", pattern: Lexer.NA, label: "an alias" });
export const TypeFuncOnly = createToken({ name: "TypeFuncOnly", pattern: Lexer.NA, label: "a function name" });
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA, label: "a string" });
export const CompOp = createToken({ name: "CompOp", pattern: Lexer.NA, label: "a comparison" });
export const ArithOp = createToken({ name: "ArithOp", pattern: Lexer.NA, label: "an operator" });
export const AndOr = createToken({ name: "AndOr", pattern: Lexer.NA, label: "AND or OR" });
export const PrefixOp = createToken({ name: "PrefixOp", pattern: Lexer.NA, label: "a sign" });

const NAME_CATEGORIES = [ColLabel, FuncName, ColId, BareAlias];

// Skipped and error tokens. Comments (hints `/*+ … */` included) carry no meaning.
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: "LineComment", pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
export const UnterminatedComment = createToken({ name: "UnterminatedComment", pattern: /\/\*[\s\S]*/, group: "errors", line_breaks: true });
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /[eE]?'[\s\S]*/, group: "errors", line_breaks: true });
export const UnterminatedQuoted = createToken({ name: "UnterminatedQuoted", pattern: /["`][\s\S]*/, group: "errors", line_breaks: true });
/** `{{`: a template placeholder that was not rendered; the parser never accepts it. */
export const TemplateOpen = createToken({ name: "TemplateOpen", pattern: /\{\{/, label: "'{{'" });

// Literals and quoted names. Standard strings double a quote; E'' and Spark strings use backslashes.
export const SqString = createToken({ name: "SqString", pattern: /'(?:[^']|'')*'/, categories: [StringLiteral], line_breaks: true });
export const EString = createToken({ name: "EString", pattern: /[eE]'(?:[^'\\]|\\[\s\S]|'')*'/, categories: [StringLiteral], line_breaks: true });
export const BsString = createToken({ name: "BsString", pattern: /'(?:[^'\\]|\\[\s\S])*'/, categories: [StringLiteral], line_breaks: true });
export const DqString = createToken({ name: "DqString", pattern: /"(?:[^"\\]|\\[\s\S])*"/, categories: [StringLiteral], line_breaks: true });
export const QuotedIdent = createToken({ name: "QuotedIdent", pattern: /"(?:[^"]|"")*"/, categories: NAME_CATEGORIES, label: "a name", line_breaks: true });
export const BacktickIdent = createToken({ name: "BacktickIdent", pattern: /`(?:[^`]|``)*`/, categories: NAME_CATEGORIES, label: "a name", line_breaks: true });
export const NumberLit = createToken({ name: "NumberLit", pattern: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/, label: "a number" });
export const Parameter = createToken({ name: "Parameter", pattern: /\?|\$(?:\d+|[A-Za-z_]\w*)/, label: "a parameter" });
/** Every word; the lexer re-types keywords after matching (see lexer.ts). */
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/, categories: NAME_CATEGORIES, label: "a name" });

function op(name: string, pattern: RegExp, label: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, label: `'${label}'`, categories });
}

export const LongArrow = op("LongArrow", /->>/, "->>", [ArithOp]);
export const Arrow = op("Arrow", /->/, "->");
export const NullSafeEq = op("NullSafeEq", /<=>/, "<=>");
export const LessEq = op("LessEq", /<=/, "<=", [CompOp]);
export const NotEq = op("NotEq", /<>|!=/, "<>", [CompOp]);
export const ShiftLeft = op("ShiftLeft", /<</, "<<", [ArithOp]);
export const Less = op("Less", /</, "<", [CompOp]);
export const GreaterEq = op("GreaterEq", />=/, ">=", [CompOp]);
export const Greater = op("Greater", />/, ">", [CompOp]);
export const FatArrow = op("FatArrow", /=>/, "=>");
export const Equals = op("Equals", /==?/, "=", [CompOp]);
export const DoubleColon = op("DoubleColon", /::/, "::");
export const ColonEquals = op("ColonEquals", /:=/, ":=");
export const Colon = op("Colon", /:/, ":");
export const Concat = op("Concat", /\|\|/, "||", [ArithOp]);
export const Pipe = op("Pipe", /\|/, "|", [ArithOp]);
export const DoubleStar = op("DoubleStar", /\*\*/, "**", [ArithOp]);
export const Star = op("Star", /\*/, "*", [ArithOp]);
export const DoubleSlash = op("DoubleSlash", /\/\//, "//", [ArithOp]);
export const Slash = op("Slash", /\//, "/", [ArithOp]);
export const Plus = op("Plus", /\+/, "+", [ArithOp, PrefixOp]);
export const Minus = op("Minus", /-/, "-", [ArithOp, PrefixOp]);
export const Percent = op("Percent", /%/, "%", [ArithOp]);
export const Caret = op("Caret", /\^/, "^", [ArithOp]);
export const Amp = op("Amp", /&/, "&", [ArithOp]);
export const Tilde = op("Tilde", /~/, "~", [PrefixOp]);
export const LParen = op("LParen", /\(/, "(");
export const RParen = op("RParen", /\)/, ")");
export const LBracket = op("LBracket", /\[/, "[");
export const RBracket = op("RBracket", /]/, "]");
export const LBrace = op("LBrace", /\{/, "{");
export const RBrace = op("RBrace", /\}/, "}");
export const Comma = op("Comma", /,/, ",");
export const Dot = op("Dot", /\./, ".");
export const Semicolon = op("Semicolon", /;/, ";");

// Keywords the grammar uses. Each is a token type (pattern NA: the lexer re-types Identifier
// tokens); its categories follow its class. Words the grammar does not use stay Identifier, or
// become ReservedWord / TypeFuncWord so that they are refused where a name is expected.
export const ReservedWord = createToken({ name: "ReservedWord", pattern: Lexer.NA, categories: [ColLabel], label: "a reserved word" });
export const TypeFuncWord = createToken({ name: "TypeFuncWord", pattern: Lexer.NA, categories: [ColLabel, FuncName, TypeFuncOnly], label: "a name" });

const STRUCTURAL = [
  "ALL", "AND", "ANY", "ARRAY", "AS", "ASC", "BOTH", "CASE", "CAST", "COLLATE", "DESC", "DISTINCT", "ELSE", "END", "EXCEPT", "FALSE", "FETCH", "FOR",
  "FROM", "GROUP", "HAVING", "IN", "INTERSECT", "LAMBDA", "LATERAL", "LEADING", "LIMIT", "NOT", "NULL", "OFFSET", "ON", "ONLY", "OR", "ORDER", "QUALIFY",
  "PIVOT", "SELECT", "SOME", "SYMMETRIC", "THEN", "TO", "TRAILING", "TRUE", "UNION", "UNPIVOT", "USING", "WHEN", "WHERE", "WINDOW", "WITH",
  "ANTI", "AT", "BY", "COLUMNS", "CROSS", "FULL", "GLOB", "ILIKE", "INNER", "IS", "ISNULL", "JOIN", "LEFT", "LIKE", "MAP", "NATURAL", "NOTNULL", "OUTER",
  "POSITIONAL", "RIGHT", "SEMI", "SIMILAR", "STRUCT", "TRY_CAST",
  "BETWEEN", "EXISTS", "EXTRACT", "GROUPING", "INTERVAL", "POSITION", "ROW", "SUBSTRING", "TIME", "TIMESTAMP", "TRIM", "VALUES",
  "CUBE", "CURRENT", "DIV", "ESCAPE", "EXCLUDE", "FILTER", "FIRST", "FOLLOWING", "GROUPS", "IGNORE", "INCLUDE", "LAST", "MATERIALIZED", "MINUS", "NAME", "NEXT", "NO",
  "NULLS", "ORDINALITY", "OTHERS", "OVER", "VIEW", "PARTITION", "PRECEDING", "RANGE", "RECURSIVE", "RENAME", "REPLACE", "RESPECT", "ROLLUP", "ROWS", "SETS", "TIES",
  "UNBOUNDED", "UNKNOWN", "WITHIN", "WITHOUT", "ZONE",
] as const;
export type KeywordName = (typeof STRUCTURAL)[number];

function categoriesOf(word: string, cls: KeywordClass): TokenType[] {
  switch (cls) {
    case "reserved":
      return [ColLabel];
    case "typeFunc":
      return [ColLabel, FuncName, TypeFuncOnly];
    case "colName":
      return [ColLabel, FuncName, ColId];
    case "unreserved":
      return NOT_BARE_ALIAS.has(word) ? [ColLabel, FuncName, ColId] : [ColLabel, FuncName, ColId, BareAlias];
  }
}

/** The keyword token types, by word. */
export const K = Object.fromEntries(
  STRUCTURAL.map((word) => {
    const categories = categoriesOf(word, keywordClass(word) ?? "unreserved");
    if (word === "AND" || word === "OR") categories.push(AndOr);
    return [word, createToken({ name: word, pattern: Lexer.NA, label: word, categories })];
  }),
) as Readonly<Record<KeywordName, TokenType>>;

/** Upper-cased word → the token type it lexes as (absent: a plain Identifier). */
export const WORD_TOKENS: ReadonlyMap<string, TokenType> = (() => {
  const map = new Map<string, TokenType>();
  for (const w of wordsOf("reserved")) map.set(w, ReservedWord);
  for (const w of wordsOf("typeFunc")) map.set(w, TypeFuncWord);
  for (const word of STRUCTURAL) map.set(word, K[word]);
  return map;
})();

const OPERATORS = [
  LongArrow, Arrow, NullSafeEq, LessEq, NotEq, ShiftLeft, Less, GreaterEq, Greater, FatArrow, Equals, DoubleColon, ColonEquals, Colon, Concat, Pipe,
  DoubleStar, Star, DoubleSlash, Slash, Plus, Minus, Percent, Caret, Amp, Tilde, LParen, RParen, LBracket, RBracket, TemplateOpen, LBrace, RBrace, Comma,
  Dot, Semicolon,
];

const HEAD = [WhiteSpace, LineComment, BlockComment, UnterminatedComment];
const TAIL = [NumberLit, Identifier, Parameter, ...OPERATORS];

/** Token definitions per lexing flavour, in match order (first match wins). */
export const LEXER_DEFINITIONS = {
  // DuckDB and ANSI: "x" is a name, 'x' a string with '' for a quote, E'x' a string with escapes.
  standard: [...HEAD, EString, SqString, QuotedIdent, BacktickIdent, UnterminatedString, UnterminatedQuoted, ...TAIL],
  // Spark: 'x' and "x" are strings with backslash escapes, `x` is a name.
  spark: [...HEAD, BsString, DqString, BacktickIdent, UnterminatedString, UnterminatedQuoted, ...TAIL],
} as const;

/** Every token type the parser knows (categories and keywords included). */
export const ALL_TOKENS: TokenType[] = [
  ColLabel, FuncName, ColId, BareAlias, TypeFuncOnly, StringLiteral, CompOp, ArithOp, AndOr, PrefixOp, ReservedWord, TypeFuncWord,
  ...new Set([...LEXER_DEFINITIONS.standard, ...LEXER_DEFINITIONS.spark]),
  ...Object.values(K),
];
