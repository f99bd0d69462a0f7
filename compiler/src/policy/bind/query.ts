/**
 * Binding queries: WITH (recursive CTEs see their anchor's columns), bodies (SELECT, set
 * operations, VALUES), SELECT clauses in DuckDB's resolution order (FROM, projections with star
 * expansion and lateral aliases, WHERE, GROUP BY with ordinals and aliases, HAVING, WINDOW,
 * QUALIFY), then ORDER BY against output names first. Each projection gets an alias; column
 * aliases of CTEs and derived tables are pushed into their projections.
 */
import {
  type Cte,
  type Expr,
  type GroupingElement,
  type Identifier,
  type Query,
  type QueryBody,
  type Select,
  type SelectItem,
  type TableAlias,
  type TableExpr,
  binary,
  call,
  column,
  cte as cteNode,
  cube,
  derivedTable,
  groupBy as groupByNode,
  groupingSets,
  identifier,
  join as joinNode,
  namedWindow,
  numberLiteral,
  query as queryNode,
  rollup,
  sameTree,
  select as selectNode,
  selectItem,
  setOperation,
  tableAlias,
  tableFunction,
  tableRef,
  values as valuesNode,
  withClause,
  lateralView,
  pivot,
  unpivot,
} from "../../sql/index.js";
import { closestMatch } from "../../diagnostics/index.js";
import { type Bound, type ExprCtx, type ProjInfo, bindExpr, bindOrderItems, bindWindowSpec, canonicalName, outputIdent, outputName } from "./expressions.js";
import { Relation, Scope, type SourceColumn, fold, nameIdent } from "./scope.js";
import { type BinderState, type BoundSubquery, type CteEnv, lookupCte } from "./state.js";
import { expandColumns, expandStar } from "./stars.js";
import { type ValueType, INT64, UNKNOWN_TYPE, commonType, describeType } from "./value-type.js";

interface SelectCtx {
  readonly scope: Scope;
  readonly aliases: ReadonlyMap<string, ProjInfo>;
  readonly items: readonly { readonly name: string; readonly bound: Bound }[];
  readonly grouped: boolean;
}

interface BoundBody {
  readonly body: QueryBody;
  readonly columns: SourceColumn[];
  readonly select: SelectCtx | null;
}

const sortedDeps = (s: ReadonlySet<string>): string[] => [...s].sort();

export function wire(state: BinderState): void {
  state.bindSubquery = (q, outer, env) => bindQueryNode(state, q, outer, env);
}

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
  const constCtx: ExprCtx = { scope: new Scope(outer), env: inner, clause: "other", aliases: null };
  const limit = q.limit ? bindExpr(state, q.limit, constCtx).expr : null;
  const offset = q.offset ? bindExpr(state, q.offset, constCtx).expr : null;
  return { query: queryNode(body.body, { with: withOut, orderBy, limit, offset }, q.range), columns: body.columns };
}

function outputAliases(cols: readonly SourceColumn[]): Map<string, ProjInfo> {
  const m = new Map<string, ProjInfo>();
  cols.forEach((c, index) => {
    if (!m.has(fold(c.name))) m.set(fold(c.name), { name: c.name, index, constant: false, bound: { expr: column([nameIdent(c.name)]), type: c.type, nullable: c.nullable, deps: new Set(c.lineage), agg: false } });
  });
  return m;
}

function ordinal(e: Expr): number | null {
  return e.kind === "number" && /^\d+$/.test(e.value) ? Number(e.value) : null;
}

