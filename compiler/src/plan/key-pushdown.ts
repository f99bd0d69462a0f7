/**
 * Key pushdown for incremental refreshes: which of a view's inputs may be read through a filter on
 * the changed keys (`column IN (keys)`) without changing the view's rows of those keys.
 *
 * An incremental refresh recomputes the rows of a set S of keys (never NULL: with a NULL key the
 * refresh does not push down). Reading an input table T through `T.c IN S` is correct when, in
 * every output row whose key k is not NULL, each row of T that contributes to it (or decides
 * whether it exists) has `T.c = k`: then T's rows of other keys never matter for the rows kept.
 * The apply keeps the output filter `key IN S` as well, so rows of other keys that the filtered
 * inputs change are dropped anyway. This module proves that property from the query's structure;
 * what it cannot prove it does not push down (never an error).
 *
 * The proof, per SELECT (analyzeSelect):
 * - The key output is a column `X.c` of a FROM item X, or `coalesce(X.c, Y.d, …)` whose
 *   arguments are pairwise compared with `=` in the join conditions / WHERE (a FULL JOIN's
 *   `coalesce(a.k, b.k)`), or whose later arguments each equal the first wherever their
 *   relation is present (LEFT JOINs on the key: the key is then the first argument).
 * - Columns equal to the key in every row where their relation is present are found by closing
 *   over `=` between columns: WHERE conjuncts and inner-join ON conjuncts always hold; an outer
 *   join's ON conjunct between its two sides holds only when the join matched, so it is followed
 *   only when the target's side (or the key's) guarantees the match — a LEFT JOIN's right side
 *   gets the key from the left (`norm_ast n LEFT JOIN norm_scopes s ON s.path = n.path`).
 * - Rows are only shaped in ways that keep a key's rows together: GROUP BY (not grouping sets)
 *   on a key column, windows PARTITION BY a key column, DISTINCT, DISTINCT ON a key column; no
 *   LIMIT / OFFSET, no positional joins.
 * - A FROM item with a key column is bound: a table by that column, a derived table or CTE by
 *   the proof of its own query for that column, a logical view by the proof of its SQL. A CTE is
 *   bound only when every reference binds it by the same column; a recursive CTE only when its
 *   recursive reference is itself bound by that column (induction over the iterations).
 * - Everything else — the other side of a semi/anti join, lateral and table-function items,
 *   subqueries in expressions, UNION branches that cannot prove it, whole SELECTs that fail a
 *   rule — is read unfiltered.
 * Set operations prove each branch for the key's position. A table is filtered only when every
 * occurrence of it (in the view, its CTEs, its subqueries and the logical views it reads) is
 * bound by the same column: the filter applies to the table's name in the engine session.
 */
import { parseQuery } from "../sql/parse.js";
import type { Expr, Node, QueryBody, TableExpr } from "../sql/ast/nodes.js";
import type { Cte, Query, Select } from "../sql/ast/queries.js";
import { walk } from "../sql/ast/children.js";
import { sameTree } from "../sql/ast/compare.js";

/** An input read through `column IN (keys)` during an incremental refresh. */
export interface KeyFilter {
  readonly table: string;
  readonly column: string;
}

/** What a name in FROM is, outside the query's own CTEs. */
export type InputKind = { readonly kind: "table" } | { readonly kind: "view"; readonly sql: string };

const MAX_VIEW_DEPTH = 16;

interface Occurrence {
  readonly table: string;
  /** The column it is bound by; null when it must be read in full. */
  readonly column: string | null;
}

interface CteInfo {
  readonly cte: Cte;
  readonly recursive: boolean;
  /** The binding column of each reference seen so far (null: unbound). */
  readonly refs: (string | null)[];
  processed: boolean;
  /** Once decided: the column it is bound by (null: read unfiltered). */
  proving: string | null | undefined;
  /** A recursive CTE whose body is being proved for `proving`. */
  trial: boolean;
  /** A reference from its own body that is not bound by `proving`. */
  selfBroken: boolean;
}

type Env = ReadonlyMap<string, CteInfo>;

class Analysis {
  readonly occurrences: Occurrence[] = [];
  /** Something the analysis cannot account for (a late CTE reference): push nothing down. */
  invalid = false;
  constructor(
    readonly resolve: (name: string) => InputKind | undefined,
    readonly depth: number,
  ) {}
}

