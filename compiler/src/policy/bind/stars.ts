/**
 * Star expansion: `*`, `t.*`, struct stars (`s.*`, `t.s.f.*`), with DuckDB's EXCLUDE / REPLACE /
 * RENAME, and top-level `COLUMNS('regex')` / `COLUMNS(['a', 'b'])`. A USING-merged column appears
 * once (COALESCE of its sides when USING is expanded, else the first side's column). A star over
 * a relation of unknown schema cannot be expanded and stays (the output schema is then partial).
 */
import { type ColumnsExpr, type Expr, type Star, call, column, identifier } from "../../sql/index.js";
import { resolveColumn } from "./columns.js";
import { type Bound, type ExprCtx, bindExpr } from "./expressions.js";
import { type Relation, fold, nameIdent } from "./scope.js";
import type { BinderState } from "./state.js";
import { commonType } from "./value-type.js";

export interface Expanded {
  readonly name: string;
  readonly bound: Bound;
}

/** The projections a star stands for, or null when it must stay a star. */
export function expandStar(state: BinderState, star: Star, ctx: ExprCtx): Expanded[] | null {
  // REPLACE entries are bound only when the star expands and names their column
  if (star.replace.length > 0) state.anonymous = true;
  const scope = ctx.scope;
  let out: Expanded[] = [];
  if (star.qualifier.length === 0) {
    if (scope.relations.length === 0) {
      state.error("empty_star", "SELECT * needs a FROM clause", star.range);
      return null;
    }
    if (scope.relations.some((r) => r.open || (!r.hidden && hasDuplicateNames(r)))) return null;
    const emitted = new Set<string>();
    for (const rel of scope.relations) {
      if (rel.hidden) continue;
      rel.columns.forEach((c, i) => {
        const merged = scope.merged(fold(c.name));
        if (merged && merged.includes(rel)) {
          if (emitted.has(fold(c.name))) return;
          emitted.add(fold(c.name));
          out.push({ name: c.name, bound: usingValue(merged, c.name, state.options.expandUsing === true || merged[0] !== rel) });
          return;
        }
        out.push(columnOf(rel, i));
      });
    }
  } else {
    const rel = star.qualifier.length === 1 ? scope.relation(star.qualifier[0]!.name) : undefined;
    if (rel) {
      if (rel.open || hasDuplicateNames(rel)) return null;
      rel.columns.forEach((c, i) => {
        const merged = scope.merged(fold(c.name));
        if (merged && merged.includes(rel) && state.options.expandUsing === true) out.push({ name: c.name, bound: usingValue(merged, c.name, true) });
        else out.push(columnOf(rel, i));
      });
    } else {
      const col = column(star.qualifier, star.range);
      const r = resolveColumn(state, col, scope);
      if (r === "error") return null;
      if (!r) {
        state.error("unknown_table", `unknown table '${star.qualifier.map((q) => q.name).join(".")}' in ${star.qualifier.map((q) => q.name).join(".")}.*`, star.range);
        return null;
      }
      if (r.type.kind !== "struct") {
        if (r.type.kind === "unknown") return null;
        state.error("type_mismatch", `'${star.qualifier.map((q) => q.name).join(".")}.*' needs a struct or a table`, star.range);
        return null;
      }
      if (r.expr.kind !== "column") return null;
      const base = r.expr;
      const names = new Set<string>();
      for (const f of r.type.fields) {
        if (names.has(fold(f.name))) return null;
        names.add(fold(f.name));
      }
      out = r.type.fields.map((f) => ({
        name: f.name,
        bound: { expr: column([...base.path, nameIdent(f.name)], star.range), type: f.type, nullable: r.nullable || f.nullable, deps: r.lineage, agg: false },
      }));
    }
  }
  return modifiers(state, star, out, ctx);
}

