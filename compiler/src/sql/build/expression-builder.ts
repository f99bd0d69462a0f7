import type { IToken } from "../chevrotain.js";
import { binary, unary, type ArithmeticOp, type ComparisonOp, type UnaryOp } from "../ast/operators.js";
import { between, inList, inSubquery, isDistinctFrom, isTest, like, quantified, type LikeOp } from "../ast/predicates.js";
import { atTimeZone, cast, collate } from "../ast/scalar.js";
import { fieldAccess, slice, subscript } from "../ast/references.js";
import { methodCall } from "../ast/calls.js";
import { identifier } from "../ast/identifiers.js";
import { range, span } from "../ast/node.js";
import type { Expr } from "../ast/nodes.js";
import type { Query } from "../ast/queries.js";
import { arithPrecedence } from "../precedence.js";
import type { Ctx } from "./base.js";
import { decodeString } from "./strings.js";
import { TypeBuilder } from "./type-builder.js";
import type { CallTail } from "./call-tail.js";

/** A predicate or postfix operator waiting for its left operand. */
export type Suffix = (left: Expr) => Expr;
type NegatableSuffix = (left: Expr, negated: boolean) => Expr;

const COMPARISONS: Readonly<Record<string, ComparisonOp>> = { "=": "=", "==": "=", "<>": "<>", "!=": "<>", "<": "<", ">": ">", "<=": "<=", ">=": ">=" };

/** Boolean, predicate, arithmetic and postfix levels of expressions. */
export abstract class ExpressionBuilder extends TypeBuilder {
  /**
   * Operands `[NOT …] arith [suffixes]` told apart by offset (the grammar lists them flat), then
   * AND binds tighter than OR: the list is split at each OR and each run folded with AND.
   */
  expression(ctx: Ctx): Expr {
    const ariths = this.nodes(ctx, "arithExpr");
    const ops = this.tokens(ctx, "AndOr");
    const nots = this.tokens(ctx, "NOT");
    const suffixes = this.nodes(ctx, "predicateSuffix");
    // the common case, a lone operand, without the bookkeeping below
    if (ops.length === 0 && nots.length === 0 && suffixes.length === 0) return this.expr(ariths[0]!);
    let n = 0;
    let s = 0;
    const operand = (i: number): Expr => {
      const start = ariths[i]!.startOffset;
      const end = i < ops.length ? ops[i]!.startOffset : Infinity;
      const from = n;
      while (n < nots.length && nots[n]!.startOffset < start) n++;
      let e = this.expr(ariths[i]!);
      while (s < suffixes.length && suffixes[s]!.startOffset < end) e = this.build<Suffix>(suffixes[s++]!)(e);
      for (let k = n - 1; k >= from; k--) e = unary("NOT", e, range(nots[k]!.startOffset, e.range.end));
      return e;
    };
    if (ops.length === 0) return operand(0);
    const runs: Expr[] = [];
    let and = operand(0);
    for (let i = 0; i < ops.length; i++) {
      const next = operand(i + 1);
      if (ops[i]!.image.toUpperCase() === "AND") and = binary("AND", and, next, span(and.range, next.range));
      else {
        runs.push(and);
        and = next;
      }
    }
    runs.push(and);
    return runs.reduce((a, b) => binary("OR", a, b, span(a.range, b.range)));
  }

  predicateSuffix(ctx: Ctx): Suffix {
    const here = this.here;
    const at = (left: Expr) => span(left.range, here);
    const comp = this.token(ctx, "CompOp");
    if (comp) {
      const op = COMPARISONS[comp.image] ?? "=";
      const q = this.node(ctx, "query");
      if (q) {
        const quant = this.has(ctx, "ALL") ? "ALL" : "ANY";
        const query = this.build<Query>(q);
        return (left) => quantified(op, quant, left, query, at(left));
      }
      const right = this.expr(this.need(ctx, "arithExpr"));
      return (left) => binary(op, left, right, at(left));
    }
    if (this.has(ctx, "NullSafeEq")) {
      const right = this.expr(this.need(ctx, "arithExpr"));
      return (left) => isDistinctFrom(left, right, true, at(left));
    }
    if (this.has(ctx, "ISNULL")) return (left) => isTest(left, "NULL", false, at(left));
    if (this.has(ctx, "NOTNULL")) return (left) => isTest(left, "NULL", true, at(left));
    const isNode = this.node(ctx, "isSuffix");
    if (isNode) return this.build<Suffix>(isNode);
    const negated = this.has(ctx, "NOT");
    const inner = this.node(ctx, "inSuffix") ?? this.node(ctx, "betweenSuffix") ?? this.need(ctx, "likeSuffix");
    const f = this.build<NegatableSuffix>(inner);
    return (left) => f(left, negated);
  }

  isSuffix(ctx: Ctx): Suffix {
    const here = this.here;
    const negated = this.has(ctx, "NOT");
    const operand = this.node(ctx, "arithExpr");
    if (operand) {
      const right = this.expr(operand);
      return (left) => isDistinctFrom(left, right, negated, span(left.range, here));
    }
    const test = this.has(ctx, "NULL") ? "NULL" : this.has(ctx, "TRUE") ? "TRUE" : this.has(ctx, "FALSE") ? "FALSE" : "UNKNOWN";
    return (left) => isTest(left, test, negated, span(left.range, here));
  }

