/**
 * Binding expressions: every column reference qualified (columns.ts), every expression given a
 * type and nullability, the base columns it reads collected (lineage), aggregates noticed (for
 * GROUP BY alias rules). Projection aliases are a fallback for names no relation has (DuckDB and
 * SQLGlot expand `SELECT a + 1 AS d … WHERE d > 1`). Type errors are diagnostics; what the rules
 * cannot decide is `unknown`.
 */
import {
  type Call,
  type Expr,
  type Identifier,
  type Node,
  type OrderItem,
  type WindowSpec,
  arrayLiteral,
  between,
  binary,
  call,
  caseExpr,
  cast,
  collate,
  column,
  createTransformer,
  exists,
  extract,
  fieldAccess,
  frameBound,
  inList,
  inSubquery,
  interval,
  isDistinctFrom,
  isTest,
  lambda,
  like,
  mapEntry,
  mapLiteral,
  methodCall,
  namedArg,
  numberLiteral,
  orderItem,
  quantified,
  slice,
  structField,
  structLiteral,
  subquery,
  subscript,
  tuple,
  unary,
  whenClause,
  windowFrame,
  windowSpec,
  atTimeZone,
  columnsExpr,
  identifier,
} from "../../sql/index.js";
import { typeNodeToArrow } from "../../catalog/index.js";
import { field, list, map, struct, timestamp, type ScalarType } from "../../types/index.js";
import { reportUnresolved, resolveColumn } from "./columns.js";
import { type CallArg, isListLambdaFunction, lambdaParamTypes, typeCall } from "./functions.js";
import { Scope } from "./scope.js";
import type { BinderState, CteEnv } from "./state.js";
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
  arithmeticType,
  commonType,
  comparable,
  describeType,
  isArrow,
  isInteger,
  isString,
  numberLiteralType,
} from "./value-type.js";

export interface Bound {
  readonly expr: Expr;
  readonly type: ValueType;
  readonly nullable: boolean;
  /** Base `table.column`s read. */
  readonly deps: ReadonlySet<string>;
  /** Contains an aggregate of this query level (outside windows and subqueries). */
  readonly agg: boolean;
  /** A bare name that stood for a projection alias (the projection is not "that column"). */
  readonly fromAlias?: boolean;
}

export interface ProjInfo {
  readonly name: string;
  readonly bound: Bound;
  readonly index: number;
  readonly constant: boolean;
}

export type Clause = "select" | "where" | "group" | "having" | "qualify" | "order" | "on" | "other";

export interface ExprCtx {
  readonly scope: Scope;
  readonly env: CteEnv | null;
  readonly clause: Clause;
  /** Projection aliases a bare unresolved name may stand for. */
  readonly aliases: ReadonlyMap<string, ProjInfo> | null;
  /** Inside an aggregate's arguments (an aggregate alias is not expanded there). */
  readonly inAgg?: boolean;
}

const EMPTY: ReadonlySet<string> = new Set();

function union(...sets: (ReadonlySet<string> | undefined)[]): ReadonlySet<string> {
  const nonEmpty = sets.filter((s): s is ReadonlySet<string> => s !== undefined && s.size > 0);
  if (nonEmpty.length === 0) return EMPTY;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const out = new Set<string>();
  for (const s of nonEmpty) for (const x of s) out.add(x);
  return out;
}

const leaf = (expr: Expr, type: ValueType, nullable = false): Bound => ({ expr, type, nullable, deps: EMPTY, agg: false });

