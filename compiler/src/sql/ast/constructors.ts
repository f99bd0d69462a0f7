import type { Identifier } from "./identifiers.js";
import type { Expr } from "./nodes.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/** A list value: DuckDB `[1, 2]`, `ARRAY[1, 2]`, Spark `ARRAY(1, 2)`. */
export interface ArrayLiteral {
  readonly kind: "array";
  readonly items: readonly Expr[];
  readonly range: Range;
}

/** A struct value: DuckDB `{'a': 1}`, Spark `STRUCT(1 AS a)`; a field may be unnamed (`STRUCT(x)`). */
export interface StructLiteral {
  readonly kind: "struct";
  readonly fields: readonly StructField[];
  readonly range: Range;
}

export interface StructField {
  readonly kind: "structField";
  readonly name: Identifier | null;
  readonly value: Expr;
  readonly range: Range;
}

/** A map value: DuckDB `MAP {'k': v}`, Spark `MAP(k, v, …)`. */
export interface MapLiteral {
  readonly kind: "map";
  readonly entries: readonly MapEntry[];
  readonly range: Range;
}

export interface MapEntry {
  readonly kind: "mapEntry";
  readonly key: Expr;
  readonly value: Expr;
  readonly range: Range;
}

/** A row value `(a, b)` (also the empty grouping set `()`). A single parenthesized value is not a tuple. */
export interface Tuple {
  readonly kind: "tuple";
  readonly items: readonly Expr[];
  readonly range: Range;
}

export function arrayLiteral(items: readonly Expr[], r: Range = NO_RANGE): ArrayLiteral {
  return freeze({ kind: "array", items: list(items), range: r });
}

export function structLiteral(fields: readonly StructField[], r: Range = NO_RANGE): StructLiteral {
  return freeze({ kind: "struct", fields: list(fields), range: r });
}

export function structField(name: Identifier | null, value: Expr, r: Range = NO_RANGE): StructField {
  return freeze({ kind: "structField", name, value, range: r });
}

export function mapLiteral(entries: readonly MapEntry[], r: Range = NO_RANGE): MapLiteral {
  return freeze({ kind: "map", entries: list(entries), range: r });
}

export function mapEntry(key: Expr, value: Expr, r: Range = NO_RANGE): MapEntry {
  return freeze({ kind: "mapEntry", key, value, range: r });
}

export function tuple(items: readonly Expr[], r: Range = NO_RANGE): Tuple {
  return freeze({ kind: "tuple", items: list(items), range: r });
}
