/**
 * Which base columns decide which rows a view holds — what the planner needs to know whether a
 * changed input column can change more than the output columns derived from it.
 *
 *   rowDecidingColumns(query, lineage, isAggregate) → sorted `table.column`s, or null
 *
 * The binder's lineage records join keys and filter columns (WHERE, ON, HAVING, QUALIFY) but not
 * grouping keys, DISTINCT, window partitions or LIMIT. This pass adds what it can attribute at the
 * outermost SELECT — a GROUP BY / DISTINCT ON / ORDER BY (with LIMIT) item that is also an output
 * column contributes that column's sources; DISTINCT contributes every output column's sources —
 * and answers null ("every input column may decide rows") for anything it cannot attribute:
 * grouping, DISTINCT, windows or LIMIT inside a CTE or subquery, GROUP BY ALL / grouping sets,
 * windows anywhere, set operations other than UNION ALL, recursive CTEs, table functions
 * (UNNEST), PIVOT and lateral views. Null is always safe: the planner then treats a change of
 * any input column as a change of every output column.
 */
import type { QueryLineage } from "../policy/bind/index.js";
import { sameTree, walk, type Expr, type Node, type Query, type Select } from "../sql/index.js";

export function rowDecidingColumns(query: Query, lineage: QueryLineage, isAggregate: (name: string) => boolean): string[] | null {
  const outer = query.body.kind === "select" ? query.body : null;
  if (!nestedIsPlain(query, outer, isAggregate)) return null;
  const decided = new Set<string>([...lineage.joinKeys, ...lineage.filterColumns]);
  if (!outer) {
    // A set operation (UNION ALL only, checked above) or VALUES: rows are the union of the parts'.
    if (query.limit !== null || query.offset !== null) return null;
    return [...decided].sort();
  }
  const items = outer.items;
  const sourcesOfItem = (e: Expr): readonly string[] | null => {
    const i = items.findIndex((it) => sameTree(it.expr, e) || (it.alias !== null && e.kind === "column" && e.path.length === 1 && e.path[0]!.name.toLowerCase() === it.alias.name.toLowerCase()));
    if (i < 0) return null;
    return lineage.columns[i]?.sources ?? null;
  };
  const addAll = (exprs: readonly Expr[]): boolean => {
    for (const e of exprs) {
      if (e.kind === "number" || e.kind === "string") continue;
      const s = sourcesOfItem(e);
      if (s === null) return false;
      for (const x of s) decided.add(x);
    }
    return true;
  };
  if (outer.groupBy) {
    if (outer.groupBy.all) return null;
    const exprs: Expr[] = [];
    for (const g of outer.groupBy.items) {
      if (g.kind === "groupingSets" || g.kind === "rollup" || g.kind === "cube") return null;
      exprs.push(g);
    }
    if (!addAll(exprs)) return null;
  }
  if (outer.distinct && outer.distinctOn === null) for (const c of lineage.columns) for (const x of c.sources) decided.add(x);
  if (outer.distinctOn !== null && !addAll([...outer.distinctOn, ...query.orderBy.map((o) => o.expr)])) return null;
  if (query.limit !== null || query.offset !== null) {
    if (query.orderBy.length === 0 || !addAll(query.orderBy.map((o) => o.expr))) return null;
  }
  return [...decided].sort();
}

/**
 * True when nothing makes rows depend on values the lineage does not name: below the outermost
 * SELECT no grouping, DISTINCT, aggregate or LIMIT; anywhere no window, recursion, non-ALL set
 * operation, UNNEST or table function.
 */
function nestedIsPlain(query: Query, outer: Select | null, isAggregate: (name: string) => boolean): boolean {
  let plain = true;
  const visit = (root: Node, nested: boolean) => {
    walk(root, (node: Node) => {
      if (!plain) return false;
      switch (node.kind) {
        case "with":
          if (node.recursive) plain = false;
          break;
        case "query":
          if (node !== root) {
            visit(node, true);
            return false;
          }
          if (nested && (node.limit !== null || node.offset !== null)) plain = false;
          break;
        case "select":
          if (node !== outer && (node.groupBy !== null || node.distinct || node.distinctOn !== null)) plain = false;
          if (node.windows.length > 0 || node.qualify !== null) plain = false;
          break;
        case "setOperation":
          if (node.op !== "UNION" || !node.all) plain = false;
          break;
        case "call": {
          const name = node.name[node.name.length - 1]?.name.toLowerCase() ?? "";
          // unnest in a select list multiplies rows; an aggregate in a nested query shapes the rows the outer one reads.
          if (node.over !== null || name === "unnest" || (nested && isAggregate(name))) plain = false;
          break;
        }
        case "tableFunction":
        case "pivot":
        case "unpivot":
        case "lateralView":
          plain = false;
          break;
        default:
          break;
      }
      return plain;
    });
  };
  visit(query, false);
  return plain;
}
