/**
 * The function catalog's type strings (DuckDB spellings, as duckdb_functions() lists them) read
 * as patterns for overload resolution: concrete types, `ANY`, generics (`T`, `K`, `V`), families
 * (`DECIMAL` of any width, `STRUCT`, `MAP`, `LIST`), lists of patterns (`T[]`, `DOUBLE[ANY]`),
 * `MAP(K, V)`, structs of generics (`STRUCT(K, V)`: fields by position, any names), `LAMBDA`, and `opaque` for engine types cpgc does not model (BIT, GEOMETRY, …).
 */
import { decimal, fromDuckDbType, list as listOf, map as mapOf, timestamp, type ScalarType } from "../../types/index.js";
import {
  type ValueType,
  HUGEINT,
  INTERVAL_TYPE,
  UNKNOWN_TYPE,
  UTF8,
  asDecimal,
  commonType,
  isArrow,
  isFloat,
  isInteger,
  isNumeric,
  isString,
  sameType,
} from "./value-type.js";

export type TypePattern =
  | { readonly p: "concrete"; readonly type: ValueType }
  | { readonly p: "any" }
  | { readonly p: "generic"; readonly name: string }
  | { readonly p: "decimal" }
  | { readonly p: "family"; readonly kind: "struct" | "map" | "list" }
  | { readonly p: "list"; readonly element: TypePattern }
  | { readonly p: "map"; readonly key: TypePattern; readonly value: TypePattern }
  | { readonly p: "struct"; readonly fields: readonly TypePattern[] }
  | { readonly p: "lambda" }
  | { readonly p: "opaque"; readonly name: string };

const cache = new Map<string, TypePattern>();

export function typePattern(text: string): TypePattern {
  let hit = cache.get(text);
  if (!hit) {
    hit = readPattern(text.trim());
    cache.set(text, hit);
  }
  return hit;
}

const OPAQUE = new Set(["BIT", "BIGNUM", "GEOMETRY", "VARIANT", "POINTER", "TIME WITH TIME ZONE", "TYPE", "UNION", "INVALID", "TABLE", "\"NULL\""]);

function readPattern(t: string): TypePattern {
  const upper = t.toUpperCase();
  if (upper === "ANY") return { p: "any" };
  if (/^[A-Z]$/.test(upper)) return { p: "generic", name: upper };
  if (upper === "LAMBDA") return { p: "lambda" };
  if (upper === "DECIMAL") return { p: "decimal" };
  if (upper === "STRUCT" || upper === "STRUCT()") return { p: "family", kind: "struct" };
  if (upper === "MAP") return { p: "family", kind: "map" };
  if (upper === "LIST" || upper === "ARRAY") return { p: "family", kind: "list" };
  if (upper === "INTERVAL") return { p: "concrete", type: INTERVAL_TYPE };
  if (upper === "HUGEINT" || upper === "UHUGEINT") return { p: "concrete", type: HUGEINT };
  if (upper === "JSON" || upper === "UUID") return { p: "concrete", type: UTF8 };
  if (upper === "TIMESTAMP WITH TIME ZONE") return { p: "concrete", type: timestamp("us", "UTC") };
  const arr = /^(.*)\[[^\]]*\]$/.exec(t);
  if (arr) return { p: "list", element: readPattern(arr[1]!) };
  const mp = /^MAP\((.+),\s*(.+)\)$/i.exec(t);
  if (mp && !mp[1]!.includes("(")) return { p: "map", key: readPattern(mp[1]!), value: readPattern(mp[2]!) };
  // `STRUCT(K, V)` (map_from_entries): unnamed generic fields; a struct with named fields is a concrete type
  const st = /^STRUCT\(([A-Z](?:\s*,\s*[A-Z])*)\)$/.exec(upper);
  if (st) return { p: "struct", fields: st[1]!.split(",").map((f) => readPattern(f.trim())) };
  if (OPAQUE.has(upper) || upper.startsWith("AGGREGATE_STATE")) return { p: "opaque", name: t };
  const parsed = fromDuckDbType(t);
  return parsed.ok ? { p: "concrete", type: parsed.type } : { p: "opaque", name: t };
}

/** An argument as overload resolution sees it. */
export interface ArgInfo {
  readonly type: ValueType;
  /** A string literal: the engine casts it to whatever the parameter needs. */
  readonly stringLiteral: boolean;
  readonly lambda: boolean;
}

export type Bindings = Map<string, ValueType>;

const INFEASIBLE = Number.POSITIVE_INFINITY;
const INT_ORDER = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"];

