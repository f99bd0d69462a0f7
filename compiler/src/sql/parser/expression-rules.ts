import type { IOrAlt } from "../chevrotain.js";
import {
  AndOr, PrefixOp, ArithOp, Arrow, ColLabel, Colon, CompOp, DoubleColon, Dot, Greater, K, LBracket, LParen, NullSafeEq, RBracket, RParen, StringLiteral, Comma,
} from "../lexer/tokens.js";
import { TypeRules } from "./type-rules.js";

/**
 * Expressions by precedence: OR < AND < NOT < predicates (comparisons, IS, IN, BETWEEN, LIKE)
 * < arithmetic < prefix < postfix. AND/OR and arithmetic are flat lists (`a + b * c` is one list
 * of operands and operators) and the AST builder applies precedence: every grammar level costs
 * a rule call and a CST node per operand, so fewer levels parse faster. For the same reason the
 * NOT / predicate level is written out inside `expression`, and the prefix / postfix level inside
 * `arithExpr`: the builder tells the operands apart by their offsets.
 */
export abstract class ExpressionRules extends TypeRules {
  /**
   * `[NOT …] operand [predicate suffixes]` (comparisons, IS, IN, BETWEEN, LIKE), in a flat list
   * joined by AND / OR; the builder gives AND precedence over OR.
   */
  override readonly expression = this.RULE("expression", () => {
    this.MANY(() => this.CONSUME(K.NOT));
    this.SUBRULE(this.arithExpr);
    this.MANY2(() => this.SUBRULE(this.predicateSuffix));
    this.MANY3(() => {
      this.CONSUME(AndOr);
      this.MANY4(() => this.CONSUME2(K.NOT));
      this.SUBRULE2(this.arithExpr);
      this.MANY5(() => this.SUBRULE2(this.predicateSuffix));
    });
  });

  // Alternatives of hot decisions are built once (chevrotain otherwise allocates them per call).
  private predicateAlts: IOrAlt<unknown>[] | undefined;
  private arithAlts: IOrAlt<unknown>[] | undefined;
  private postfixAlts: IOrAlt<unknown>[] | undefined;

