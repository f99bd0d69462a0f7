/**
 * Semantic diff of two compiled versions of one view (what the planner shows):
 *
 *   semanticDiff(before, after) → { class: cosmetic | additive | breaking, changes }
 *
 * - cosmetic: same ast_fingerprint (formatting, case, comments, AND/OR order never change it).
 * - additive: the only changes are new output columns; every existing column keeps its name,
 *   type, nullability, lineage and expression, and every clause is unchanged.
 * - breaking: anything else — removed / renamed / retyped columns, a changed column expression,
 *   or a changed clause (FROM / joins, WHERE, GROUP BY, HAVING, QUALIFY, WINDOW, DISTINCT, WITH,
 *   ORDER BY, LIMIT, set operations). A change this module cannot attribute to a clause is still
 *   breaking (conservative).
 *
 * Clauses are compared on the canonical trees (the `ast` if given, else `parseQuery(sql)`), at the
 * outermost query; a change inside a CTE or subquery shows as a change of the clause holding it.
 * Pure; changes are listed in a fixed order: columns in output order, then clauses in clause order.
 */
import type { ManifestColumn } from "../compile/manifest.js";
import type { QueryLineage } from "../policy/bind/index.js";
import { parseQuery, printSql, stripRanges, type Expr, type Node, type Query, type QueryBody, type Select } from "../sql/index.js";

/** The parts of a ViewArtifact the diff reads; `ast` or `sql` (canonical) enables clause diffs. */
export interface DiffableView {
  readonly ast_fingerprint: string;
  readonly columns: readonly ManifestColumn[];
  readonly lineage: QueryLineage;
  readonly ast?: Query;
  readonly sql?: string;
}

export type SemanticDiffClass = "cosmetic" | "additive" | "breaking";

export type SemanticClause =
  | "select"
  | "aggregate"
  | "from"
  | "join"
  | "where"
  | "group_by"
  | "having"
  | "qualify"
  | "window"
  | "distinct"
  | "with"
  | "order_by"
  | "limit"
  | "set_operation"
  | "query";

export type SemanticChangeKind =
  | "column_added"
  | "column_removed"
  | "column_renamed"
  | "column_retyped"
  | "column_nullability"
  | "column_lineage"
  | "column_expression"
  | "clause_changed";

export interface SemanticChange {
  readonly kind: SemanticChangeKind;
  readonly clause: SemanticClause;
  /** The output column concerned (the new name for a rename); null for a clause change. */
  readonly column: string | null;
  /** The old and new value: a type, a nullability, sources, or the clause's canonical SQL. */
  readonly before: string | null;
  readonly after: string | null;
}

export interface SemanticDiff {
  readonly class: SemanticDiffClass;
  readonly changes: readonly SemanticChange[];
}

const AGGREGATES = new Set([
  "any_value", "approx_count_distinct", "approx_quantile", "arg_max", "arg_min", "array_agg", "avg", "bit_and", "bit_or",
  "bool_and", "bool_or", "count", "count_star", "first", "fsum", "histogram", "last", "list", "max", "max_by", "mean",
  "median", "min", "min_by", "mode", "product", "quantile", "quantile_cont", "quantile_disc", "stddev", "stddev_pop",
  "stddev_samp", "string_agg", "sum", "var_pop", "var_samp", "variance",
]);

const change = (kind: SemanticChangeKind, clause: SemanticClause, column: string | null, before: string | null, after: string | null): SemanticChange => ({ kind, clause, column, before, after });

export function semanticDiff(before: DiffableView, after: DiffableView): SemanticDiff {
  if (before.ast_fingerprint === after.ast_fingerprint) return { class: "cosmetic", changes: [] };
  const oldTree = treeOf(before);
  const newTree = treeOf(after);
  const changes = [...columnChanges(before, after, oldTree, newTree), ...clauseChanges(before, after, oldTree, newTree)];
  const additive = changes.length > 0 && changes.every((c) => c.kind === "column_added");
  if (changes.length === 0) changes.push(change("clause_changed", "query", null, before.sql ?? null, after.sql ?? null));
  return { class: additive ? "additive" : "breaking", changes };
}

function treeOf(v: DiffableView): Query | null {
  if (v.ast) return v.ast;
  if (v.sql === undefined) return null;
  const parsed = parseQuery(v.sql);
  return parsed.ok ? parsed.ast : null;
}

const sourcesOf = (v: DiffableView, name: string) => v.lineage.columns.find((c) => c.name === name)?.sources.join(", ") ?? "";
const same = (a: unknown, b: unknown) => JSON.stringify(stripRanges(a)) === JSON.stringify(stripRanges(b));
const sql = (n: Node | readonly Node[] | null): string | null => {
  if (n === null) return null;
  if (Array.isArray(n)) return (n as readonly Node[]).map((x) => printSql(x).sql).join(", ");
  return printSql(n as Node).sql;
};

/** Output name → select-item expression of the outermost SELECT (null when the body is not a SELECT). */
function itemsByName(tree: Query | null, columns: readonly ManifestColumn[]): Map<string, Expr> | null {
  if (!tree || tree.body.kind !== "select") return null;
  const items = tree.body.items;
  if (items.length !== columns.length) return null;
  return new Map(items.map((item, i) => [item.alias?.name ?? columns[i]!.name, item.expr]));
}