function bindCte(state: BinderState, c: Cte, env: CteEnv | null, outer: Scope | null, recursive: boolean): { cte: Cte; columns: SourceColumn[] } {
  const names = c.columns;
  const selfRef = recursive && c.query.body.kind === "setOperation" && !c.query.with;
  if (selfRef) {
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
  if (names.length === 0) return { cte: cteNode(c.name, [], b.query, c.materialized, c.range), columns: [...b.columns] };
  const renamed = recursive ? null : renameOutputs(b.query, names);
  const q = recursive ? (renameOutputs(b.query, names) ?? b.query) : (renamed ?? b.query);
  const keep = recursive || renamed === null ? names : [];
  return { cte: cteNode(c.name, keep, q, c.materialized, c.range), columns: renameColumns(b.columns, names) };
}

function renameColumns(cols: readonly SourceColumn[], names: readonly Identifier[]): SourceColumn[] {
  return cols.map((c, i) => (i < names.length ? { ...c, name: names[i]!.name } : c));
}

/** Sets the projections' aliases to `names` (positionally); null when the body is VALUES. */
function renameOutputs(q: Query, names: readonly Identifier[]): Query | null {
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

function bindBody(state: BinderState, b: QueryBody, outer: Scope | null, env: CteEnv | null): BoundBody {
  switch (b.kind) {
    case "select":
      return bindSelect(state, b, outer, env);
    case "query": {
      const q = bindQueryNode(state, b, outer, env);
      return { body: q.query, columns: [...q.columns], select: null };
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
        columns.push({ name: `col${i}`, type: type.kind === "null" ? { kind: "int32" } : type, nullable: rows.some((r) => r[i]?.nullable ?? true), lineage: [] });
      }
      return { body: valuesNode(rows.map((r) => r.map((x) => x.expr)), b.range), columns, select: null };
    }
  }
}

function combineSetColumns(state: BinderState, b: Extract<QueryBody, { kind: "setOperation" }>, l: readonly SourceColumn[], r: readonly SourceColumn[]): SourceColumn[] {
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

function bindSelect(state: BinderState, sel: Select, outer: Scope | null, env: CteEnv | null): BoundBody {
  const scope = new Scope(outer);
  const from: TableExpr[] = [];
  for (const t of sel.from) from.push(bindFrom(state, t, scope, outer, env, true).expr);
  const aliases = new Map<string, ProjInfo>();
  const projections: { name: string; bound: Bound; alias: Identifier | null; range: SelectItem["range"]; keep: SelectItem | null }[] = [];
  const ctx: ExprCtx = { scope, env, clause: "select", aliases };
  const add = (name: string, bound: Bound, aliasIdent: Identifier | null, range: SelectItem["range"]) => {
    const index = projections.length;
    projections.push({ name, bound, alias: aliasIdent, range, keep: null });
    const k = fold(name);
    const constant = ["number", "string", "boolean", "null"].includes(bound.expr.kind);
    if (!aliases.has(k)) aliases.set(k, { name, bound, index, constant });
  };
  for (const item of sel.items) {
    const e = item.expr;
    if (e.kind === "star" || e.kind === "columns") {
      const expanded = e.kind === "star" ? expandStar(state, e, ctx) : expandColumns(state, e, ctx);
      if (expanded) {
        for (const x of expanded) add(x.name, x.bound, null, item.range);
        continue;
      }
      const bound = bindExpr(state, e, ctx);
      projections.push({ name: "*", bound, alias: null, range: item.range, keep: selectItem(bound.expr, null, item.range) });
      continue;
    }
    const bound = bindExpr(state, e, ctx);
    const source = item.alias ?? (bound.fromAlias ? null : outputIdent(e));
    const name = source ? canonicalName(source) : ((bound.fromAlias ? null : outputName(e)) ?? `_col_${projections.length}`);
    add(name, bound, item.alias ?? (source ? identifier(source.name, source.quoted) : null), item.range);
  }
  const items = projections.map((p) => p.keep ?? selectItem(p.bound.expr, p.alias ?? nameIdent(p.name), p.range));
  const filterCtx = (clause: ExprCtx["clause"]): ExprCtx => ({ scope, env, clause, aliases });
  const filter = (e: Expr | null, clause: ExprCtx["clause"]): Expr | null => {
    if (!e) return null;
    const b = bindExpr(state, e, filterCtx(clause));
    for (const d of b.deps) state.filterColumns.add(d);
    return b.expr;
  };
  const where = filter(sel.where, "where");
  let group = sel.groupBy;
  if (group) {
    const gctx = filterCtx("group");
    const element = (g: GroupingElement): GroupingElement => {
      switch (g.kind) {
        case "groupingSets":
          return groupingSets(g.items.map(element), g.range);
        case "rollup":
          return rollup(g.items.map((x) => element(x) as Expr), g.range);
        case "cube":
          return cube(g.items.map((x) => element(x) as Expr), g.range);
        default: {
          const ord = ordinal(g);
          if (ord !== null) {
            const p = projections[ord - 1];
            if (!p || p.keep) {
              if (!p) state.error("ordinal_out_of_range", `GROUP BY ${ord}: the query has ${projections.length} output column(s)`, g.range);
              return g;
            }
            const k = p.bound.expr.kind;
            return k === "number" || k === "string" || k === "boolean" || k === "null" || p.bound.agg ? g : p.bound.expr;
          }
          return bindExpr(state, g, gctx).expr;
        }
      }
    };
    group = groupByNode(group.items.map(element), group.all, group.range);
  }
  const having = filter(sel.having, "having");
  const windows = sel.windows.map((w) => namedWindow(w.name, bindWindowSpec(state, w.spec, filterCtx("other")).spec, w.range));
  const qualify = filter(sel.qualify, "qualify");
  const distinctOn = sel.distinctOn
    ? sel.distinctOn.map((e) => {
        const ord = ordinal(e);
        const p = ord !== null ? projections[ord - 1] : undefined;
        return p && !p.keep ? column([nameIdent(p.name)], e.range) : bindExpr(state, e, filterCtx("order")).expr;
      })
    : null;
  const out = selectNode(items, { distinct: sel.distinct, distinctOn, from, where, groupBy: group, having, windows, qualify }, sel.range);
  const columns: SourceColumn[] = projections
    .filter((p) => !p.keep)
    .map((p) => ({ name: p.name, type: p.bound.type.kind === "null" ? { kind: "int32" } : p.bound.type, nullable: p.bound.nullable, lineage: sortedDeps(p.bound.deps) }));
  const grouped = group !== null;
  return { body: out, columns, select: { scope, aliases, items: projections.filter((p) => !p.keep), grouped } };
}

interface BoundFrom {
  readonly expr: TableExpr;
  readonly rels: Relation[];
}

function addRel(state: BinderState, scope: Scope, rel: Relation, at: TableExpr): void {
  if (!scope.add(rel)) state.error("duplicate_alias", `the alias '${rel.alias.name}' is used twice in this FROM`, at.range, ["give one of them another alias"]);
}

function bindFrom(state: BinderState, t: TableExpr, scope: Scope, outer: Scope | null, env: CteEnv | null, top: boolean): BoundFrom {
  void top;
  switch (t.kind) {
    case "table":
      return bindTable(state, t, scope, env);
    case "derivedTable": {
      const b = bindQueryNode(state, t.query, t.lateral ? scope : outer, env);
      let q = b.query;
      let alias: TableAlias | null = t.alias;
      let cols = b.columns;
      if (alias && alias.columns.length > 0) {
        if (alias.columns.length > cols.length) state.error("alias_columns", `'${alias.name.name}' names ${alias.columns.length} columns but its query has ${cols.length}`, alias.range);
        cols = renameColumns(cols, alias.columns);
        const renamed = renameOutputs(q, alias.columns);
        if (renamed) {
          q = renamed;
          alias = tableAlias(alias.name, [], alias.range);
        }
      } else if (alias && q.body.kind === "values") {
        cols = cols.map((c, i) => ({ ...c, name: `_col_${i}` }));
        alias = tableAlias(alias.name, cols.map((c) => identifier(c.name)), alias.range);
      }
      const aliasIdent = alias?.name ?? identifier("_subquery");
      const rel = new Relation(aliasIdent, cols, false, null);
      addRel(state, scope, rel, t);
      return { expr: derivedTable(q, alias, t.lateral, t.range), rels: [rel] };
    }
    case "tableFunction":
      return bindTableFunction(state, t, scope, env);
    case "join":
      return bindJoin(state, t, scope, outer, env);
    case "unpivot":
      return bindUnpivot(state, t, scope, outer, env);
    case "pivot": {
      const inner = new Scope(scope.parent);
      const src = bindFrom(state, t.source, inner, outer, env, false);
      const aliasIdent = t.alias?.name ?? (src.rels.length === 1 ? src.rels[0]!.alias : identifier("_pivot"));
      const rel = new Relation(aliasIdent, [], true, null);
      addRel(state, scope, rel, t);
      return { expr: pivot(src.expr, t.aggregates, t.columns, t.values, t.alias, t.range), rels: [rel] };
    }
    case "lateralView": {
      const src = bindFrom(state, t.source, scope, outer, env, false);
      const ctx: ExprCtx = { scope, env, clause: "other", aliases: null };
      const args = t.args.map((a) => bindExpr(state, a, ctx));
      const cols: SourceColumn[] = t.columns.map((c) => ({ name: c.name, type: UNKNOWN_TYPE, nullable: true, lineage: sortedDeps(new Set(args.flatMap((a) => [...a.deps]))) }));
      const rel = new Relation(t.table ?? identifier("_lateral"), cols, cols.length === 0, null);
      addRel(state, scope, rel, t);
      return { expr: lateralView(src.expr, t.name, args.map((a) => a.expr), { outer: t.outer, table: t.table, columns: t.columns }, t.range), rels: [...src.rels, rel] };
    }
  }
}

/** UNPIVOT: the source's columns minus the unpivoted ones, then the name and value columns. */
function bindUnpivot(state: BinderState, t: Extract<TableExpr, { kind: "unpivot" }>, scope: Scope, outer: Scope | null, env: CteEnv | null, nested = false): BoundFrom {
  const inner = new Scope(scope.parent);
  const src = t.source.kind === "unpivot" ? bindUnpivot(state, t.source, inner, outer, env, true) : bindFrom(state, t.source, inner, outer, env, false);
  const srcRels = inner.relations.filter((r) => !r.hidden);
  const aliasIdent = t.alias?.name ?? (srcRels.length === 1 ? srcRels[0]!.alias : identifier("_unpivot"));
  // an unaliased chain is named after its source (SQLGlot); only the outermost UNPIVOT carries it
  const alias = t.alias ?? (nested ? null : tableAlias(aliasIdent));
  if (srcRels.some((r) => r.open)) {
    const rel = new Relation(aliasIdent, [], true, null);
    addRel(state, scope, rel, t);
    return { expr: unpivot(src.expr, t.valueColumns, t.nameColumn, t.columns, { includeNulls: t.includeNulls, alias }, t.range), rels: [rel] };
  }
  const all = srcRels.flatMap((r) => r.columns.map((_, i) => r.column(i)));
  const unpivoted = new Set<string>();
  for (const item of t.columns) {
    const exprs = item.expr.kind === "tuple" ? item.expr.items : [item.expr];
    for (const x of exprs) {
      if (x.kind !== "column") continue;
      const n = fold(x.path[x.path.length - 1]!.name);
      if (!all.some((c) => fold(c.name) === n)) state.error("unknown_column", `UNPIVOT names '${x.path.map((p) => p.name).join(".")}', which its source does not have`, x.range);
      unpivoted.add(n);
    }
  }
  const gone = all.filter((c) => unpivoted.has(fold(c.name)));
  let valueType: ValueType = gone[0]?.type ?? UNKNOWN_TYPE;
  for (const c of gone.slice(1)) valueType = commonType(valueType, c.type) ?? UNKNOWN_TYPE;
  const lineage = [...new Set(gone.flatMap((c) => c.lineage))].sort();
  const cols: SourceColumn[] = [
    ...all.filter((c) => !unpivoted.has(fold(c.name))),
    { name: t.nameColumn.name, type: { kind: "utf8" }, nullable: false, lineage: [] },
    ...t.valueColumns.map((v) => ({ name: v.name, type: valueType, nullable: t.includeNulls === true, lineage })),
  ];
  const rel = new Relation(aliasIdent, cols, false, null);
  addRel(state, scope, rel, t);
  return { expr: unpivot(src.expr, t.valueColumns, t.nameColumn, t.columns, { includeNulls: t.includeNulls, alias }, t.range), rels: [rel] };
}

function bindTable(state: BinderState, t: Extract<TableExpr, { kind: "table" }>, scope: Scope, env: CteEnv | null): BoundFrom {
  const written = t.name.map((p) => p.name);
  const last = t.name[t.name.length - 1]!;
  const aliasIdent = t.alias?.name ?? last;
  let cols: SourceColumn[] | null = null;
  let open = false;
  let table: string | null = null;
  const cteDef = t.name.length === 1 ? lookupCte(env, last.name) : undefined;
  if (cteDef) cols = [...cteDef.columns];
  else {
    const hit = state.catalog.lookup(written.join(".")) ?? state.catalog.lookup(last.name);
    if (hit) {
      table = hit.name;
      state.tables.add(hit.name);
      cols = hit.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, lineage: [`${hit.name}.${c.name}`] }));
    } else {
      open = true;
      table = written.join(".");
      if (!state.options.inferUnknownTables) {
        const names = state.catalog.names();
        const guess = closestMatch(last.name, [...names, ...cteNames(env)]);
        state.error("unknown_table", `unknown table '${written.join(".")}'`, t.range, [guess ? `did you mean '${guess}'?` : names.length > 0 ? undefined : "the catalog holds no table"]);
      } else state.tables.add(table);
    }
  }
  if (cols && t.alias && t.alias.columns.length > 0) {
    if (t.alias.columns.length > cols.length) state.error("alias_columns", `'${aliasIdent.name}' names ${t.alias.columns.length} columns but the table has ${cols.length}`, t.alias.range);
    cols = renameColumns(cols, t.alias.columns);
  } else if (!cols && t.alias && t.alias.columns.length > 0) {
    cols = t.alias.columns.map((c) => ({ name: c.name, type: UNKNOWN_TYPE, nullable: true, lineage: [`${table}.${c.name}`] }));
    open = false;
  }
  const rel = new Relation(aliasIdent, cols ?? [], open, table);
  addRel(state, scope, rel, t);
  return { expr: tableRef(t.name, tableAlias(aliasIdent, t.alias?.columns ?? [], t.alias?.range), t.range), rels: [rel] };
}

