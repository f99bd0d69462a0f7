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

interface Naming {
  /** Made by the first anonymous item (most queries have none). */
  names: Map<Node, string> | null;
  next: number;
  /** The walk's callback over expressions, made once per run. */
  readonly enter: (x: Node) => false | undefined;
}

export function nameAnonymousTables(q: Query): Query {
  const n: Naming = {
    names: null,
    next: 0,
    enter: (x) => {
      if (x.kind !== "query") return undefined;
      visitQuery(n, x);
      return false;
    },
  };
  visitQuery(n, q);
  const names = n.names;
  if (names === null) return q;
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

function visitQuery(n: Naming, query: Query): void {
  if (query.with) for (const c of query.with.ctes) visitQuery(n, c.query);
  visitBody(n, query.body);
  for (const o of query.orderBy) visitExprs(n, o);
}

function visitBody(n: Naming, b: QueryBody): void {
  if (b.kind === "query") return visitQuery(n, b);
  if (b.kind === "setOperation") {
    visitBody(n, b.left);
    visitBody(n, b.right);
    return;
  }
  if (b.kind === "values") {
    for (const row of b.rows) for (const v of row) visitExprs(n, v);
    return;
  }
  let own: TableExpr[] | null = null;
  for (const t of b.from) own = visitFrom(n, t, own);
  for (const i of b.items) visitExprs(n, i.expr);
  if (b.where) visitExprs(n, b.where);
  if (b.groupBy) visitExprs(n, b.groupBy);
  if (b.having) visitExprs(n, b.having);
  if (b.qualify) visitExprs(n, b.qualify);
  if (own) for (const t of own) (n.names ??= new Map()).set(t, `_${n.next++}`);
}

/** Visits a FROM item; returns `own` with its anonymous items added (named after the whole SELECT). */
function visitFrom(n: Naming, t: TableExpr, own: TableExpr[] | null): TableExpr[] | null {
  switch (t.kind) {
    case "join":
      own = visitFrom(n, t.left, own);
      own = visitFrom(n, t.right, own);
      if (t.on) visitExprs(n, t.on);
      return own;
    case "derivedTable":
      visitQuery(n, t.query);
      return t.alias ? own : [...(own ?? []), t];
    case "tableFunction":
      for (const a of t.args) visitExprs(n, a);
      return t.alias ? own : [...(own ?? []), t];
    case "pivot":
    case "unpivot":
      return visitFrom(n, t.source, own);
    case "lateralView":
      own = visitFrom(n, t.source, own);
      for (const a of t.args) visitExprs(n, a);
      return t.table ? own : [...(own ?? []), t];
    case "table":
      return own;
  }
}

/** Subqueries inside an expression tree (not descending into them twice); a name or literal has none. */
function visitExprs(n: Naming, x: Node): void {
  switch (x.kind) {
    case "column":
    case "number":
    case "string":
    case "boolean":
    case "null":
    case "parameter":
      return;
    default:
      walk(x, n.enter);
  }
}
