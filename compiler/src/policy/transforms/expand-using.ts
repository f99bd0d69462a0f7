/**
 * Transform expand_using: `a JOIN b USING (c)` → `a JOIN b ON a.c = b.c`.
 *
 * Prerequisites: none (runs on the unqualified tree, before the binder). What it needs to know is
 * read from the FROM clause: the relation on each side of the join (its alias or table name).
 *
 * - A side that is itself a join supplies the USING column it merged (`a JOIN b USING (c) JOIN d
 *   USING (c)` compares d.c with a.c; after a RIGHT join with b.c, after a FULL join with
 *   COALESCE(a.c, b.c)). Any other multi-relation side needs the schema to know which relation
 *   holds c: the join is left as written (CPG1300 warning) for the binder.
 * - Unqualified references to c in the same SELECT (select list, WHERE, GROUP BY, HAVING, QUALIFY,
 *   WINDOW, later ON conditions, and the query's ORDER BY when c is not an output name) become
 *   the merged column, so they stay unambiguous; a bare `c` select item keeps its output name
 *   through an alias. Nested queries are not entered (a correlated reference to c is the binder's).
 * - Boundary with the binder: `SELECT *` over a USING join lists c once (coalesced), over an ON
 *   join twice. Expanding the star needs the schema, so a SELECT with an unqualified `*` or
 *   COLUMNS(…) keeps its USING (CPG1300 warning); the binder's star expansion, run first,
 *   removes that case. NATURAL joins are the binder's too (they need both relations' columns).
 */
import {
  binary, call, identifier, join, orderItem, query, select, selectItem,
  type Expr, type Identifier, type Join, type OrderItem, type Query, type Select, type TableExpr,
} from "../../sql/index.js";
import { createTransformer } from "../../sql/index.js";
import { mayApply } from "./applicable.js";
import { col, mapScopeColumns, nameKey, relationName, visitQueryParts } from "./names.js";
import { passDiagnostic, unchanged, type PassDiagnostic, type PassResult } from "./pass.js";

/** What a FROM item offers for USING columns: the merged expression per column, or its relation. */
interface Side {
  readonly relation: Identifier | null;
  readonly merged: ReadonlyMap<string, Expr>;
}

class GiveUp {
  constructor(readonly at: Join, readonly why: string) {}
}

function sideColumn(side: Side, c: Identifier): Expr | null {
  const merged = side.merged.get(nameKey(c));
  if (merged) return merged;
  return side.relation ? col(c, side.relation) : null;
}

/** Rewrites one FROM item; `merged` collects every USING column merged in it. */
function expandItem(t: TableExpr, merged: Map<string, Expr>): { item: TableExpr; side: Side } {
  if (t.kind !== "join") return { item: t, side: { relation: relationName(t), merged: new Map() } };
  const left = expandItem(t.left, merged);
  const right = expandItem(t.right, merged);
  const mine = new Map<string, Expr>([...left.side.merged, ...right.side.merged]);
  let on = t.on;
  let using = t.using;
  if (t.using && !t.natural) {
    const conds: Expr[] = [];
    for (const c of t.using) {
      const l = sideColumn(left.side, c);
      const r = sideColumn(right.side, c);
      if (!l || !r) throw new GiveUp(t, `which relation of the ${l ? "right" : "left"} side holds '${c.name}' needs the schema`);
      conds.push(binary("=", l, r));
      const m = t.type === "RIGHT" ? r : t.type === "FULL" ? call([identifier("coalesce")], [l, r]) : l;
      mine.set(nameKey(c), m);
      merged.set(nameKey(c), m);
    }
    on = conds.reduce((a, b) => binary("AND", a, b));
    using = null;
  }
  const item = on === t.on && using === t.using && left.item === t.left && right.item === t.right ? t : join(t.type, left.item, right.item, { natural: t.natural, on, using }, t.range);
  return { item, side: { relation: null, merged: mine } };
}

