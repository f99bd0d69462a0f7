import type { IToken } from "../chevrotain.js";
import type { SqlCst as CstNode } from "../parser/cst.js";
import { call, lambda } from "../ast/calls.js";
import { arrayLiteral, mapEntry, mapLiteral, structField, structLiteral, tuple, type MapEntry, type StructField } from "../ast/constructors.js";
import { identifier } from "../ast/identifiers.js";
import { booleanLiteral, interval, nullLiteral, numberLiteral, parameter, stringLiteral, typedLiteral, type IntervalUnit } from "../ast/literals.js";
import type { Expr } from "../ast/nodes.js";
import { unary } from "../ast/operators.js";
import { exists } from "../ast/predicates.js";
import type { Query } from "../ast/queries.js";
import { columnsExpr } from "../ast/references.js";
import { caseExpr, cast, extract, subquery, whenClause, type WhenClause } from "../ast/scalar.js";
import { typeName } from "../ast/types.js";
import { range } from "../ast/node.js";
import type { Ctx } from "./base.js";
import { ExpressionBuilder } from "./expression-builder.js";
import { decodeString } from "./strings.js";
import { canonicalTypeName } from "./type-names.js";

const TOKEN_PRIMARIES = ["NumberLit", "StringLiteral", "TRUE", "FALSE", "NULL", "Parameter", "TemplateOpen"] as const;

/** Literals, special forms, constructors, subqueries and parentheses. */
export abstract class PrimaryBuilder extends ExpressionBuilder {
  /** A primary holds exactly one child: a token of TOKEN_PRIMARIES or a rule node. */
  primary(ctx: Ctx): Expr {
    const key = ctx.firstKey();
    if (key === null) throw new Error("internal: empty primary");
    if ((TOKEN_PRIMARIES as readonly string[]).includes(key)) return this.tokenPrimary(key as (typeof TOKEN_PRIMARIES)[number], this.needToken(ctx, key));
    // A bare [ … ] is a list value; the rule itself yields the items (ARRAY[…] reuses it).
    if (key === "listLiteral") return this.listValue(this.need(ctx, key));
    return this.expr(this.need(ctx, key));
  }

  parenPrimary(ctx: Ctx): Expr {
    return this.expr(this.node(ctx, "subqueryExpr") ?? this.need(ctx, "parenExpr"));
  }

  private tokenPrimary(key: (typeof TOKEN_PRIMARIES)[number], t: IToken): Expr {
    const r = this.tokenRange(t);
    switch (key) {
      case "NumberLit":
        return numberLiteral(t.image, r);
      case "StringLiteral":
        return stringLiteral(decodeString(t), r);
      case "TRUE":
      case "FALSE":
        return booleanLiteral(key === "TRUE", r);
      case "NULL":
        return nullLiteral(r);
      case "Parameter":
        return parameter(t.image, r);
      case "TemplateOpen":
        this.report("template placeholder left in the query", r);
        return nullLiteral(r);
    }
  }

  typedLiteral(ctx: Ctx): Expr {
    const word = this.needToken(ctx, "FuncName");
    const written = this.has(ctx, "ZONE") ? `${word.image} WITH TIME ZONE` : word.image;
    const type = typeName(canonicalTypeName(written, this.dialect), [], this.tokenRange(word));
    return typedLiteral(type, decodeString(this.needToken(ctx, "StringLiteral")), this.here);
  }

  intervalExpr(ctx: Ctx): Expr {
    const str = this.token(ctx, "StringLiteral");
    const num = this.token(ctx, "NumberLit");
    let value: Expr;
    if (str) value = stringLiteral(decodeString(str), this.tokenRange(str));
    else if (num) {
      value = numberLiteral(num.image, this.tokenRange(num));
      const sign = this.token(ctx, "Minus") ?? this.token(ctx, "Plus");
      if (sign) value = unary(sign.image === "-" ? "-" : "+", value, range(sign.startOffset, value.range.end));
    } else value = this.expr(this.need(ctx, "expression"));
    const [unit, toUnit] = this.tokens(ctx, "unit").map((t) => canonicalUnit(t.image));
    return interval(value, unit ?? null, toUnit ?? null, this.here);
  }

  castExpr(ctx: Ctx): Expr {
    return cast(this.expr(this.need(ctx, "expression")), this.type(this.need(ctx, "typeSpec")), this.has(ctx, "TRY_CAST"), this.here);
  }

  extractExpr(ctx: Ctx): Expr {
    return extract(this.ident(this.needToken(ctx, "ColLabel")).name.toUpperCase(), this.expr(this.need(ctx, "expression")), this.here);
  }

  caseExpr(ctx: Ctx): Expr {
    const operand = this.node(ctx, "operand");
    const elseNode = this.node(ctx, "else");
    const whens = this.nodes(ctx, "whenClause").map((n) => this.build<WhenClause>(n));
    return caseExpr(operand ? this.expr(operand) : null, whens, elseNode ? this.expr(elseNode) : null, this.here);
  }

  whenClause(ctx: Ctx): WhenClause {
    const [condition, result] = this.exprs(ctx, "expression");
    return whenClause(condition!, result!, this.here);
  }

  existsExpr(ctx: Ctx): Expr {
    return exists(this.build<Query>(this.need(ctx, "query")), this.here);
  }

