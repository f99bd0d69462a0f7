import { describe, expect, it } from "vitest";
import { tokenize } from "../../../compiler/src/sql/lexer/lexer.js";
import { decodeEString, decodeSparkString, decodeStandardString } from "../../../compiler/src/sql/build/strings.js";
import { parseExpression, stripRanges, type Dialect } from "../../../compiler/src/sql/index.js";

const kinds = (sql: string, dialect: Dialect = "duckdb") => tokenize(sql, dialect).tokens.map((t) => `${t.tokenType.name}:${t.image}`);

describe("tokenize", () => {
  it("reads keywords in any case, and other words as identifiers", () => {
    expect(kinds("SeLeCt a FrOm b")).toEqual(["SELECT:SeLeCt", "Identifier:a", "FROM:FrOm", "Identifier:b"]);
    expect(kinds("select date, day, unnest")).toEqual(["SELECT:select", "Identifier:date", "Comma:,", "Identifier:day", "Comma:,", "Identifier:unnest"]);
  });

  it("types reserved words the grammar does not use as ReservedWord / TypeFuncWord", () => {
    expect(kinds("table binary")).toEqual(["ReservedWord:table", "TypeFuncWord:binary"]);
  });

  it.each<[string, string[]]>([
    ["a::int", ["Identifier:a", "DoubleColon:::", "Identifier:int"]],
    ["a->>'x'", ["Identifier:a", "LongArrow:->>", "SqString:'x'"]],
    ["x -> x", ["Identifier:x", "Arrow:->", "Identifier:x"]],
    ["a<=>b", ["Identifier:a", "NullSafeEq:<=>", "Identifier:b"]],
    ["a>>b", ["Identifier:a", "Greater:>", "Greater:>", "Identifier:b"]],
    ["a!=b<>c", ["Identifier:a", "NotEq:!=", "Identifier:b", "NotEq:<>", "Identifier:c"]],
    ["n := 1", ["Identifier:n", "ColonEquals::=", "NumberLit:1"]],
    ["1.5e-3 .5 1.", ["NumberLit:1.5e-3", "NumberLit:.5", "NumberLit:1."]],
    ["? $1 $name", ["Parameter:?", "Parameter:$1", "Parameter:$name"]],
    ["a -- comment\n/* block\n */ b", ["Identifier:a", "Identifier:b"]],
    ["{{ x }}", ["TemplateOpen:{{", "Identifier:x", "RBrace:}", "RBrace:}"]],
  ])("%s", (sql, expected) => {
    expect(kinds(sql)).toEqual(expected);
  });

  it("reads quotes by dialect", () => {
    expect(kinds(`"a" 'b' \`c\` e'd'`)).toEqual(['QuotedIdent:"a"', "SqString:'b'", "BacktickIdent:`c`", "EString:e'd'"]);
    expect(kinds(`"a" 'b' \`c\``, "spark")).toEqual(['DqString:"a"', "BsString:'b'", "BacktickIdent:`c`"]);
  });

  it("reports every lexical error with its offsets", () => {
    const r = tokenize("select # from t where x = 'abc", "duckdb");
    expect(r.diagnostics.map((d) => [d.diagnostic.code, d.diagnostic.message, d.range.start, d.range.end])).toEqual([
      ["CPG1004", "unexpected character '#'", 7, 8],
      ["CPG1004", "unterminated string literal", 26, 28],
    ]);
  });
});

describe("string decoding", () => {
  it.each<[string, string]>([
    ["'it''s'", "it's"],
    ["'a\\nb'", "a\\nb"],
    ["''", ""],
  ])("standard %s", (image, value) => expect(decodeStandardString(image)).toBe(value));

  it.each<[string, string]>([
    ["e'a\\nb'", "a\nb"],
    ["E'\\t\\\\\\''", "\t\\'"],
    ["E'it''s'", "it's"],
    ["E'\\x41\\u00e9\\101'", "AéA"],
  ])("E-string %s", (image, value) => expect(decodeEString(image)).toBe(value));

  it.each<[string, string]>([
    ["'it\\'s'", "it's"],
    ["'a\\nb\\tc'", "a\nb\tc"],
    ["'\\\\'", "\\"],
    ["'\\%\\_'", "\\%\\_"],
    ["'\\u00e9\\q'", "éq"],
    ['"dq"', "dq"],
  ])("spark %s", (image, value) => expect(decodeSparkString(image)).toBe(value));

  it("makes the value, not the spelling, the literal", () => {
    const duck = parseExpression("'it''s'");
    const spark = parseExpression("'it\\'s'", { dialect: "spark" });
    expect(duck.ok && spark.ok && stripRanges(duck.ast)).toEqual(spark.ok && stripRanges(spark.ast));
  });
});