  readonly predicateSuffix = this.RULE("predicateSuffix", () => {
    this.OR((this.predicateAlts ??= [
      {
        ALT: () => {
          this.CONSUME(CompOp);
          this.OR2([
            {
              GATE: () => this.is(2, LParen) && this.startsQuery(3),
              ALT: () => {
                this.OR3([{ ALT: () => this.CONSUME(K.ANY) }, { ALT: () => this.CONSUME(K.ALL) }, { ALT: () => this.CONSUME(K.SOME) }]);
                this.CONSUME(LParen);
                this.SUBRULE(this.query);
                this.CONSUME(RParen);
              },
            },
            { ALT: () => this.SUBRULE(this.arithExpr) },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(NullSafeEq);
          this.SUBRULE2(this.arithExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.isSuffix) },
      { ALT: () => this.CONSUME(K.ISNULL) },
      { ALT: () => this.CONSUME(K.NOTNULL) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(K.NOT));
          this.OR4([
            { ALT: () => this.SUBRULE(this.inSuffix) },
            { ALT: () => this.SUBRULE(this.betweenSuffix) },
            { ALT: () => this.SUBRULE(this.likeSuffix) },
          ]);
        },
      },
    ]));
  });

  readonly isSuffix = this.RULE("isSuffix", () => {
    this.CONSUME(K.IS);
    this.OPTION(() => this.CONSUME(K.NOT));
    this.OR([
      { ALT: () => this.CONSUME(K.NULL) },
      { ALT: () => this.CONSUME(K.TRUE) },
      { ALT: () => this.CONSUME(K.FALSE) },
      { ALT: () => this.CONSUME(K.UNKNOWN) },
      {
        ALT: () => {
          this.CONSUME(K.DISTINCT);
          this.CONSUME(K.FROM);
          this.SUBRULE(this.arithExpr);
        },
      },
    ]);
  });

  readonly inSuffix = this.RULE("inSuffix", () => {
    this.CONSUME(K.IN);
    this.CONSUME(LParen);
    this.OR([
      { GATE: () => this.startsQuery(1), ALT: () => this.SUBRULE(this.query) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.expression);
          });
        },
      },
    ]);
    this.CONSUME(RParen);
  });

  readonly betweenSuffix = this.RULE("betweenSuffix", () => {
    this.CONSUME(K.BETWEEN);
    this.OPTION(() => this.CONSUME(K.SYMMETRIC));
    this.SUBRULE(this.arithExpr);
    this.CONSUME(K.AND);
    this.SUBRULE2(this.arithExpr);
  });

  readonly likeSuffix = this.RULE("likeSuffix", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.LIKE) },
      { ALT: () => this.CONSUME(K.ILIKE) },
      { ALT: () => this.CONSUME(K.GLOB) },
      {
        ALT: () => {
          this.CONSUME(K.SIMILAR);
          this.CONSUME(K.TO);
        },
      },
    ]);
    this.SUBRULE(this.arithExpr);
    this.OPTION(() => {
      this.CONSUME(K.ESCAPE);
      this.SUBRULE2(this.arithExpr);
    });
  });

  /**
   * Operands and operators in a flat list; an operand is `prefix-ops primary postfix-ops`. `>>`
   * is two adjacent `>` (so `ARRAY<ARRAY<INT>>` lexes).
   */
  override readonly arithExpr = this.RULE("arithExpr", () => {
    this.MANY(() => this.CONSUME(PrefixOp));
    this.SUBRULE(this.primary);
    this.MANY2(() => this.SUBRULE(this.postfixOp));
    this.MANY3({
      // A lone `>` ends the arithmetic (it is a comparison); two adjacent ones shift.
      GATE: () => !this.is(1, Greater) || this.LA(1).startOffset + 1 === this.LA(2).startOffset,
      DEF: () => {
        this.OR((this.arithAlts ??= [
          { ALT: () => this.CONSUME(ArithOp) },
          { ALT: () => this.CONSUME(K.DIV) },
          { ALT: () => this.CONSUME(Arrow) },
          {
            GATE: () => this.LA(1).startOffset + 1 === this.LA(2).startOffset,
            ALT: () => {
              this.CONSUME(Greater, { LABEL: "ShiftRight" });
              this.CONSUME2(Greater, { LABEL: "ShiftRight" });
            },
          },
        ]));
        this.MANY4(() => this.CONSUME2(PrefixOp));
        this.SUBRULE2(this.primary);
        this.MANY5(() => this.SUBRULE2(this.postfixOp));
      },
    });
  });

  readonly postfixOp = this.RULE("postfixOp", () => {
    this.OR((this.postfixAlts ??= [
      {
        ALT: () => {
          this.CONSUME(DoubleColon);
          this.SUBRULE(this.typeSpec);
        },
      },
      {
        ALT: () => {
          this.CONSUME(LBracket);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(Colon);
                this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "sliceEnd" }));
              },
            },
            {
              ALT: () => {
                this.SUBRULE2(this.expression, { LABEL: "index" });
                this.OPTION2(() => {
                  this.CONSUME2(Colon);
                  this.OPTION3(() => this.SUBRULE3(this.expression, { LABEL: "sliceEnd" }));
                });
              },
            },
          ]);
          this.CONSUME(RBracket);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Dot);
          this.CONSUME(ColLabel);
          this.OPTION4(() => this.SUBRULE(this.callTail));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.COLLATE);
          this.OR3([{ ALT: () => this.CONSUME2(ColLabel) }, { ALT: () => this.CONSUME(StringLiteral) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.AT);
          this.CONSUME(K.TIME);
          this.CONSUME(K.ZONE);
          this.SUBRULE(this.primary);
        },
      },
    ]));
  });
}
