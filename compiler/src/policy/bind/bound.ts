/**
 * The bound-expression record shared by the expression binders (type, nullability, lineage deps,
 * aggregate flag), the binding context, and small helpers to build and combine bound results.
 */
import type { Expr, Node } from "../../sql/index.js";
import type { Scope } from "./scope.js";
import type { BinderState, CteEnv } from "./state.js";
import { type ValueType, comparable, describeType } from "./value-type.js";

export interface Bound {
  readonly expr: Expr;
  readonly type: ValueType;
  readonly nullable: boolean;
  /** Base `table.column`s read. */
  readonly deps: ReadonlySet<string>;
  /** Contains an aggregate of this query level (outside windows and subqueries). */
  readonly agg: boolean;
  /** A bare name that stood for a projection alias (the projection is not "that column"). */
  readonly fromAlias?: boolean;
}

export interface ProjInfo {
  readonly name: string;
  readonly bound: Bound;
  readonly index: number;
  readonly constant: boolean;
}

export type Clause = "select" | "where" | "group" | "having" | "qualify" | "order" | "on" | "other";

export interface ExprCtx {
  readonly scope: Scope;
  readonly env: CteEnv | null;
  readonly clause: Clause;
  /** Projection aliases a bare unresolved name may stand for. */
  readonly aliases: ReadonlyMap<string, ProjInfo> | null;
  /** Inside an aggregate's arguments (an aggregate alias is not expanded there). */
  readonly inAgg?: boolean;
}

export const EMPTY: ReadonlySet<string> = new Set();

export function union(...sets: (ReadonlySet<string> | undefined)[]): ReadonlySet<string> {
  const nonEmpty = sets.filter((s): s is ReadonlySet<string> => s !== undefined && s.size > 0);
  if (nonEmpty.length === 0) return EMPTY;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out = new Set<string>();
  for (const s of nonEmpty) for (const x of s) out.add(x);
  return out;
}

export const leaf = (expr: Expr, type: ValueType, nullable = false): Bound => ({ expr, type, nullable, deps: EMPTY, agg: false });

export function combine(expr: Expr, type: ValueType, nullable: boolean, ...parts: Bound[]): Bound {
  return { expr, type, nullable, deps: union(...parts.map((p) => p.deps)), agg: parts.some((p) => p.agg) };
}

export function checkComparable(state: BinderState, a: { readonly type: ValueType }, b: { readonly type: ValueType }, at: Node, what: string): void {
  if (!comparable(a.type, b.type)) state.error("type_mismatch", `cannot compare ${describeType(a.type)} with ${describeType(b.type)} (${what})`, at.range);
}

export const sortedDeps = (s: ReadonlySet<string>): string[] => [...s].sort();
