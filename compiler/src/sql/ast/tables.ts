import type { Identifier, QualifiedName } from "./identifiers.js";
import type { Expr, TableExpr } from "./nodes.js";
import type { Query, SelectItem } from "./queries.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/** `name [AS] alias [(c1, c2)]`. */
export interface TableAlias {
  readonly kind: "tableAlias";
  readonly name: Identifier;
  readonly columns: readonly Identifier[];
  readonly range: Range;
}

/** A named relation: a dataset, view, CTE or catalog table. */
export interface TableRef {
  readonly kind: "table";
  readonly name: QualifiedName;
  readonly alias: TableAlias | null;
  readonly range: Range;
}

/** `[LATERAL] (query) [AS alias]`, including `(VALUES …) AS t(a, b)`. */
export interface DerivedTable {
  readonly kind: "derivedTable";
  readonly query: Query;
  readonly alias: TableAlias | null;
  readonly lateral: boolean;
  readonly range: Range;
}

/** `[LATERAL] f(args) [WITH ORDINALITY] [AS alias]`: UNNEST(…), read_parquet(…), range(…). */
export interface TableFunction {
  readonly kind: "tableFunction";
  readonly name: QualifiedName;
  readonly args: readonly Expr[];
  readonly ordinality: boolean;
  readonly alias: TableAlias | null;
  readonly lateral: boolean;
  readonly range: Range;
}

/** Join types by meaning: LEFT OUTER is LEFT; Spark's LEFT SEMI / LEFT ANTI are SEMI / ANTI. */
export const JOIN_TYPES = ["INNER", "LEFT", "RIGHT", "FULL", "CROSS", "SEMI", "ANTI", "POSITIONAL"] as const;
export type JoinType = (typeof JOIN_TYPES)[number];

/**
 * `left [NATURAL] type JOIN right [ON cond | USING (cols)]`. A right side that is itself a join
 * was written nested (`a JOIN (b JOIN c ON …) ON …`).
 */
export interface Join {
  readonly kind: "join";
  readonly type: JoinType;
  readonly natural: boolean;
  readonly left: TableExpr;
  readonly right: TableExpr;
  readonly on: Expr | null;
  readonly using: readonly Identifier[] | null;
  readonly range: Range;
}

export function tableAlias(name: Identifier, columns: readonly Identifier[] = [], r: Range = NO_RANGE): TableAlias {
  return freeze({ kind: "tableAlias", name, columns: list(columns), range: r });
}

export function tableRef(name: QualifiedName, alias: TableAlias | null = null, r: Range = NO_RANGE): TableRef {
  return freeze({ kind: "table", name: list(name), alias, range: r });
}

export function derivedTable(q: Query, alias: TableAlias | null = null, lateral = false, r: Range = NO_RANGE): DerivedTable {
  return freeze({ kind: "derivedTable", query: q, alias, lateral, range: r });
}

export interface TableFunctionParts {
  readonly ordinality?: boolean;
  readonly alias?: TableAlias | null;
  readonly lateral?: boolean;
}

export function tableFunction(name: QualifiedName, args: readonly Expr[], parts: TableFunctionParts = {}, r: Range = NO_RANGE): TableFunction {
  return freeze({
    kind: "tableFunction",
    name: list(name),
    args: list(args),
    ordinality: parts.ordinality ?? false,
    alias: parts.alias ?? null,
    lateral: parts.lateral ?? false,
    range: r,
  });
}

export interface JoinCondition {
  readonly natural?: boolean;
  readonly on?: Expr | null;
  readonly using?: readonly Identifier[] | null;
}

export function join(type: JoinType, left: TableExpr, right: TableExpr, cond: JoinCondition = {}, r: Range = NO_RANGE): Join {
  return freeze({
    kind: "join",
    type,
    natural: cond.natural ?? false,
    left,
    right,
    on: cond.on ?? null,
    using: cond.using ? list(cond.using) : null,
    range: r,
  });
}

/**
 * `source PIVOT (agg [AS a], … FOR col IN (value [AS v], …)) [AS alias]`; `columns` has more than
 * one entry for `FOR (c1, c2) IN ((v1, v2), …)`.
 */
export interface Pivot {
  readonly kind: "pivot";
  readonly source: TableExpr;
  readonly aggregates: readonly SelectItem[];
  readonly columns: readonly Expr[];
  readonly values: readonly SelectItem[];
  readonly alias: TableAlias | null;
  readonly range: Range;
}

/**
 * `source UNPIVOT [INCLUDE|EXCLUDE NULLS] (value FOR name IN (col [AS label], …)) [AS alias]`;
 * several value columns take tuples of columns.
 */
export interface Unpivot {
  readonly kind: "unpivot";
  readonly source: TableExpr;
  readonly includeNulls: boolean | null;
  readonly valueColumns: readonly Identifier[];
  readonly nameColumn: Identifier;
  readonly columns: readonly SelectItem[];
  readonly alias: TableAlias | null;
  readonly range: Range;
}

export function pivot(source: TableExpr, aggregates: readonly SelectItem[], columns: readonly Expr[], values: readonly SelectItem[], alias: TableAlias | null = null, r: Range = NO_RANGE): Pivot {
  return freeze({ kind: "pivot", source, aggregates: list(aggregates), columns: list(columns), values: list(values), alias, range: r });
}

export interface UnpivotParts {
  readonly includeNulls?: boolean | null;
  readonly alias?: TableAlias | null;
}

export function unpivot(source: TableExpr, valueColumns: readonly Identifier[], nameColumn: Identifier, columns: readonly SelectItem[], parts: UnpivotParts = {}, r: Range = NO_RANGE): Unpivot {
  return freeze({
    kind: "unpivot",
    source,
    includeNulls: parts.includeNulls ?? null,
    valueColumns: list(valueColumns),
    nameColumn,
    columns: list(columns),
    alias: parts.alias ?? null,
    range: r,
  });
}

/**
 * Spark/Hive `source LATERAL VIEW [OUTER] f(args) [table] [AS c1, c2]`: the rows of a generator
 * (explode, posexplode, stack, …) joined to each row of the FROM items written before it. It
 * wraps the last FROM item; its arguments see every item to its left, like a LATERAL item.
 */
export interface LateralView {
  readonly kind: "lateralView";
  readonly source: TableExpr;
  readonly outer: boolean;
  readonly name: QualifiedName;
  readonly args: readonly Expr[];
  readonly table: Identifier | null;
  readonly columns: readonly Identifier[];
  readonly range: Range;
}

export interface LateralViewParts {
  readonly outer?: boolean;
  readonly table?: Identifier | null;
  readonly columns?: readonly Identifier[];
}

export function lateralView(source: TableExpr, name: QualifiedName, args: readonly Expr[], parts: LateralViewParts = {}, r: Range = NO_RANGE): LateralView {
  return freeze({
    kind: "lateralView",
    source,
    outer: parts.outer ?? false,
    name: list(name),
    args: list(args),
    table: parts.table ?? null,
    columns: list(parts.columns ?? []),
    range: r,
  });
}
