/**
 * Transform normalize_unnest: one way to write "the rows of a list, per row of a relation",
 * chosen per target dialect.
 *
 * Prerequisites: none (unqualified trees are fine).
 *
 * DuckDB and ANSI/DataFusion — the canonical form is a join of a table function `unnest`:
 * - Spark `src LATERAL VIEW explode(l) t AS c` → `src CROSS JOIN unnest(l) AS t(c)`;
 *   `LATERAL VIEW OUTER explode(l)` (or `explode_outer`) → `src LEFT JOIN unnest(l) AS t(c) ON TRUE`.
 *   Spark names an unnamed generator column `col` and an unnamed table nothing: the rewrite
 *   spells both (`AS t(col)`, a fresh `_u` table alias), so the output names stay Spark's.
 * - a comma-listed `…, unnest(l) AS u(x)` → `… CROSS JOIN unnest(l) AS u(x)` (the same
 *   implicit-lateral join); a `FROM explode(l)` table function → `unnest(l)`.
 * - select-list `explode(l)` → `unnest(l)` (DuckDB only; ANSI has no select-list unnest).
 * Spark — the canonical form is LATERAL VIEW: `src CROSS JOIN unnest(l) AS t(c)`, the comma form
 * and `src LEFT JOIN unnest(l) AS t(c) ON TRUE` → `src LATERAL VIEW [OUTER] explode(l) t AS c`;
 * select-list and FROM `unnest(l)` → `explode(l)`.
 *
 * Not rewritten (CPG1302 warning, left as written): posexplode / inline / stack generators and
 * multi-column aliases, UNNEST with several arguments or WITH ORDINALITY toward Spark, DuckDB's
 * `unnest(…, recursive := true)` and map arguments (explode of a map yields key/value columns,
 * unnest of a map a struct — not the same rows; with no types here a map argument is not
 * detected, which is the binder's to check).
 */
import {
  booleanLiteral, call, createTransformer, identifier, join, lateralView, select, tableAlias, tableFunction,
  baseDialect, type Dialect, type Expr, type Query, type TableExpr, type TableFunction,
} from "../../sql/index.js";
import { mayApply } from "./applicable.js";
import { freshName, functionName } from "./names.js";
import { passDiagnostic, unchanged, type PassDiagnostic, type PassResult } from "./pass.js";

const EXPLODE = new Set(["explode", "explode_outer"]);

function isUnnestFn(t: TableExpr): t is TableFunction {
  return t.kind === "tableFunction" && functionName(t.name) === "unnest";
}

/** Whether a FROM `unnest(…)` can be spelled as Spark's `explode(…)` LATERAL VIEW. */
function sparkable(t: TableFunction): boolean {
  return t.args.length === 1 && t.args[0]!.kind !== "namedArg" && !t.ordinality && (t.alias?.columns.length ?? 0) <= 1;
}

export function normalizeUnnest(q: Query, options: { readonly dialect: Dialect }): PassResult {
  const d = baseDialect(options.dialect);
  if (!mayApply(q, "normalize_unnest")) return unchanged(q);
  const diags: PassDiagnostic[] = [];
  const taken = new Set<string>();
  const toSpark = (src: TableExpr, u: TableFunction, outer: boolean): TableExpr =>
    lateralView(src, [identifier("explode")], u.args, { outer, table: u.alias?.name ?? null, columns: u.alias?.columns ?? [] }, u.range);

  const fromItem = (t: TableExpr): TableExpr => {
    if (d !== "spark" && t.kind === "lateralView") {
      const g = functionName(t.name);
      if (!EXPLODE.has(g) || t.columns.length > 1) {
        diags.push(passDiagnostic("CPG1302", `normalize_unnest keeps LATERAL VIEW ${g}(…): only explode of a list has an UNNEST form`, t));
        return t;
      }
      const alias = tableAlias(t.table ?? identifier(freshName("_u", taken)), t.columns.length > 0 ? t.columns : [identifier("col")]);
      const fn = tableFunction([identifier("unnest")], t.args, { alias }, t.range);
      const outer = t.outer || g === "explode_outer";
      return outer ? join("LEFT", t.source, fn, { on: booleanLiteral(true) }, t.range) : join("CROSS", t.source, fn, {}, t.range);
    }
    if (d !== "spark" && t.kind === "tableFunction" && EXPLODE.has(functionName(t.name)) && functionName(t.name) === "explode") {
      return tableFunction([identifier("unnest")], t.args, { ordinality: t.ordinality, alias: t.alias, lateral: t.lateral }, t.range);
    }
    if (d === "spark" && t.kind === "join" && isUnnestFn(t.right) && !t.natural && !t.using) {
      const cross = t.type === "CROSS" || (t.type === "INNER" && isTrue(t.on));
      const left = t.type === "LEFT" && isTrue(t.on);
      if ((cross || left) && sparkable(t.right)) return toSpark(t.left, t.right, left);
      diags.push(passDiagnostic("CPG1302", "normalize_unnest cannot spell this UNNEST join as a Spark LATERAL VIEW", t));
    }
    return t;
  };

  const tr = createTransformer({
    select: (n, ctx) => {
      const v = ctx.visitChildren(n);
      const from: TableExpr[] = [];
      for (const item of v.from) {
        const prev = from[from.length - 1];
        if (prev && isUnnestFn(item)) {
          from[from.length - 1] = d === "spark" && sparkable(item) ? toSpark(prev, item, false) : join("CROSS", prev, item, {}, item.range);
        } else from.push(item);
      }
      // Spark: a standalone FROM unnest(…) is the generator explode(…).
      if (d === "spark") from.forEach((f, i) => {
        if (isUnnestFn(f) && sparkable(f)) from[i] = tableFunction([identifier("explode")], f.args, { alias: f.alias, lateral: f.lateral }, f.range);
      });
      const same = from.length === v.from.length && from.every((f, i) => f === v.from[i]);
      return same ? v : select(v.items, { distinct: v.distinct, distinctOn: v.distinctOn, from, where: v.where, groupBy: v.groupBy, having: v.having, windows: v.windows, qualify: v.qualify }, v.range);
    },
    table: (t) => t,
    lateralView: (t, ctx) => fromItem(ctx.visitChildren(t)),
    tableFunction: (t, ctx) => fromItem(ctx.visitChildren(t)),
    join: (t, ctx) => fromItem(ctx.visitChildren(t)),
    call: (c, ctx) => {
      const v = ctx.visitChildren(c);
      const name = functionName(v.name);
      if (v.over || v.filter || v.distinct) return v;
      if (d === "duckdb" && name === "explode") return call([identifier("unnest")], v.args, {}, v.range);
      if (d === "spark" && name === "unnest" && v.args.length === 1) return call([identifier("explode")], v.args, {}, v.range);
      return v;
    },
  });
  return { query: tr(q), diagnostics: diags };
}

function isTrue(e: Expr | null): boolean {
  return e === null || (e.kind === "boolean" && e.value);
}