/**
 * The inputs of a view's query that an incremental refresh by `key` may read filtered on the
 * changed keys, sorted by table. `resolve` says what a table name of the query is (a Delta table
 * or a logical view with its SQL); names it does not know are read unfiltered.
 */
export function keyPushdown(sql: string, key: string, resolve: (name: string) => InputKind | undefined): KeyFilter[] {
  const parsed = parseQuery(sql);
  if (!parsed.ok) return [];
  const a = new Analysis(resolve, 0);
  const position = outputPosition(parsed.ast.body, key);
  analyzeQuery(a, parsed.ast, position, new Map());
  if (a.invalid) return [];
  const byTable = new Map<string, Set<string | null>>();
  for (const o of a.occurrences) {
    const set = byTable.get(o.table) ?? new Set<string | null>();
    set.add(o.column);
    byTable.set(o.table, set);
  }
  const out: KeyFilter[] = [];
  for (const [table, columns] of byTable) {
    const [only] = [...columns];
    if (columns.size === 1 && only !== null && only !== undefined) out.push({ table, column: only });
  }
  return out.sort((x, y) => (x.table < y.table ? -1 : x.table > y.table ? 1 : 0));
}

const lower = (s: string) => s.toLowerCase();

// ─── Queries and bodies ─────────────────────────────────────────────────────────────────────────

function analyzeQuery(a: Analysis, q: Query, keyPos: number | null, outer: Env): void {
  const pos = q.limit !== null || q.offset !== null ? null : keyPos;
  const env = new Map(outer);
  const infos: CteInfo[] = [];
  if (q.with !== null) {
    for (const cte of q.with.ctes) {
      const info: CteInfo = { cte, recursive: q.with.recursive, refs: [], processed: false, proving: undefined, trial: false, selfBroken: false };
      infos.push(info);
      env.set(lower(cte.name.name), info);
    }
  }
  analyzeBody(a, q.body, pos, env);
  for (const o of q.orderBy) unbound(a, o.expr, env);
  if (q.limit !== null) unbound(a, q.limit, env);
  if (q.offset !== null) unbound(a, q.offset, env);
  // Later CTEs (and the body) reference earlier ones: decide from the last one back.
  for (const info of [...infos].reverse()) {
    const columns = new Set(info.refs);
    const [only] = [...columns];
    const column = columns.size === 1 && only !== undefined ? only : null;
    info.processed = true;
    analyzeCte(a, info, column, env);
  }
}

function analyzeCte(a: Analysis, info: CteInfo, column: string | null, env: Env): void {
  const names = info.cte.columns.length > 0 ? info.cte.columns.map((c) => lower(c.name)) : outputNames(info.cte.query.body);
  const pos = column === null || names === null ? -1 : names.indexOf(column);
  if (pos < 0) {
    info.proving = null;
    analyzeQuery(a, info.cte.query, null, env);
    return;
  }
  if (!info.recursive) {
    info.proving = column;
    analyzeQuery(a, info.cte.query, pos, env);
    return;
  }
  // A recursive CTE: prove it assuming its own reference is bound by the column; if a reference
  // from its body is not, prove nothing.
  const trial = new Analysis(a.resolve, a.depth);
  info.proving = column;
  info.selfBroken = false;
  info.trial = true;
  analyzeQuery(trial, info.cte.query, pos, env);
  info.trial = false;
  if (!info.selfBroken && !trial.invalid) {
    a.occurrences.push(...trial.occurrences);
    return;
  }
  info.proving = null;
  analyzeQuery(a, info.cte.query, null, env);
}

function analyzeBody(a: Analysis, body: QueryBody, keyPos: number | null, env: Env): void {
  switch (body.kind) {
    case "select":
      analyzeSelect(a, body, keyPos, env);
      return;
    case "setOperation":
      analyzeBody(a, body.left, body.byName ? null : keyPos, env);
      analyzeBody(a, body.right, body.byName ? null : keyPos, env);
      return;
    case "values":
      for (const row of body.rows) for (const e of row) unbound(a, e, env);
      return;
    case "query":
      analyzeQuery(a, body, keyPos, env);
      return;
  }
}

/** The output column names of a body (lower case), or null when one cannot be named (a star). */
function outputNames(body: QueryBody): string[] | null {
  switch (body.kind) {
    case "select": {
      const names: string[] = [];
      for (const item of body.items) {
        if (item.alias !== null) names.push(lower(item.alias.name));
        else if (item.expr.kind === "column") names.push(lower(item.expr.path[item.expr.path.length - 1]!.name));
        else if (item.expr.kind === "star") return null;
        else names.push("");
      }
      return names;
    }
    case "setOperation":
      return outputNames(body.left);
    case "values":
      return null;
    case "query":
      return outputNames(body.body);
  }
}

