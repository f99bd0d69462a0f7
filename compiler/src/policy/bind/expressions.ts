/**
 * Binding expressions: every column reference qualified (columns.ts), every expression given a
 * type and nullability, the base columns it reads collected (lineage), aggregates noticed (for
 * GROUP BY alias rules). Projection aliases are a fallback for names no relation has (DuckDB and
 * SQLGlot expand `SELECT a + 1 AS d … WHERE d > 1`). Type errors are diagnostics; what the rules
 * cannot decide is `unknown`.
 *
 * Modules: bound.ts (the Bound record, context, helpers), expr-columns.ts (column references),
 * expr-operators.ts (binary operators, CASE), expr-calls.ts (calls, lambdas, windows),
 * output-names.ts (projection naming helpers).
 */
import {
  type Expr,
  arrayLiteral,
  between,
  call,
  cast,
  collate,
  columnsExpr,
  exists,
  extract,
  fieldAccess,
  identifier,
  inList,
  inSubquery,
  interval,
  isDistinctFrom,
  isTest,
  like,
  mapEntry,
  mapLiteral,
  methodCall,
  namedArg,
  quantified,
  slice,
  structField,
  structLiteral,
  subquery,
  subscript,
  tuple,
  unary,
  atTimeZone,
} from "../../sql/index.js";
import { typeNodeToArrow } from "../../catalog/index.js";
import { field, list, map, struct, timestamp, type ScalarType } from "../../types/index.js";
import { type Bound, type ExprCtx, EMPTY, checkComparable, combine, leaf, union } from "./bound.js";
import { bindCall, bindLambda } from "./expr-calls.js";
import { bindColumn } from "./expr-columns.js";
import { bindBinary, bindCase } from "./expr-operators.js";
import { outputName } from "./output-names.js";
import type { BinderState } from "./state.js";
import {
  type ValueType,
  BOOL,
  FLOAT64,
  INT32,
  INT64,
  INTERVAL_TYPE,
  NULL_TYPE,
  UNKNOWN_TYPE,
  UTF8,
  commonType,
  describeType,
  isArrow,
  isString,
  numberLiteralType,
} from "./value-type.js";

export type { Bound, Clause, ExprCtx, ProjInfo } from "./bound.js";
export { bindOrderItems, bindWindowSpec } from "./expr-calls.js";
export { canonicalName, mapColumns, outputIdent, outputName } from "./output-names.js";

/** Binds `e`; the result's type is recorded in `state.types` under the qualified node. */
export function bindExpr(state: BinderState, e: Expr, ctx: ExprCtx): Bound {
  const b = bindExprInner(state, e, ctx);
  state.types.add(b.expr, b.type, b.nullable);
  return b;
}

