import type { Identifier, QualifiedName } from "./identifiers.js";
import type { Expr } from "./nodes.js";
import type { OrderItem } from "./queries.js";
import type { WindowSpec } from "./windows.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/**
 * A function call, with everything an aggregate or window call may carry:
 * `name([DISTINCT] args [ORDER BY …]) [WITHIN GROUP (ORDER BY …)] [FILTER (WHERE …)]
 * [IGNORE|RESPECT NULLS] [OVER …]`. `COUNT(*)` has a star argument; `COUNT()` none.
 */
export interface Call {
  readonly kind: "call";
  readonly name: QualifiedName;
  readonly args: readonly Expr[];
  readonly distinct: boolean;
  readonly orderBy: readonly OrderItem[];
  readonly withinGroup: readonly OrderItem[] | null;
  readonly filter: Expr | null;
  readonly nullTreatment: "IGNORE" | "RESPECT" | null;
  readonly over: WindowSpec | null;
  readonly range: Range;
}

/** DuckDB's dot call on a value that is not a plain name: `'abc'.upper()`, `l[1].f(2)`. */
export interface MethodCall {
  readonly kind: "methodCall";
  readonly target: Expr;
  readonly name: Identifier;
  readonly args: readonly Expr[];
  readonly range: Range;
}

/** `x -> x + 1`, `(a, b) -> a + b`, DuckDB `lambda x: x + 1`. */
export interface Lambda {
  readonly kind: "lambda";
  readonly params: readonly Identifier[];
  readonly body: Expr;
  readonly range: Range;
}

/** A named argument: DuckDB `name := v`, Spark `name => v`. */
export interface NamedArg {
  readonly kind: "namedArg";
  readonly name: Identifier;
  readonly value: Expr;
  readonly range: Range;
}

export interface CallParts {
  readonly distinct?: boolean;
  readonly orderBy?: readonly OrderItem[];
  readonly withinGroup?: readonly OrderItem[] | null;
  readonly filter?: Expr | null;
  readonly nullTreatment?: "IGNORE" | "RESPECT" | null;
  readonly over?: WindowSpec | null;
}

export function call(name: QualifiedName, args: readonly Expr[], parts: CallParts = {}, r: Range = NO_RANGE): Call {
  return freeze({
    kind: "call",
    name: list(name),
    args: list(args),
    distinct: parts.distinct ?? false,
    orderBy: list(parts.orderBy ?? []),
    withinGroup: parts.withinGroup ? list(parts.withinGroup) : null,
    filter: parts.filter ?? null,
    nullTreatment: parts.nullTreatment ?? null,
    over: parts.over ?? null,
    range: r,
  });
}

export function methodCall(target: Expr, name: Identifier, args: readonly Expr[], r: Range = NO_RANGE): MethodCall {
  return freeze({ kind: "methodCall", target, name, args: list(args), range: r });
}

export function lambda(params: readonly Identifier[], body: Expr, r: Range = NO_RANGE): Lambda {
  return freeze({ kind: "lambda", params: list(params), body, range: r });
}

export function namedArg(name: Identifier, value: Expr, r: Range = NO_RANGE): NamedArg {
  return freeze({ kind: "namedArg", name, value, range: r });
}
