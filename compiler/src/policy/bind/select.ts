/**
 * Binding a SELECT in DuckDB's resolution order: FROM, projections with star expansion and
 * lateral aliases, WHERE, GROUP BY with ordinals and aliases, HAVING, WINDOW, QUALIFY,
 * DISTINCT ON. Each projection gets an alias.
 */
import {
  type Expr,
  type GroupBy,
  type GroupingElement,
  type Identifier,
  type QueryBody,
  type Select,
  type SelectItem,
  column,
  cube,
  groupBy as groupByNode,
  groupingSets,
  identifier,
  namedWindow,
  rollup,
  select as selectNode,
  selectItem,
} from "../../sql/index.js";
import { Aliases, type Bound, isConstant, sortedDeps } from "./bound.js";
import { type ExprCtx, bindExpr, bindWindowSpec, canonicalName, outputIdent, outputName } from "./expressions.js";
import { bindFrom } from "./from.js";
import { ordinal } from "./query.js";
import { Scope, type SourceColumn, nameIdent } from "./scope.js";
import { expandColumns, expandStar } from "./stars.js";
import type { BinderState, CteEnv } from "./state.js";

export interface SelectCtx {
  readonly scope: Scope;
  readonly aliases: Aliases;
  readonly items: readonly { readonly name: string; readonly bound: Bound }[];
  readonly grouped: boolean;
}

export interface BoundBody {
  readonly body: QueryBody;
  readonly columns: readonly SourceColumn[];
  readonly select: SelectCtx | null;
}

interface Projection {
  readonly name: string;
  readonly bound: Bound;
  readonly alias: Identifier | null;
  readonly range: SelectItem["range"];
  /** A star that stays a star (kept as written, not an output column cpgc knows). */
  readonly keep: SelectItem | null;
}


export function bindSelect(state: BinderState, sel: Select, outer: Scope | null, env: CteEnv | null): BoundBody {
  const scope = new Scope(outer);
  const from = sel.from.map((t) => bindFrom(state, t, scope, outer, env, true).expr);
  const projections: Projection[] = [];
  const aliases = new Aliases(projections);
  const ctx: ExprCtx = { scope, env, clause: "select", aliases };
  let starsKept = false;
  for (const item of sel.items) {
    const e = item.expr;
    if (e.kind === "star" || e.kind === "columns") {
      const expanded = e.kind === "star" ? expandStar(state, e, ctx) : expandColumns(state, e, ctx);
      if (expanded) {
        for (const x of expanded) projections.push({ name: x.name, bound: x.bound, alias: null, range: item.range, keep: null });
        continue;
      }
      const bound = bindExpr(state, e, ctx);
      projections.push({ name: "*", bound, alias: null, range: item.range, keep: selectItem(bound.expr, null, item.range) });
      starsKept = true;
      continue;
    }
    const bound = bindExpr(state, e, ctx);
    const source = item.alias ?? (bound.fromAlias ? null : outputIdent(e));
    const name = source ? canonicalName(source) : ((bound.fromAlias ? null : outputName(e)) ?? `_col_${projections.length}`);
    projections.push({ name, bound, alias: item.alias ?? (source ? identifier(source.name, source.quoted) : null), range: item.range, keep: null });
  }
  const items = projections.map((p) => p.keep ?? selectItem(p.bound.expr, p.alias ?? nameIdent(p.name), p.range));
  const where = sel.where && bindFilter(state, sel.where, { scope, env, clause: "where", aliases });
  const group = sel.groupBy && bindGroupBy(state, sel.groupBy, projections, { scope, env, clause: "group", aliases });
  const having = sel.having && bindFilter(state, sel.having, { scope, env, clause: "having", aliases });
  let windows = sel.windows;
  if (windows.length > 0) {
    const wctx: ExprCtx = { scope, env, clause: "other", aliases };
    windows = windows.map((w) => namedWindow(w.name, bindWindowSpec(state, w.spec, wctx).spec, w.range));
  }
  const qualify = sel.qualify && bindFilter(state, sel.qualify, { scope, env, clause: "qualify", aliases });
  const distinctOn = sel.distinctOn ? bindDistinctOn(state, sel.distinctOn, projections, { scope, env, clause: "order", aliases }) : null;
  const out = selectNode(items, { distinct: sel.distinct, distinctOn, from, where, groupBy: group, having, windows, qualify }, sel.range);
  const outputs = starsKept ? projections.filter((p) => !p.keep) : projections;
  const columns = outputs.map((p): SourceColumn => ({ name: p.name, type: p.bound.type, nullable: p.bound.nullable, lineage: sortedDeps(p.bound.deps) }));
  return { body: out, columns, select: { scope, aliases, items: outputs, grouped: group !== null } };
}

/** WHERE, HAVING, QUALIFY: the columns read are filter columns of the lineage. */
function bindFilter(state: BinderState, e: Expr, ctx: ExprCtx): Expr {
  const b = bindExpr(state, e, ctx);
  state.addFilterColumns(b.deps);
  return b.expr;
}

function bindGroupBy(state: BinderState, group: GroupBy, projections: readonly Projection[], ctx: ExprCtx): GroupBy {
  const element = (g: GroupingElement): GroupingElement => {
    switch (g.kind) {
      case "groupingSets":
        return groupingSets(g.items.map(element), g.range);
      case "rollup":
        return rollup(g.items.map((x) => element(x) as Expr), g.range);
      case "cube":
        return cube(g.items.map((x) => element(x) as Expr), g.range);
      default: {
        const ord = ordinal(g);
        if (ord !== null) {
          const p = projections[ord - 1];
          if (!p || p.keep) {
            if (!p) state.error("ordinal_out_of_range", `GROUP BY ${ord}: the query has ${projections.length} output column(s)`, g.range);
            return g;
          }
          return isConstant(p.bound.expr) || p.bound.agg ? g : p.bound.expr;
        }
        return bindExpr(state, g, ctx).expr;
      }
    }
  };
  return groupByNode(group.items.map(element), group.all, group.range);
}

function bindDistinctOn(state: BinderState, exprs: readonly Expr[], projections: readonly Projection[], ctx: ExprCtx): Expr[] {
  return exprs.map((e) => {
    const ord = ordinal(e);
    const p = ord !== null ? projections[ord - 1] : undefined;
    return p && !p.keep ? column([nameIdent(p.name)], e.range) : bindExpr(state, e, ctx).expr;
  });
}