const hasBareStar = (s: Select) => s.items.some((i) => (i.expr.kind === "star" && i.expr.qualifier.length === 0) || i.expr.kind === "columns");

function expandSelect(s: Select, orderBy: readonly OrderItem[], diags: PassDiagnostic[]): { select: Select; orderBy: readonly OrderItem[] } {
  if (!s.from.some((f) => f.kind === "join" && hasUsing(f))) return { select: s, orderBy };
  if (hasBareStar(s)) {
    diags.push(passDiagnostic("CPG1300", "expand_using left JOIN … USING as written: the select list has *, whose expansion needs the schema", s, "warning", ["the binder expands * and the USING column first"]));
    return { select: s, orderBy };
  }
  const merged = new Map<string, Expr>();
  let from: TableExpr[];
  try {
    from = s.from.map((f) => expandItem(f, merged).item);
  } catch (e) {
    if (!(e instanceof GiveUp)) throw e;
    diags.push(passDiagnostic("CPG1300", `expand_using left JOIN … USING as written: ${e.why}`, e.at, "warning"));
    return { select: s, orderBy };
  }
  const rewrite = <E extends Expr | null>(x: E): E =>
    (x === null ? x : mapScopeColumns(x, (c) => (c.path.length === 1 ? (merged.get(nameKey(c.path[0]!)) ?? null) : null))) as E;
  const items = s.items.map((it) => {
    const expr = rewrite(it.expr);
    if (expr === it.expr) return it;
    const alias = it.alias ?? (it.expr.kind === "column" ? it.expr.path[it.expr.path.length - 1]! : null);
    return selectItem(expr, alias, it.range);
  });
  const outputs = new Set(items.map((i) => (i.alias ? nameKey(i.alias) : null)).filter((n): n is string => n !== null));
  const rewriteFrom = (t: TableExpr): TableExpr =>
    t.kind === "join" ? join(t.type, rewriteFrom(t.left), rewriteFrom(t.right), { natural: t.natural, on: rewrite(t.on), using: t.using }, t.range) : t;
  const out = select(items, {
    distinct: s.distinct,
    distinctOn: s.distinctOn?.map(rewrite) ?? null,
    from: from.map(rewriteFrom),
    where: rewrite(s.where),
    groupBy: s.groupBy ? mapScopeColumns(s.groupBy, (c) => (c.path.length === 1 ? (merged.get(nameKey(c.path[0]!)) ?? null) : null)) : null,
    having: rewrite(s.having),
    windows: s.windows.map((w) => mapScopeColumns(w, (c) => (c.path.length === 1 ? (merged.get(nameKey(c.path[0]!)) ?? null) : null))),
    qualify: rewrite(s.qualify),
  }, s.range);
  const order = orderBy.map((o) => {
    if (o.expr.kind === "column" && o.expr.path.length === 1 && outputs.has(nameKey(o.expr.path[0]!))) return o;
    const e = rewrite(o.expr);
    return e === o.expr ? o : orderItem(e, o.direction, o.nulls, o.range);
  });
  return { select: out, orderBy: order };
}

function hasUsing(t: TableExpr): boolean {
  return t.kind === "join" && ((t.using !== null && !t.natural) || hasUsing(t.left) || hasUsing(t.right));
}

/** expand_using over every SELECT of the tree. Pure. */
export function expandUsing(q: Query): PassResult {
  if (!mayApply(q, "expand_using")) return unchanged(q);
  const diags: PassDiagnostic[] = [];
  const t = createTransformer({
    query: (n, ctx) => {
      const v = visitQueryParts(n, ctx);
      if (v.body.kind !== "select") return query(v.body, v, n.range);
      const r = expandSelect(v.body, v.orderBy, diags);
      return query(r.select, { with: v.with, orderBy: r.orderBy, limit: v.limit, offset: v.offset }, n.range);
    },
    select: (n, ctx) => expandSelect(ctx.visitChildren(n), [], diags).select,
  });
  return { query: t(q), diagnostics: diags };
}
