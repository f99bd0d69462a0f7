/**
 * Binding a SELECT in DuckDB's resolution order: FROM, projections with star expansion and
 * lateral aliases, WHERE, GROUP BY with ordinals and aliases, HAVING, WINDOW, QUALIFY,
 * DISTINCT ON. Each projection gets an alias.
 */
import {
  type Expr,
  type GroupingElement,
  type Identifier,
  type QueryBody,
  type Select,
  type SelectItem,
  type TableExpr,
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
import { type Bound, sortedDeps } from "./bound.js";
import { type ExprCtx, type ProjInfo, bindExpr, bindWindowSpec, canonicalName, outputIdent, outputName } from "./expressions.js";
import { bindFrom } from "./from.js";
import { ordinal } from "./query.js";
import { Scope, type SourceColumn, fold, nameIdent } from "./scope.js";
import { expandColumns, expandStar } from "./stars.js";
import type { BinderState, CteEnv } from "./state.js";

export interface SelectCtx {
  readonly scope: Scope;
  readonly aliases: ReadonlyMap<string, ProjInfo>;
  readonly items: readonly { readonly name: string; readonly bound: Bound }[];
  readonly grouped: boolean;
}

export interface BoundBody {
  readonly body: QueryBody;
  readonly columns: SourceColumn[];
  readonly select: SelectCtx | null;
}

export function bindSelect(state: BinderState, sel: Select, outer: Scope | null, env: CteEnv | null): BoundBody {
  const scope = new Scope(outer);
  const from: TableExpr[] = [];
  for (const t of sel.from) from.push(bindFrom(state, t, scope, outer, env, true).expr);
  const aliases = new Map<string, ProjInfo>();
  const projections: { name: string; bound: Bound; alias: Identifier | null; range: SelectItem["range"]; keep: SelectItem | null }[] = [];
  const ctx: ExprCtx = { scope, env, clause: "select", aliases };
  const add = (name: string, bound: Bound, aliasIdent: Identifier | null, range: SelectItem["range"]) => {
    const index = projections.length;
    projections.push({ name, bound, alias: aliasIdent, range, keep: null });
    const k = fold(name);
    const constant = ["number", "string", "boolean", "null"].includes(bound.expr.kind);
    if (!aliases.has(k)) aliases.set(k, { name, bound, index, constant });
  };
  for (const item of sel.items) {
    const e = item.expr;
    if (e.kind === "star" || e.kind === "columns") {
      const expanded = e.kind === "star" ? expandStar(state, e, ctx) : expandColumns(state, e, ctx);
      if (expanded) {
        for (const x of expanded) add(x.name, x.bound, null, item.range);
        continue;
      }
      const bound = bindExpr(state, e, ctx);
      projections.push({ name: "*", bound, alias: null, range: item.range, keep: selectItem(bound.expr, null, item.range) });
      continue;
    }
    const bound = bindExpr(state, e, ctx);
    const source = item.alias ?? (bound.fromAlias ? null : outputIdent(e));
    const name = source ? canonicalName(source) : ((bound.fromAlias ? null : outputName(e)) ?? `_col_${projections.length}`);
    add(name, bound, item.alias ?? (source ? identifier(source.name, source.quoted) : null), item.range);
  }
  const items = projections.map((p) => p.keep ?? selectItem(p.bound.expr, p.alias ?? nameIdent(p.name), p.range));
  const filterCtx = (clause: ExprCtx["clause"]): ExprCtx => ({ scope, env, clause, aliases });
  const filter = (e: Expr | null, clause: ExprCtx["clause"]): Expr | null => {
    if (!e) return null;
    const b = bindExpr(state, e, filterCtx(clause));
    for (const d of b.deps) state.filterColumns.add(d);
    return b.expr;
  };
  const where = filter(sel.where, "where");
  let group = sel.groupBy;
  if (group) {
    const gctx = filterCtx("group");
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
            const k = p.bound.expr.kind;
            return k === "number" || k === "string" || k === "boolean" || k === "null" || p.bound.agg ? g : p.bound.expr;
          }
          return bindExpr(state, g, gctx).expr;
        }
      }
    };
    group = groupByNode(group.items.map(element), group.all, group.range);
  }
  const having = filter(sel.having, "having");
  const windows = sel.windows.map((w) => namedWindow(w.name, bindWindowSpec(state, w.spec, filterCtx("other")).spec, w.range));
  const qualify = filter(sel.qualify, "qualify");
  const distinctOn = sel.distinctOn
    ? sel.distinctOn.map((e) => {
        const ord = ordinal(e);
        const p = ord !== null ? projections[ord - 1] : undefined;
        return p && !p.keep ? column([nameIdent(p.name)], e.range) : bindExpr(state, e, filterCtx("order")).expr;
      })
    : null;
  const out = selectNode(items, { distinct: sel.distinct, distinctOn, from, where, groupBy: group, having, windows, qualify }, sel.range);
  const columns: SourceColumn[] = projections
    .filter((p) => !p.keep)
    .map((p) => ({ name: p.name, type: p.bound.type, nullable: p.bound.nullable, lineage: sortedDeps(p.bound.deps) }));
  const grouped = group !== null;
  return { body: out, columns, select: { scope, aliases, items: projections.filter((p) => !p.keep), grouped } };
}