  inSuffix(ctx: Ctx): NegatableSuffix {
    const here = this.here;
    const q = this.node(ctx, "query");
    if (q) {
      const query = this.build<Query>(q);
      return (left, negated) => inSubquery(left, query, negated, span(left.range, here));
    }
    const items = this.exprs(ctx, "expression");
    return (left, negated) => inList(left, items, negated, span(left.range, here));
  }

  betweenSuffix(ctx: Ctx): NegatableSuffix {
    const here = this.here;
    const [low, high] = this.exprs(ctx, "arithExpr");
    const symmetric = this.has(ctx, "SYMMETRIC");
    return (left, negated) => between(left, low!, high!, negated, symmetric, span(left.range, here));
  }

  likeSuffix(ctx: Ctx): NegatableSuffix {
    const here = this.here;
    const op: LikeOp = this.has(ctx, "ILIKE") ? "ILIKE" : this.has(ctx, "GLOB") ? "GLOB" : this.has(ctx, "SIMILAR") ? "SIMILAR TO" : "LIKE";
    const [pattern, escape] = this.exprs(ctx, "arithExpr");
    return (left, negated) => like(op, left, pattern!, escape ?? null, negated, span(left.range, here));
  }

  /**
   * Operands `prefix-ops primary postfix-ops` told apart by offset (the grammar lists them flat),
   * then operator precedence over the list of operands and operators.
   */
  arithExpr(ctx: Ctx): Expr {
    const primaries = this.nodes(ctx, "primary");
    const prefixes = this.tokens(ctx, "PrefixOp");
    const postfixes = this.nodes(ctx, "postfixOp");
    // the common case, a lone primary, without the bookkeeping below
    if (primaries.length === 1 && prefixes.length === 0 && postfixes.length === 0) return this.expr(primaries[0]!);
    const shifts = primaries.length === 1 ? [] : this.tokens(ctx, "ShiftRight").filter((_, i) => i % 2 === 0);
    const opTokens = primaries.length === 1 ? [] : [...this.tokens(ctx, "ArithOp"), ...this.tokens(ctx, "DIV"), ...this.tokens(ctx, "Arrow"), ...shifts].sort((a, b) => a.startOffset - b.startOffset);
    let p = 0;
    let q = 0;
    const operands = primaries.map((primary, i) => {
      const start = primary.startOffset;
      const end = i < opTokens.length ? opTokens[i]!.startOffset : Infinity;
      const from = p;
      while (p < prefixes.length && prefixes[p]!.startOffset < start) p++;
      let e = this.expr(primary);
      while (q < postfixes.length && postfixes[q]!.startOffset < end) e = this.build<Suffix>(postfixes[q++]!)(e);
      for (let k = p - 1; k >= from; k--) e = unary(prefixes[k]!.image as UnaryOp, e, range(prefixes[k]!.startOffset, e.range.end));
      return e;
    });
    if (operands.length === 1) return operands[0]!;
    const ops = opTokens.map((t) => {
      const op = shifts.includes(t) ? ">>" : this.arithOp(t);
      return { op, prec: arithPrecedence(op, this.dialect) };
    });
    let i = 0;
    const climb = (minPrec: number): Expr => {
      let left = operands[i]!;
      while (i < ops.length && ops[i]!.prec >= minPrec) {
        const { op, prec } = ops[i++]!;
        const right = climb(prec + 1);
        left = binary(op, left, right, span(left.range, right.range));
      }
      return left;
    };
    return climb(0);
  }

  private arithOp(t: IToken): ArithmeticOp {
    switch (t.image.toUpperCase()) {
      case "**":
        return "^";
      case "^":
        return this.dialect === "spark" ? "xor" : "^";
      case "DIV":
        return "//";
      default:
        return t.image as ArithmeticOp;
    }
  }

  postfixOp(ctx: Ctx): Suffix {
    const here = this.here;
    const at = (left: Expr) => span(left.range, here);
    const type = this.node(ctx, "typeSpec");
    if (type) {
      const t = this.type(type);
      return (left) => cast(left, t, false, at(left));
    }
    if (this.has(ctx, "LBracket")) {
      const index = this.node(ctx, "index");
      const start = index ? this.expr(index) : null;
      const endNode = this.node(ctx, "sliceEnd");
      const end = endNode ? this.expr(endNode) : null;
      if (this.has(ctx, "Colon")) return (left) => slice(left, start, end, at(left));
      return (left) => subscript(left, start!, at(left));
    }
    if (this.has(ctx, "Dot")) {
      const name = this.ident(this.needToken(ctx, "ColLabel"));
      const tail = this.node(ctx, "callTail");
      if (!tail) return (left) => fieldAccess(left, name, at(left));
      const call = this.build<CallTail>(tail);
      if (call.parts.distinct || call.parts.over || call.parts.filter || call.parts.withinGroup || (call.parts.orderBy?.length ?? 0) > 0) {
        this.report("a method call takes plain arguments only", here, "write it as a function call: f(x, …)");
      }
      return (left) => methodCall(left, name, call.args, at(left));
    }
    if (this.has(ctx, "COLLATE")) {
      const str = this.token(ctx, "StringLiteral");
      const name = str ? identifier(decodeString(str), true, this.tokenRange(str)) : this.ident(this.needToken(ctx, "ColLabel"));
      return (left) => collate(left, name, at(left));
    }
    const zone = this.expr(this.need(ctx, "primary"));
    return (left) => atTimeZone(left, zone, at(left));
  }
}
