import type { OrMethodOpts } from "../chevrotain.js";
import { K, LBrace, LParen, Minus, NumberLit, Parameter, Plus, StringLiteral, TemplateOpen } from "../lexer/tokens.js";
import { ConstructorRules } from "./constructor-rules.js";

/**
 * Primary expressions: the dispatch over literals, special forms, constructors, subqueries,
 * parentheses and names (CallRules). A special form comes before the plain name it could also be.
 */
export abstract class PrimaryRules extends ConstructorRules {
  // The hottest decision: its alternatives are built once, not on every call.
  private primaryOr: OrMethodOpts<unknown> | undefined;

  /**
   * One decision over every kind of primary: literals, special forms, constructors, `(`, and words
   * — a special form whose keyword is also a name (gated on what follows), or a name. Words are
   * alternatives here rather than a rule of their own: a rule level costs a call and a CST node
   * for every name in a query. The lookahead (SqlLookahead) checks the first token against
   * each alternative before calling any gate, so only word alternatives run their gates.
   */
  override readonly primary = this.RULE("primary", () => {
    this.OR((this.primaryOr ??= {
      IGNORE_AMBIGUITIES: true,
      ERR_MSG: "an expression",
      DEF: [
        { ALT: () => this.CONSUME(NumberLit) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(K.TRUE) },
        { ALT: () => this.CONSUME(K.FALSE) },
        { ALT: () => this.CONSUME(K.NULL) },
        { ALT: () => this.CONSUME(Parameter) },
        { ALT: () => this.SUBRULE(this.castExpr) },
        { ALT: () => this.SUBRULE(this.caseExpr) },
        { ALT: () => this.SUBRULE(this.arrayExpr) },
        { ALT: () => this.SUBRULE(this.listLiteral) },
        { ALT: () => this.SUBRULE(this.structLiteral) },
        { ALT: () => this.SUBRULE(this.starExpr) },
        { ALT: () => this.SUBRULE(this.lambdaKeyword) },
        { ALT: () => this.SUBRULE(this.parenPrimary) },
        // Words. Most are plain names: decided by the first gate, without trying the others.
        { GATE: () => this.plainNameAhead(), ALT: () => this.SUBRULE1(this.nameExpr) },
        { GATE: () => this.typedLiteralAhead(), ALT: () => this.SUBRULE(this.typedLiteral) },
        { GATE: () => this.is(1, K.INTERVAL) && this.isAny(2, [StringLiteral, NumberLit, LParen, Minus, Plus]), ALT: () => this.SUBRULE(this.intervalExpr) },
        { GATE: () => this.is(1, K.EXTRACT) && this.is(2, LParen) && this.is(4, K.FROM), ALT: () => this.SUBRULE(this.extractExpr) },
        { GATE: () => this.is(1, K.EXISTS) && this.is(2, LParen), ALT: () => this.SUBRULE(this.existsExpr) },
        { GATE: () => this.is(1, K.MAP) && this.is(2, LBrace), ALT: () => this.SUBRULE(this.mapLiteral) },
        { GATE: () => this.is(1, K.STRUCT) && this.is(2, LParen), ALT: () => this.SUBRULE(this.structCall) },
        { GATE: () => this.is(1, K.COLUMNS) && this.is(2, LParen), ALT: () => this.SUBRULE(this.columnsExpr) },
        { GATE: () => this.is(1, K.SUBSTRING) && this.is(2, LParen), ALT: () => this.SUBRULE(this.substringExpr) },
        { GATE: () => this.is(1, K.TRIM) && this.is(2, LParen), ALT: () => this.SUBRULE(this.trimExpr) },
        { GATE: () => this.is(1, K.POSITION) && this.is(2, LParen), ALT: () => this.SUBRULE(this.positionExpr) },
        { ALT: () => this.SUBRULE2(this.nameExpr) },
        // Never valid; listed so that a leftover `{{` gets a message of its own (see parse.ts).
        { ALT: () => this.CONSUME(TemplateOpen) },
      ],
    }));
  });

  /** `(query)`, `(x)`, `(a, b)` or `()`. */
  readonly parenPrimary = this.RULE("parenPrimary", () => {
    this.OR([
      { GATE: () => this.startsQuery(2), ALT: () => this.SUBRULE(this.subqueryExpr) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
    ]);
  });

  declare readonly nameExpr: import("./base.js").Rule;
}
