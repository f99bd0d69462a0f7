import type { Expr, Node } from "../ast/nodes.js";
import { isComparisonOp } from "../ast/operators.js";
import type { BaseDialect } from "../dialect.js";
import { arithPrecedence, NON_PORTABLE_OPS, PREC } from "../precedence.js";

/** How tightly a printed expression binds (see ../precedence.ts). */
export function exprPrecedence(e: Node, dialect: BaseDialect): number {
  switch (e.kind) {
    case "binary":
      if (e.op === "OR") return PREC.OR;
      if (e.op === "AND") return PREC.AND;
      if (isComparisonOp(e.op)) return PREC.PREDICATE;
      return arithPrecedence(e.op, dialect);
    case "unary":
      return e.op === "NOT" ? PREC.NOT : PREC.UNARY;
    case "isTest":
    case "isDistinctFrom":
    case "between":
    case "like":
    case "inList":
    case "inSubquery":
    case "quantified":
      return PREC.PREDICATE;
    case "atTimeZone":
    case "collate":
    case "subscript":
    case "slice":
    case "fieldAccess":
    case "methodCall":
      return PREC.POSTFIX;
    case "lambda":
    case "namedArg":
      return 0;
    default:
      return PREC.ATOM;
  }
}

/**
 * Whether `child` must be parenthesized as an operand of a binary operator `op` (precedence
 * `prec`) on `side`. Predicates never chain bare (PostgreSQL-family comparisons are not
 * associative), and operators whose precedence differs between dialects are always grouped.
 */
export function needsParens(child: Expr, op: string, prec: number, side: "left" | "right", dialect: BaseDialect): boolean {
  const cp = exprPrecedence(child, dialect);
  if (cp < prec) return true;
  if (cp === prec && (side === "right" || prec === PREC.PREDICATE)) return true;
  if (prec >= PREC.OTHER && child.kind === "binary" && child.op !== op && (NON_PORTABLE_OPS.has(op) || NON_PORTABLE_OPS.has(child.op)) && cp < PREC.UNARY) return true;
  return false;
}
