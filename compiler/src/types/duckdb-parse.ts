/**
 * DuckDB type strings → Arrow type model, reading DuckDB's own spelling as `typeof()` and
 * DESCRIBE print it (`STRUCT(a INTEGER, "b c" VARCHAR)`, `VARCHAR[][]`, `MAP(VARCHAR, BIGINT)`,
 * `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`) and the usual aliases (INT, INT8 = BIGINT,
 * TEXT, REAL, BYTEA, NUMERIC, TIMESTAMPTZ, ...). Case-insensitive; field names keep case.
 *
 * Reads back: TIME → time64[us], TIME_NS → time64[ns], TIMESTAMP → timestamp[us],
 * TIMESTAMPTZ → timestamp[us, UTC], `DECIMAL` without parameters → decimal(18, 3) (DuckDB's
 * default), `VARCHAR(n)` → utf8. Everything is nullable (DuckDB has no nested nullability). Types without a counterpart
 * (HUGEINT, UUID, INTERVAL, JSON, ENUM, UNION, BIT, TIMETZ, fixed-size `T[n]` arrays, ...)
 * are errors at their position. Never throws.
 */
import {
  type ArrowType,
  MAX_DECIMAL_PRECISION,
  MAX_NESTING_DEPTH,
  type StructField,
  decimal,
  field,
  isScalar,
  list,
  map,
  primitive,
  struct,
  time64,
  timestamp,
} from "./model.js";
import type { ParseResult } from "./parse.js";
import { type Span, Scanner, runScanner } from "./scanner.js";
import { didYouMean } from "../diagnostics/suggest.js";

const NAMES = new Map<string, ArrowType>([
  ...["BOOLEAN", "BOOL", "LOGICAL"].map((n) => [n, primitive("bool")] as const),
  ...["TINYINT", "INT1"].map((n) => [n, primitive("int8")] as const),
  ...["SMALLINT", "INT2", "SHORT"].map((n) => [n, primitive("int16")] as const),
  ...["INTEGER", "INT4", "INT", "SIGNED"].map((n) => [n, primitive("int32")] as const),
  ...["BIGINT", "INT8", "LONG"].map((n) => [n, primitive("int64")] as const),
  ["UTINYINT", primitive("uint8")],
  ["USMALLINT", primitive("uint16")],
  ["UINTEGER", primitive("uint32")],
  ["UBIGINT", primitive("uint64")],
  ...["FLOAT", "FLOAT4", "REAL"].map((n) => [n, primitive("float32")] as const),
  ...["DOUBLE", "FLOAT8"].map((n) => [n, primitive("float64")] as const),
  ...["VARCHAR", "CHAR", "BPCHAR", "TEXT", "STRING", "NVARCHAR"].map((n) => [n, primitive("utf8")] as const),
  ...["BLOB", "BYTEA", "BINARY", "VARBINARY"].map((n) => [n, primitive("binary")] as const),
  ["DATE", primitive("date32")],
  ["TIME", time64("us")],
  ["TIME_NS", time64("ns")],
  ...["TIMESTAMP", "DATETIME", "TIMESTAMP_US"].map((n) => [n, timestamp("us")] as const),
  ["TIMESTAMP_S", timestamp("s")],
  ["TIMESTAMP_MS", timestamp("ms")],
  ["TIMESTAMP_NS", timestamp("ns")],
  ["TIMESTAMPTZ", timestamp("us", "UTC")],
]);

const UNSUPPORTED = new Map<string, string | undefined>([
  ["HUGEINT", "use DECIMAL(38,0)"],
  ["INT128", "use DECIMAL(38,0)"],
  ["UHUGEINT", "use DECIMAL(38,0)"],
  ["UUID", "cast it to VARCHAR"],
  ["JSON", "cast it to VARCHAR"],
  ["ENUM", "cast it to VARCHAR"],
  ["INTERVAL", undefined],
  ["UNION", undefined],
  ["BIT", undefined],
  ["BITSTRING", undefined],
  ["VARINT", undefined],
  ["BIGNUM", undefined],
  ["TIMETZ", undefined],
  ["NULL", undefined],
]);

const STRING_TYPES = new Set(["VARCHAR", "CHAR", "BPCHAR", "TEXT", "STRING", "NVARCHAR"]);
const ALL_NAMES = [...NAMES.keys(), "STRUCT", "MAP", "DECIMAL", "NUMERIC"];

export function fromDuckDbType(text: string): ParseResult {
  const r = runScanner(text, (s) => {
    const t = parseType(s, 0);
    s.skipWs();
    if (!s.eof()) s.fail(s.pos, s.text.trimEnd().length - s.pos, `unexpected ${s.describeHere()} after the type`);
    return t;
  });
  return r.ok ? { ok: true, type: r.value } : r;
}

