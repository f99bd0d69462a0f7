/**
 * WITH and set operations: CTEs (recursive ones see their anchor's columns), the column list of
 * UNION / INTERSECT / EXCEPT (BY NAME), pushing column aliases into projections, and DuckDB's
 * renaming of a subquery's repeated output names.
 */
import { type Cte, type Identifier, type Query, type QueryBody, type Select, baseDialect, cte as cteNode, query as queryNode, selectItem, setOperation } from "../../sql/index.js";
import { bindBody, bindQueryNode } from "./query.js";
import { type Scope, type SourceColumn, fold, nameIdent } from "./scope.js";
import type { BinderState, CteEnv } from "./state.js";
import { UNKNOWN_TYPE, commonType, describeType } from "./value-type.js";

export function bindCte(state: BinderState, c: Cte, env: CteEnv | null, outer: Scope | null, recursive: boolean): { cte: Cte; columns: readonly SourceColumn[] } {
  const names = c.columns;
  const selfRef = recursive && c.query.body.kind === "setOperation" && !c.query.with;
  if (selfRef) {
    // the recursive query's ORDER BY is kept as written, not bound
    if (c.query.orderBy.length > 0) state.anonymous = true;
    const body = c.query.body as Extract<QueryBody, { kind: "setOperation" }>;
    const left = bindBody(state, body.left, outer, env);
    const anchor = renameColumns(left.columns, names);
    const selfEnv: CteEnv = { name: fold(c.name.name), def: { name: c.name.name, columns: anchor }, next: env };
    const right = bindBody(state, body.right, outer, selfEnv);
    const cols = combineSetColumns(state, body, left.columns, right.columns);
    let q = queryNode(setOperation(body.op, left.body, right.body, body.all, body.byName, body.range), { orderBy: c.query.orderBy, limit: c.query.limit, offset: c.query.offset }, c.query.range);
    if (names.length > 0) q = renameOutputs(q, names) ?? q;
    const columns = renameColumns(cols, names).map((col, i) => ({ ...col, lineage: [...new Set([...col.lineage, ...(anchor[i]?.lineage ?? [])])].sort() }));
    return { cte: cteNode(c.name, names, q, c.materialized, c.range), columns };
  }
  const b = bindQueryNode(state, c.query, outer, env);
  if (names.length > b.columns.length) state.error("alias_columns", `CTE '${c.name.name}' names ${names.length} columns but its query has ${b.columns.length}`, c.range);
  const unique = recursive ? null : uniqueNames(state, names.length > 0 ? renameColumns(b.columns, names) : b.columns);
  const deduped = unique && renameOutputs(b.query, unique);
  if (deduped) return { cte: cteNode(c.name, [], deduped, c.materialized, c.range), columns: renameColumns(b.columns, unique!) };
  if (names.length === 0) return { cte: cteNode(c.name, [], b.query, c.materialized, c.range), columns: b.columns };
  const renamed = recursive ? null : renameOutputs(b.query, names);
  const q = recursive ? (renameOutputs(b.query, names) ?? b.query) : (renamed ?? b.query);
  const keep = recursive || renamed === null ? names : [];
  return { cte: cteNode(c.name, keep, q, c.materialized, c.range), columns: renameColumns(b.columns, names) };
}

/**
 * DuckDB's names for a subquery's output when some repeat (case-insensitively): the second `a` is
 * `a_1`, the third `a_2`, skipping names already taken (checked against DuckDB), so a
 * bare `a` outside reads the first. Null when no name repeats, or outside DuckDB: there the names
 * stay and a bare reference to one is ambiguous.
 */
export function uniqueNames(state: BinderState, cols: readonly SourceColumn[]): Identifier[] | null {
  if (!hasRepeats(cols) || baseDialect(state.options.dialect ?? "duckdb") !== "duckdb") return null;
  const seen = new Map<string, number>();
  const names = cols.map((c) => {
    const k = fold(c.name);
    const n = seen.get(k);
    if (n === undefined) {
      seen.set(k, 1);
      return c.name;
    }
    let i = n;
    while (seen.has(fold(`${c.name}_${i}`))) i++;
    seen.set(k, i);
    seen.set(fold(`${c.name}_${i}`), 1);
    return `${c.name}_${i}`;
  });
  return names.map((n) => nameIdent(n));
}

/** Whether two names fold alike; pairwise for a few columns (no Set or list made). */
function hasRepeats(cols: readonly SourceColumn[]): boolean {
  if (cols.length > 16) return new Set(cols.map((c) => fold(c.name))).size < cols.length;
  for (let i = 1; i < cols.length; i++) {
    const a = cols[i]!.name;
    for (let j = 0; j < i; j++) {
      const b = cols[j]!.name;
      if (a === b || fold(a) === fold(b)) return true;
    }
  }
  return false;
}

export function renameColumns(cols: readonly SourceColumn[], names: readonly Identifier[]): SourceColumn[] {
  return cols.map((c, i) => (i < names.length ? { ...c, name: names[i]!.name } : c));
}

/** Sets the projections' aliases to `names` (positionally); null when the body is VALUES. */
export function renameOutputs(q: Query, names: readonly Identifier[]): Query | null {
  const body = renameBody(q.body, names);
  return body ? queryNode(body, { with: q.with, orderBy: q.orderBy, limit: q.limit, offset: q.offset }, q.range) : null;
}

function renameBody(b: QueryBody, names: readonly Identifier[]): QueryBody | null {
  switch (b.kind) {
    case "select":
      if (b.items.some((i) => i.expr.kind === "star" || i.expr.kind === "columns")) return null;
      return { ...b, items: b.items.map((it, i) => (i < names.length ? selectItem(it.expr, names[i]!, it.range) : it)) } as Select;
    case "setOperation": {
      const l = renameBody(b.left, names);
      const r = renameBody(b.right, names);
      return l && r ? setOperation(b.op, l, r, b.all, b.byName, b.range) : null;
    }
    case "query":
      return renameOutputs(b, names);
    case "values":
      return null;
  }
}

export function combineSetColumns(state: BinderState, b: Extract<QueryBody, { kind: "setOperation" }>, l: readonly SourceColumn[], r: readonly SourceColumn[]): SourceColumn[] {
  const merge = (a: SourceColumn, c: SourceColumn | undefined, missing: boolean): SourceColumn => {
    if (!c) return missing ? { ...a, nullable: true } : a;
    const t = commonType(a.type, c.type);
    if (!t) state.error("type_mismatch", `${b.op} column '${a.name}': ${describeType(a.type)} and ${describeType(c.type)} have no common type`, b.range);
    return {
      name: a.name,
      type: t ?? UNKNOWN_TYPE,
      nullable: b.op === "UNION" ? a.nullable || c.nullable : a.nullable,
      lineage: b.op === "UNION" ? [...new Set([...a.lineage, ...c.lineage])].sort() : a.lineage,
    };
  };
  if (b.byName) {
    const byName = new Map(r.map((c) => [fold(c.name), c] as const));
    const out = l.map((a) => merge(a, byName.get(fold(a.name)), b.op === "UNION"));
    if (b.op === "UNION") for (const c of r) if (!l.some((a) => fold(a.name) === fold(c.name))) out.push({ ...c, nullable: true });
    return out;
  }
  if (l.length !== r.length) state.error("set_op_arity", `${b.op} sides have ${l.length} and ${r.length} columns`, b.range);
  return l.map((a, i) => merge(a, r[i], false));
}
