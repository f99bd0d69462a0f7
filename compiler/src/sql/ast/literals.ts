import type { TypeNode } from "./types.js";
import type { Expr } from "./nodes.js";
import { freeze, NO_RANGE, type Range } from "./node.js";

/** A string literal; `value` is the decoded content (escapes resolved, whatever the dialect). */
export interface StringLiteral {
  readonly kind: "string";
  readonly value: string;
  readonly range: Range;
}

/** A numeric literal; `value` is the text as written (`1.`, `1E+2`): its type is the reader's call. */
export interface NumberLiteral {
  readonly kind: "number";
  readonly value: string;
  readonly range: Range;
}

export interface BooleanLiteral {
  readonly kind: "boolean";
  readonly value: boolean;
  readonly range: Range;
}

export interface NullLiteral {
  readonly kind: "null";
  readonly range: Range;
}

/** `DATE '2020-01-01'`, `TIMESTAMP '…'`: a string read as a value of a type. */
export interface TypedLiteral {
  readonly kind: "typedLiteral";
  readonly type: TypeNode;
  readonly value: string;
  readonly range: Range;
}

/** Canonical interval units (plural spellings such as DAYS are read as these). */
export const INTERVAL_UNITS = [
  "MILLENNIUM", "CENTURY", "DECADE", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND",
] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];

/** `INTERVAL '1' DAY`, `INTERVAL '1 day'`, `INTERVAL '1-2' YEAR TO MONTH`, `INTERVAL (n) DAY`. */
export interface Interval {
  readonly kind: "interval";
  readonly value: Expr;
  readonly unit: IntervalUnit | null;
  readonly toUnit: IntervalUnit | null;
  readonly range: Range;
}

/** A prepared-statement parameter: `?` or `$1` / `$name`, as written. */
export interface Parameter {
  readonly kind: "parameter";
  readonly name: string;
  readonly range: Range;
}

export function stringLiteral(value: string, r: Range = NO_RANGE): StringLiteral {
  return freeze({ kind: "string", value, range: r });
}

export function numberLiteral(value: string, r: Range = NO_RANGE): NumberLiteral {
  return freeze({ kind: "number", value, range: r });
}

export function booleanLiteral(value: boolean, r: Range = NO_RANGE): BooleanLiteral {
  return freeze({ kind: "boolean", value, range: r });
}

export function nullLiteral(r: Range = NO_RANGE): NullLiteral {
  return freeze({ kind: "null", range: r });
}

export function typedLiteral(type: TypeNode, value: string, r: Range = NO_RANGE): TypedLiteral {
  return freeze({ kind: "typedLiteral", type, value, range: r });
}

export function interval(value: Expr, unit: IntervalUnit | null, toUnit: IntervalUnit | null = null, r: Range = NO_RANGE): Interval {
  return freeze({ kind: "interval", value, unit, toUnit, range: r });
}

export function parameter(name: string, r: Range = NO_RANGE): Parameter {
  return freeze({ kind: "parameter", name, range: r });
}
