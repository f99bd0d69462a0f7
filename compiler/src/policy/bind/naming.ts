/**
 * Gives every unaliased derived table and table function an alias `_0`, `_1`, … so each column
 * can be qualified. Numbers follow SQLGlot's qualify_tables: scopes in post-order (CTEs, then
 * FROM items, then subqueries in expressions), a scope's own FROM items named after all of its
 * children — so `SELECT a FROM (SELECT a FROM (SELECT a FROM x))` names the inner `_0`.
 */
import {
  type Node,
  type Query,
  type QueryBody,
  type TableExpr,
  createTransformer,
  derivedTable,
  identifier,
  tableAlias,
  tableFunction,
  lateralView,
  walk,
} from "../../sql/index.js";

export function nameAnonymousTables(q: Query): Query {
  const names = new Map<Node, string>();
  let next = 0;
  const visitQuery = (query: Query): void => {
    if (query.with) for (const c of query.with.ctes) visitQuery(c.query);
    visitBody(query.body);
    for (const o of query.orderBy) visitExprs(o);
  };
  const visitBody = (b: QueryBody): void => {
    if (b.kind === "query") return visitQuery(b);
    if (b.kind === "setOperation") {
      visitBody(b.left);
      visitBody(b.right);
      return;
    }
    if (b.kind === "values") {
      for (const row of b.rows) for (const v of row) visitExprs(v);
      return;
    }
    const own: TableExpr[] = [];
    const from = (t: TableExpr): void => {
      switch (t.kind) {
        case "join":
          from(t.left);
          from(t.right);
          if (t.on) visitExprs(t.on);
          return;
        case "derivedTable":
          visitQuery(t.query);
          if (!t.alias) own.push(t);
          return;
        case "tableFunction":
          for (const a of t.args) visitExprs(a);
          if (!t.alias) own.push(t);
          return;
        case "pivot":
        case "unpivot":
          from(t.source);
          return;
        case "lateralView":
          from(t.source);
          for (const a of t.args) visitExprs(a);
          if (!t.table) own.push(t);
          return;
        case "table":
          return;
      }
    };
    for (const t of b.from) from(t);
    for (const i of b.items) visitExprs(i);
    if (b.where) visitExprs(b.where);
    if (b.groupBy) visitExprs(b.groupBy);
    if (b.having) visitExprs(b.having);
    if (b.qualify) visitExprs(b.qualify);
    for (const t of own) names.set(t, `_${next++}`);
  };
  /** Subqueries inside an expression tree (not descending into them twice). */
  const visitExprs = (n: Node): void => {
    walk(n, (x) => {
      if (x.kind === "query") {
        visitQuery(x);
        return false;
      }
      return undefined;
    });
  };
  visitQuery(q);
  if (names.size === 0) return q;
  const t = createTransformer({
    derivedTable: (d, ctx) => {
      const name = names.get(d);
      const inner = ctx.visitChildren(d);
      return name ? derivedTable(inner.query, tableAlias(identifier(name)), inner.lateral, inner.range) : inner;
    },
    lateralView: (v, ctx) => {
      const name = names.get(v);
      const inner = ctx.visitChildren(v);
      return name ? lateralView(inner.source, inner.name, inner.args, { outer: inner.outer, table: identifier(name), columns: inner.columns }, inner.range) : inner;
    },
    tableFunction: (f, ctx) => {
      const name = names.get(f);
      const inner = ctx.visitChildren(f);
      return name ? tableFunction(inner.name, inner.args, { ordinality: inner.ordinality, alias: tableAlias(identifier(name)), lateral: inner.lateral }, inner.range) : inner;
    },
  });
  return t(q);
}
