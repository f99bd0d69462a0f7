/**
 * Transform hoist_ctes: every WITH clause below the top level (in subqueries, derived tables, CTE
 * bodies, set-operation operands) is moved into the top-level WITH.
 *
 * Prerequisites: none (unqualified trees are fine; names are compared as the engine resolves
 * them: case-insensitively unless quoted).
 *
 * Order: CTEs hoisted out of a top-level CTE's body go right before it (that body may refer to
 * them); those hoisted out of the main body go after the top-level CTEs. A nested RECURSIVE WITH
 * makes the top-level WITH RECURSIVE (which changes nothing for non-recursive CTEs).
 *
 * Renaming on conflict: a hoisted CTE is renamed (`name_2`, …) when its name is already a
 * top-level CTE, another hoisted CTE, or a table referenced outside its scope (hoisting would
 * shadow it). References in its scope become `name_2 AS name`, so qualified columns (`name.c`)
 * stay valid without being rewritten; scopes that define the name again are respected.
 *
 * Not handled: a nested CTE that refers to columns of an enclosing query (a correlated CTE) would
 * lose its correlation at the top level; that needs the binder to detect and is not checked here.
 */
import {
  createTransformer, cte as makeCte, identifier, query, tableAlias, tableRef, walk, withClause,
  type Cte, type Identifier, type Node, type Query,
} from "../../sql/index.js";
import { mayApply } from "./applicable.js";
import { freshName, nameKey } from "./names.js";
import { unchanged, type PassResult } from "./pass.js";

function tableRefCounts(root: Node): Map<string, number> {
  const counts = new Map<string, number>();
  walk(root, (n) => {
    if (n.kind === "table" && n.name.length === 1) {
      const k = nameKey(n.name[0]!);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  });
  return counts;
}

/**
 * Renames references to the CTE `from` (defined at index `index` of `scope`'s WITH) to `to`,
 * within its scope: the later CTEs of that WITH (and its own body when recursive), the body and
 * the ORDER BY / LIMIT; nested queries that define the name again are respected.
 */
function renameInScope(scope: Query, index: number, from: string, to: Identifier): Query {
  const retarget = createTransformer({
    table: (t) =>
      t.name.length === 1 && nameKey(t.name[0]!) === from ? tableRef([to], t.alias ?? tableAlias(t.name[0]!), t.range) : t,
    query: (q, ctx) => {
      const at = q.with ? q.with.ctes.findIndex((c) => nameKey(c.name) === from) : -1;
      if (at < 0) return ctx.visitChildren(q);
      // Shadowed from this definition on: only earlier CTE bodies (and a non-recursive own body) see ours.
      const w = q.with!;
      const ctes = w.ctes.map((c, i) => (i < at || (i === at && !w.recursive) ? ctx.visitChildren(c) : c));
      return query(q.body, { with: withClause(w.recursive, ctes, w.range), orderBy: q.orderBy, limit: q.limit, offset: q.offset }, q.range);
    },
  });
  const w = scope.with!;
  const ctes = w.ctes.map((c, i) => (i > index || (i === index && w.recursive) ? (retarget(c) as Cte) : c));
  const renamedSelf = ctes.map((c, i) => (i === index ? makeCte(to, c.columns, c.query, c.materialized, c.range) : c));
  const parts = {
    with: withClause(w.recursive, renamedSelf, w.range),
    orderBy: scope.orderBy.map((o) => retarget(o)),
    limit: scope.limit ? retarget(scope.limit) : null,
    offset: scope.offset ? retarget(scope.offset) : null,
  };
  return query(retarget(scope.body), parts, scope.range);
}

/** hoist_ctes. Pure. */
export function hoistCtes(root: Query): PassResult {
  if (!mayApply(root, "hoist_ctes")) return unchanged(root);

  const global = tableRefCounts(root);
  const taken = new Set<string>([...global.keys(), ...(root.with?.ctes.map((c) => nameKey(c.name)) ?? [])]);
  const topNames = new Set(root.with?.ctes.map((c) => nameKey(c.name)) ?? []);
  const hoistedNames = new Set<string>();
  let recursive = root.with?.recursive ?? false;

  /** Lifts the WITH clauses out of `q`'s subtree (q's own too unless it is the root). */
  function lift(q: Query, isRoot: boolean): { query: Query; lifted: Cte[] } {
    let scope = q;
    if (!isRoot && scope.with) {
      const inside = tableRefCounts(scope);
      scope.with.ctes.forEach((c, i) => {
        const key = nameKey(c.name);
        const outside = (global.get(key) ?? 0) - (inside.get(key) ?? 0);
        if (topNames.has(key) || hoistedNames.has(key) || outside > 0) {
          const fresh = freshName(key, taken);
          scope = renameInScope(scope, i, key, identifier(fresh, c.name.quoted));
          hoistedNames.add(fresh);
        } else hoistedNames.add(key);
      });
    }
    const lifted: Cte[] = [];
    const own: Cte[] = [];
    if (scope.with) {
      if (!isRoot) recursive ||= scope.with.recursive;
      for (const c of scope.with.ctes) {
        const inner = lift(c.query, false);
        const next = inner.query === c.query ? c : makeCte(c.name, c.columns, inner.query, c.materialized, c.range);
        (isRoot ? own : lifted).push(...inner.lifted, next);
      }
    }
    const sink: Cte[] = [];
    const t = createTransformer({
      query: (sub) => {
        const r = lift(sub, false);
        sink.push(...r.lifted);
        return r.query;
      },
    });
    const parts = {
      orderBy: scope.orderBy.map((o) => t(o)),
      limit: scope.limit ? t(scope.limit) : null,
      offset: scope.offset ? t(scope.offset) : null,
    };
    const body = t(scope.body);
    if (isRoot) {
      const all = [...own, ...sink];
      return { query: query(body, { ...parts, with: all.length > 0 ? withClause(recursive, all, scope.with?.range) : null }, scope.range), lifted: [] };
    }
    return { query: query(body, { ...parts, with: null }, scope.range), lifted: [...lifted, ...sink] };
  }

  return { query: lift(root, true).query, diagnostics: [] };
}