  arrayExpr(ctx: Ctx): Expr {
    const listNode = this.node(ctx, "listLiteral");
    if (listNode) return arrayLiteral(this.build<Expr[]>(listNode), this.here);
    const q = this.node(ctx, "query");
    const name = this.ident(this.needToken(ctx, "ARRAY"));
    if (q) return call([name], [subquery(this.build<Query>(q), this.rangeOf(q))], {}, this.here);
    return arrayLiteral(this.build<Expr[]>(this.need(ctx, "exprList")), this.here);
  }

  listLiteral(ctx: Ctx): Expr[] {
    return this.exprs(ctx, "expression");
  }

  exprList(ctx: Ctx): Expr[] {
    return this.exprs(ctx, "expression");
  }

  structLiteral(ctx: Ctx): Expr {
    return structLiteral(this.nodes(ctx, "structEntry").map((n) => this.build<StructField>(n)), this.here);
  }

  structEntry(ctx: Ctx): StructField {
    const str = this.token(ctx, "StringLiteral");
    const name = str ? identifier(decodeString(str), true, this.tokenRange(str)) : this.ident(this.needToken(ctx, "ColLabel"));
    return structField(name, this.expr(this.need(ctx, "expression")), this.here);
  }

  mapLiteral(ctx: Ctx): Expr {
    return mapLiteral(this.nodes(ctx, "mapEntry").map((n) => this.build<MapEntry>(n)), this.here);
  }

  mapEntry(ctx: Ctx): MapEntry {
    const [key, value] = this.exprs(ctx, "expression");
    return mapEntry(key!, value!, this.here);
  }

  structCall(ctx: Ctx): Expr {
    return structLiteral(this.nodes(ctx, "structCallField").map((n) => this.build<StructField>(n)), this.here);
  }

  structCallField(ctx: Ctx): StructField {
    const alias = this.token(ctx, "ColLabel");
    return structField(alias ? this.ident(alias) : null, this.expr(this.need(ctx, "expression")), this.here);
  }

  columnsExpr(ctx: Ctx): Expr {
    return columnsExpr(this.expr(this.node(ctx, "lambdaExpr") ?? this.need(ctx, "expression")), this.here);
  }

  /** SUBSTRING(x FROM a FOR b) is SUBSTRING(x, a, b); FOR alone starts at 1. */
  substringExpr(ctx: Ctx): Expr {
    const args = [this.expr(this.need(ctx, "expression"))];
    const from = this.node(ctx, "from");
    const forNode = this.node(ctx, "for");
    if (from || forNode) args.push(from ? this.expr(from) : numberLiteral("1"));
    if (forNode) args.push(this.expr(forNode));
    args.push(...this.exprs(ctx, "rest"));
    return call([this.ident(this.needToken(ctx, "SUBSTRING"))], args, {}, this.here);
  }

  /** TRIM(LEADING c FROM x) is LTRIM(x, c); TRIM(c FROM x) is TRIM(x, c). */
  trimExpr(ctx: Ctx): Expr {
    const first = this.node(ctx, "first");
    const from = this.node(ctx, "from");
    const kw = this.needToken(ctx, "TRIM");
    const side = this.has(ctx, "LEADING") ? "LTRIM" : this.has(ctx, "TRAILING") ? "RTRIM" : "TRIM";
    if (!from) {
      if (side !== "TRIM" || this.has(ctx, "BOTH") || !first) this.report("expected FROM in TRIM", this.here);
      return call([this.ident(kw)], [...(first ? [this.expr(first)] : []), ...this.exprs(ctx, "rest")], {}, this.here);
    }
    // LTRIM/RTRIM take the case of the TRIM keyword, so `trim(leading …)` round-trips as ltrim.
    const lower = kw.image === kw.image.toLowerCase();
    const name = side === "TRIM" ? this.ident(kw) : identifier(lower ? side.toLowerCase() : side, false, this.tokenRange(kw));
    return call([name], [this.expr(from), ...(first ? [this.expr(first)] : [])], {}, this.here);
  }

  positionExpr(ctx: Ctx): Expr {
    const args = [...this.exprs(ctx, "arithExpr"), ...this.exprs(ctx, "expression")];
    return call([this.ident(this.needToken(ctx, "POSITION"))], args, {}, this.here);
  }

  lambdaExpr(ctx: Ctx): Expr {
    const keyword = this.node(ctx, "lambdaKeyword");
    if (keyword) return this.expr(keyword);
    return lambda(this.idents(ctx, "ColId"), this.expr(this.need(ctx, "expression")), this.here);
  }

  lambdaKeyword(ctx: Ctx): Expr {
    return lambda(this.idents(ctx, "ColId"), this.expr(this.need(ctx, "expression")), this.here);
  }

  subqueryExpr(ctx: Ctx): Expr {
    return subquery(this.build<Query>(this.need(ctx, "query")), this.here);
  }

  parenExpr(ctx: Ctx): Expr {
    const items = this.build<Expr[]>(this.need(ctx, "exprList"));
    return items.length === 1 ? items[0]! : tuple(items, this.here);
  }

  protected listValue(n: CstNode): Expr {
    return arrayLiteral(this.build<Expr[]>(n), this.rangeOf(n));
  }
}

function canonicalUnit(word: string): IntervalUnit {
  const w = word.toUpperCase();
  const irregular: Record<string, IntervalUnit> = { MILLENNIA: "MILLENNIUM", CENTURIES: "CENTURY" };
  return (irregular[w] ?? (w.endsWith("S") ? w.slice(0, -1) : w)) as IntervalUnit;
}