function parseType(s: Scanner, depth: number): ArrowType {
  s.skipWs();
  if (depth > MAX_NESTING_DEPTH) s.failHere(`types nest deeper than ${MAX_NESTING_DEPTH} levels`);
  let t = parseBase(s, depth);
  for (;;) {
    if (!s.tryChar("[")) return t;
    const bracket = s.pos - 1;
    s.skipWs();
    const size = s.readDigits();
    if (size !== undefined) {
      s.skipWs();
      const end = s.peek() === "]" ? s.pos + 1 : s.pos;
      s.fail(bracket, end - bracket, `fixed-size arrays (${size.text}) are not supported`, "use a list: T[]");
    }
    s.expect("]");
    if (depth + 1 > MAX_NESTING_DEPTH) s.fail(bracket, 1, `types nest deeper than ${MAX_NESTING_DEPTH} levels`);
    t = list(t);
  }
}

function parseBase(s: Scanner, depth: number): ArrowType {
  const word = s.readWord();
  if (word === undefined) return s.failHere(`expected a type, found ${s.describeHere()}`);
  const name = word.text.toUpperCase();
  switch (name) {
    case "STRUCT":
      return parseStruct(s, depth);
    case "MAP":
      return parseMap(s, depth);
    case "DECIMAL":
    case "NUMERIC":
      return parseDecimal(s);
    case "TIMESTAMP":
      return parseTimeZoneSuffix(s) ? timestamp("us", "UTC") : timestamp("us");
    case "TIME":
      if (parseTimeZoneSuffix(s)) unsupported(s, word, "TIME WITH TIME ZONE");
      return time64("us");
    case "DOUBLE":
      s.tryWord("precision");
      return primitive("float64");
  }
  const t = NAMES.get(name);
  if (t !== undefined) {
    if (STRING_TYPES.has(name) && s.tryChar("(")) {
      s.readInteger("a length");
      s.expect(")");
    }
    return t;
  }
  if (UNSUPPORTED.has(name)) return unsupported(s, word, name, UNSUPPORTED.get(name));
  return s.fail(word.start, word.end - word.start, `unknown DuckDB type '${word.text}'`, didYouMean(name, ALL_NAMES));
}

function unsupported(s: Scanner, word: Span, name: string, hint?: string): never {
  return s.fail(word.start, s.pos - word.start, `DuckDB type ${name} has no counterpart in the cpgc type model`, hint);
}

/** `WITH TIME ZONE` → true, `WITHOUT TIME ZONE` or nothing → false. */
function parseTimeZoneSuffix(s: Scanner): boolean {
  const withTz = s.tryWord("with") !== undefined;
  if (!withTz && s.tryWord("without") === undefined) return false;
  if (s.tryWord("time") === undefined || s.tryWord("zone") === undefined) {
    s.failHere(`expected 'TIME ZONE', found ${s.describeHere()}`);
  }
  return withTz;
}

function parseStruct(s: Scanner, depth: number): ArrowType {
  s.expect("(", 'write STRUCT("name" TYPE, ...)');
  s.skipWs();
  if (s.peek() === ")") s.fail(s.pos, 1, "a struct must have at least one field");
  const fields: StructField[] = [];
  const seen = new Set<string>();
  do {
    s.skipWs();
    const name = s.readWord() ?? s.readQuoted('"');
    if (name === undefined) s.failHere(`expected a field name, found ${s.describeHere()}`);
    if (name.text === "") s.fail(name.start, name.end - name.start, "a field name must not be empty");
    if (seen.has(name.text.toLowerCase())) {
      s.fail(name.start, name.end - name.start, `duplicate field name '${name.text}' (names are case-insensitive)`);
    }
    seen.add(name.text.toLowerCase());
    fields.push(field(name.text, parseType(s, depth + 1)));
  } while (s.tryChar(","));
  s.skipWs();
  if (s.peek() !== ")") s.failHere(`expected ',' or ')', found ${s.describeHere()}`);
  s.pos++;
  return struct(fields);
}

function parseMap(s: Scanner, depth: number): ArrowType {
  s.expect("(", "write MAP(KEY, VALUE)");
  s.skipWs();
  const keyStart = s.pos;
  const key = parseType(s, depth + 1);
  if (!isScalar(key)) s.fail(keyStart, s.pos - keyStart, "a map key must be a primitive type");
  s.expect(",", "a map has a key and a value type: MAP(VARCHAR, BIGINT)");
  const value = parseType(s, depth + 1);
  s.expect(")");
  return map(key, value);
}

function parseDecimal(s: Scanner): ArrowType {
  if (!s.tryChar("(")) return decimal(18, 3);
  const p = s.readInteger("a precision (an integer)");
  if (p.value < 1 || p.value > MAX_DECIMAL_PRECISION) {
    s.fail(p.span.start, p.span.end - p.span.start, `decimal precision must be 1..${MAX_DECIMAL_PRECISION}, got ${p.span.text}`);
  }
  let scale = 0;
  if (s.tryChar(",")) {
    const sc = s.readInteger("a scale (an integer)");
    if (sc.value > p.value) {
      s.fail(sc.span.start, sc.span.end - sc.span.start, `decimal scale must be 0..precision (0..${p.value}), got ${sc.span.text}`);
    }
    scale = sc.value;
  }
  s.expect(")");
  return decimal(p.value, scale);
}
