/**
 * The types the binder gives expressions: an Arrow type, or one of the SQL types Arrow has no
 * counterpart for — the type of a bare NULL, INTERVAL, and `unknown` (the catalog could not
 * decide: best effort, never an error by itself). Implicit-cast rules of the engine (DuckDB):
 * integer widening, integer → decimal → double, VARCHAR literals to anything, date → timestamp.
 */
import {
  type ArrowType,
  type DecimalType,
  type ScalarType,
  decimal,
  field,
  formatArrowType,
  isScalar,
  list,
  map,
  primitive,
  struct,
  timestamp,
  toDuckDbType,
} from "../../types/index.js";

export type SpecialType = { readonly kind: "null" } | { readonly kind: "interval" } | { readonly kind: "unknown" };
export type ValueType = ArrowType | SpecialType;

export const NULL_TYPE: SpecialType = Object.freeze({ kind: "null" });
export const INTERVAL_TYPE: SpecialType = Object.freeze({ kind: "interval" });
export const UNKNOWN_TYPE: SpecialType = Object.freeze({ kind: "unknown" });
export const BOOL = primitive("bool");
export const INT32 = primitive("int32");
export const INT64 = primitive("int64");
export const FLOAT64 = primitive("float64");
export const UTF8 = primitive("utf8");
export const DATE = primitive("date32");
export const TIMESTAMP = timestamp("us");
/** DuckDB's HUGEINT (sum of integers): Arrow has no int128, decimal(38, 0) holds it. */
export const HUGEINT = decimal(38, 0);

export function isSpecial(t: ValueType): t is SpecialType {
  return t.kind === "null" || t.kind === "interval" || t.kind === "unknown";
}

export function isArrow(t: ValueType): t is ArrowType {
  return !isSpecial(t);
}

/**
 * The type a result column or a row struct's field gets: a bare NULL keeps its own type through
 * subqueries, CTEs and set operations (so the other arm of a UNION decides), and is INTEGER only
 * where the engine must settle it (DuckDB's DESCRIBE of `SELECT NULL`).
 */
export function settledType(t: ValueType): ValueType {
  return t.kind === "null" ? INT32 : t;
}

const INT_RANK: Readonly<Record<string, number>> = { int8: 1, uint8: 1.5, int16: 2, uint16: 2.5, int32: 3, uint32: 3.5, int64: 4, uint64: 4.5 };
const INT_DIGITS: Readonly<Record<string, number>> = { int8: 3, uint8: 3, int16: 5, uint16: 5, int32: 10, uint32: 10, int64: 19, uint64: 20 };

export function isInteger(t: ValueType): boolean {
  return t.kind in INT_RANK;
}
export function isFloat(t: ValueType): boolean {
  return t.kind === "float16" || t.kind === "float32" || t.kind === "float64";
}
export function isNumeric(t: ValueType): boolean {
  return isInteger(t) || isFloat(t) || t.kind === "decimal";
}
export function isString(t: ValueType): boolean {
  return t.kind === "utf8" || t.kind === "large_utf8";
}
export function isTemporal(t: ValueType): boolean {
  return t.kind === "date32" || t.kind === "date64" || t.kind === "timestamp" || t.kind === "time32" || t.kind === "time64";
}
export function isNested(t: ValueType): boolean {
  return t.kind === "struct" || t.kind === "list" || t.kind === "map";
}

/** An integer type as a decimal wide enough to hold it. */
export function asDecimal(t: ValueType): DecimalType | null {
  if (t.kind === "decimal") return t;
  const digits = INT_DIGITS[t.kind];
  return digits === undefined ? null : decimal(digits, 0);
}

function widerInt(a: ArrowType, b: ArrowType): ArrowType {
  const ra = INT_RANK[a.kind]!;
  const rb = INT_RANK[b.kind]!;
  const signed = !a.kind.startsWith("u") || !b.kind.startsWith("u");
  const top = Math.ceil(Math.max(ra, rb) + (signed && (a.kind.startsWith("u") || b.kind.startsWith("u")) ? 0.5 : 0));
  if (!signed) return ra >= rb ? a : b;
  return primitive((["int8", "int16", "int32", "int64"] as const)[Math.min(4, top) - 1] ?? "int64");
}