function outputPosition(body: QueryBody, column: string): number | null {
  const names = outputNames(body);
  if (names === null) return null;
  const pos = names.indexOf(lower(column));
  return pos < 0 || names.indexOf(lower(column), pos + 1) >= 0 ? null : pos;
}

// ─── SELECT ─────────────────────────────────────────────────────────────────────────────────────

type Side = "L" | "R";

/** An outer join: which of its sides may be null-extended, and which FROM items are on which side. */
interface OuterJoin {
  readonly nullSides: readonly Side[];
  readonly side: ReadonlyMap<string, Side>;
}

interface Item {
  readonly alias: string;
  readonly node: TableExpr;
}

/** `a.x = b.y` between columns of two FROM items; `join` when it holds only when an outer join matched. */
interface Edge {
  readonly a: string;
  readonly b: string;
  readonly join: OuterJoin | null;
}

interface FromScope {
  readonly items: Item[];
  readonly edges: Edge[];
  /** Table expressions whose rows are not part of the output rows (semi/anti right sides, lateral, functions): read unfiltered. */
  readonly opaque: TableExpr[];
  /** Conditions to scan for subqueries. */
  readonly conditions: Expr[];
  positional: boolean;
}

function itemAlias(t: TableExpr): string | null {
  if (t.kind === "table") return lower((t.alias?.name ?? t.name[t.name.length - 1]!).name);
  if (t.kind === "derivedTable") return t.alias !== null ? lower(t.alias.name.name) : null;
  return null;
}

/** The FROM items under a table expression (for the sides of a join). */
function aliasesUnder(t: TableExpr, out: Set<string>): Set<string> {
  if (t.kind === "join") {
    aliasesUnder(t.left, out);
    aliasesUnder(t.right, out);
  } else {
    const alias = itemAlias(t);
    if (alias !== null) out.add(alias);
  }
  return out;
}