/** Binds `e`; the result's type is recorded in `state.types` under the qualified node. */
export function bindExpr(state: BinderState, e: Expr, ctx: ExprCtx): Bound {
  const b = bindExprInner(state, e, ctx);
  state.types.set(b.expr, { type: b.type, nullable: b.nullable });
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
      return { expr: subquery(q.query, e.range), type: first?.type ?? UNKNOWN_TYPE, nullable: true, deps: new Set(first?.lineage ?? []), agg: false };
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

function combine(expr: Expr, type: ValueType, nullable: boolean, ...parts: Bound[]): Bound {
  return { expr, type, nullable, deps: union(...parts.map((p) => p.deps)), agg: parts.some((p) => p.agg) };
}

function checkComparable(state: BinderState, a: { readonly type: ValueType }, b: { readonly type: ValueType }, at: Node, what: string): void {
  if (!comparable(a.type, b.type)) state.error("type_mismatch", `cannot compare ${describeType(a.type)} with ${describeType(b.type)} (${what})`, at.range);
}

function bindColumn(state: BinderState, e: Extract<Expr, { kind: "column" }>, ctx: ExprCtx): Bound {
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
  const r = resolveColumn(state, e, ctx.scope, false);
  if (r === "error") return leaf(e, UNKNOWN_TYPE, true);
  if (r) return { expr: r.expr, type: r.type, nullable: r.nullable, deps: r.lineage.length ? new Set(r.lineage) : EMPTY, agg: false };
  if (e.path.length === 1 && ctx.aliases) {
    const p = ctx.aliases.get(e.path[0]!.name.toLowerCase());
    if (p) {
      const keepName = (ctx.clause === "group" && p.bound.agg) || ((ctx.clause === "having" || ctx.clause === "qualify") && p.constant);
      if (keepName) return { expr: column([e.path[0]!], e.range), type: p.bound.type, nullable: p.bound.nullable, deps: p.bound.deps, agg: p.bound.agg };
      if (ctx.clause === "group" && p.constant) return { ...p.bound, expr: numberLiteral(String(p.index + 1), e.range) };
      return { ...p.bound, fromAlias: true };
    }
  }
  // DuckDB (and Postgres) read a bare relation name as the row struct.
  if (e.path.length === 1) {
    for (let s: Scope | null = ctx.scope; s; s = s.parent) {
      const rel = s.relation(e.path[0]!.name);
      if (!rel) continue;
      const type = rel.open || rel.columns.length === 0 ? UNKNOWN_TYPE : struct(rel.columns.map((c) => field(c.name, isArrow(c.type) ? c.type : UTF8)));
      return { expr: column([rel.alias], e.range), type, nullable: false, deps: new Set(rel.columns.flatMap((c) => c.lineage)), agg: false };
    }
  }
  reportUnresolved(state, e, ctx.scope);
  return leaf(e, UNKNOWN_TYPE, true);
}

const COMPARISONS = new Set(["=", "<>", "<", ">", "<=", ">="]);

function bindBinary(state: BinderState, e: Extract<Expr, { kind: "binary" }>, ctx: ExprCtx): Bound {
  const l = bindExpr(state, e.left, ctx);
  const r = bindExpr(state, e.right, ctx);
  const expr = binary(e.op, l.expr, r.expr, e.range);
  const nullable = l.nullable || r.nullable;
  if (e.op === "AND" || e.op === "OR") return combine(expr, BOOL, nullable, l, r);
  if (COMPARISONS.has(e.op)) {
    checkComparable(state, l, r, e, e.op);
    if (e.op === "=" && (ctx.clause === "on" || ctx.clause === "where") && e.left.kind === "column" && e.right.kind === "column" && l.expr.kind === "column" && r.expr.kind === "column" && l.expr.path[0]!.name !== r.expr.path[0]!.name) {
      for (const d of l.deps) state.joinKeys.add(d);
      for (const d of r.deps) state.joinKeys.add(d);
    }
    return combine(expr, BOOL, nullable, l, r);
  }
  let type: ValueType | null;
  switch (e.op) {
    case "||":
      type = l.type.kind === "list" || r.type.kind === "list" ? commonType(l.type, r.type) : UTF8;
      break;
    case "^":
      type = FLOAT64;
      break;
    case "&":
    case "|":
    case "xor":
    case "<<":
    case ">>":
      type = isInteger(l.type) ? l.type : isInteger(r.type) ? r.type : l.type.kind === "unknown" ? UNKNOWN_TYPE : null;
      break;
    case "->":
    case "->>":
      type = e.op === "->>" ? UTF8 : UNKNOWN_TYPE;
      break;
    default:
      type = arithmeticType(e.op, l.type, r.type);
  }
  if (!type) {
    state.error("type_mismatch", `cannot apply '${e.op}' to ${describeType(l.type)} and ${describeType(r.type)}`, e.range);
    type = UNKNOWN_TYPE;
  }
  return combine(expr, type, nullable, l, r);
}

function bindCase(state: BinderState, e: Extract<Expr, { kind: "case" }>, ctx: ExprCtx): Bound {
  const operand = e.operand ? bindExpr(state, e.operand, ctx) : null;
  const whens = e.whens.map((w) => ({ w, c: bindExpr(state, w.condition, ctx), r: bindExpr(state, w.result, ctx) }));
  const els = e.else ? bindExpr(state, e.else, ctx) : null;
  if (operand) for (const x of whens) checkComparable(state, operand, x.c, x.w, "CASE");
  let type: ValueType | null = whens[0]?.r.type ?? NULL_TYPE;
  for (const x of [...whens.slice(1).map((w) => w.r), ...(els ? [els] : [])]) {
    const next: ValueType | null = type ? commonType(type, x.type) : null;
    if (!next) {
      state.error("type_mismatch", `CASE results have no common type (${describeType(type!)} and ${describeType(x.type)})`, x.expr.range.start >= 0 ? x.expr.range : e.range);
      type = UNKNOWN_TYPE;
      break;
    }
    type = next;
  }
  const nullable = !els || els.nullable || whens.some((x) => x.r.nullable);
  const parts = [...(operand ? [operand] : []), ...whens.flatMap((x) => [x.c, x.r]), ...(els ? [els] : [])];
  return combine(
    caseExpr(operand?.expr ?? null, whens.map((x) => whenClause(x.c.expr, x.r.expr, x.w.range)), els?.expr ?? null, e.range),
    type ?? UNKNOWN_TYPE,
    nullable,
    ...parts,
  );
}

function bindLambda(state: BinderState, e: Extract<Expr, { kind: "lambda" }>, ctx: ExprCtx, types: readonly ValueType[]): Bound {
  const params = new Map(e.params.map((p, i) => [p.name.toLowerCase(), types[i] ?? UNKNOWN_TYPE] as const));
  const scope = new Scope(ctx.scope, params);
  const body = bindExpr(state, e.body, { ...ctx, scope });
  return { ...body, expr: lambda(e.params, body.expr, e.range) };
}

export function bindOrderItems(state: BinderState, items: readonly OrderItem[], ctx: ExprCtx): { items: OrderItem[]; deps: ReadonlySet<string> } {
  const out: OrderItem[] = [];
  const deps: ReadonlySet<string>[] = [];
  for (const o of items) {
    const b = bindExpr(state, o.expr, ctx);
    deps.push(b.deps);
    out.push(orderItem(b.expr, o.direction, o.nulls, o.range));
  }
  return { items: out, deps: union(...deps) };
}

export function bindWindowSpec(state: BinderState, w: WindowSpec, ctx: ExprCtx): { spec: WindowSpec; deps: ReadonlySet<string> } {
  const inner: ExprCtx = { ...ctx, clause: ctx.clause === "order" ? "other" : ctx.clause };
  const parts = w.partitionBy.map((p) => bindExpr(state, p, inner));
  const order = bindOrderItems(state, w.orderBy, inner);
  let frame = w.frame;
  if (frame) {
    const bound = (b: NonNullable<typeof frame>["start"]) => (b.offset ? frameBound(b.bound, bindExpr(state, b.offset, inner).expr, b.range) : b);
    frame = windowFrame(frame.units, bound(frame.start), frame.end ? bound(frame.end) : null, frame.exclude, frame.range);
  }
  return {
    spec: windowSpec({ base: w.base, partitionBy: parts.map((p) => p.expr), orderBy: order.items, frame }, w.range),
    deps: union(order.deps, ...parts.map((p) => p.deps)),
  };
}

function bindCall(state: BinderState, e: Call, ctx: ExprCtx): Bound {
  const name = e.name[e.name.length - 1]!.name;
  state.functions.add(name.toLowerCase());
  const aggregateName = e.over === null && state.functionIndex.lookup(name).some((f) => f.kind === "aggregate");
  const argCtx: ExprCtx = { ...ctx, clause: ctx.clause === "order" ? "other" : ctx.clause, inAgg: ctx.inAgg === true || aggregateName };
  const bound: (Bound | null)[] = e.args.map((a) => (a.kind === "lambda" ? null : a.kind === "star" ? leaf(a, UNKNOWN_TYPE) : bindExpr(state, a, argCtx)));
  const infos = (): CallArg[] =>
    e.args.map((a, i) => {
      const b = bound[i];
      return {
        type: b?.type ?? UNKNOWN_TYPE,
        nullable: b?.nullable ?? true,
        stringLiteral: a.kind === "string",
        lambda: a.kind === "lambda",
        name: a.kind === "namedArg" ? a.name.name : b ? outputName(b.expr) : null,
      };
    });
  let lambdaType: ValueType | null = null;
  e.args.forEach((a, i) => {
    if (a.kind !== "lambda") return;
    const types = isListLambdaFunction(name) || true ? lambdaParamTypes(name, infos(), a.params.length) : [];
    const b = bindLambda(state, a, argCtx, types);
    bound[i] = b;
    lambdaType = b.type;
  });
  const args = bound.map((b) => b!);
  const isStarCount = e.args.length === 1 && e.args[0]!.kind === "star";
  const typing = isStarCount ? { type: INT64, nullable: false, kind: "aggregate" as const } : typeCall(state.functionIndex, name, infos(), lambdaType, e.over !== null);
  if ("error" in typing && typing.error && state.options.checkFunctions !== false) {
    state.error(typing.error.reason === "unknown_function" ? "unknown_function" : "no_overload", typing.error.message, e.range, [typing.error.hint]);
  }
  const order = bindOrderItems(state, e.orderBy, argCtx);
  const within = e.withinGroup ? bindOrderItems(state, e.withinGroup, argCtx) : null;
  const filter = e.filter ? bindExpr(state, e.filter, argCtx) : null;
  const over = e.over ? bindWindowSpec(state, e.over, argCtx) : null;
  const isAggregate = typing.kind === "aggregate" && e.over === null;
  let type = typing.type;
  if (within && (name.toLowerCase() === "percentile_cont" || name.toLowerCase() === "percentile_disc" || name.toLowerCase() === "mode")) {
    type = name.toLowerCase() === "percentile_cont" ? FLOAT64 : UNKNOWN_TYPE;
  }
  const deps = union(order.deps, within?.deps, filter?.deps, over?.deps, ...args.map((a) => a.deps));
  return {
    expr: call(
      e.name,
      args.map((a) => a.expr),
      { distinct: e.distinct, orderBy: order.items, withinGroup: within?.items ?? null, filter: filter?.expr ?? null, nullTreatment: e.nullTreatment, over: over?.spec ?? null },
      e.range,
    ),
    type,
    nullable: typing.nullable,
    deps,
    // an aggregate's arguments are evaluated per row: agg marks this level's aggregation only
    agg: isAggregate || (e.over === null && args.some((a) => a.agg)),
  };
}

/** The name an unaliased projection gets (SQLGlot's rules: column → its name, literal → its text). */
/** The identifier a projection is named after when it has no alias (`t.col` → `col`), with its quoting. */
export function outputIdent(e: Expr): Identifier | null {
  switch (e.kind) {
    case "column":
      return e.path[e.path.length - 1]!;
    case "fieldAccess":
      return e.field;
    case "cast":
      return outputIdent(e.expr);
    case "namedArg":
      return e.name;
    default:
      return null;
  }
}

/**
 * A name as the canonical query spells it: unquoted identifiers are case-insensitive and
 * canonicalize lower-cases them, so output column names follow (`SELECT NODE_ID` names `node_id`).
 */
export function canonicalName(id: Identifier): string {
  return id.quoted ? id.name : id.name.toLowerCase();
}

export function outputName(e: Expr): string | null {
  switch (e.kind) {
    case "column":
      return e.path[e.path.length - 1]!.name;
    case "fieldAccess":
      return e.field.name;
    case "cast":
      return outputName(e.expr);
    case "number":
      return e.value;
    case "string":
      return e.value;
    case "namedArg":
      return e.name.name;
    default:
      return null;
  }
}

/** Replaces every `column` node for which `fn` returns a node (used for USING rewrites). */
export const mapColumns = (fn: (c: Extract<Expr, { kind: "column" }>) => Expr | null) =>
  createTransformer({
    column: (c) => fn(c) ?? c,
  });
