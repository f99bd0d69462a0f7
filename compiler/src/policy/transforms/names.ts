/** Names the transforms share: relation names of FROM items, fresh names, scoped rewrites of columns. */
import {
  column, createTransformer, identifier,
  type Column, type Expr, type Identifier, type Node, type Query, type TableExpr, type TransformContext,
} from "../../sql/index.js";
import { canonicalIdentifier } from "../canonicalize/identifiers.js";

/** The name a name resolves by (case-insensitive unless quoted). */
export const nameKey = (id: Identifier): string => canonicalIdentifier(id).name;

/** The name of a function by which it is recognized: its one name part's, "" for a qualified name. */
export const functionName = (name: readonly Identifier[]): string => (name.length === 1 ? nameKey(name[0]!) : "");

/** The name a FROM item is referred to by (its alias, else a table's last name part), or null. */
export function relationName(t: TableExpr): Identifier | null {
  switch (t.kind) {
    case "table":
      return t.alias?.name ?? t.name[t.name.length - 1] ?? null;
    case "derivedTable":
    case "tableFunction":
    case "pivot":
    case "unpivot":
      return t.alias?.name ?? null;
    default:
      return null;
  }
}

/** `prefix`, `prefix_2`, … : the first not in `taken` (which it then joins). */
export function freshName(prefix: string, taken: Set<string>, first = prefix): string {
  let name = first;
  for (let k = 2; taken.has(name); k++) name = `${prefix}_${k}`;
  taken.add(name);
  return name;
}

export const col = (name: string | Identifier, qualifier?: Identifier): Column => {
  const id = typeof name === "string" ? identifier(name) : name;
  return column(qualifier ? [qualifier, id] : [id]);
};

/**
 * Replaces columns within one query scope: `map` is called on each column outside nested
 * queries (subqueries, derived tables, CTE bodies are other scopes and are not entered).
 */
export function mapScopeColumns<E extends Node>(node: E, map: (c: Column) => Expr | null): E {
  const t = createTransformer({
    column: (c) => map(c) ?? c,
    query: (q) => q,
  });
  return t(node) as unknown as E;
}

export type { Query };

/**
 * For transforms that rewrite a query together with its SELECT body (ORDER BY sees the select's
 * names): the query's parts visited, and the body's children visited without the body's own handler.
 */
export function visitQueryParts(n: Query, ctx: TransformContext): { body: Query["body"]; with: Query["with"]; orderBy: Query["orderBy"]; limit: Expr | null; offset: Expr | null } {
  return {
    with: n.with ? ctx.visit(n.with) : null,
    body: n.body.kind === "select" ? ctx.visitChildren(n.body) : ctx.visit(n.body),
    orderBy: n.orderBy.map((o) => ctx.visit(o)),
    limit: n.limit ? ctx.visit(n.limit) : null,
    offset: n.offset ? ctx.visit(n.offset) : null,
  };
}
