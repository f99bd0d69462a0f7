import type { Expr } from "./nodes.js";
import { freeze, NO_RANGE, type Range } from "./node.js";

export type UnaryOp = "-" | "+" | "~" | "NOT";

/**
 * Binary operators by meaning, not spelling: `^` is power (DuckDB's `^` and `**`), `xor` is
 * bitwise exclusive or (Spark's `^`), `//` is integer division (DuckDB `//`, Spark `DIV`);
 * `!=` and `==` are read as `<>` and `=`.
 */
export const COMPARISON_OPS = ["=", "<>", "<", ">", "<=", ">="] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export type ArithmeticOp = "+" | "-" | "*" | "/" | "//" | "%" | "^" | "||" | "&" | "|" | "xor" | "<<" | ">>" | "->" | "->>";
export type BinaryOp = ArithmeticOp | ComparisonOp | "AND" | "OR";

export interface Unary {
  readonly kind: "unary";
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly range: Range;
}

export interface Binary {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly range: Range;
}

export function unary(op: UnaryOp, operand: Expr, r: Range = NO_RANGE): Unary {
  return freeze({ kind: "unary", op, operand, range: r });
}

export function binary(op: BinaryOp, left: Expr, right: Expr, r: Range = NO_RANGE): Binary {
  return freeze({ kind: "binary", op, left, right, range: r });
}

export function isComparisonOp(op: string): op is ComparisonOp {
  return (COMPARISON_OPS as readonly string[]).includes(op);
}