function conjuncts(e: Expr | null): Expr[] {
  if (e === null) return [];
  if (e.kind === "binary" && e.op === "AND") return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

/** `alias.column` of a two-part column reference, lower case. */
function columnRef(e: Expr): string | null {
  if (e.kind !== "column" || e.path.length !== 2) return null;
  return `${lower(e.path[0]!.name)}.${lower(e.path[1]!.name)}`;
}

function equality(e: Expr): [string, string] | null {
  if (e.kind !== "binary" || e.op !== "=") return null;
  const l = columnRef(e.left);
  const r = columnRef(e.right);
  return l !== null && r !== null && l !== r ? [l, r] : null;
}

function collectFrom(t: TableExpr, scope: FromScope): void {
  switch (t.kind) {
    case "table":
      scope.items.push({ alias: itemAlias(t)!, node: t });
      return;
    case "derivedTable":
      if (t.lateral || t.alias === null) scope.opaque.push(t);
      else scope.items.push({ alias: itemAlias(t)!, node: t });
      return;
    case "join": {
      if (t.type === "POSITIONAL") scope.positional = true;
      collectFrom(t.left, scope);
      if (t.type === "SEMI" || t.type === "ANTI") {
        scope.opaque.push(t.right);
        if (t.on !== null) scope.conditions.push(t.on);
        return;
      }
      collectFrom(t.right, scope);
      if (t.on === null) return;
      scope.conditions.push(t.on);
      if (t.natural) return;
      const nullSides: Side[] = t.type === "LEFT" ? ["R"] : t.type === "RIGHT" ? ["L"] : t.type === "FULL" ? ["L", "R"] : [];
      const left = aliasesUnder(t.left, new Set());
      const right = aliasesUnder(t.right, new Set());
      const side = new Map<string, Side>([...[...left].map((x): [string, Side] => [x, "L"]), ...[...right].map((x): [string, Side] => [x, "R"])]);
      const join: OuterJoin | null = nullSides.length > 0 ? { nullSides, side } : null;
      for (const c of conjuncts(t.on)) {
        const eq = equality(c);
        if (eq === null) continue;
        if (join !== null) {
          // Only a condition between the two sides holds whenever the join matched.
          const sa = side.get(eq[0].split(".")[0]!);
          const sb = side.get(eq[1].split(".")[0]!);
          if (sa === undefined || sb === undefined || sa === sb) continue;
        }
        scope.edges.push({ a: eq[0], b: eq[1], join });
      }
      return;
    }
    default:
      scope.opaque.push(t);
  }
}

const aliasOf = (ref: string) => ref.slice(0, ref.indexOf("."));

function analyzeSelect(a: Analysis, sel: Select, keyPos: number | null, env: Env): void {
  const scope: FromScope = { items: [], edges: [], opaque: [], conditions: [], positional: false };
  for (const t of sel.from) collectFrom(t, scope);
  for (const c of conjuncts(sel.where)) {
    const eq = equality(c);
    if (eq !== null) scope.edges.push({ a: eq[0], b: eq[1], join: null });
  }
  const bound = keyPos === null ? null : keyColumns(sel, keyPos, scope);
  const byAlias = new Map<string, string[]>();
  if (bound !== null) {
    for (const ref of bound) {
      const alias = aliasOf(ref);
      byAlias.set(alias, [...(byAlias.get(alias) ?? []), ref.slice(alias.length + 1)]);
    }
  }
  const keyName = keyPos === null ? null : (outputNames(sel)?.[keyPos] ?? null);
  for (const item of scope.items) {
    const columns = (byAlias.get(item.alias) ?? []).sort();
    const column = columns.length === 0 ? null : keyName !== null && columns.includes(keyName) ? keyName : columns[0]!;
    fromItem(a, item.node, column, env);
  }
  for (const t of scope.opaque) unbound(a, t, env);
  for (const c of scope.conditions) unbound(a, c, env);
  for (const item of sel.items) unbound(a, item.expr, env);
  for (const e of [sel.where, sel.having, sel.qualify]) if (e !== null) unbound(a, e, env);
  if (sel.groupBy !== null) for (const g of sel.groupBy.items) unbound(a, g, env);
  for (const w of sel.windows) unbound(a, w.spec, env);
  for (const e of sel.distinctOn ?? []) unbound(a, e, env);
}

/**
 * The `alias.column`s of FROM items equal to the key in every output row with a non-NULL key where
 * the item is present; null when the SELECT shapes rows in a way that mixes keys.
 */
function keyColumns(sel: Select, keyPos: number, scope: FromScope): Set<string> | null {
  if (scope.positional) return null;
  if (sel.items.some((i) => i.expr.kind === "star")) return null;
  const item = sel.items[keyPos];
  if (item === undefined) return null;
  const aliases = new Set(scope.items.map((i) => i.alias));
  /**
   * The columns equal to `start`'s in every row where their relation is present: closing over the
   * equalities that hold there — WHERE and inner-join conditions always; an outer join's only when
   * it matched, which the target's side being present says (or, with `keySide`, the key's).
   */
  const closureOf = (start: readonly string[], keySide: string | null): Set<string> => {
    const closure = new Set(start);
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of scope.edges) {
        for (const [from, to] of [
          [e.a, e.b],
          [e.b, e.a],
        ] as const) {
          if (!closure.has(from) || closure.has(to) || !aliases.has(aliasOf(to))) continue;
          if (e.join !== null) {
            const target = e.join.side.get(aliasOf(to));
            const key = keySide === null ? undefined : e.join.side.get(keySide);
            if (!e.join.nullSides.every((s) => s === target || s === key)) continue;
          }
          closure.add(to);
          changed = true;
        }
      }
    }
    return closure;
  };
  let start: string[];
  let keyAlias: string | null = null;
  const direct = columnRef(item.expr);
  if (direct !== null) {
    start = [direct];
    keyAlias = aliasOf(direct);
  } else if (item.expr.kind === "call" && item.expr.name.length === 1 && lower(item.expr.name[0]!.name) === "coalesce" && item.expr.over === null && item.expr.args.length > 0) {
    const refs = item.expr.args.map(columnRef);
    if (refs.some((r) => r === null || !aliases.has(aliasOf(r)))) return null;
    const args = refs as string[];
    const first = args[0]!;
    if (args.slice(1).every((y) => closureOf([first], null).has(y))) {
      // coalesce(x, y, …) whose later arguments equal x wherever their relation is present (LEFT
      // JOINs on the key): x NULL leaves them NULL too, so a non-NULL key is x.
      start = [first];
      keyAlias = aliasOf(first);
    } else {
      // coalesce(a.k, b.k) of a FULL JOIN on a.k = b.k: a row with both present has them equal.
      const linked = (x: string, y: string) => scope.edges.some((e) => (e.a === x && e.b === y) || (e.a === y && e.b === x));
      for (let i = 0; i < args.length; i++) for (let j = i + 1; j < args.length; j++) if (!linked(args[i]!, args[j]!)) return null;
      start = args;
    }
  } else return null;
  if (!start.every((r) => aliases.has(aliasOf(r)))) return null;
  const closure = closureOf(start, keyAlias);

  // A key column, or the key's own expression (`GROUP BY coalesce(a.k, b.k)`).
  const isKey = (e: Expr) => {
    const ref = columnRef(e);
    return (ref !== null && closure.has(ref)) || sameTree(e, item.expr);
  };
  if (sel.groupBy !== null) {
    if (sel.groupBy.items.some((g) => g.kind === "groupingSets" || g.kind === "rollup" || g.kind === "cube")) return null;
    if (!sel.groupBy.all && !sel.groupBy.items.some((g) => isKey(g as Expr))) return null;
  }
  if (sel.distinctOn !== null && !sel.distinctOn.some(isKey)) return null;
  // Every window must partition by the key, or its values depend on other keys' rows.
  const named = new Map(sel.windows.map((w) => [lower(w.name.name), w.spec]));
  let windowsOk = true;
  const exprs: Node[] = [...sel.items.map((i) => i.expr), ...(sel.qualify !== null ? [sel.qualify] : []), ...(sel.having !== null ? [sel.having] : [])];
  for (const root of exprs) {
    walk(root, (n) => {
      if (n.kind === "query") return false;
      if (n.kind === "call" && n.over !== null) {
        const parts = [n.over.partitionBy, ...(n.over.base !== null ? [named.get(lower(n.over.base.name))?.partitionBy ?? []] : [])];
        if (!parts.some((p) => p.some(isKey))) windowsOk = false;
      }
      return true;
    });
  }
  if (!windowsOk) return null;
  return closure;
}

