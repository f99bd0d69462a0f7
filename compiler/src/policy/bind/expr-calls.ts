/**
 * Binding calls: function and aggregate calls (overloads via functions.ts), lambdas, window
 * specifications and ORDER BY items inside calls and windows.
 */
import { type Call, type Expr, type OrderItem, type WindowSpec, call, frameBound, lambda, orderItem, windowFrame, windowSpec } from "../../sql/index.js";
import { type Bound, type Deps, type ExprCtx, EMPTY, derive, leaf, union } from "./bound.js";
import { bindExpr } from "./expressions.js";
import { type CallArg, lambdaParamTypes, typeCall } from "./functions.js";
import { outputName } from "./output-names.js";
import { Scope } from "./scope.js";
import type { BinderState } from "./state.js";
import { type ValueType, FLOAT64, INT64, UNKNOWN_TYPE } from "./value-type.js";

export function bindLambda(state: BinderState, e: Extract<Expr, { kind: "lambda" }>, ctx: ExprCtx, types: readonly ValueType[]): Bound {
  const params = new Map(e.params.map((p, i) => [p.name.toLowerCase(), types[i] ?? UNKNOWN_TYPE] as const));
  const scope = new Scope(ctx.scope, params);
  const body = bindExpr(state, e.body, derive(ctx, scope, ctx.clause, ctx.inAgg === true));
  return { ...body, expr: lambda(e.params, body.expr, e.range) };
}

/** Most calls have no ORDER BY: one shared empty result (frozen: it ends up in many nodes). */
const NO_ORDER: { readonly items: readonly OrderItem[]; readonly deps: Deps } = Object.freeze({ items: Object.freeze([]), deps: EMPTY });

export function bindOrderItems(state: BinderState, items: readonly OrderItem[], ctx: ExprCtx): { readonly items: readonly OrderItem[]; readonly deps: Deps } {
  if (items.length === 0) return NO_ORDER;
  const out: OrderItem[] = [];
  const deps: Deps[] = [];
  for (const o of items) {
    const b = bindExpr(state, o.expr, ctx);
    deps.push(b.deps);
    out.push(orderItem(b.expr, o.direction, o.nulls, o.range));
  }
  return { items: out, deps: union(...deps) };
}

export function bindWindowSpec(state: BinderState, w: WindowSpec, ctx: ExprCtx): { spec: WindowSpec; deps: Deps } {
  const inner = derive(ctx, ctx.scope, ctx.clause === "order" ? "other" : ctx.clause, ctx.inAgg === true);
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

/** `count(*)`: a star argument is not bound (its REPLACE, if any, stays unread: see `state.anonymous`). */
function starArg(state: BinderState, a: Extract<Expr, { kind: "star" }>): Bound {
  if (a.replace.length > 0) state.anonymous = true;
  return leaf(a, UNKNOWN_TYPE);
}

/** The arguments as typing sees them (a lambda not bound yet is of unknown type). */
function callArgs(e: Call, bound: readonly (Bound | null)[]): CallArg[] {
  return e.args.map((a, i) => {
    const b = bound[i];
    return {
      type: b?.type ?? UNKNOWN_TYPE,
      nullable: b?.nullable ?? true,
      stringLiteral: a.kind === "string",
      lambda: a.kind === "lambda",
      name: a.kind === "namedArg" ? a.name.name : b ? outputName(b.expr) : null,
    };
  });
}

export function bindCall(state: BinderState, e: Call, ctx: ExprCtx): Bound {
  const name = e.name[e.name.length - 1]!.name;
  state.addFunction(name.toLowerCase());
  const aggregateName = e.over === null && state.functionIndex.lookup(name).some((f) => f.kind === "aggregate");
  // the arguments' context: the caller's, unless ORDER BY (arguments are not output names) or an aggregate starts here
  const argCtx: ExprCtx =
    ctx.clause === "order" || (aggregateName && ctx.inAgg !== true) ? derive(ctx, ctx.scope, ctx.clause === "order" ? "other" : ctx.clause, ctx.inAgg === true || aggregateName) : ctx;
  const bound: (Bound | null)[] = e.args.map((a) => (a.kind === "lambda" ? null : a.kind === "star" ? starArg(state, a) : bindExpr(state, a, argCtx)));
  let lambdaType: ValueType | null = null;
  for (let i = 0; i < e.args.length; i++) {
    const a = e.args[i]!;
    if (a.kind !== "lambda") continue;
    const b = bindLambda(state, a, argCtx, lambdaParamTypes(name, callArgs(e, bound), a.params.length));
    bound[i] = b;
    lambdaType = b.type;
  }
  // every lambda is bound now
  const args = bound as Bound[];
  const isStarCount = e.args.length === 1 && e.args[0]!.kind === "star";
  const typing = isStarCount ? { type: INT64, nullable: false, kind: "aggregate" as const } : typeCall(state.functionIndex, name, callArgs(e, bound), lambdaType, e.over !== null);
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