/** A relation with two columns of one name (a derived `SELECT *` over a join): its star stays a star. */
function hasDuplicateNames(rel: Relation): boolean {
  const seen = new Set<string>();
  for (const c of rel.columns) {
    const k = fold(c.name);
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

function columnOf(rel: Relation, i: number): Expanded {
  const c = rel.column(i);
  return { name: c.name, bound: { expr: column([rel.alias, nameIdent(c.name)]), type: c.type, nullable: c.nullable, deps: c.lineage, agg: false } };
}

function usingValue(rels: readonly Relation[], name: string, coalesce: boolean): Bound {
  const parts = rels.map((r) => ({ r, c: r.column(r.find(name)[0]!) }));
  if (!coalesce || parts.length === 1) {
    const p = parts[0]!;
    return { expr: column([p.r.alias, nameIdent(p.c.name)]), type: p.c.type, nullable: p.c.nullable, deps: p.c.lineage, agg: false };
  }
  let type = parts[0]!.c.type;
  for (const p of parts.slice(1)) type = commonType(type, p.c.type) ?? type;
  return {
    expr: call([identifier("COALESCE")], parts.map((p) => column([p.r.alias, nameIdent(p.c.name)]))),
    type,
    nullable: parts.every((p) => p.c.nullable),
    deps: new Set(parts.flatMap((p) => p.c.lineage)),
    agg: false,
  };
}

function modifiers(state: BinderState, star: Star, cols: Expanded[], ctx: ExprCtx): Expanded[] | null {
  let out = cols;
  if (star.exclude.length > 0) {
    const drop = new Set<number>();
    for (const path of star.exclude) {
      const last = fold(path[path.length - 1]!.name);
      const qualifier = path.length > 1 ? fold(path[path.length - 2]!.name) : null;
      let hit = false;
      out.forEach((c, i) => {
        if (fold(c.name) !== last) return;
        const e = c.bound.expr;
        if (qualifier !== null && !(e.kind === "column" && fold(e.path[0]!.name) === qualifier)) return;
        drop.add(i);
        hit = true;
      });
      if (!hit) state.error("unresolved_column", `EXCLUDE names '${path.map((p) => p.name).join(".")}', which the star does not select`, star.range);
    }
    out = out.filter((_, i) => !drop.has(i));
  }
  if (star.replace.length > 0) {
    const by = new Map(star.replace.map((r) => [fold(r.name.name), r] as const));
    out = out.map((c) => {
      const r = by.get(fold(c.name));
      return r ? { name: c.name, bound: bindExpr(state, r.expr, ctx) } : c;
    });
  }
  if (star.rename.length > 0) {
    const by = new Map(star.rename.map((r) => [fold(r.column[r.column.length - 1]!.name), r.name.name] as const));
    out = out.map((c) => ({ name: by.get(fold(c.name)) ?? c.name, bound: c.bound }));
  }
  if (out.length === 0) {
    state.error("empty_star", "the star selects no column (everything is excluded)", star.range);
    return null;
  }
  return out;
}

/** `COLUMNS('regex')` or `COLUMNS(['a', 'b'])` as a whole projection; null when it must stay. */
export function expandColumns(state: BinderState, c: ColumnsExpr, ctx: ExprCtx): Expanded[] | null {
  const scope = ctx.scope;
  if (scope.relations.some((r) => r.open)) return null;
  let test: ((name: string) => boolean) | null = null;
  if (c.arg.kind === "string") {
    let re: RegExp;
    try {
      re = new RegExp(c.arg.value);
    } catch {
      state.error("unsupported", `COLUMNS: '${c.arg.value}' is not a regular expression cpgc can read`, c.range);
      return null;
    }
    test = (n) => re.test(n);
  } else if (c.arg.kind === "array" && c.arg.items.every((i) => i.kind === "string")) {
    const names = new Set(c.arg.items.map((i) => fold((i as Extract<Expr, { kind: "string" }>).value)));
    test = (n) => names.has(fold(n));
  } else if (c.arg.kind === "star") {
    return expandStar(state, c.arg, ctx);
  }
  if (!test) return null;
  const out: Expanded[] = [];
  for (const rel of scope.relations) rel.columns.forEach((col, i) => test!(col.name) && out.push(columnOf(rel, i)));
  if (out.length === 0) state.error("empty_star", "COLUMNS(…) matches no column", c.range);
  return out;
}
