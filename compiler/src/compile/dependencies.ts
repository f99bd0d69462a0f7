import type { Query } from "../sql/ast/index.js";
import { walk } from "../sql/ast/index.js";

/**
 * The tables a query names in FROM, minus names its own CTEs define. Syntactic on purpose: it
 * decides the graph order in which views are bound, before any view is bound. A CTE name shadows
 * a table of the same name anywhere in the query (a superset of SQL's scoping: at worst an edge is
 * missed for a table that is also a CTE name, and binding then reports the unknown table).
 */
export function referencedTables(query: Query): string[] {
  const refs = new Set<string>();
  const ctes = new Set<string>();
  walk(query, (node) => {
    if (node.kind === "cte") ctes.add(node.name.name.toLowerCase());
    else if (node.kind === "table") {
      const last = node.name[node.name.length - 1];
      if (last) refs.add(last.quoted ? last.name : last.name.toLowerCase());
    }
  });
  return [...refs].filter((r) => !ctes.has(r.toLowerCase())).sort();
}
