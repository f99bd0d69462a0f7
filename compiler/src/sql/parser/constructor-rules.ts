import { Arrow, ColId, ColLabel, Colon, Comma, K, LBrace, LBracket, LParen, RBrace, RBracket, RParen, Star, StringLiteral } from "../lexer/tokens.js";
import { SpecialFormRules } from "./special-rules.js";

/** Value constructors (lists, structs, maps, rows), EXISTS, stars, lambdas, subqueries and parentheses. */
export abstract class ConstructorRules extends SpecialFormRules {
  readonly existsExpr = this.RULE("existsExpr", () => {
    this.CONSUME(K.EXISTS);
    this.CONSUME(LParen);
    this.SUBRULE(this.query);
    this.CONSUME(RParen);
  });

  /** `ARRAY[…]`, `ARRAY(SELECT …)` (a call with a subquery) and Spark's `ARRAY(…)`. */
  readonly arrayExpr = this.RULE("arrayExpr", () => {
    this.CONSUME(K.ARRAY);
    this.OR([
      { ALT: () => this.SUBRULE(this.listLiteral) },
      {
        GATE: () => this.startsQuery(2),
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.query);
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.exprList) },
    ]);
  });

  readonly listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(RBracket);
  });

  /** `( [expr, …] )`. */
  readonly exprList = this.RULE("exprList", () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(RParen);
  });

  /** DuckDB `{'a': 1, b: 2}`. */
  readonly structLiteral = this.RULE("structLiteral", () => {
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.structEntry);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.structEntry);
      });
    });
    this.CONSUME(RBrace);
  });

  readonly structEntry = this.RULE("structEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.CONSUME(ColLabel) }]);
    this.CONSUME(Colon);
    this.SUBRULE(this.expression);
  });

  /** DuckDB `MAP {k: v, …}`. */
  readonly mapLiteral = this.RULE("mapLiteral", () => {
    this.CONSUME(K.MAP);
    this.CONSUME(LBrace);
    this.OPTION(() => {
      this.SUBRULE(this.mapEntry);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.mapEntry);
      });
    });
    this.CONSUME(RBrace);
  });

  readonly mapEntry = this.RULE("mapEntry", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(Colon);
    this.SUBRULE2(this.expression);
  });

  /** Spark `STRUCT(x, y AS b)`. */
  readonly structCall = this.RULE("structCall", () => {
    this.CONSUME(K.STRUCT);
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.structCallField);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.structCallField);
      });
    });
    this.CONSUME(RParen);
  });

  readonly structCallField = this.RULE("structCallField", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(K.AS);
      this.CONSUME(ColLabel);
    });
  });

  readonly columnsExpr = this.RULE("columnsExpr", () => {
    this.CONSUME(K.COLUMNS);
    this.CONSUME(LParen);
    this.OR([{ GATE: () => this.lambdaAhead(), ALT: () => this.SUBRULE(this.lambdaExpr) }, { ALT: () => this.SUBRULE(this.expression) }]);
    this.CONSUME(RParen);
  });

  readonly starExpr = this.RULE("starExpr", () => {
    this.CONSUME(Star);
    this.SUBRULE(this.starModifiers);
  });

  /** `x -> body` or `(a, b) -> body` (only where an argument is expected), or `lambda a, b: body`. */
  readonly lambdaExpr = this.RULE("lambdaExpr", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.lambdaKeyword) },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(ColId) },
            {
              ALT: () => {
                this.CONSUME(LParen);
                this.CONSUME2(ColId);
                this.MANY(() => {
                  this.CONSUME(Comma);
                  this.CONSUME3(ColId);
                });
                this.CONSUME(RParen);
              },
            },
          ]);
          this.CONSUME(Arrow);
          this.SUBRULE(this.expression);
        },
      },
    ]);
  });

  /** DuckDB's `lambda a, b: body`. */
  readonly lambdaKeyword = this.RULE("lambdaKeyword", () => {
    this.CONSUME(K.LAMBDA);
    this.CONSUME(ColId);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(ColId);
    });
    this.CONSUME(Colon);
    this.SUBRULE(this.expression);
  });

  readonly subqueryExpr = this.RULE("subqueryExpr", () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.query);
    this.CONSUME(RParen);
  });

  /** `(x)` (the value itself), `(a, b)` (a tuple) or `()` (the empty grouping set). */
  readonly parenExpr = this.RULE("parenExpr", () => {
    this.SUBRULE(this.exprList);
  });
}