function cteNames(env: CteEnv | null): string[] {
  const out: string[] = [];
  for (let e = env; e; e = e.next) out.push(e.def.name);
  return out;
}

function bindTableFunction(state: BinderState, t: Extract<TableExpr, { kind: "tableFunction" }>, scope: Scope, env: CteEnv | null): BoundFrom {
  const ctx: ExprCtx = { scope, env, clause: "other", aliases: null };
  const args = t.args.map((a) => bindExpr(state, a, ctx));
  const name = t.name[t.name.length - 1]!.name.toLowerCase();
  state.functions.add(name);
  const deps = sortedDeps(new Set(args.flatMap((a) => [...a.deps])));
  let cols: SourceColumn[] | null = null;
  if (name === "unnest" && args[0]) {
    const at = args[0].type;
    cols = [{ name: "unnest", type: at.kind === "list" ? at.element : UNKNOWN_TYPE, nullable: true, lineage: deps }];
  } else if (name === "range" || name === "generate_series") {
    const at = args[0]?.type;
    cols = [{ name, type: at && at.kind === "timestamp" ? at : INT64, nullable: false, lineage: deps }];
  }
  if (cols && t.ordinality) cols.push({ name: "ordinality", type: INT64, nullable: false, lineage: [] });
  const aliasCols = t.alias?.columns ?? [];
  if (cols && aliasCols.length > 0) cols = renameColumns(cols, aliasCols);
  if (!cols && aliasCols.length > 0) cols = aliasCols.map((c) => ({ name: c.name, type: UNKNOWN_TYPE, nullable: true, lineage: deps }));
  const aliasIdent = t.alias?.name ?? identifier(name);
  const rel = new Relation(aliasIdent, cols ?? [], cols === null, null);
  addRel(state, scope, rel, t);
  return { expr: tableFunction(t.name, args.map((a) => a.expr), { ordinality: t.ordinality, alias: t.alias, lateral: t.lateral }, t.range), rels: [rel] };
}

