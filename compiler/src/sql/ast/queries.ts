import type { Identifier } from "./identifiers.js";
import type { Expr, GroupingElement, QueryBody, TableExpr } from "./nodes.js";
import type { NamedWindow } from "./windows.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/**
 * A complete query: `[WITH …] body [ORDER BY …] [LIMIT …] [OFFSET …]`. Every subquery, CTE
 * body and view is one. A parenthesized query inside a set operation is a Query used as a body,
 * which keeps ORDER BY / LIMIT scoped where they were written. FETCH FIRST n ROWS ONLY is read
 * as LIMIT n.
 */
export interface Query {
  readonly kind: "query";
  readonly with: With | null;
  readonly body: QueryBody;
  readonly orderBy: readonly OrderItem[];
  readonly limit: Expr | null;
  readonly offset: Expr | null;
  readonly range: Range;
}

export interface With {
  readonly kind: "with";
  readonly recursive: boolean;
  readonly ctes: readonly Cte[];
  readonly range: Range;
}

export interface Cte {
  readonly kind: "cte";
  readonly name: Identifier;
  readonly columns: readonly Identifier[];
  readonly query: Query;
  /** DuckDB `AS [NOT] MATERIALIZED`; null when not said. */
  readonly materialized: boolean | null;
  readonly range: Range;
}

export interface Select {
  readonly kind: "select";
  readonly distinct: boolean;
  /** DuckDB `DISTINCT ON (…)`; null for plain DISTINCT or none. */
  readonly distinctOn: readonly Expr[] | null;
  readonly items: readonly SelectItem[];
  /** The FROM list; comma-separated items stay separate (a join is one item). */
  readonly from: readonly TableExpr[];
  readonly where: Expr | null;
  readonly groupBy: GroupBy | null;
  readonly having: Expr | null;
  readonly windows: readonly NamedWindow[];
  readonly qualify: Expr | null;
  readonly range: Range;
}

export interface SelectItem {
  readonly kind: "selectItem";
  readonly expr: Expr;
  readonly alias: Identifier | null;
  readonly range: Range;
}

export type SetOp = "UNION" | "INTERSECT" | "EXCEPT";

/** `left UNION|INTERSECT|EXCEPT [ALL] [BY NAME] right`; DISTINCT (the default) is `all: false`. */
export interface SetOperation {
  readonly kind: "setOperation";
  readonly op: SetOp;
  readonly all: boolean;
  readonly byName: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
  readonly range: Range;
}

/** `VALUES (…), (…)`: each row a list of values. */
export interface Values {
  readonly kind: "values";
  readonly rows: readonly (readonly Expr[])[];
  readonly range: Range;
}

export interface OrderItem {
  readonly kind: "orderItem";
  readonly expr: Expr;
  /** null when not written (the dialect's default applies). */
  readonly direction: "ASC" | "DESC" | null;
  readonly nulls: "FIRST" | "LAST" | null;
  readonly range: Range;
}

/** `GROUP BY ALL` (`all`, no items) or `GROUP BY items`. */
export interface GroupBy {
  readonly kind: "groupBy";
  readonly all: boolean;
  readonly items: readonly GroupingElement[];
  readonly range: Range;
}

export interface GroupingSets {
  readonly kind: "groupingSets";
  readonly items: readonly GroupingElement[];
  readonly range: Range;
}

export interface Rollup {
  readonly kind: "rollup";
  readonly items: readonly Expr[];
  readonly range: Range;
}

export interface Cube {
  readonly kind: "cube";
  readonly items: readonly Expr[];
  readonly range: Range;
}

export interface QueryParts {
  readonly with?: With | null;
  readonly orderBy?: readonly OrderItem[];
  readonly limit?: Expr | null;
  readonly offset?: Expr | null;
}

export function query(body: QueryBody, parts: QueryParts = {}, r: Range = NO_RANGE): Query {
  return freeze({
    kind: "query",
    with: parts.with ?? null,
    body,
    orderBy: list(parts.orderBy ?? []),
    limit: parts.limit ?? null,
    offset: parts.offset ?? null,
    range: r,
  });
}

export function withClause(recursive: boolean, ctes: readonly Cte[], r: Range = NO_RANGE): With {
  return freeze({ kind: "with", recursive, ctes: list(ctes), range: r });
}

export function cte(name: Identifier, columns: readonly Identifier[], q: Query, materialized: boolean | null = null, r: Range = NO_RANGE): Cte {
  return freeze({ kind: "cte", name, columns: list(columns), query: q, materialized, range: r });
}

export interface SelectParts {
  readonly distinct?: boolean;
  readonly distinctOn?: readonly Expr[] | null;
  readonly from?: readonly TableExpr[];
  readonly where?: Expr | null;
  readonly groupBy?: GroupBy | null;
  readonly having?: Expr | null;
  readonly windows?: readonly NamedWindow[];
  readonly qualify?: Expr | null;
}

export function select(items: readonly SelectItem[], parts: SelectParts = {}, r: Range = NO_RANGE): Select {
  return freeze({
    kind: "select",
    distinct: parts.distinct ?? Boolean(parts.distinctOn),
    distinctOn: parts.distinctOn ? list(parts.distinctOn) : null,
    items: list(items),
    from: list(parts.from ?? []),
    where: parts.where ?? null,
    groupBy: parts.groupBy ?? null,
    having: parts.having ?? null,
    windows: list(parts.windows ?? []),
    qualify: parts.qualify ?? null,
    range: r,
  });
}

export function selectItem(expr: Expr, alias: Identifier | null = null, r: Range = NO_RANGE): SelectItem {
  return freeze({ kind: "selectItem", expr, alias, range: r });
}

export function setOperation(op: SetOp, left: QueryBody, right: QueryBody, all = false, byName = false, r: Range = NO_RANGE): SetOperation {
  return freeze({ kind: "setOperation", op, all, byName, left, right, range: r });
}

export function values(rows: readonly (readonly Expr[])[], r: Range = NO_RANGE): Values {
  return freeze({ kind: "values", rows: list(rows.map(list)), range: r });
}

export function orderItem(expr: Expr, direction: "ASC" | "DESC" | null = null, nulls: "FIRST" | "LAST" | null = null, r: Range = NO_RANGE): OrderItem {
  return freeze({ kind: "orderItem", expr, direction, nulls, range: r });
}

export function groupBy(items: readonly GroupingElement[], all = false, r: Range = NO_RANGE): GroupBy {
  return freeze({ kind: "groupBy", all, items: list(items), range: r });
}

export function groupingSets(items: readonly GroupingElement[], r: Range = NO_RANGE): GroupingSets {
  return freeze({ kind: "groupingSets", items: list(items), range: r });
}

export function rollup(items: readonly Expr[], r: Range = NO_RANGE): Rollup {
  return freeze({ kind: "rollup", items: list(items), range: r });
}

export function cube(items: readonly Expr[], r: Range = NO_RANGE): Cube {
  return freeze({ kind: "cube", items: list(items), range: r });
}