/** The decimal holding both (DuckDB: max integer digits + max scale, capped at 38). */
export function unifyDecimal(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  const whole = Math.max(a.precision - a.scale, b.precision - b.scale);
  return decimal(Math.min(38, whole + scale), Math.min(scale, 38));
}

/**
 * The common supertype of two types (CASE branches, COALESCE, UNION columns, IN lists), or null
 * when there is none (a struct with an integer).
 */
export function commonType(a: ValueType, b: ValueType): ValueType | null {
  if (a.kind === "null" || a.kind === "unknown") return b.kind === "null" ? a : b;
  if (b.kind === "null" || b.kind === "unknown") return a;
  if (a.kind === "interval" || b.kind === "interval") return a.kind === b.kind ? a : null;
  if (sameType(a, b)) return a;
  if (isInteger(a) && isInteger(b)) return widerInt(a, b);
  if (isNumeric(a) && isNumeric(b)) {
    if (isFloat(a) || isFloat(b)) return a.kind === "float32" && b.kind === "float32" ? a : FLOAT64;
    return unifyDecimal(asDecimal(a)!, asDecimal(b)!);
  }
  if (isString(a) && isString(b)) return UTF8;
  if (isTemporal(a) && isTemporal(b)) {
    if (a.kind === "timestamp" || b.kind === "timestamp") {
      const tz = a.kind === "timestamp" && a.timezone ? a.timezone : b.kind === "timestamp" ? b.timezone : null;
      return timestamp("us", tz);
    }
    if ((a.kind === "date32" || a.kind === "date64") && (b.kind === "date32" || b.kind === "date64")) return DATE;
    return null;
  }
  // A string (literal) meets anything: the engine casts it.
  if (isString(a) && !isNested(b)) return b;
  if (isString(b) && !isNested(a)) return a;
  if (a.kind === "list" && b.kind === "list") {
    const e = commonType(a.element, b.element);
    return e && isArrow(e) ? list(e) : null;
  }
  if (a.kind === "map" && b.kind === "map") {
    const k = commonType(a.key, b.key);
    const v = commonType(a.value, b.value);
    return k && v && isArrow(k) && isArrow(v) && isScalar(k) ? map(k as ScalarType, v) : null;
  }
  if (a.kind === "struct" && b.kind === "struct" && a.fields.length === b.fields.length) {
    const fields = [];
    for (let i = 0; i < a.fields.length; i++) {
      const fa = a.fields[i]!;
      const t = commonType(fa.type, b.fields[i]!.type);
      if (!t || !isArrow(t)) return null;
      fields.push(field(fa.name, t));
    }
    return struct(fields);
  }
  if (a.kind === "bool" && isNumeric(b)) return b;
  if (b.kind === "bool" && isNumeric(a)) return a;
  return null;
}

/** Whether values of the two types can be compared (=, <, IN, BETWEEN, IS DISTINCT FROM). */
export function comparable(a: ValueType, b: ValueType): boolean {
  return commonType(a, b) !== null;
}

export function sameType(a: ValueType, b: ValueType): boolean {
  if (isSpecial(a) || isSpecial(b)) return a.kind === b.kind;
  return formatArrowType(a) === formatArrowType(b);
}

/** How the type reads in a message: the engine's spelling. */
export function describeType(t: ValueType): string {
  switch (t.kind) {
    case "null":
      return "NULL";
    case "interval":
      return "INTERVAL";
    case "unknown":
      return "unknown";
    default:
      return toDuckDbType(t);
  }
}

