/**
 * Binding column references: projection aliases in ORDER BY / HAVING / QUALIFY / GROUP BY,
 * relation columns (columns.ts), alias fallback, and bare relation names as row structs.
 */
import { type Expr, baseDialect, column, numberLiteral } from "../../sql/index.js";
import { field, struct } from "../../types/index.js";
import { type Bound, type ExprCtx, leaf } from "./bound.js";
import { reportUnresolved, resolveColumn } from "./columns.js";
import type { Scope } from "./scope.js";
import type { BinderState } from "./state.js";
import { UNKNOWN_TYPE, UTF8, isArrow, settledType } from "./value-type.js";

export function bindColumn(state: BinderState, e: Extract<Expr, { kind: "column" }>, ctx: ExprCtx): Bound {
  // ORDER BY: a bare output name refers to the projection (kept bare).
  if (ctx.clause === "order" && e.path.length === 1 && ctx.aliases) {
    const p = ctx.aliases.get(e.path[0]!.name.toLowerCase());
    if (p) return { expr: column([e.path[0]!], e.range), type: p.bound.type, nullable: p.bound.nullable, deps: p.bound.deps, agg: false };
  }
  // HAVING / QUALIFY: a projection alias wins over a source column (SQLGlot's rule).
  if ((ctx.clause === "having" || ctx.clause === "qualify") && e.path.length === 1 && ctx.aliases) {
    const p = ctx.aliases.get(e.path[0]!.name.toLowerCase());
    if (p && ctx.inAgg && p.bound.agg) {
      // SUM(a) in HAVING of SELECT SUM(a) AS a: the column, not the alias
    } else if (p && p.constant) return { expr: column([e.path[0]!], e.range), type: p.bound.type, nullable: p.bound.nullable, deps: p.bound.deps, agg: false };
    else if (p) return { ...p.bound, fromAlias: true };
  }
  const r = resolveColumn(state, e, ctx.scope);
  if (r === "error") return leaf(e, UNKNOWN_TYPE, true);
  if (r) return { expr: r.expr, type: r.type, nullable: r.nullable, deps: r.lineage, agg: false };
  if (e.path.length === 1 && ctx.aliases) {
    const p = ctx.aliases.get(e.path[0]!.name.toLowerCase());
    if (p) {
      const keepName = (ctx.clause === "group" && p.bound.agg) || ((ctx.clause === "having" || ctx.clause === "qualify") && p.constant);
      if (keepName) return { expr: column([e.path[0]!], e.range), type: p.bound.type, nullable: p.bound.nullable, deps: p.bound.deps, agg: p.bound.agg };
      if (ctx.clause === "group" && p.constant) return { ...p.bound, expr: numberLiteral(String(p.index + 1), e.range) };
      return { ...p.bound, fromAlias: true };
    }
  }
  // DuckDB (and Postgres) read a bare relation name as the row struct; Spark and ANSI SQL do not.
  if (e.path.length === 1) {
    for (let s: Scope | null = ctx.scope; s; s = s.parent) {
      const rel = s.relation(e.path[0]!.name);
      if (!rel) continue;
      if (!wholeRowReferences(state)) {
        state.error("unresolved_column", `column '${e.path[0]!.name}' could not be resolved: '${rel.alias.name}' is a table, and a bare table name is its row only in DuckDB`, e.range, [
          `select its columns with '${rel.alias.name}.*'${baseDialect(state.options.dialect ?? "duckdb") === "spark" ? `, or the row as a struct with 'struct(${rel.alias.name}.*)'` : ""}`,
        ]);
        return leaf(e, UNKNOWN_TYPE, true);
      }
      const type = rel.open || rel.columns.length === 0 ? UNKNOWN_TYPE : struct(rel.columns.map((c) => { const t = settledType(c.type); return field(c.name, isArrow(t) ? t : UTF8); }));
      return { expr: column([rel.alias], e.range), type, nullable: false, deps: new Set(rel.columns.flatMap((c) => c.lineage)), agg: false };
    }
  }
  reportUnresolved(state, e, ctx.scope);
  return leaf(e, UNKNOWN_TYPE, true);
}

/** Whether a bare relation name is the row (a struct): DuckDB's rule, not Spark's or ANSI SQL's. */
function wholeRowReferences(state: BinderState): boolean {
  return baseDialect(state.options.dialect ?? "duckdb") === "duckdb";
}
