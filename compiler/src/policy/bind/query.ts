/**
 * Binding queries: WITH (recursive CTEs see their anchor's columns), bodies (SELECT, set
 * operations, VALUES), SELECT clauses in DuckDB's resolution order (FROM, projections with star
 * expansion and lateral aliases, WHERE, GROUP BY with ordinals and aliases, HAVING, WINDOW,
 * QUALIFY), then ORDER BY against output names first. Each projection gets an alias; column
 * aliases of CTEs and derived tables are pushed into their projections.
 *
 * Modules: query.ts (queries, bodies, ORDER BY / LIMIT), select.ts (SELECT clauses and
 * projections), from.ts (FROM: tables, derived tables, table functions, joins, PIVOT/UNPIVOT),
 * set-ops.ts (CTEs, set operations, output renaming).
 */
import {
  type Cte,
  type Expr,
  type Query,
  type QueryBody,
  column,
  numberLiteral,
  query as queryNode,
  sameTree,
  setOperation,
  values as valuesNode,
  withClause,
} from "../../sql/index.js";
import { Aliases } from "./bound.js";
import { type ExprCtx, bindExpr, bindOrderItems } from "./expressions.js";
import { Scope, type SourceColumn, fold, nameIdent } from "./scope.js";
import { type BoundBody, bindSelect } from "./select.js";
import { bindCte, combineSetColumns } from "./set-ops.js";
import { type BinderState, type BoundSubquery, type CteEnv, registerSubqueryBinder } from "./state.js";
import { type ValueType, UNKNOWN_TYPE, commonType } from "./value-type.js";

registerSubqueryBinder(bindQueryNode);

export function bindQueryNode(state: BinderState, q: Query, outer: Scope | null, env: CteEnv | null): BoundSubquery {
  let inner = env;
  let withOut = null;
  if (q.with) {
    const ctes: Cte[] = [];
    for (const c of q.with.ctes) {
      const b = bindCte(state, c, inner, outer, q.with.recursive);
      ctes.push(b.cte);
      inner = { name: fold(c.name.name), def: { name: c.name.name, columns: b.columns }, next: inner };
    }
    withOut = withClause(q.with.recursive, ctes, q.with.range);
  }
  const body = bindBody(state, q.body, outer, inner);
  let orderBy = q.orderBy;
  if (q.orderBy.length > 0) {
    const sel = body.select;
    const aliases = sel?.aliases ?? outputAliases(body.columns);
    const scope = sel?.scope ?? new Scope(outer);
    const ctx: ExprCtx = { scope, env: inner, clause: "order", aliases };
    const items = q.orderBy.map((o) => {
      const ord = ordinal(o.expr);
      if (ord !== null) {
        const names = sel ? sel.items.map((i) => i.name) : body.columns.map((c) => c.name);
        if (ord < 1 || ord > names.length) {
          state.error("ordinal_out_of_range", `ORDER BY ${ord}: the query has ${names.length} output column(s)`, o.expr.range);
          return o;
        }
        return { ...o, expr: column([nameIdent(names[ord - 1]!)], o.expr.range) };
      }
      return o;
    });
    let bound = bindOrderItems(state, items, ctx).items;
    if (sel?.grouped) {
      bound = bound.map((o) => {
        const hit = sel.items.find((i) => sameTree(i.bound.expr, o.expr));
        return hit ? { ...o, expr: column([nameIdent(hit.name)], o.expr.range) } : o;
      });
    }
    orderBy = bound;
  }
  let limit = q.limit;
  let offset = q.offset;
  if (limit || offset) {
    const constCtx: ExprCtx = { scope: new Scope(outer), env: inner, clause: "other", aliases: null };
    limit = limit && bindExpr(state, limit, constCtx).expr;
    offset = offset && bindExpr(state, offset, constCtx).expr;
  }
  return { query: queryNode(body.body, { with: withOut, orderBy, limit, offset }, q.range), columns: body.columns };
}

/** The output names of a set operation or VALUES, for its ORDER BY. */
function outputAliases(cols: readonly SourceColumn[]): Aliases {
  return new Aliases(cols.map((c) => ({ name: c.name, bound: { expr: column([nameIdent(c.name)]), type: c.type, nullable: c.nullable, deps: c.lineage, agg: false }, keep: null })));
}

export function ordinal(e: Expr): number | null {
  return e.kind === "number" && /^\d+$/.test(e.value) ? Number(e.value) : null;
}

export function bindBody(state: BinderState, b: QueryBody, outer: Scope | null, env: CteEnv | null): BoundBody {
  switch (b.kind) {
    case "select":
      return bindSelect(state, b, outer, env);
    case "query": {
      const q = bindQueryNode(state, b, outer, env);
      return { body: q.query, columns: q.columns, select: null };
    }
    case "setOperation": {
      const l = bindBody(state, b.left, outer, env);
      const r = bindBody(state, b.right, outer, env);
      return { body: setOperation(b.op, l.body, r.body, b.all, b.byName, b.range), columns: combineSetColumns(state, b, l.columns, r.columns), select: null };
    }
    case "values": {
      const ctx: ExprCtx = { scope: new Scope(outer), env, clause: "other", aliases: null };
      const rows = b.rows.map((row) => row.map((v) => bindExpr(state, v, ctx)));
      const width = rows[0]?.length ?? 0;
      if (rows.some((r) => r.length !== width)) state.error("set_op_arity", "VALUES rows have different numbers of values", b.range);
      const columns: SourceColumn[] = [];
      for (let i = 0; i < width; i++) {
        let type: ValueType = rows[0]![i]!.type;
        for (const r of rows.slice(1)) if (r[i]) type = commonType(type, r[i]!.type) ?? UNKNOWN_TYPE;
        columns.push({ name: `col${i}`, type, nullable: rows.some((r) => r[i]?.nullable ?? true), lineage: [] });
      }
      return { body: valuesNode(rows.map((r) => r.map((x) => x.expr)), b.range), columns, select: null };
    }
  }
}

export { numberLiteral };
