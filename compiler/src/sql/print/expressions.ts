import type { Expr } from "../ast/nodes.js";
import { isComparisonOp, type BinaryOp } from "../ast/operators.js";
import { PREC } from "../precedence.js";
import type { Printer, PrintTable } from "./printer.js";
import { exprPrecedence, needsParens } from "./precedence.js";

type Kinds = "string" | "number" | "boolean" | "null" | "typedLiteral" | "interval" | "parameter" | "unary" | "binary" | "isTest" | "isDistinctFrom"
  | "between" | "like" | "inList" | "inSubquery" | "quantified" | "exists" | "case" | "whenClause" | "cast" | "extract" | "atTimeZone" | "collate" | "subquery";

/** Prints `e`, parenthesized when it binds less tightly than `min`. */
export function operand(p: Printer, e: Expr, min: number): string {
  const text = p.print(e);
  return exprPrecedence(e, p.d.name) < min ? `(${text})` : text;
}

function binaryOp(op: BinaryOp, p: Printer, e: Expr): string {
  switch (op) {
    case "//":
      if (!p.d.intDiv) p.unsupported(e, "integer division (//)", "use CAST(a / b AS BIGINT) or FLOOR(a / b)");
      return p.d.intDiv ?? "//";
    case "^":
      if (!p.d.power) p.unsupported(e, "the power operator", "use POWER(a, b)");
      return p.d.power ?? "^";
    case "xor":
      if (!p.d.xor) p.unsupported(e, "the bitwise XOR operator", "use XOR(a, b)");
      return p.d.xor ?? "^";
    case "->":
    case "->>":
      p.need("jsonArrows", e, `the JSON operator ${op}`);
      return op;
    case "&":
    case "|":
    case "<<":
    case ">>":
      p.need("bitwise", e, `the bitwise operator ${op}`);
      return op;
    default:
      return op;
  }
}

const ARITH = PREC.OTHER;

export const EXPRESSION_PRINTERS: Pick<PrintTable, Kinds> = {
  string: (n, p) => p.string(n.value),
  number: (n) => n.value,
  boolean: (n) => (n.value ? "TRUE" : "FALSE"),
  null: () => "NULL",
  parameter: (n) => n.name,
  typedLiteral: (n, p) => `${p.print(n.type)} ${p.string(n.value)}`,
  interval: (n, p) => {
    const v = n.value;
    const literal = v.kind === "string" || v.kind === "number" || (v.kind === "unary" && v.operand.kind === "number");
    if (!literal) p.need("intervalExpression", n, "an INTERVAL of a computed value", "multiply: n * INTERVAL '1' DAY");
    const value = literal ? p.print(v) : `(${p.print(v)})`;
    const unit = n.unit ? ` ${n.unit}${n.toUnit ? ` TO ${n.toUnit}` : ""}` : "";
    return `INTERVAL ${value}${unit}`;
  },
  unary: (n, p) => {
    if (n.op === "NOT") return `NOT ${operand(p, n.operand, PREC.NOT)}`;
    if (n.op === "~") p.need("bitwise", n, "the bitwise operator ~");
    const inner = operand(p, n.operand, PREC.UNARY);
    // `- -x` must not become `--x`, a comment.
    return /^[-+]/.test(inner) ? `${n.op} ${inner}` : `${n.op}${inner}`;
  },
  binary: (n, p) => {
    const prec = exprPrecedence(n, p.d.name);
    const wrap = (e: Expr, side: "left" | "right") => (needsParens(e, n.op, prec, side, p.d.name) ? `(${p.print(e)})` : p.print(e));
    const op = isComparisonOp(n.op) || n.op === "AND" || n.op === "OR" ? n.op : binaryOp(n.op, p, n);
    return `${wrap(n.left, "left")} ${op} ${wrap(n.right, "right")}`;
  },
  isTest: (n, p) => `${operand(p, n.expr, ARITH)} IS ${n.negated ? "NOT " : ""}${n.test}`,
  isDistinctFrom: (n, p) => `${operand(p, n.left, ARITH)} IS ${n.negated ? "NOT " : ""}DISTINCT FROM ${operand(p, n.right, ARITH)}`,
  between: (n, p) => {
    if (n.symmetric) p.need("betweenSymmetric", n, "BETWEEN SYMMETRIC");
    return `${operand(p, n.expr, ARITH)} ${n.negated ? "NOT " : ""}BETWEEN ${n.symmetric ? "SYMMETRIC " : ""}${operand(p, n.low, ARITH)} AND ${operand(p, n.high, ARITH)}`;
  },
  like: (n, p) => {
    if (n.op === "GLOB") p.need("glob", n, "GLOB", "use LIKE with % and _");
    if (n.op === "SIMILAR TO") p.need("similarTo", n, "SIMILAR TO", "use a regular-expression function");
    const escape = n.escape ? ` ESCAPE ${operand(p, n.escape, ARITH)}` : "";
    return `${operand(p, n.expr, ARITH)} ${n.negated ? "NOT " : ""}${n.op} ${operand(p, n.pattern, ARITH)}${escape}`;
  },
  inList: (n, p) => `${operand(p, n.expr, ARITH)} ${n.negated ? "NOT " : ""}IN (${p.list(n.items)})`,
  inSubquery: (n, p) => `${operand(p, n.expr, ARITH)} ${n.negated ? "NOT " : ""}IN (${p.print(n.query)})`,
  quantified: (n, p) => `${operand(p, n.left, ARITH)} ${n.op} ${n.quantifier} (${p.print(n.query)})`,
  exists: (n, p) => `EXISTS (${p.print(n.query)})`,
  case: (n, p) => {
    const parts = ["CASE"];
    if (n.operand) parts.push(p.print(n.operand));
    parts.push(p.list(n.whens, " "));
    if (n.else) parts.push(`ELSE ${p.print(n.else)}`);
    parts.push("END");
    return parts.join(" ");
  },
  whenClause: (n, p) => `WHEN ${p.print(n.condition)} THEN ${p.print(n.result)}`,
  cast: (n, p) => `${n.safe ? "TRY_CAST" : "CAST"}(${p.print(n.expr)} AS ${p.print(n.type)})`,
  extract: (n, p) => `EXTRACT(${n.field} FROM ${p.print(n.source)})`,
  atTimeZone: (n, p) => {
    p.need("atTimeZone", n, "AT TIME ZONE", "use from_utc_timestamp / to_utc_timestamp");
    return `${operand(p, n.expr, PREC.POSTFIX)} AT TIME ZONE ${operand(p, n.zone, PREC.ATOM)}`;
  },
  collate: (n, p) => `${operand(p, n.expr, PREC.POSTFIX)} COLLATE ${p.ident(n.collation, "label")}`,
  subquery: (n, p) => `(${p.print(n.query)})`,
};