/** Arithmetic result of `a op b` for + - * % (DuckDB rules), or null when the operands do not fit. */
export function arithmeticType(op: string, a: ValueType, b: ValueType): ValueType | null {
  if (a.kind === "unknown" || b.kind === "unknown") return UNKNOWN_TYPE;
  if (a.kind === "null") return b.kind === "null" ? INT32 : b;
  if (b.kind === "null") return a;
  if (op === "/") {
    if (a.kind === "interval") return INTERVAL_TYPE;
    if (isNumeric(a) && isNumeric(b)) return a.kind === "float32" && b.kind === "float32" ? a : FLOAT64;
    if (isString(a) || isString(b)) return FLOAT64;
    return null;
  }
  if (op === "//") return isNumeric(a) && isNumeric(b) ? (isInteger(a) && isInteger(b) ? widerInt(a as ArrowType, b as ArrowType) : FLOAT64) : null;
  // temporal arithmetic
  const dateLike = (t: ValueType) => t.kind === "date32" || t.kind === "date64";
  if (op === "+" || op === "-") {
    if (dateLike(a) && b.kind === "interval") return TIMESTAMP;
    if (a.kind === "interval" && dateLike(b) && op === "+") return TIMESTAMP;
    if (a.kind === "timestamp" && b.kind === "interval") return a;
    if (a.kind === "interval" && b.kind === "timestamp" && op === "+") return b;
    if ((a.kind === "time64" || a.kind === "time32") && b.kind === "interval") return a;
    if (a.kind === "interval" && b.kind === "interval") return INTERVAL_TYPE;
    if (dateLike(a) && isInteger(b)) return DATE;
    if (isInteger(a) && dateLike(b) && op === "+") return DATE;
    if (op === "-" && dateLike(a) && dateLike(b)) return INT64;
    if (op === "-" && a.kind === "timestamp" && (b.kind === "timestamp" || dateLike(b))) return INTERVAL_TYPE;
    if (op === "-" && dateLike(a) && b.kind === "timestamp") return INTERVAL_TYPE;
  }
  if (op === "*" && a.kind === "interval" && isNumeric(b)) return INTERVAL_TYPE;
  if (op === "*" && b.kind === "interval" && isNumeric(a)) return INTERVAL_TYPE;
  if (a.kind === "list" && b.kind === "list" && op === "+") return commonType(a, b);
  // numbers (a string operand is cast to the other side's type)
  const x = isString(a) && isNumeric(b) ? b : a;
  const y = isString(b) && isNumeric(a) ? a : b;
  if (!isNumeric(x) || !isNumeric(y)) return null;
  if (isFloat(x) || isFloat(y)) return x.kind === "float32" && y.kind === "float32" ? x : FLOAT64;
  if (isInteger(x) && isInteger(y)) return widerInt(x as ArrowType, y as ArrowType);
  const da = asDecimal(x)!;
  const db = asDecimal(y)!;
  if (op === "*") {
    // DuckDB keeps a product of two 64-bit decimals 64-bit (checked at run time): width 18
    const width = da.precision + db.precision;
    const p = width > 18 && da.precision <= 18 && db.precision <= 18 ? 18 : Math.min(38, width);
    return decimal(Math.max(p, Math.min(38, da.scale + db.scale)), Math.min(38, da.scale + db.scale));
  }
  if (op === "%") return unifyDecimal(da, db);
  const u = unifyDecimal(da, db);
  return decimal(Math.min(38, u.precision + 1), u.scale);
}

/** Most literals: at most 9 digits, an INTEGER whatever the digits. */
const SMALL_INT = /^\d{1,9}$/;

/** A number literal's type as the engine reads it: INTEGER, BIGINT, HUGEINT, DECIMAL(p, s) or DOUBLE. */
export function numberLiteralType(text: string): ValueType {
  if (SMALL_INT.test(text)) return INT32;
  const t = text.replace(/_/g, "");
  if (/^0x[0-9a-f]+$/i.test(t)) return INT64;
  if (/e/i.test(t)) return FLOAT64;
  const dot = t.indexOf(".");
  if (dot < 0) {
    const digits = t.replace(/^0+(?=\d)/, "");
    if (digits.length < 10 || (digits.length === 10 && digits <= "2147483647")) return INT32;
    if (digits.length < 19 || (digits.length === 19 && digits <= "9223372036854775807")) return INT64;
    return digits.length <= 38 ? HUGEINT : FLOAT64;
  }
  const whole = t.slice(0, dot).replace(/^0+(?=\d)/, "") || "0";
  const frac = t.slice(dot + 1);
  const precision = Math.max(1, whole.length + frac.length);
  if (precision > 38) return FLOAT64;
  return decimal(Math.max(precision, frac.length), frac.length);
}
