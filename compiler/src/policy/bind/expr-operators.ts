/** Binding operators with type rules of their own: binary operators (comparisons, arithmetic, …) and CASE. */
import { type Expr, binary, caseExpr, whenClause } from "../../sql/index.js";
import { type Bound, type ExprCtx, checkComparable, combine } from "./bound.js";
import { bindExpr } from "./expressions.js";
import type { BinderState } from "./state.js";
import { type ValueType, BOOL, FLOAT64, NULL_TYPE, UNKNOWN_TYPE, UTF8, arithmeticType, commonType, describeType, isInteger } from "./value-type.js";

const COMPARISONS = new Set(["=", "<>", "<", ">", "<=", ">="]);

export function bindBinary(state: BinderState, e: Extract<Expr, { kind: "binary" }>, ctx: ExprCtx): Bound {
  const l = bindExpr(state, e.left, ctx);
  const r = bindExpr(state, e.right, ctx);
  const expr = binary(e.op, l.expr, r.expr, e.range);
  const nullable = l.nullable || r.nullable;
  if (e.op === "AND" || e.op === "OR") return combine(expr, BOOL, nullable, l, r);
  if (COMPARISONS.has(e.op)) {
    checkComparable(state, l, r, e, e.op);
    if (e.op === "=" && (ctx.clause === "on" || ctx.clause === "where") && e.left.kind === "column" && e.right.kind === "column" && l.expr.kind === "column" && r.expr.kind === "column" && l.expr.path[0]!.name !== r.expr.path[0]!.name) {
      state.addJoinKeys(l.deps);
      state.addJoinKeys(r.deps);
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

export function bindCase(state: BinderState, e: Extract<Expr, { kind: "case" }>, ctx: ExprCtx): Bound {
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
