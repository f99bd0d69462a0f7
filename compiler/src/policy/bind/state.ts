/**
 * What one bindQuery run shares: inputs (catalogs, options), the diagnostics and query-level
 * lineage it accumulates, and the CTE environment type. Query and expression binding are
 * mutually recursive; the query binder registers itself here once, when its module loads.
 */
import type { FunctionIndex } from "../../catalog/index.js";
import type { TableCatalog } from "../../catalog/index.js";
import type { Dialect, Query, Range } from "../../sql/index.js";
import { type BindDiagnostic, type BindErrorKind, bindDiagnostic } from "./diagnostics.js";
import type { Deps } from "./bound.js";
import { TypeTable } from "./type-table.js";
import type { Scope, SourceColumn } from "./scope.js";

export interface BindOptions {
  /**
   * Rewrite `JOIN … USING (c)` / NATURAL JOIN into `ON` conditions (SQLGlot's qualify does; the
   * policy profile's `expand_using` transform asks for it). Default false: USING stays.
   */
  readonly expandUsing?: boolean;
  /**
   * Tables the catalog does not know become relations of unknown schema instead of errors
   * (SQLGlot's `infer_schema`; for debugging bare queries). Default false.
   */
  readonly inferUnknownTables?: boolean;
  /** Diagnose calls of functions the catalog does not know (default true). */
  readonly checkFunctions?: boolean;
  /**
   * The dialect the query is written in (the profile's; default duckdb). Name resolution follows
   * it where the family differs: only DuckDB reads a bare relation name as the row struct.
   */
  readonly dialect?: Dialect;
}

export interface CteDef {
  readonly name: string;
  readonly columns: readonly SourceColumn[];
}

/** CTEs visible at a point: a persistent linked map (inner WITH shadows outer). */
export interface CteEnv {
  readonly name: string;
  readonly def: CteDef;
  readonly next: CteEnv | null;
}

export function lookupCte(env: CteEnv | null, name: string): CteDef | undefined {
  const k = name.toLowerCase();
  for (let e = env; e; e = e.next) if (e.name === k) return e.def;
  return undefined;
}

export type { ExprType } from "./type-table.js";

export interface BoundSubquery {
  readonly query: Query;
  readonly columns: readonly SourceColumn[];
}

type SubqueryBinder = (state: BinderState, q: Query, outer: Scope | null, env: CteEnv | null) => BoundSubquery;

let subqueryBinder: SubqueryBinder | null = null;

export function registerSubqueryBinder(bind: SubqueryBinder): void {
  subqueryBinder = bind;
}

export class BinderState {
  readonly diagnostics: BindDiagnostic[] = [];
  /**
   * Set when binding met an unaliased FROM item, or left unbound a subtree that
   * nameAnonymousTables reads (a star's REPLACE, a recursive CTE's ORDER BY): bindQuery then
   * names anonymous items and binds again. A new path that skips a subtree must set it too.
   */
  anonymous = false;
  /** Made on first use, like the other lineage sets (many queries read no table, call no function). */
  tables: Set<string> | null = null;
  functions: Set<string> | null = null;
  joinKeys: Set<string> | null = null;
  filterColumns: Set<string> | null = null;
  /** Type and nullability of every expression node of the qualified tree. */
  readonly types = new TypeTable();

  constructor(
    readonly catalog: TableCatalog,
    readonly functionIndex: FunctionIndex,
    readonly options: BindOptions,
  ) {}

  bindSubquery(q: Query, outer: Scope | null, env: CteEnv | null): BoundSubquery {
    return subqueryBinder!(this, q, outer, env);
  }

  addTable(name: string): void {
    (this.tables ??= new Set()).add(name);
  }

  /** `name` lower-case. */
  addFunction(name: string): void {
    (this.functions ??= new Set()).add(name);
  }

  addJoinKeys(deps: Deps): void {
    for (const d of deps) (this.joinKeys ??= new Set()).add(d);
  }

  addFilterColumns(deps: Deps): void {
    for (const d of deps) (this.filterColumns ??= new Set()).add(d);
  }


  error(kind: BindErrorKind, message: string, range: Range, hints: readonly (string | undefined)[] = []): void {
    this.diagnostics.push(bindDiagnostic(kind, message, range, hints));
  }
}
