import type { Identifier, QualifiedName } from "./identifiers.js";
import type { Expr } from "./nodes.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/**
 * A dotted name used as a value: `c`, `t.c`, `s.t.c`, `t.c.field`. The parser cannot tell a
 * table qualifier from a struct field; the qualify pass binds the parts.
 */
export interface Column {
  readonly kind: "column";
  readonly path: QualifiedName;
  readonly range: Range;
}

/**
 * `*` / `t.*` with DuckDB's modifiers: `EXCLUDE (a, t.b)` (Databricks spells it EXCEPT),
 * `REPLACE (expr AS name)`, `RENAME (a AS b)`.
 */
export interface Star {
  readonly kind: "star";
  readonly qualifier: QualifiedName;
  readonly exclude: readonly QualifiedName[];
  readonly replace: readonly ReplaceItem[];
  readonly rename: readonly RenameItem[];
  readonly range: Range;
}

export interface ReplaceItem {
  readonly kind: "replaceItem";
  readonly expr: Expr;
  readonly name: Identifier;
  readonly range: Range;
}

export interface RenameItem {
  readonly kind: "renameItem";
  readonly column: QualifiedName;
  readonly name: Identifier;
  readonly range: Range;
}

/** DuckDB `COLUMNS(arg)`: columns selected by a regex string, a lambda, a list or a star. */
export interface ColumnsExpr {
  readonly kind: "columns";
  readonly arg: Expr;
  readonly range: Range;
}

/** `base.field` where base is not a plain name (`(s).f`, `l[1].f`, `f(x).g`). */
export interface FieldAccess {
  readonly kind: "fieldAccess";
  readonly base: Expr;
  readonly field: Identifier;
  readonly range: Range;
}

/** `base[index]` (list element, map value, struct field by name). */
export interface Subscript {
  readonly kind: "subscript";
  readonly base: Expr;
  readonly index: Expr;
  readonly range: Range;
}

/** `base[start:end]`, either bound optional. */
export interface Slice {
  readonly kind: "slice";
  readonly base: Expr;
  readonly start: Expr | null;
  readonly end: Expr | null;
  readonly range: Range;
}

export function column(path: QualifiedName, r: Range = NO_RANGE): Column {
  return freeze({ kind: "column", path: list(path), range: r });
}

export interface StarParts {
  readonly qualifier?: QualifiedName;
  readonly exclude?: readonly QualifiedName[];
  readonly replace?: readonly ReplaceItem[];
  readonly rename?: readonly RenameItem[];
}

export function star(parts: StarParts = {}, r: Range = NO_RANGE): Star {
  return freeze({
    kind: "star",
    qualifier: list(parts.qualifier ?? []),
    exclude: list((parts.exclude ?? []).map(list)),
    replace: list(parts.replace ?? []),
    rename: list(parts.rename ?? []),
    range: r,
  });
}

export function replaceItem(expr: Expr, name: Identifier, r: Range = NO_RANGE): ReplaceItem {
  return freeze({ kind: "replaceItem", expr, name, range: r });
}

export function renameItem(columnPath: QualifiedName, name: Identifier, r: Range = NO_RANGE): RenameItem {
  return freeze({ kind: "renameItem", column: list(columnPath), name, range: r });
}

export function columnsExpr(arg: Expr, r: Range = NO_RANGE): ColumnsExpr {
  return freeze({ kind: "columns", arg, range: r });
}

export function fieldAccess(base: Expr, field: Identifier, r: Range = NO_RANGE): FieldAccess {
  return freeze({ kind: "fieldAccess", base, field, range: r });
}

export function subscript(base: Expr, index: Expr, r: Range = NO_RANGE): Subscript {
  return freeze({ kind: "subscript", base, index, range: r });
}

export function slice(base: Expr, start: Expr | null, end: Expr | null, r: Range = NO_RANGE): Slice {
  return freeze({ kind: "slice", base, start, end, range: r });
}
