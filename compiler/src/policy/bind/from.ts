/**
 * Binding FROM: catalog tables and CTE references, derived tables (column aliases pushed into
 * their projections), table functions, joins (USING / NATURAL, outer-join nullability),
 * PIVOT / UNPIVOT and LATERAL VIEW. Every relation gets an alias in the scope.
 */
import {
  type Expr,
  type Identifier,
  type TableAlias,
  type TableExpr,
  binary,
  call,
  column,
  derivedTable,
  identifier,
  join as joinNode,
  lateralView,
  pivot,
  tableAlias,
  tableFunction,
  tableRef,
  unpivot,
} from "../../sql/index.js";
import type { CatalogTable } from "../../catalog/index.js";
import { closestMatch } from "../../diagnostics/index.js";
import { sortedDeps } from "./bound.js";
import { type ExprCtx, bindExpr } from "./expressions.js";
import { bindQueryNode } from "./query.js";
import { Relation, Scope, type SourceColumn, fold, nameIdent } from "./scope.js";
import { renameColumns, renameOutputs, uniqueNames } from "./set-ops.js";
import { type BinderState, type CteEnv, lookupCte } from "./state.js";
import { type ValueType, INT64, UNKNOWN_TYPE, commonType } from "./value-type.js";

interface BoundFrom {
  readonly expr: TableExpr;
  readonly rels: Relation[];
}

function addRel(state: BinderState, scope: Scope, rel: Relation, at: TableExpr): void {
  if (!scope.add(rel)) state.error("duplicate_alias", `the alias '${rel.alias.name}' is used twice in this FROM`, at.range, ["give one of them another alias"]);
}

export function bindFrom(state: BinderState, t: TableExpr, scope: Scope, outer: Scope | null, env: CteEnv | null, top: boolean): BoundFrom {
  void top;
  switch (t.kind) {
    case "table":
      return bindTable(state, t, scope, env);
    case "derivedTable": {
      if (!t.alias) state.anonymous = true;
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
      const unique = uniqueNames(state, cols);
      const deduped = unique && renameOutputs(q, unique);
      if (deduped) {
        q = deduped;
        cols = renameColumns(cols, unique!);
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
      if (!t.table) state.anonymous = true;
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
  const last = t.name[t.name.length - 1]!;
  const aliasIdent = t.alias?.name ?? last;
  let cols: readonly SourceColumn[] | null = null;
  let open = false;
  let table: string | null = null;
  const cteDef = t.name.length === 1 ? lookupCte(env, last.name) : undefined;
  if (cteDef) cols = cteDef.columns;
  else {
    const written = t.name.length === 1 ? last.name : t.name.map((p) => p.name).join(".");
    const hit = state.catalog.lookup(written) ?? (t.name.length === 1 ? undefined : state.catalog.lookup(last.name));
    if (hit) {
      table = hit.name;
      state.addTable(hit.name);
      cols = sourceColumnsOf(hit);
    } else {
      open = true;
      table = written;
      if (!state.options.inferUnknownTables) {
        const names = state.catalog.names();
        const guess = closestMatch(last.name, [...names, ...cteNames(env)]);
        state.error("unknown_table", `unknown table '${written}'`, t.range, [guess ? `did you mean '${guess}'?` : names.length > 0 ? undefined : "the catalog holds no table"]);
      } else state.addTable(table);
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
  // an aliased table stays as written
  return { expr: t.alias ? t : tableRef(t.name, tableAlias(aliasIdent), t.range), rels: [rel] };
}

const SOURCE_COLUMNS = new WeakMap<CatalogTable, readonly SourceColumn[]>();

/** A catalog table's columns as a relation exposes them (made once per table: tables are immutable). */
function sourceColumnsOf(t: CatalogTable): readonly SourceColumn[] {
  let cols = SOURCE_COLUMNS.get(t);
  if (!cols) {
    // frozen: a column reference's lineage is this list itself, all the way to the result
    cols = t.columns.map((c): SourceColumn => ({ name: c.name, type: c.type, nullable: c.nullable, lineage: Object.freeze([`${t.name}.${c.name}`]) }));
    SOURCE_COLUMNS.set(t, cols);
  }
  return cols;
}

function cteNames(env: CteEnv | null): string[] {
  const out: string[] = [];
  for (let e = env; e; e = e.next) out.push(e.def.name);
  return out;
}

function bindTableFunction(state: BinderState, t: Extract<TableExpr, { kind: "tableFunction" }>, scope: Scope, env: CteEnv | null): BoundFrom {
  if (!t.alias) state.anonymous = true;
  const ctx: ExprCtx = { scope, env, clause: "other", aliases: null };
  const args = t.args.map((a) => bindExpr(state, a, ctx));
  const name = t.name[t.name.length - 1]!.name.toLowerCase();
  state.addFunction(name);
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
      const merged = scope.merged(k);
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
        if (i !== undefined) state.addJoinKeys(rel.columns[i]!.lineage);
      }
      if (!semi) scope.merge(k, [...leftHas.filter((x) => !(merged ?? []).includes(x)), ...(merged ?? []), r].filter((x, i, a) => a.indexOf(x) === i));
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
    state.addFilterColumns(b.deps);
    on = b.expr;
  }
  if (semi) for (const r of rightRels) r.hidden = true;
  if (t.type === "LEFT" || t.type === "FULL") for (const r of rightRels) r.outerNullable = true;
  if (t.type === "RIGHT" || t.type === "FULL") for (const r of leftRels) r.outerNullable = true;
  return { expr: joinNode(t.type, left.expr, right.expr, { natural, on, using }, t.range), rels: [...leftRels, ...rightRels] };
}