function bindJoin(state: BinderState, t: Extract<TableExpr, { kind: "join" }>, scope: Scope, outer: Scope | null, env: CteEnv | null): BoundFrom {
  const before = scope.relations.length;
  const left = bindFrom(state, t.left, scope, outer, env, false);
  const leftRels = scope.relations.slice(before).filter((r) => !r.hidden);
  const right = bindFrom(state, t.right, scope, outer, env, false);
  const rightRels = right.rels;
  let on: Expr | null = null;
  let using: readonly Identifier[] | null = t.using;
  let natural = t.natural;
  if (t.natural) {
    const leftNames = new Set(leftRels.flatMap((r) => r.columns.map((c) => fold(c.name))));
    const common = rightRels.flatMap((r) => r.columns.filter((c) => leftNames.has(fold(c.name))).map((c) => nameIdent(c.name)));
    using = common.length > 0 ? common : null;
  }
  const semi = t.type === "SEMI" || t.type === "ANTI";
  if (using) {
    const conditions: Expr[] = [];
    for (const id of using) {
      const k = fold(id.name);
      const merged = scope.using.get(k);
      const leftHas = merged && merged.some((r) => leftRels.includes(r)) ? merged.filter((r) => leftRels.includes(r)) : leftRels.filter((r) => r.find(id.name).length > 0 || r.open);
      const rightHas = rightRels.filter((r) => r.find(id.name).length > 0 || r.open);
      if (leftHas.length === 0 || rightHas.length === 0) {
        state.error("ambiguous_using_column", `USING column '${id.name}' is not on the ${leftHas.length === 0 ? "left" : "right"} side of the join`, id.range.start >= 0 ? id.range : t.range);
        continue;
      }
      if (rightHas.length > 1) state.error("ambiguous_using_column", `USING column '${id.name}' is in several relations on the right side`, t.range);
      const r = rightHas[0]!;
      const rc = column([r.alias, nameIdent(id.name)]);
      const lhs: Expr =
        leftHas.length > 1 && using.length > 1
          ? call([identifier("COALESCE")], leftHas.map((l) => column([l.alias, nameIdent(id.name)])))
          : column([leftHas[0]!.alias, nameIdent(id.name)]);
      conditions.push(binary("=", lhs, rc));
      for (const rel of [...leftHas, r]) {
        const i = rel.find(id.name)[0];
        if (i !== undefined) for (const d of rel.columns[i]!.lineage) state.joinKeys.add(d);
      }
      if (!semi) scope.using.set(k, [...leftHas.filter((x) => !(merged ?? []).includes(x)), ...(merged ?? []), r].filter((x, i, a) => a.indexOf(x) === i));
    }
    if (state.options.expandUsing && conditions.length > 0) {
      on = conditions.reduce((a, b) => binary("AND", a, b));
      using = null;
      natural = false;
    } else if (natural) {
      using = t.using;
    }
  }
  if (t.on) {
    const b = bindExpr(state, t.on, { scope, env, clause: "on", aliases: null });
    for (const d of b.deps) state.filterColumns.add(d);
    on = b.expr;
  }
  if (semi) for (const r of rightRels) r.hidden = true;
  if (t.type === "LEFT" || t.type === "FULL") for (const r of rightRels) r.outerNullable = true;
  if (t.type === "RIGHT" || t.type === "FULL") for (const r of leftRels) r.outerNullable = true;
  return { expr: joinNode(t.type, left.expr, right.expr, { natural, on, using }, t.range), rels: [...leftRels, ...rightRels] };
}

export { numberLiteral };
