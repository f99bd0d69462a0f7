/**
 * Transform eliminate_qualify, for dialects without QUALIFY (Spark, ANSI/DataFusion):
 *
 *   SELECT items FROM … QUALIFY cond ORDER BY o
 *   → SELECT outer FROM (SELECT items, w AS _w0, c AS _q0, o AS _o0 FROM …) AS _t WHERE cond' ORDER BY o'
 *
 * Prerequisites: none (unqualified trees are fine).
 *
 * - Each window call in the condition becomes an inner column `_wN`; each other column the
 *   condition reads becomes `_qN` unless it is a bare output name of the select list (QUALIFY may
 *   use select aliases, and so may the outer WHERE). Subqueries in the condition are kept as
 *   they are (a subquery correlated to the inner FROM would need the binder).
 * - The outer projection lists the inner output names when every item has one (an alias or a
 *   column) and they are distinct; otherwise (a `*`, COLUMNS(…), an unaliased computed item)
 *   it is `* EXCLUDE (_w0, …)`, which keeps every name exactly but needs a dialect with
 *   EXCLUDE (DuckDB; the printer reports CPG1010 for the others).
 * - DISTINCT is evaluated after QUALIFY, so it moves to the outer SELECT. DISTINCT ON is not
 *   rewritten (CPG1301).
 * - ORDER BY items that are not output names or ordinals are computed inside as `_oN`.
 * - Names `_t`, `_w0`… are made unique against the select's output names. The new names are
 *   lower-case and unquoted, so canonicalize keeps them.
 */
import {
  createTransformer, derivedTable, identifier, orderItem, query, select, selectItem, star, tableAlias,
  type Expr, type Identifier, type OrderItem, type Query, type Select, type SelectItem,
} from "../../sql/index.js";
import { mayApply } from "./applicable.js";
import { col, freshName, mapScopeColumns, nameKey, visitQueryParts } from "./names.js";
import { passDiagnostic, unchanged, type PassDiagnostic, type PassResult } from "./pass.js";

const outputName = (i: SelectItem): Identifier | null =>
  i.alias ?? (i.expr.kind === "column" ? i.expr.path[i.expr.path.length - 1]! : null);

function eliminate(s: Select, orderBy: readonly OrderItem[], diags: PassDiagnostic[]): { select: Select; orderBy: readonly OrderItem[] } {
  if (!s.qualify) return { select: s, orderBy };
  if (s.distinctOn) {
    diags.push(passDiagnostic("CPG1301", "eliminate_qualify cannot rewrite QUALIFY together with DISTINCT ON", s, "error", ["write the DISTINCT ON as a row_number() filter"]));
    return { select: s, orderBy };
  }
  const names = s.items.map(outputName);
  const outputs = new Set(names.filter((n): n is Identifier => n !== null).map(nameKey));
  const taken = new Set(outputs);
  const added: SelectItem[] = [];
  const generated = new Set<Expr>();
  let wn = 0;
  let qn = 0;
  const windows = createTransformer({
    call: (c, ctx) => (c.over ? addInnerNumbered(c, "_w", () => wn++) : ctx.visitChildren(c)),
    query: (q) => q,
  });
  function addInnerNumbered(e: Expr, prefix: string, next: () => number): Expr {
    let name = `${prefix}${next()}`;
    while (taken.has(name)) name = `${prefix}${next()}`;
    taken.add(name);
    added.push(selectItem(e, identifier(name)));
    const ref = col(name);
    generated.add(ref);
    return ref;
  }
  let cond = windows(s.qualify);
  cond = mapScopeColumns(cond, (c) => {
    if (generated.has(c) || (c.path.length === 1 && outputs.has(nameKey(c.path[0]!)))) return null;
    return addInnerNumbered(c, "_q", () => qn++);
  });
  let on = 0;
  const order = orderBy.map((o) => {
    const e = o.expr;
    if (e.kind === "number") return o;
    if (e.kind === "column" && e.path.length === 1 && outputs.has(nameKey(e.path[0]!))) return o;
    return orderItem(addInnerNumbered(e, "_o", () => on++), o.direction, o.nulls, o.range);
  });
  const inner = select([...s.items, ...added], { from: s.from, where: s.where, groupBy: s.groupBy, having: s.having, windows: s.windows }, s.range);
  const explicit = names.every((n) => n !== null) && outputs.size === names.length;
  const outerItems = explicit
    ? names.map((n) => selectItem(col(n!)))
    : [selectItem(star({ exclude: added.map((a) => [a.alias!]) }))];
  const alias = freshName("_t", taken);
  const outer = select(outerItems, { distinct: s.distinct, from: [derivedTable(query(inner), tableAlias(identifier(alias)))], where: cond }, s.range);
  return { select: outer, orderBy: order };
}

/** eliminate_qualify over every SELECT of the tree. Pure. */
export function eliminateQualify(q: Query): PassResult {
  if (!mayApply(q, "eliminate_qualify")) return unchanged(q);
  const diags: PassDiagnostic[] = [];
  const t = createTransformer({
    query: (n, ctx) => {
      const v = visitQueryParts(n, ctx);
      if (v.body.kind !== "select") return query(v.body, v, n.range);
      const r = eliminate(v.body, v.orderBy, diags);
      return query(r.select, { with: v.with, orderBy: r.orderBy, limit: v.limit, offset: v.offset }, n.range);
    },
    select: (n, ctx) => {
      const v = ctx.visitChildren(n);
      const r = eliminate(v, [], diags);
      return r.select;
    },
  });
  return { query: t(q), diagnostics: diags };
}