function bindExprInner(state: BinderState, e: Expr, ctx: ExprCtx): Bound {
  switch (e.kind) {
    case "string":
      return leaf(e, UTF8);
    case "number":
      return leaf(e, numberLiteralType(e.value));
    case "boolean":
      return leaf(e, BOOL);
    case "null":
      return leaf(e, NULL_TYPE, true);
    case "parameter":
      return leaf(e, UNKNOWN_TYPE, true);
    case "typedLiteral": {
      const t = typeNodeToArrow(e.type);
      return leaf(e, t ?? (e.type.kind === "typeName" && e.type.name === "INTERVAL" ? INTERVAL_TYPE : UNKNOWN_TYPE));
    }
    case "interval": {
      const v = bindExpr(state, e.value, ctx);
      return { ...v, expr: interval(v.expr, e.unit, e.toUnit, e.range), type: INTERVAL_TYPE };
    }
    case "column":
      return bindColumn(state, e, ctx);
    case "unary": {
      const o = bindExpr(state, e.operand, ctx);
      const type = e.op === "NOT" ? BOOL : o.type;
      return { ...o, expr: unary(e.op, o.expr, e.range), type };
    }
    case "binary":
      return bindBinary(state, e, ctx);
    case "isTest": {
      const o = bindExpr(state, e.expr, ctx);
      return { ...o, expr: isTest(o.expr, e.test, e.negated, e.range), type: BOOL, nullable: false };
    }
    case "isDistinctFrom": {
      const l = bindExpr(state, e.left, ctx);
      const r = bindExpr(state, e.right, ctx);
      checkComparable(state, l, r, e, "IS DISTINCT FROM");
      return combine(isDistinctFrom(l.expr, r.expr, e.negated, e.range), BOOL, false, l, r);
    }
    case "between": {
      const x = bindExpr(state, e.expr, ctx);
      const lo = bindExpr(state, e.low, ctx);
      const hi = bindExpr(state, e.high, ctx);
      checkComparable(state, x, lo, e, "BETWEEN");
      checkComparable(state, x, hi, e, "BETWEEN");
      return combine(between(x.expr, lo.expr, hi.expr, e.negated, e.symmetric, e.range), BOOL, x.nullable || lo.nullable || hi.nullable, x, lo, hi);
    }
    case "like": {
      const x = bindExpr(state, e.expr, ctx);
      const p = bindExpr(state, e.pattern, ctx);
      const esc = e.escape ? bindExpr(state, e.escape, ctx) : null;
      return combine(like(e.op, x.expr, p.expr, esc?.expr ?? null, e.negated, e.range), BOOL, x.nullable || p.nullable, x, p, ...(esc ? [esc] : []));
    }
    case "inList": {
      const x = bindExpr(state, e.expr, ctx);
      const items = e.items.map((i) => bindExpr(state, i, ctx));
      for (const i of items) checkComparable(state, x, i, e, "IN");
      return combine(inList(x.expr, items.map((i) => i.expr), e.negated, e.range), BOOL, x.nullable || items.some((i) => i.nullable), x, ...items);
    }
    case "inSubquery": {
      const x = bindExpr(state, e.expr, ctx);
      const q = state.bindSubquery(e.query, ctx.scope, ctx.env);
      const first = q.columns[0];
      if (first && q.columns.length === 1) checkComparable(state, x, { type: first.type }, e, "IN");
      return { expr: inSubquery(x.expr, q.query, e.negated, e.range), type: BOOL, nullable: true, deps: union(x.deps, new Set(q.columns.flatMap((c) => c.lineage))), agg: x.agg };
    }
    case "quantified": {
      const x = bindExpr(state, e.left, ctx);
      const q = state.bindSubquery(e.query, ctx.scope, ctx.env);
      return { expr: quantified(e.op, e.quantifier, x.expr, q.query, e.range), type: BOOL, nullable: true, deps: union(x.deps, new Set(q.columns.flatMap((c) => c.lineage))), agg: x.agg };
    }
    case "exists": {
      const q = state.bindSubquery(e.query, ctx.scope, ctx.env);
      return { expr: exists(q.query, e.range), type: BOOL, nullable: false, deps: EMPTY, agg: false };
    }
    case "subquery": {
      const q = state.bindSubquery(e.query, ctx.scope, ctx.env);
      const first = q.columns[0];
      return { expr: subquery(q.query, e.range), type: first?.type ?? UNKNOWN_TYPE, nullable: true, deps: first?.lineage ?? EMPTY, agg: false };
    }
    case "case":
      return bindCase(state, e, ctx);
    case "cast": {
      const x = bindExpr(state, e.expr, ctx);
      const t = typeNodeToArrow(e.type);
      const type = t ?? (e.type.kind === "typeName" && e.type.name === "INTERVAL" ? INTERVAL_TYPE : UNKNOWN_TYPE);
      return { ...x, expr: cast(x.expr, e.type, e.safe, e.range), type, nullable: x.nullable || e.safe };
    }
    case "extract": {
      const x = bindExpr(state, e.source, ctx);
      return { ...x, expr: extract(e.field, x.expr, e.range), type: e.field === "EPOCH" ? FLOAT64 : INT64 };
    }
    case "atTimeZone": {
      const x = bindExpr(state, e.expr, ctx);
      const z = bindExpr(state, e.zone, ctx);
      const type = x.type.kind === "timestamp" ? (x.type.timezone ? timestamp("us") : timestamp("us", "UTC")) : x.type;
      return combine(atTimeZone(x.expr, z.expr, e.range), type, x.nullable || z.nullable, x, z);
    }
    case "collate": {
      const x = bindExpr(state, e.expr, ctx);
      return { ...x, expr: collate(x.expr, e.collation, e.range) };
    }
    case "star":
      if (e.replace.length > 0) state.anonymous = true;
      return leaf(e, UNKNOWN_TYPE);
    case "columns": {
      const a = bindExpr(state, e.arg, ctx);
      return { ...a, expr: columnsExpr(a.expr, e.range), type: UNKNOWN_TYPE, nullable: true };
    }
    case "fieldAccess": {
      const b = bindExpr(state, e.base, ctx);
      const f = b.type.kind === "struct" ? (b.type.fields.find((x) => x.name.toLowerCase() === e.field.name.toLowerCase()) ?? null) : null;
      if (!f && isArrow(b.type) && b.type.kind !== "struct") state.error("type_mismatch", `cannot read field '${e.field.name}' of ${describeType(b.type)}: not a struct`, e.range);
      else if (!f && b.type.kind === "struct") state.error("unknown_field", `struct has no field '${e.field.name}'`, e.range);
      return { ...b, expr: fieldAccess(b.expr, e.field, e.range), type: f?.type ?? UNKNOWN_TYPE, nullable: b.nullable || (f?.nullable ?? true) };
    }
    case "subscript": {
      const b = bindExpr(state, e.base, ctx);
      const i = bindExpr(state, e.index, ctx);
      let type: ValueType = UNKNOWN_TYPE;
      if (b.type.kind === "list") type = b.type.element;
      else if (b.type.kind === "map") type = b.type.value;
      else if (isString(b.type)) type = UTF8;
      else if (b.type.kind === "struct" && e.index.kind === "string") {
        const name = e.index.value.toLowerCase();
        type = b.type.fields.find((x) => x.name.toLowerCase() === name)?.type ?? UNKNOWN_TYPE;
      }
      return combine(subscript(b.expr, i.expr, e.range), type, true, b, i);
    }
    case "slice": {
      const b = bindExpr(state, e.base, ctx);
      const s = e.start ? bindExpr(state, e.start, ctx) : null;
      const t = e.end ? bindExpr(state, e.end, ctx) : null;
      return combine(slice(b.expr, s?.expr ?? null, t?.expr ?? null, e.range), b.type, b.nullable, b, ...(s ? [s] : []), ...(t ? [t] : []));
    }
    case "array": {
      const items = e.items.map((i) => bindExpr(state, i, ctx));
      let t: ValueType | null = items[0]?.type ?? NULL_TYPE;
      for (const i of items.slice(1)) t = t ? commonType(t, i.type) : null;
      if (!t) state.error("type_mismatch", `list items have no common type (${items.map((i) => describeType(i.type)).join(", ")})`, e.range);
      return combine(arrayLiteral(items.map((i) => i.expr), e.range), list(t && isArrow(t) ? t : INT32), false, ...items);
    }
    case "struct": {
      const fs = e.fields.map((f) => ({ f, b: bindExpr(state, f.value, ctx) }));
      const type = fs.length > 0 ? struct(fs.map(({ f, b }, i) => field(f.name?.name ?? outputName(b.expr) ?? `v${i + 1}`, isArrow(b.type) ? b.type : UTF8))) : UNKNOWN_TYPE;
      // a field named after a column keeps that name when the column is rewritten (USING → COALESCE)
      const named = (f: (typeof fs)[number]["f"], b: Bound) => f.name ?? (f.value.kind === "column" && b.expr.kind !== "column" ? identifier(outputName(f.value)!) : null);
      return combine(structLiteral(fs.map(({ f, b }) => structField(named(f, b), b.expr, f.range)), e.range), type, false, ...fs.map((x) => x.b));
    }
    case "map": {
      const es = e.entries.map((m) => ({ m, k: bindExpr(state, m.key, ctx), v: bindExpr(state, m.value, ctx) }));
      let kt: ValueType | null = es[0]?.k.type ?? UTF8;
      let vt: ValueType | null = es[0]?.v.type ?? UTF8;
      for (const x of es.slice(1)) {
        kt = kt ? commonType(kt, x.k.type) : null;
        vt = vt ? commonType(vt, x.v.type) : null;
      }
      const type = kt && vt && isArrow(kt) && isArrow(vt) && kt.kind !== "struct" && kt.kind !== "list" && kt.kind !== "map" ? map(kt as ScalarType, vt) : UNKNOWN_TYPE;
      return combine(mapLiteral(es.map(({ m, k, v }) => mapEntry(k.expr, v.expr, m.range)), e.range), type, false, ...es.flatMap((x) => [x.k, x.v]));
    }
    case "tuple": {
      const items = e.items.map((i) => bindExpr(state, i, ctx));
      const type = items.length > 0 ? struct(items.map((i, n) => field(`v${n + 1}`, isArrow(i.type) ? i.type : UTF8))) : UNKNOWN_TYPE;
      return combine(tuple(items.map((i) => i.expr), e.range), type, false, ...items);
    }
    case "call":
      return bindCall(state, e, ctx);
    case "methodCall": {
      const asCall = call([e.name], [e.target, ...e.args], {}, e.range);
      const b = bindCall(state, asCall, ctx);
      const c = b.expr.kind === "call" ? b.expr : null;
      return { ...b, expr: c ? methodCall(c.args[0]!, e.name, c.args.slice(1), e.range) : b.expr };
    }
    case "lambda": {
      const b = bindLambda(state, e, ctx, e.params.map(() => UNKNOWN_TYPE));
      return b;
    }
    case "namedArg": {
      const v = bindExpr(state, e.value, ctx);
      return { ...v, expr: namedArg(e.name, v.expr, e.range) };
    }
  }
}
