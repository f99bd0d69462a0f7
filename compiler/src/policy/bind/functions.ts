/**
 * Typing of function calls: the rules the catalog cannot state (aggregates whose result depends
 * on the argument — sum, avg, min/max, list —, COALESCE-like unification, struct and list
 * constructors, lambdas), then overload resolution over the catalog snapshot: the overload with
 * the cheapest implicit casts wins (ties: the first listed). A name the catalog does not know is
 * an error with a did-you-mean; arguments no overload accepts are a type error; a type the catalog
 * cannot decide is `unknown` (best effort, never a crash).
 */
import type { FunctionEntry, FunctionIndex, FunctionKind } from "../../catalog/index.js";
import { closestMatch } from "../../diagnostics/index.js";
import { field, list, struct } from "../../types/index.js";
import { type ArgInfo, type Bindings, castCost, instantiate, typePattern } from "./catalog-types.js";
import {
  type ValueType,
  BOOL,
  FLOAT64,
  HUGEINT,
  INT64,
  INTERVAL_TYPE,
  UNKNOWN_TYPE,
  UTF8,
  commonType,
  describeType,
  isArrow,
  isFloat,
  isInteger,
  isSpecial,
} from "./value-type.js";

export interface CallArg extends ArgInfo {
  readonly nullable: boolean;
  /** The name a struct_pack field takes from a plain column or a named argument. */
  readonly name: string | null;
}

export interface CallTyping {
  readonly type: ValueType;
  readonly nullable: boolean;
  readonly kind: FunctionKind | "special";
  /** Set when the call cannot bind. */
  readonly error?: { readonly reason: "unknown_function" | "no_overload"; readonly message: string; readonly hint?: string };
}

