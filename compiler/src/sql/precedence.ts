import type { ArithmeticOp } from "./ast/operators.js";
import type { BaseDialect } from "./dialect.js";

/**
 * Binding strength of operators, shared by the AST builder (reading) and the printers (deciding
 * parentheses). Higher binds tighter. Arithmetic follows PostgreSQL/DuckDB, where `||`, bitwise
 * and JSON operators share one level below `+`; Spark orders the bitwise operators among
 * themselves and puts `||` with `+`.
 */
export const PREC = {
  OR: 10,
  AND: 20,
  NOT: 30,
  PREDICATE: 40,
  OTHER: 50,
  ADD: 60,
  MUL: 70,
  POW: 80,
  UNARY: 90,
  POSTFIX: 100,
  ATOM: 110,
} as const;

const STANDARD: Readonly<Record<ArithmeticOp, number>> = {
  "||": PREC.OTHER, "&": PREC.OTHER, "|": PREC.OTHER, xor: PREC.OTHER, "<<": PREC.OTHER, ">>": PREC.OTHER, "->": PREC.OTHER, "->>": PREC.OTHER,
  "+": PREC.ADD, "-": PREC.ADD,
  "*": PREC.MUL, "/": PREC.MUL, "//": PREC.MUL, "%": PREC.MUL,
  "^": PREC.POW,
};

const SPARK: Readonly<Record<ArithmeticOp, number>> = {
  ...STANDARD,
  "|": PREC.OTHER, xor: PREC.OTHER + 1, "&": PREC.OTHER + 2, "<<": PREC.OTHER + 3, ">>": PREC.OTHER + 3,
  "||": PREC.ADD,
};

export function arithPrecedence(op: ArithmeticOp, dialect: BaseDialect): number {
  return (dialect === "spark" ? SPARK : STANDARD)[op];
}

/** Operators whose precedence differs between dialects: printed in parentheses when nested. */
export const NON_PORTABLE_OPS: ReadonlySet<string> = new Set(["||", "&", "|", "xor", "<<", ">>", "->", "->>"]);
