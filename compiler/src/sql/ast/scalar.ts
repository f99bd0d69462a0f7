import type { Identifier } from "./identifiers.js";
import type { Expr } from "./nodes.js";
import type { Query } from "./queries.js";
import type { TypeNode } from "./types.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/** `CASE [operand] WHEN … THEN … [ELSE …] END`. */
export interface Case {
  readonly kind: "case";
  readonly operand: Expr | null;
  readonly whens: readonly WhenClause[];
  readonly else: Expr | null;
  readonly range: Range;
}

export interface WhenClause {
  readonly kind: "whenClause";
  readonly condition: Expr;
  readonly result: Expr;
  readonly range: Range;
}

/** `CAST(x AS T)`, `x::T` (same node: `::` is a spelling) and `TRY_CAST` (`safe`). */
export interface Cast {
  readonly kind: "cast";
  readonly expr: Expr;
  readonly type: TypeNode;
  readonly safe: boolean;
  readonly range: Range;
}

/** `EXTRACT(field FROM source)`; `field` upper-cased (YEAR, EPOCH, …). */
export interface ExtractExpr {
  readonly kind: "extract";
  readonly field: string;
  readonly source: Expr;
  readonly range: Range;
}

export interface AtTimeZone {
  readonly kind: "atTimeZone";
  readonly expr: Expr;
  readonly zone: Expr;
  readonly range: Range;
}

/** `x COLLATE name`; a collation written as a string is a quoted identifier. */
export interface Collate {
  readonly kind: "collate";
  readonly expr: Expr;
  readonly collation: Identifier;
  readonly range: Range;
}

/** A scalar subquery `(SELECT …)` used as a value. */
export interface Subquery {
  readonly kind: "subquery";
  readonly query: Query;
  readonly range: Range;
}

export function caseExpr(operand: Expr | null, whens: readonly WhenClause[], elseExpr: Expr | null, r: Range = NO_RANGE): Case {
  return freeze({ kind: "case", operand, whens: list(whens), else: elseExpr, range: r });
}

export function whenClause(condition: Expr, result: Expr, r: Range = NO_RANGE): WhenClause {
  return freeze({ kind: "whenClause", condition, result, range: r });
}

export function cast(expr: Expr, type: TypeNode, safe = false, r: Range = NO_RANGE): Cast {
  return freeze({ kind: "cast", expr, type, safe, range: r });
}

export function extract(field: string, source: Expr, r: Range = NO_RANGE): ExtractExpr {
  return freeze({ kind: "extract", field, source, range: r });
}

export function atTimeZone(expr: Expr, zone: Expr, r: Range = NO_RANGE): AtTimeZone {
  return freeze({ kind: "atTimeZone", expr, zone, range: r });
}

export function collate(expr: Expr, collation: Identifier, r: Range = NO_RANGE): Collate {
  return freeze({ kind: "collate", expr, collation, range: r });
}

export function subquery(query: Query, r: Range = NO_RANGE): Subquery {
  return freeze({ kind: "subquery", query, range: r });
}