const AGG_SAME = new Set(["min", "max", "any_value", "first", "last", "arbitrary", "mode", "fsum", "kahan_sum", "sumkahan", "first_value", "last_value", "nth_value", "lag", "lead", "bit_and", "bit_or", "bit_xor"]);
const AGG_FIRST = new Set(["arg_min", "arg_max", "argmin", "argmax", "min_by", "max_by", "arg_min_null", "arg_max_null"]);
const AGG_DOUBLE = new Set(["avg", "mean", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop", "corr", "covar_pop", "covar_samp", "median", "quantile_cont", "percentile_cont", "entropy", "kurtosis", "skewness", "regr_slope", "regr_intercept", "regr_r2", "regr_avgx", "regr_avgy"]);
const NON_NULL_WINDOW = new Set(["row_number", "rank", "dense_rank", "ntile", "percent_rank", "cume_dist", "count", "count_star", "count_if", "countif", "approx_count_distinct"]);
const LIST_LAMBDA = new Set(["list_transform", "array_transform", "apply", "list_apply", "array_apply", "list_filter", "array_filter", "filter", "list_reduce", "array_reduce", "reduce", "aggregate", "transform", "list_any_match", "list_all_match", "exists", "forall"]);

/** Types of a lambda's parameters passed to `fn` after `args` (the list's element; then an index). */
export function lambdaParamTypes(fn: string, args: readonly ArgInfo[], count: number): ValueType[] {
  const first = args[0]?.type;
  const element: ValueType = first && first.kind === "list" ? first.element : UNKNOWN_TYPE;
  const name = fn.toLowerCase();
  if (name.includes("reduce") || name === "aggregate") return Array.from({ length: count }, (_, i) => (i < 2 ? element : INT64));
  return Array.from({ length: count }, (_, i) => (i === 0 ? element : INT64));
}

/** `lambdaType`: the type of the call's lambda body when there is one. */
export function typeCall(functions: FunctionIndex, nameIn: string, args: readonly CallArg[], lambdaType: ValueType | null, windowed: boolean): CallTyping {
  const name = nameIn.toLowerCase();
  const anyNullable = args.some((a) => a.nullable);
  const first = args[0]?.type ?? UNKNOWN_TYPE;
  const special = specialCall(name, args, first, anyNullable, lambdaType, windowed);
  if (special) return special;
  const entries = valueFunctions(functions.lookup(name));
  if (entries.length === 0) {
    const tableOnly = functions.lookup(name).length > 0;
    const hint = tableOnly ? `'${name}' is a table function: use it in FROM` : suggestFunction(functions, name);
    return { type: UNKNOWN_TYPE, nullable: true, kind: "special", error: { reason: "unknown_function", message: `unknown function '${nameIn}'`, ...(hint ? { hint } : {}) } };
  }
  return resolveOverload(entries, nameIn, args, anyNullable, lambdaType);
}

const VALUE_ENTRIES = new WeakMap<readonly FunctionEntry[], readonly FunctionEntry[]>();

/** The entries callable in an expression (not table functions); kept per entry list (the index is immutable). */
function valueFunctions(all: readonly FunctionEntry[]): readonly FunctionEntry[] {
  if (all.length === 0) return all;
  let hit = VALUE_ENTRIES.get(all);
  if (!hit) {
    hit = all.filter((e) => e.kind !== "table" && e.kind !== "table_macro");
    VALUE_ENTRIES.set(all, hit);
  }
  return hit;
}

const SUGGESTIBLE = new WeakMap<FunctionIndex, readonly string[]>();

function suggestFunction(functions: FunctionIndex, name: string): string | undefined {
  let names = SUGGESTIBLE.get(functions);
  if (!names) {
    // plain names only (operators and quoted names are not what a typo was meant to be); once per index
    names = [...functions.names()].filter((n) => /^[a-z_][a-z0-9_]*$/.test(n));
    SUGGESTIBLE.set(functions, names);
  }
  const match = closestMatch(name, names, { maxDistance: Math.max(1, Math.min(3, Math.floor(name.length / 3))) });
  return match ? `did you mean '${match}'?` : undefined;
}

function resolveOverload(entries: readonly FunctionEntry[], nameIn: string, args: readonly CallArg[], anyNullable: boolean, lambdaType: ValueType | null): CallTyping {
  let best: { cost: number; entry: FunctionEntry; ret: ValueType } | null = null;
  // one map for every overload tried: cleared before each, read only while that overload is costed
  const bindings: Bindings = new Map();
  for (const entry of entries) {
    for (const o of entry.overloads) {
      const fixed = o.parameters.length;
      if (args.length < fixed || (args.length > fixed && o.varargs === null)) continue;
      bindings.clear();
      let cost = 0;
      for (let i = 0; i < args.length && cost < Infinity; i++) {
        const pt = i < fixed ? o.parameters[i]!.type : o.varargs!;
        cost += castCost(args[i]!, typePattern(pt), bindings);
      }
      if (cost === Infinity) continue;
      if (o.varargs !== null) cost += 0.5;
      let ret: ValueType = o.return_type === null ? UNKNOWN_TYPE : instantiate(typePattern(o.return_type), bindings, args);
      if (lambdaType && o.return_type && /^ANY\[\]$/i.test(o.return_type) && isArrow(lambdaType)) ret = list(lambdaType);
      if (!best || cost < best.cost) best = { cost, entry, ret };
    }
  }
  const kind = entries[0]!.kind;
  if (!best) {
    if (entries.some((e) => e.kind === "macro")) return { type: UNKNOWN_TYPE, nullable: true, kind: "macro" };
    if (args.some((a) => a.type.kind === "unknown")) return { type: UNKNOWN_TYPE, nullable: true, kind };
    const sigs = entries
      .flatMap((e) => e.overloads)
      .slice(0, 4)
      .map((o) => `${nameIn}(${[...o.parameters.map((p) => p.type), ...(o.varargs ? [`${o.varargs}...`] : [])].join(", ")})`);
    return {
      type: UNKNOWN_TYPE,
      nullable: true,
      kind,
      error: {
        reason: "no_overload",
        message: `no overload of ${nameIn} takes (${args.map((a) => (a.lambda ? "LAMBDA" : describeType(a.type))).join(", ")})`,
        hint: `candidates: ${sigs.join("; ")}`,
      },
    };
  }
  const aggregate = best.entry.kind === "aggregate" || best.entry.kind === "window";
  return { type: best.ret, nullable: aggregate ? true : anyNullable || isSpecial(best.ret), kind: best.entry.kind };
}

function specialCall(name: string, args: readonly CallArg[], first: ValueType, anyNullable: boolean, lambdaType: ValueType | null, windowed: boolean): CallTyping | null {
  const agg = (type: ValueType, nullable = true): CallTyping => ({ type, nullable, kind: "aggregate" });
  if (name === "count" || name === "count_star" || name === "count_if" || name === "countif" || name === "approx_count_distinct") return agg(INT64, false);
  if (name === "sum" || name === "sum_no_overflow") {
    if (args.length !== 1) return null;
    if (isInteger(first) || first.kind === "bool") return agg(HUGEINT);
    if (first.kind === "decimal") return agg({ kind: "decimal", precision: 38, scale: first.scale });
    if (isFloat(first)) return agg(FLOAT64);
    if (first.kind === "null" || first.kind === "unknown") return agg(first.kind === "null" ? HUGEINT : UNKNOWN_TYPE);
    return null;
  }
  if (AGG_DOUBLE.has(name) && args.length >= 1) {
    if (first.kind === "interval") return agg(INTERVAL_TYPE);
    if (name === "median" && !isArrow(first)) return agg(first);
    if ((name === "median" || name === "quantile_cont" || name === "percentile_cont") && first.kind === "timestamp") return agg(first);
    return agg(FLOAT64);
  }
  if (AGG_SAME.has(name) && args.length >= 1) {
    const windowOnly = name.startsWith("first_value") || name === "last_value" || name === "nth_value" || name === "lag" || name === "lead";
    if ((name === "min" || name === "max") && args.length === 2) return agg(isArrow(first) ? list(first) : UNKNOWN_TYPE);
    if ((name === "first" || name === "last") && !windowed && args.length === 1) return agg(first);
    if (windowOnly && (name === "lag" || name === "lead") && args.length >= 3) return { type: commonType(first, args[2]!.type) ?? first, nullable: true, kind: "window" };
    return { type: first, nullable: true, kind: windowOnly ? "window" : "aggregate" };
  }
  if (AGG_FIRST.has(name) && args.length >= 2) return agg(first);
  if (name === "list" || name === "array_agg") return agg(isArrow(first) ? list(first) : UNKNOWN_TYPE);
  if (name === "string_agg" || name === "group_concat" || name === "listagg") return agg(UTF8);
  if (name === "bool_and" || name === "bool_or" || name === "every") return agg(BOOL);
  if (name === "grouping" || name === "grouping_id") return { type: INT64, nullable: false, kind: "aggregate" };
  if (NON_NULL_WINDOW.has(name)) return { type: name === "percent_rank" || name === "cume_dist" ? FLOAT64 : INT64, nullable: false, kind: "window" };
  if (name === "coalesce" || name === "ifnull" || name === "nvl" || name === "greatest" || name === "least") {
    if (args.length === 0) return null;
    let t: ValueType | null = first;
    for (const a of args.slice(1)) t = t ? commonType(t, a.type) : null;
    if (!t) return mismatch(name, args);
    const nullable = name === "greatest" || name === "least" ? anyNullable : args.every((a) => a.nullable);
    return { type: t, nullable, kind: "scalar" };
  }
  if (name === "nullif") return { type: first, nullable: true, kind: "scalar" };
  if ((name === "if" || name === "iff") && args.length === 3) {
    const t = commonType(args[1]!.type, args[2]!.type);
    return t ? { type: t, nullable: args[1]!.nullable || args[2]!.nullable, kind: "scalar" } : mismatch(name, args.slice(1));
  }
  if (name === "struct_pack" || name === "row" || name === "struct") {
    const fields = args.map((a, i) => field(a.name ?? `v${i + 1}`, isArrow(a.type) ? a.type : UTF8));
    return fields.length > 0 ? { type: struct(fields), nullable: false, kind: "scalar" } : null;
  }
  if (name === "list_value" || name === "list_pack" || name === "array_value") {
    let t: ValueType | null = first;
    for (const a of args.slice(1)) t = t ? commonType(t, a.type) : null;
    if (!t) return mismatch(name, args);
    return { type: isArrow(t) ? list(t) : list({ kind: "int32" }), nullable: false, kind: "scalar" };
  }
  if (name === "unnest" && args.length >= 1) return { type: first.kind === "list" ? first.element : UNKNOWN_TYPE, nullable: true, kind: "scalar" };
  if (lambdaType && LIST_LAMBDA.has(name)) {
    if (name.includes("filter")) return { type: first, nullable: anyNullable, kind: "scalar" };
    if (name.includes("reduce") || name === "aggregate") return { type: lambdaType, nullable: true, kind: "scalar" };
    if (name.includes("match") || name === "exists" || name === "forall") return { type: BOOL, nullable: anyNullable, kind: "scalar" };
    return { type: isArrow(lambdaType) ? list(lambdaType) : UNKNOWN_TYPE, nullable: anyNullable, kind: "scalar" };
  }
  if (name === "typeof") return { type: UTF8, nullable: false, kind: "scalar" };
  return null;
}

function mismatch(name: string, args: readonly CallArg[]): CallTyping {
  return {
    type: UNKNOWN_TYPE,
    nullable: true,
    kind: "scalar",
    error: { reason: "no_overload", message: `the arguments of ${name} have no common type (${args.map((a) => describeType(a.type)).join(", ")})` },
  };
}
