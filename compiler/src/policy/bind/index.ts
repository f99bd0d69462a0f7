/**
 * The binder: steps 3 (qualify) and 4 (annotate types) of the policy lane, with column lineage.
 *
 *   bindQuery(ast, tables, functions, options) →
 *     { ast: qualified Query, schema: OutputColumn[], lineage, tables, diagnostics }
 *
 * Prerequisites: a parsed Query (sanitize and the profile's transforms ran before). Pure: no IO,
 * never throws on user input. The qualified AST has every table aliased, every column prefixed
 * with its relation's alias (struct fields after it), every projection aliased, stars expanded,
 * unaliased derived tables named `_0`, `_1`, …; column aliases of CTEs and derived tables are
 * moved into their projections. Modules: scope.ts (relations, scopes), columns.ts (dotted names),
 * expressions.ts (types, lineage) with bound.ts, expr-columns.ts, expr-operators.ts, expr-calls.ts
 * and output-names.ts, functions.ts + catalog-types.ts (calls, overloads), stars.ts, query.ts
 * (queries) with select.ts, from.ts and set-ops.ts (clauses), naming.ts (anonymous aliases),
 * value-type.ts (type rules), type-table.ts (the side table of expression types).
 */
import type { FunctionCatalog } from "../../catalog/index.js";
import { FunctionIndex, type TableCatalog } from "../../catalog/index.js";
import type { Expr, Query } from "../../sql/index.js";
import { type ArrowType, formatArrowType } from "../../types/index.js";
import type { BindDiagnostic } from "./diagnostics.js";
import { nameAnonymousTables } from "./naming.js";
import { bindQueryNode } from "./query.js";
import { type BindOptions, BinderState, type ExprType } from "./state.js";
import { describeType, isArrow, settledType } from "./value-type.js";

export type { BindOptions, ExprType } from "./state.js";
export { BIND_DIAGNOSTICS, type BindDiagnostic, type BindErrorKind } from "./diagnostics.js";
export type { ValueType } from "./value-type.js";

export interface OutputColumn {
  readonly name: string;
  /** null when Arrow has no counterpart (INTERVAL) or the type could not be decided. */
  readonly type: ArrowType | null;
  /** The type as text: the Arrow type string, or `INTERVAL` / `unknown`. */
  readonly typeText: string;
  readonly nullable: boolean;
}

export interface ColumnLineage {
  readonly name: string;
  /** Base `table.column`s the column's values derive from, sorted. */
  readonly sources: readonly string[];
}

/** Plain data: everything sorted, ready for canonical encoding. */
export interface QueryLineage {
  readonly columns: readonly ColumnLineage[];
  /** Catalog tables (datasets, views) the query reads. */
  readonly tables: readonly string[];
  /** Base columns compared in join conditions (equi-joins and USING). */
  readonly joinKeys: readonly string[];
  /** Base columns read by WHERE, JOIN ON, HAVING and QUALIFY. */
  readonly filterColumns: readonly string[];
  /** Functions called (lower-case). */
  readonly functions: readonly string[];
}

export interface BindResult {
  readonly ast: Query;
  readonly schema: readonly OutputColumn[];
  readonly lineage: QueryLineage;
  readonly tables: readonly string[];
  readonly diagnostics: readonly BindDiagnostic[];
  readonly ok: boolean;
  /** Type + nullability of each expression node of `ast` (a side table: the AST has no type slots; made on first read). */
  readonly types: ReadonlyMap<Expr, ExprType>;
}

const indexes = new WeakMap<FunctionCatalog, FunctionIndex>();

/** A FunctionIndex per catalog, built once. */
export function functionIndexOf(functions: FunctionCatalog | FunctionIndex): FunctionIndex {
  if (functions instanceof FunctionIndex) return functions;
  let idx = indexes.get(functions);
  if (!idx) {
    idx = new FunctionIndex(functions);
    indexes.set(functions, idx);
  }
  return idx;
}

function sorted(s: ReadonlySet<string> | null): string[] {
  if (s === null) return [];
  if (s.size === 1) return [...s];
  return [...s].sort();
}

export function bindQuery(ast: Query, tables: TableCatalog, functions: FunctionCatalog | FunctionIndex, options: BindOptions = {}): BindResult {
  const index = functionIndexOf(functions);
  // Most queries have no anonymous FROM item: bound as they are, then named and bound again
  // only when binding met one (or skipped a subtree naming reads: BinderState.anonymous), which
  // gives what naming first would, without a walk over every query.
  let state = new BinderState(tables, index, options);
  let bound = bindQueryNode(state, ast, null, null);
  if (state.anonymous) {
    const named = nameAnonymousTables(ast);
    if (named !== ast) {
      state = new BinderState(tables, index, options);
      bound = bindQueryNode(state, named, null, null);
    }
  }
  const schema: OutputColumn[] = bound.columns.map((c) => {
    const type = settledType(c.type);
    return { name: c.name, type: isArrow(type) ? type : null, typeText: isArrow(type) ? formatArrowType(type) : describeType(type), nullable: c.nullable };
  });
  const tablesRead = sorted(state.tables);
  return {
    ast: bound.query,
    schema,
    lineage: {
      columns: bound.columns.map((c) => ({ name: c.name, sources: c.lineage })),
      tables: tablesRead,
      joinKeys: sorted(state.joinKeys),
      filterColumns: sorted(state.filterColumns),
      functions: sorted(state.functions),
    },
    tables: tablesRead,
    diagnostics: state.diagnostics,
    ok: !state.diagnostics.some((d) => d.diagnostic.severity === "error"),
    types: state.types,
  };
}