function hasAggregate(node: unknown): boolean {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some(hasAggregate);
  const n = node as { kind?: string; name?: readonly { name: string }[]; over?: unknown };
  if (n.kind === "call" && n.over === null && AGGREGATES.has((n.name?.[n.name.length - 1]?.name ?? "").toLowerCase())) return true;
  return Object.entries(node).some(([k, v]) => k !== "range" && hasAggregate(v));
}

function columnChanges(before: DiffableView, after: DiffableView, oldTree: Query | null, newTree: Query | null): SemanticChange[] {
  const out: SemanticChange[] = [];
  const oldByName = new Map(before.columns.map((c) => [c.name, c]));
  const newByName = new Map(after.columns.map((c) => [c.name, c]));
  const oldItems = itemsByName(oldTree, before.columns);
  const newItems = itemsByName(newTree, after.columns);
  const removed = before.columns.filter((c) => !newByName.has(c.name));
  const added = after.columns.filter((c) => !oldByName.has(c.name));
  // A rename: a removed and an added column at the same position, same type and same sources.
  const renamed = new Map<string, string>();
  for (const r of removed) {
    const a = after.columns[before.columns.indexOf(r)];
    if (a && added.includes(a) && a.type === r.type && sourcesOf(before, r.name) === sourcesOf(after, a.name)) renamed.set(a.name, r.name);
  }
  const renamedFrom = new Set(renamed.values());
  for (const r of removed) if (!renamedFrom.has(r.name)) out.push(change("column_removed", "select", r.name, r.type, null));
  for (const c of after.columns) {
    const old = oldByName.get(c.name);
    if (!old) {
      const from = renamed.get(c.name);
      out.push(from !== undefined ? change("column_renamed", "select", c.name, from, c.name) : change("column_added", "select", c.name, null, c.type));
      continue;
    }
    if (old.type !== c.type) out.push(change("column_retyped", "select", c.name, old.type, c.type));
    if (old.nullable !== c.nullable) out.push(change("column_nullability", "select", c.name, old.nullable ? "nullable" : "not null", c.nullable ? "nullable" : "not null"));
    const [s0, s1] = [sourcesOf(before, c.name), sourcesOf(after, c.name)];
    if (s0 !== s1) out.push(change("column_lineage", "select", c.name, s0, s1));
    const [e0, e1] = [oldItems?.get(c.name), newItems?.get(c.name)];
    if (e0 && e1 && !same(e0, e1)) out.push(change("column_expression", hasAggregate(e0) || hasAggregate(e1) ? "aggregate" : "select", c.name, sql(e0), sql(e1)));
  }
  return out;
}

type ClausePart = readonly [SemanticClause, unknown, unknown];

function selectParts(a: Select, b: Select): ClausePart[] {
  const joined = (s: Select) => s.from.length > 1 || s.from.some((t) => t.kind === "join");
  return [
    ["with", null, null],
    ["distinct", [a.distinct, a.distinctOn], [b.distinct, b.distinctOn]],
    [joined(a) || joined(b) ? "join" : "from", a.from, b.from],
    ["where", a.where, b.where],
    ["group_by", a.groupBy, b.groupBy],
    ["having", a.having, b.having],
    ["window", a.windows, b.windows],
    ["qualify", a.qualify, b.qualify],
  ];
}

function bodyParts(a: QueryBody, b: QueryBody): ClausePart[] {
  if (a.kind === "select" && b.kind === "select") return selectParts(a, b);
  if (a.kind !== b.kind) return [["set_operation", a, b]];
  if (a.kind === "setOperation") return [["set_operation", a, b]];
  return [["query", a, b]];
}

function clauseChanges(before: DiffableView, after: DiffableView, oldTree: Query | null, newTree: Query | null): SemanticChange[] {
  const out: SemanticChange[] = [];
  if (oldTree && newTree) {
    const parts: ClausePart[] = [
      ["with", oldTree.with, newTree.with],
      ...bodyParts(oldTree.body, newTree.body).filter(([clause]) => clause !== "with"),
      ["order_by", oldTree.orderBy, newTree.orderBy],
      ["limit", [oldTree.limit, oldTree.offset], [newTree.limit, newTree.offset]],
    ];
    for (const [clause, a, b] of parts) {
      if (same(a, b)) continue;
      out.push(change("clause_changed", clause, null, fragment(a), fragment(b)));
    }
    return out;
  }
  // No trees: the lineage still tells joins and filters apart.
  const lists: [SemanticClause, readonly string[], readonly string[]][] = [
    ["from", before.lineage.tables, after.lineage.tables],
    ["join", before.lineage.joinKeys, after.lineage.joinKeys],
    ["where", before.lineage.filterColumns, after.lineage.filterColumns],
  ];
  for (const [clause, a, b] of lists) if (a.join(", ") !== b.join(", ")) out.push(change("clause_changed", clause, null, a.join(", "), b.join(", ")));
  return out;
}

function isNode(x: unknown): x is Node {
  return x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as { kind?: unknown }).kind === "string";
}

/** A clause's canonical SQL for display (null when absent). */
function fragment(x: unknown): string | null {
  if (x === null || x === undefined || x === false) return null;
  if (isNode(x)) return sql(x);
  if (Array.isArray(x)) {
    const parts = x.map(fragment).filter((s): s is string => s !== null && s !== "");
    return parts.length > 0 ? parts.join(", ") : null;
  }
  return typeof x === "boolean" ? (x ? "DISTINCT" : null) : String(x);
}