/** What it costs to pass `arg` where `pattern` is expected (Infinity: cannot). */
export function castCost(arg: ArgInfo, pattern: TypePattern, bindings: Bindings): number {
  const a = arg.type;
  if (pattern.p === "lambda") return arg.lambda ? 0 : INFEASIBLE;
  if (arg.lambda) return INFEASIBLE;
  if (a.kind === "null") return pattern.p === "any" ? 1 : 0;
  if (a.kind === "unknown") return 1;
  switch (pattern.p) {
    case "any":
      return 2;
    case "opaque":
      return INFEASIBLE;
    case "generic": {
      const bound = bindings.get(pattern.name);
      if (!bound) {
        bindings.set(pattern.name, a);
        return 1;
      }
      const c = commonType(bound, a);
      if (!c) return INFEASIBLE;
      bindings.set(pattern.name, c);
      return sameType(c, a) ? 1 : 3;
    }
    case "decimal":
      if (a.kind === "decimal") return 0;
      if (isInteger(a)) return 12;
      if (arg.stringLiteral) return 40;
      return INFEASIBLE;
    case "family":
      return a.kind === pattern.kind ? 1 : INFEASIBLE;
    case "list":
      if (a.kind !== "list") return arg.stringLiteral ? 40 : INFEASIBLE;
      return castCost({ type: a.element, stringLiteral: false, lambda: false }, pattern.element, bindings);
    case "map":
      if (a.kind !== "map") return INFEASIBLE;
      return (
        castCost({ type: a.key, stringLiteral: false, lambda: false }, pattern.key, bindings) +
        castCost({ type: a.value, stringLiteral: false, lambda: false }, pattern.value, bindings)
      );
    case "struct": {
      if (a.kind !== "struct" || a.fields.length !== pattern.fields.length) return INFEASIBLE;
      let cost = 0;
      for (let i = 0; i < a.fields.length; i++) cost += castCost({ type: a.fields[i]!.type, stringLiteral: false, lambda: false }, pattern.fields[i]!, bindings);
      return cost;
    }
    case "concrete":
      return concreteCost(arg, pattern.type);
  }
}

function concreteCost(arg: ArgInfo, p: ValueType): number {
  const a = arg.type;
  if (sameType(a, p)) return 0;
  if (p.kind === "interval" || a.kind === "interval") return arg.stringLiteral && p.kind === "interval" ? 20 : INFEASIBLE;
  if (isInteger(a) && isInteger(p)) {
    const d = INT_ORDER.indexOf(p.kind) - INT_ORDER.indexOf(a.kind);
    if (d <= 0) return INFEASIBLE;
    if (a.kind.startsWith("u") !== p.kind.startsWith("u") && !a.kind.startsWith("u")) return INFEASIBLE;
    return d;
  }
  if (isInteger(a) && p.kind === "decimal") return 14;
  if ((isInteger(a) || a.kind === "decimal") && isFloat(p)) return p.kind === "float64" ? 20 : 21;
  if (a.kind === "decimal" && p.kind === "decimal") return 1;
  if (isFloat(a) && isFloat(p)) return p.kind === "float64" ? 1 : INFEASIBLE;
  if ((a.kind === "date32" || a.kind === "date64") && p.kind === "timestamp") return p.timezone ? 7 : 5;
  if (a.kind === "timestamp" && p.kind === "timestamp") return p.timezone && !a.timezone ? 6 : a.timezone && !p.timezone ? INFEASIBLE : 2;
  if (isString(a) && isString(p)) return 1;
  if (arg.stringLiteral && isArrow(p)) return isString(p) ? 0 : 30;
  if (a.kind === "list" && p.kind === "list") return concreteCost({ type: a.element, stringLiteral: false, lambda: false }, p.element);
  if (a.kind === "bool" && isNumeric(p)) return INFEASIBLE;
  return INFEASIBLE;
}

/** The return type of an overload once its generics are bound. */
export function instantiate(pattern: TypePattern, bindings: Bindings, args: readonly ArgInfo[]): ValueType {
  switch (pattern.p) {
    case "concrete":
      return pattern.type;
    case "generic":
      return bindings.get(pattern.name) ?? UNKNOWN_TYPE;
    case "any":
      return bindings.get("T") ?? args.find((x) => !x.lambda)?.type ?? UNKNOWN_TYPE;
    case "decimal": {
      const d = args.map((x) => asDecimal(x.type)).find((x) => x !== null);
      return d ?? decimal(18, 3);
    }
    case "list": {
      if (pattern.element.p === "any") {
        const first = args[0]?.type;
        if (first && first.kind === "list") return first;
        return first && isArrow(first) ? listOf(first) : UNKNOWN_TYPE;
      }
      const e = instantiate(pattern.element, bindings, args);
      return isArrow(e) ? listOf(e) : UNKNOWN_TYPE;
    }
    case "map": {
      const k = instantiate(pattern.key, bindings, args);
      const v = instantiate(pattern.value, bindings, args);
      return isArrow(k) && isArrow(v) && k.kind !== "struct" && k.kind !== "list" && k.kind !== "map" ? mapOf(k as ScalarType, v) : UNKNOWN_TYPE;
    }
    default:
      return UNKNOWN_TYPE;
  }
}

export { isNumeric };