// ─── FROM items and everything read unfiltered ─────────────────────────────────────────────────

function fromItem(a: Analysis, t: TableExpr, column: string | null, env: Env): void {
  if (t.kind === "derivedTable") {
    const names = t.alias !== null && t.alias.columns.length > 0 ? t.alias.columns.map((c) => lower(c.name)) : outputNames(t.query.body);
    const pos = column === null || names === null ? -1 : names.indexOf(column);
    analyzeQuery(a, t.query, pos < 0 ? null : pos, env);
    return;
  }
  if (t.kind !== "table") {
    unbound(a, t, env);
    return;
  }
  const name = lower(t.name[t.name.length - 1]!.name);
  const cte = t.name.length === 1 ? env.get(name) : undefined;
  if (cte !== undefined) {
    if (!cte.processed) {
      cte.refs.push(column);
      return;
    }
    // Decided already: a reference from its own (recursive) body, or from the body of an earlier
    // CTE of a WITH RECURSIVE. It must agree with the decision.
    if (cte.proving === null || (column !== null && column === cte.proving)) return;
    if (cte.trial) cte.selfBroken = true;
    else a.invalid = true;
    return;
  }
  const input = a.resolve(name);
  if (input === undefined) return;
  if (input.kind === "table") {
    a.occurrences.push({ table: name, column });
    return;
  }
  if (a.depth >= MAX_VIEW_DEPTH) {
    a.invalid = true;
    return;
  }
  const parsed = parseQuery(input.sql);
  if (!parsed.ok) {
    a.invalid = true;
    return;
  }
  const inner = new Analysis(a.resolve, a.depth + 1);
  analyzeQuery(inner, parsed.ast, column === null ? null : outputPosition(parsed.ast.body, column), new Map());
  if (inner.invalid) a.invalid = true;
  a.occurrences.push(...inner.occurrences);
}

/** Every table read under `node` is read unfiltered (nested queries are analyzed for their CTEs). */
function unbound(a: Analysis, node: Node, env: Env): void {
  walk(node, (n) => {
    if (n.kind === "query") {
      analyzeQuery(a, n, null, env);
      return false;
    }
    if (n.kind === "table") {
      fromItem(a, n, null, env);
      return false;
    }
    if (n.kind === "derivedTable") {
      analyzeQuery(a, n.query, null, env);
      return false;
    }
    return true;
  });
}
