/**
 * Parser of Arrow type strings as users write them in specs:
 *
 *   type      := primitive | date32 ['[day]'] | date64 ['[ms]']
 *              | time32 '[' (s|ms) ']' | time64 '[' (us|ns) ']'
 *              | timestamp '[' unit [',' ['tz' '='] timezone] ']'
 *              | decimal '(' precision [',' scale] ')'
 *              | struct '<' name ':' type [not null] (',' name ':' type [not null])* '>'
 *              | list '<' [name ':'] type [not null] '>'
 *              | map '<' scalar [not null] ',' type [not null] '>'
 *   name      := [A-Za-z_][A-Za-z0-9_]* | '"' ('""' | any char but '"')+ '"'
 *   timezone  := [A-Za-z0-9_/+\-:.]+ | '"' … '"' | "'" … "'"
 *
 * Whitespace-insensitive; keywords, units and `not null` are case-insensitive; field names and
 * timezones keep their case. Aliases: see `TYPE_ALIASES`. `decimal(p)` means `decimal(p, 0)`;
 * a list element name (`list<item: int64>`, as pyarrow prints) is accepted and dropped; a map
 * key may say `not null` (keys are always non-null). Struct field names must be unique
 * case-insensitively (Delta Lake and DuckDB both resolve names that way).
 *
 * Never throws: every failure is a `TypeStringError` pointing at the offending text.
 */
import { ALL_TYPE_WORDS, FOREIGN_TYPE_NAMES, canonicalKeyword } from "./keywords.js";
import {
  type ArrowType,
  type StructField,
  type TimeUnit,
  MAX_DECIMAL_PRECISION,
  MAX_NESTING_DEPTH,
  TIME_UNITS,
  decimal,
  field,
  isPrimitiveKind,
  isScalar,
  list,
  map,
  primitive,
  struct,
  time32,
  time64,
  timestamp,
} from "./model.js";
import { type Span, type TypeStringError, Scanner, runScanner } from "./scanner.js";
import { didYouMean } from "../diagnostics/suggest.js";

export type { TypeStringError } from "./scanner.js";

export type ParseResult =
  | { readonly ok: true; readonly type: ArrowType }
  | { readonly ok: false; readonly error: TypeStringError };

export function parseArrowType(text: string): ParseResult {
  const r = runScanner(text, (s) => {
    s.skipWs();
    if (s.eof()) s.fail(s.pos, 0, "expected a type, found end of input", "for example: int64, utf8, list<utf8>");
    const t = parseType(s, 0);
    s.skipWs();
    if (!s.eof()) trailing(s);
    return t;
  });
  return r.ok ? { ok: true, type: r.value } : r;
}

function trailing(s: Scanner): never {
  const start = s.pos;
  const length = s.text.trimEnd().length - start;
  if (s.tryWord("not") !== undefined) {
    s.fail(
      start,
      length,
      "'not null' is only allowed on struct fields, list elements and map values",
      "a column's own nullability is set by its `nullable` property",
    );
  }
  return s.fail(start, length, `unexpected ${s.describeHere()} after the type`);
}

const TIMEZONE_CHARS = /[A-Za-z0-9_/+\-:.]/;

function parseType(s: Scanner, depth: number): ArrowType {
  s.skipWs();
  if (depth > MAX_NESTING_DEPTH) s.failHere(`types nest deeper than ${MAX_NESTING_DEPTH} levels`);
  const word = s.readWord();
  if (word === undefined) return s.failHere(`expected a type, found ${s.describeHere()}`);
  const keyword = canonicalKeyword(word.text);
  switch (keyword) {
    case "struct":
      return parseStruct(s, depth);
    case "list":
      return parseList(s, depth);
    case "map":
      return parseMap(s, depth);
    case "timestamp":
      return parseTimestamp(s);
    case "time32":
    case "time64":
      return parseTime(s, keyword);
    case "decimal":
      return parseDecimal(s);
    case "date32":
    case "date64":
      if (s.tryChar("[")) {
        const unit = keyword === "date32" ? "day" : "ms";
        if (s.tryWord(unit) === undefined) s.failHere(`expected '${unit}' (${keyword}[${unit}])`);
        s.expect("]");
      }
      return primitive(keyword);
    default:
      if (keyword !== undefined && isPrimitiveKind(keyword)) return primitive(keyword);
      return unknownType(s, word);
  }
}

function unknownType(s: Scanner, word: Span): never {
  const foreign = FOREIGN_TYPE_NAMES.get(word.text.toLowerCase());
  const hint =
    foreign !== undefined
      ? `type names follow Arrow: write '${foreign}'`
      : didYouMean(word.text, ALL_TYPE_WORDS);
  return s.fail(word.start, word.end - word.start, `unknown type '${word.text}'`, hint);
}

/** Optional `not null` after a nested type position; returns the nullability. */
function parseNullability(s: Scanner): boolean {
  if (s.tryWord("not") === undefined) return true;
  if (s.tryWord("null") === undefined) s.failHere(`expected 'null' after 'not', found ${s.describeHere()}`);
  return false;
}

function parseFieldName(s: Scanner, what: string): Span {
  s.skipWs();
  const name = s.readWord() ?? s.readQuoted('"');
  if (name === undefined) {
    return s.failHere(`expected ${what}, found ${s.describeHere()}`, 'names are identifiers or "double-quoted"');
  }
  if (name.text === "") s.fail(name.start, name.end - name.start, "a field name must not be empty");
  return name;
}

