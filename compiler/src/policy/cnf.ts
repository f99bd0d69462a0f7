/**
 * Policy lane step 5b — normalize predicates to conjunctive normal form (CNF), in WHERE, HAVING,
 * QUALIFY and JOIN … ON, wherever they occur (subqueries and CTEs included).
 *
 * Prerequisites: canonicalize (canonicalize/index.ts) — the atoms are compared by their
 * canonical encoding, and the output is built canonical (sorted AND / OR chains), so the tree
 * stays a fixed point of canonicalize. Needs no binding.
 *
 * The model is SQLGlot's `optimizer/normalize.py`: OR is distributed over AND
 * (`(a AND b) OR c` → `(a OR c) AND (b OR c)`) unless the expansion is too large. The distance
 * of a predicate is SQLGlot's `normalization_distance`: the total length of the clauses the
 * expansion would create minus the connectors (AND / OR nodes) plus one, i.e. how much the
 * predicate would grow; above `maxDistance` the predicate keeps its canonical (un-normalized)
 * form. Only AND / OR are connectors: NOT, CASE and function arguments are atoms (NOT was
 * already pushed into comparisons by canonicalize; De Morgan over AND / OR is not applied).
 * Within a clause, repeated atoms are dropped (`a OR a` is `a`, also under three-valued logic),
 * and repeated clauses once. Atoms that call volatile functions may be evaluated more often
 * after distribution; no absorption or other simplification is done.
 */
import { createTransformer, join, select, walk, type Expr, type Query } from "../sql/index.js";
import { connector, connectorTerms } from "./canonicalize/index.js";
import { compareNodes, sortKey } from "./canonicalize/order.js";

export interface NormalizeOptions {
  /** The profile's `normalize_predicates.max_distance`. */
  readonly maxDistance: number;
}

/** Clauses of a CNF: each clause a list of atoms OR-ed together. */
type Clauses = Expr[][];

function connectorCount(e: Expr): number {
  return e.kind === "binary" && (e.op === "AND" || e.op === "OR") ? 1 + connectorCount(e.left) + connectorCount(e.right) : 0;
}

/**
 * The CNF clauses of `e`, or null when their total size exceeds `budget` (the expansion is then
 * abandoned early, so a predicate whose CNF is exponential costs nothing).
 */
function clausesOf(e: Expr, budget: { left: number }): Clauses | null {
  if (e.kind === "binary" && e.op === "AND") {
    const out: Clauses = [];
    for (const t of connectorTerms(e, "AND")) {
      const c = clausesOf(t, budget);
      if (!c) return null;
      out.push(...c);
    }
    return out;
  }
  if (e.kind === "binary" && e.op === "OR") {
    let acc: Clauses = [[]];
    for (const t of connectorTerms(e, "OR")) {
      const c = clausesOf(t, budget);
      if (!c) return null;
      const next: Clauses = [];
      for (const a of acc) {
        for (const b of c) {
          budget.left -= a.length + b.length;
          if (budget.left < 0) return null;
          next.push([...a, ...b]);
        }
      }
      acc = next;
    }
    return acc;
  }
  budget.left -= 1;
  return budget.left < 0 ? null : [[e]];
}

const isConnector = (e: Expr): boolean => e.kind === "binary" && (e.op === "AND" || e.op === "OR");
const hasAnd = (e: Expr): boolean => e.kind === "binary" && (e.op === "AND" || (e.op === "OR" && (hasAnd(e.left) || hasAnd(e.right))));

function isCnf(e: Expr): boolean {
  return connectorTerms(e, "AND").every((t) => !isConnector(t) || (t.kind === "binary" && t.op === "OR" && !hasAnd(t)));
}

/** SQLGlot's normalization distance of `e`, or Infinity when it exceeds `max`. */
export function normalizationDistance(e: Expr, max: number): number {
  const connectors = connectorCount(e);
  const budget = { left: max + connectors + 1 };
  const clauses = clausesOf(e, budget);
  if (!clauses) return Infinity;
  return clauses.reduce((n, c) => n + c.length, 0) - connectors - 1;
}

/** The CNF of a canonical predicate, or the predicate itself when the distance exceeds the limit. */
export function toCnf(e: Expr, options: NormalizeOptions): Expr {
  if (!(e.kind === "binary" && (e.op === "AND" || e.op === "OR"))) return e;
  // Already CNF (no AND under an OR): canonicalize made it canonical; nothing to distribute.
  if (isCnf(e)) return e;
  const connectors = connectorCount(e);
  const clauses = clausesOf(e, { left: options.maxDistance + connectors + 1 });
  if (!clauses) return e;
  const seen = new Set<string>();
  const built: Expr[] = [];
  for (const clause of clauses) {
    const term = connector("OR", clause, true, e.range);
    const key = sortKey(term);
    if (seen.has(key)) continue;
    seen.add(key);
    built.push(term);
  }
  const out = connector("AND", built, false, e.range);
  return compareNodes(out, e) === 0 ? e : out;
}

function makeTransformer(options: NormalizeOptions) {
  const norm = (x: Expr | null) => (x ? toCnf(x, options) : null);
  return createTransformer({
    select: (n, ctx) => {
      const v = ctx.visitChildren(n);
      const where = norm(v.where);
      const having = norm(v.having);
      const qualify = norm(v.qualify);
      if (where === v.where && having === v.having && qualify === v.qualify) return v;
      return select(v.items, { distinct: v.distinct, distinctOn: v.distinctOn, from: v.from, where, groupBy: v.groupBy, having, windows: v.windows, qualify }, v.range);
    },
    join: (n, ctx) => {
      const v = ctx.visitChildren(n);
      const on = norm(v.on);
      return on === v.on ? v : join(v.type, v.left, v.right, { natural: v.natural, on, using: v.using }, v.range);
    },
  });
}

/** Transformers by maxDistance (the lane runs once per view, nearly always with one limit). */
const TRANSFORMERS = new Map<number, ReturnType<typeof makeTransformer>>();

/** Whether toCnf may change `e`: a predicate with an AND under an OR. */
const notCnf = (e: Expr | null): boolean => e !== null && isConnector(e) && !isCnf(e);

/**
 * Whether a predicate of the tree is not in CNF yet. Most are (no OR over AND): one walk finds
 * that out, where the transformer would rebuild-check every node.
 */
function anyNotCnf(query: Query): boolean {
  let found = false;
  walk(query, (n) => {
    if ((n.kind === "select" && (notCnf(n.where) || notCnf(n.having) || notCnf(n.qualify))) || (n.kind === "join" && notCnf(n.on))) found = true;
    return !found;
  });
  return found;
}

/** Step 5b: predicates in CNF where the profile's distance limit allows. Pure. */
export function normalizePredicates(query: Query, options: NormalizeOptions): Query {
  if (!anyNotCnf(query)) return query;
  let t = TRANSFORMERS.get(options.maxDistance);
  if (!t) {
    t = makeTransformer({ maxDistance: options.maxDistance });
    TRANSFORMERS.set(options.maxDistance, t);
  }
  return t(query);
}
