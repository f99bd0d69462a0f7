import type { Expr } from "./nodes.js";
import type { ComparisonOp } from "./operators.js";
import type { Query } from "./queries.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/** `x IS [NOT] NULL | TRUE | FALSE | UNKNOWN`. */
export interface IsTest {
  readonly kind: "isTest";
  readonly expr: Expr;
  readonly test: "NULL" | "TRUE" | "FALSE" | "UNKNOWN";
  readonly negated: boolean;
  readonly range: Range;
}

/** `a IS [NOT] DISTINCT FROM b` (Spark's `a <=> b` is `IS NOT DISTINCT FROM`). */
export interface IsDistinctFrom {
  readonly kind: "isDistinctFrom";
  readonly left: Expr;
  readonly right: Expr;
  readonly negated: boolean;
  readonly range: Range;
}

export interface Between {
  readonly kind: "between";
  readonly expr: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
  readonly symmetric: boolean;
  readonly range: Range;
}

export type LikeOp = "LIKE" | "ILIKE" | "SIMILAR TO" | "GLOB";

export interface Like {
  readonly kind: "like";
  readonly op: LikeOp;
  readonly expr: Expr;
  readonly pattern: Expr;
  readonly escape: Expr | null;
  readonly negated: boolean;
  readonly range: Range;
}

export interface InList {
  readonly kind: "inList";
  readonly expr: Expr;
  readonly items: readonly Expr[];
  readonly negated: boolean;
  readonly range: Range;
}

export interface InSubquery {
  readonly kind: "inSubquery";
  readonly expr: Expr;
  readonly query: Query;
  readonly negated: boolean;
  readonly range: Range;
}

/** `a = ANY (SELECT …)`, `a > ALL (SELECT …)` (SOME is read as ANY). */
export interface Quantified {
  readonly kind: "quantified";
  readonly op: ComparisonOp;
  readonly quantifier: "ANY" | "ALL";
  readonly left: Expr;
  readonly query: Query;
  readonly range: Range;
}

/** `EXISTS (SELECT …)`; NOT EXISTS is a NOT around it. */
export interface Exists {
  readonly kind: "exists";
  readonly query: Query;
  readonly range: Range;
}

export function isTest(expr: Expr, test: IsTest["test"], negated = false, r: Range = NO_RANGE): IsTest {
  return freeze({ kind: "isTest", expr, test, negated, range: r });
}

export function isDistinctFrom(left: Expr, right: Expr, negated = false, r: Range = NO_RANGE): IsDistinctFrom {
  return freeze({ kind: "isDistinctFrom", left, right, negated, range: r });
}

export function between(expr: Expr, low: Expr, high: Expr, negated = false, symmetric = false, r: Range = NO_RANGE): Between {
  return freeze({ kind: "between", expr, low, high, negated, symmetric, range: r });
}

export function like(op: LikeOp, expr: Expr, pattern: Expr, escape: Expr | null = null, negated = false, r: Range = NO_RANGE): Like {
  return freeze({ kind: "like", op, expr, pattern, escape, negated, range: r });
}

export function inList(expr: Expr, items: readonly Expr[], negated = false, r: Range = NO_RANGE): InList {
  return freeze({ kind: "inList", expr, items: list(items), negated, range: r });
}

export function inSubquery(expr: Expr, query: Query, negated = false, r: Range = NO_RANGE): InSubquery {
  return freeze({ kind: "inSubquery", expr, query, negated, range: r });
}

export function quantified(op: ComparisonOp, quantifier: "ANY" | "ALL", left: Expr, query: Query, r: Range = NO_RANGE): Quantified {
  return freeze({ kind: "quantified", op, quantifier, left, query, range: r });
}

export function exists(query: Query, r: Range = NO_RANGE): Exists {
  return freeze({ kind: "exists", query, range: r });
}
