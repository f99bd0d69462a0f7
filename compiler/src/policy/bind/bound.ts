/**
 * The bound-expression record shared by the expression binders (type, nullability, lineage deps,
 * aggregate flag), the binding context, and small helpers to build and combine bound results.
 */
import type { Expr, Node } from "../../sql/index.js";
import { type Scope, fold } from "./scope.js";
import type { BinderState, CteEnv } from "./state.js";
import { type ValueType, comparable, describeType } from "./value-type.js";

export interface Bound {
  readonly expr: Expr;
  readonly type: ValueType;
  readonly nullable: boolean;
  /** Base `table.column`s read. */
  readonly deps: Deps;
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

/** A projection as the alias lookup sees it; `keep` marks a star kept as written (no output name). */
export interface Projected {
  readonly name: string;
  readonly bound: Bound;
  readonly keep: object | null;
}

/** A literal projection: GROUP BY / HAVING keep it by name or position, never expanded. */
export const isConstant = (e: Expr): boolean => e.kind === "number" || e.kind === "string" || e.kind === "boolean" || e.kind === "null";

/**
 * Projection aliases by folded name, the first projection of a name winning, over a list of
 * projections that may still grow (lateral aliases: a projection sees those before it). The map
 * is made on the first lookup and caught up on each: most SELECTs never look an alias up.
 */
export class Aliases {
  private map: Map<string, ProjInfo> | null = null;
  private seen = 0;

  constructor(private readonly projections: readonly Projected[]) {}

  get(key: string): ProjInfo | undefined {
    const map = (this.map ??= new Map());
    for (; this.seen < this.projections.length; this.seen++) {
      const p = this.projections[this.seen]!;
      if (p.keep) continue;
      const k = fold(p.name);
      if (!map.has(k)) map.set(k, { name: p.name, bound: p.bound, index: this.seen, constant: isConstant(p.bound.expr) });
    }
    return map.get(key);
  }
}

export type Clause = "select" | "where" | "group" | "having" | "qualify" | "order" | "on" | "other";

export interface ExprCtx {
  readonly scope: Scope;
  readonly env: CteEnv | null;
  readonly clause: Clause;
  /** Projection aliases a bare unresolved name may stand for. */
  readonly aliases: Aliases | null;
  /** Inside an aggregate's arguments (an aggregate alias is not expanded there). */
  readonly inAgg?: boolean;
}

/**
 * `ctx` with another scope, clause or aggregate flag, written out field by field: an object
 * spread over contexts of several shapes takes V8's slow path (it was 40% of binding
 * `SELECT count(*) FROM t GROUP BY a`).
 */
export function derive(ctx: ExprCtx, scope: Scope, clause: Clause, inAgg: boolean): ExprCtx {
  return { scope, env: ctx.env, clause, aliases: ctx.aliases, inAgg };
}

/**
 * A set of base columns (`table.column`): a Set, a column's lineage list as it is (sorted, no
 * repeats: a column reference copies nothing), or a lazy union of several.
 */
export type Deps = ReadonlySet<string> | readonly string[] | DepsUnion;

export const EMPTY: Deps = Object.freeze([]) as readonly string[];

/**
 * The union of its parts, made when first read. Expressions nest, and each level's deps are the
 * union of its operands': copying them into a new Set at every level costs O(n²) for a chain of
 * n ANDs, and most levels' unions are never read on their own.
 */
class DepsUnion implements Iterable<string> {
  private parts: readonly Deps[];
  private flat: Set<string> | null = null;

  constructor(parts: readonly Deps[]) {
    this.parts = parts;
  }

  private all(): Set<string> {
    if (this.flat) return this.flat;
    const out = new Set<string>();
    // depth-first, left to right (the order the eager union had), through unread unions
    const stack: Deps[] = [];
    for (let i = this.parts.length - 1; i >= 0; i--) stack.push(this.parts[i]!);
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (p instanceof DepsUnion && p.flat === null) for (let i = p.parts.length - 1; i >= 0; i--) stack.push(p.parts[i]!);
      else for (const x of p) out.add(x);
    }
    this.flat = out;
    this.parts = [];
    return out;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.all().values();
  }
}

/** A union has two non-empty parts or more, so it is never empty. */
const isEmpty = (s: Deps | undefined): boolean => s === undefined || s === EMPTY || (Array.isArray(s) ? s.length === 0 : s instanceof Set && s.size === 0);

export function union(...sets: (Deps | undefined)[]): Deps {
  let first: Deps | null = null;
  let many: Deps[] | null = null;
  for (const s of sets) {
    if (isEmpty(s)) continue;
    if (first === null) first = s!;
    else (many ??= [first]).push(s!);
  }
  if (many) return new DepsUnion(many);
  return first ?? EMPTY;
}

export const leaf = (expr: Expr, type: ValueType, nullable = false): Bound => ({ expr, type, nullable, deps: EMPTY, agg: false });

/** A bound expression over `parts`: their deps united (as `union` does, without its lists), aggregate if one is. */
export function combine(expr: Expr, type: ValueType, nullable: boolean, ...parts: Bound[]): Bound {
  let deps: Deps = EMPTY;
  let many: Deps[] | null = null;
  let agg = false;
  for (const p of parts) {
    agg ||= p.agg;
    if (isEmpty(p.deps)) continue;
    if (deps === EMPTY) deps = p.deps;
    else (many ??= [deps]).push(p.deps);
  }
  return { expr, type, nullable, deps: many ? new DepsUnion(many) : deps, agg };
}

export function checkComparable(state: BinderState, a: { readonly type: ValueType }, b: { readonly type: ValueType }, at: Node, what: string): void {
  if (!comparable(a.type, b.type)) state.error("type_mismatch", `cannot compare ${describeType(a.type)} with ${describeType(b.type)} (${what})`, at.range);
}

/** Sorted, no repeats; a lineage list is already. */
export const sortedDeps = (s: Deps): readonly string[] => (Array.isArray(s) ? s : [...s].sort());