function parseStruct(s: Scanner, depth: number): ArrowType {
  s.expect("<", "write struct<name: type, ...>");
  s.skipWs();
  if (s.peek() === ">") s.fail(s.pos, 1, "a struct must have at least one field");
  const fields: StructField[] = [];
  const seen = new Map<string, string>();
  do {
    const name = parseFieldName(s, "a field name");
    const folded = name.text.toLowerCase();
    const previous = seen.get(folded);
    if (previous !== undefined) {
      s.fail(
        name.start,
        name.end - name.start,
        `duplicate field name '${name.text}'`,
        previous === name.text ? undefined : `field names are case-insensitive: '${previous}' is already declared`,
      );
    }
    seen.set(folded, name.text);
    s.expect(":", "struct fields are written name: type");
    const type = parseType(s, depth + 1);
    fields.push(field(name.text, type, parseNullability(s)));
  } while (s.tryChar(","));
  s.skipWs();
  if (s.peek() !== ">") s.failHere(`expected ',' or '>', found ${s.describeHere()}`);
  s.pos++;
  return struct(fields);
}

function parseList(s: Scanner, depth: number): ArrowType {
  s.expect("<", "write list<element type>");
  skipElementName(s);
  const element = parseType(s, depth + 1);
  const nullable = parseNullability(s);
  s.expect(">");
  return list(element, nullable);
}

/** Consumes `name:` before a list element type (pyarrow prints `list<item: int64>`). */
function skipElementName(s: Scanner): void {
  const save = s.pos;
  s.skipWs();
  const name = s.readWord() ?? (s.peek() === '"' ? s.readQuoted('"') : undefined);
  if (name !== undefined && s.tryChar(":")) return;
  s.pos = save;
}

function parseMap(s: Scanner, depth: number): ArrowType {
  s.expect("<", "write map<key type, value type>");
  s.skipWs();
  const keyStart = s.pos;
  const key = parseType(s, depth + 1);
  if (!isScalar(key)) {
    s.fail(keyStart, s.pos - keyStart, "a map key must be a primitive type", "use utf8 or an integer type as key");
  }
  parseNullability(s);
  s.expect(",", "a map has a key and a value type: map<utf8, int64>");
  const value = parseType(s, depth + 1);
  const nullable = parseNullability(s);
  s.expect(">");
  return map(key, value, nullable);
}

function parseUnit(s: Scanner, allowed: readonly TimeUnit[], owner: string): TimeUnit {
  s.skipWs();
  const word = s.readWord();
  if (word === undefined) return s.failHere(`expected a time unit, found ${s.describeHere()}`);
  const unit = TIME_UNITS.find((u) => u === word.text.toLowerCase());
  const expected = `${owner} units are ${allowed.join(", ")}`;
  if (unit === undefined) s.fail(word.start, word.end - word.start, `unknown time unit '${word.text}'`, expected);
  if (!allowed.includes(unit)) s.fail(word.start, word.end - word.start, `${owner} does not take unit '${unit}'`, expected);
  return unit;
}

function parseTimestamp(s: Scanner): ArrowType {
  s.expect("[", "a timestamp needs a unit: timestamp[us] or timestamp[us, UTC]");
  const unit = parseUnit(s, TIME_UNITS, "timestamp");
  let timezone: string | null = null;
  if (s.tryChar(",")) {
    s.skipWs();
    let tz = readTimezone(s);
    if (tz !== undefined && tz.text.toLowerCase() === "tz" && s.tryChar("=")) {
      s.skipWs();
      tz = readTimezone(s);
    }
    if (tz === undefined) s.failHere(`expected a timezone, found ${s.describeHere()}`, "for example UTC or Europe/Paris");
    if (tz.text.trim() === "") s.fail(tz.start, tz.end - tz.start, "a timezone must not be empty");
    timezone = tz.text;
  }
  s.expect("]");
  return timestamp(unit, timezone);
}

function readTimezone(s: Scanner): Span | undefined {
  return s.readQuoted('"') ?? s.readQuoted("'") ?? s.readRun(TIMEZONE_CHARS);
}

function parseTime(s: Scanner, keyword: "time32" | "time64"): ArrowType {
  s.expect("[", keyword === "time32" ? "write time32[s] or time32[ms]" : "write time64[us] or time64[ns]");
  const allowed: readonly TimeUnit[] = keyword === "time32" ? ["s", "ms"] : ["us", "ns"];
  const unit = parseUnit(s, allowed, keyword);
  s.expect("]");
  return unit === "s" || unit === "ms" ? time32(unit) : time64(unit);
}

function parseDecimal(s: Scanner): ArrowType {
  s.expect("(", "a decimal needs a precision and scale: decimal(18, 4)");
  const p = s.readInteger("a precision (an integer)");
  if (p.value < 1 || p.value > MAX_DECIMAL_PRECISION) {
    s.fail(p.span.start, p.span.end - p.span.start, `decimal precision must be 1..${MAX_DECIMAL_PRECISION}, got ${p.span.text}`);
  }
  let scale = 0;
  if (s.tryChar(",")) {
    s.skipWs();
    if (s.peek() === "-") s.fail(s.pos, 1, "decimal scale must not be negative");
    const sc = s.readInteger("a scale (an integer)");
    if (sc.value > p.value) {
      s.fail(sc.span.start, sc.span.end - sc.span.start, `decimal scale must be 0..precision (0..${p.value}), got ${sc.span.text}`);
    }
    scale = sc.value;
  }
  s.expect(")");
  return decimal(p.value, scale);
}
