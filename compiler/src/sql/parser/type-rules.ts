import { ColLabel, Colon, Comma, FuncName, Greater, K, LBracket, Less, LParen, NumberLit, RBracket, RParen } from "../lexer/tokens.js";
import { SqlParserBase } from "./base.js";

/**
 * Types, as written after CAST … AS and `::`: `INT`, `DECIMAL(18, 4)`, `DOUBLE PRECISION`,
 * `TIMESTAMP WITH TIME ZONE`, DuckDB `INT[]`, `STRUCT(a INT)`, `MAP(K, V)` and Spark
 * `ARRAY<INT>`, `MAP<K, V>`, `STRUCT<a: INT>`.
 */
export abstract class TypeRules extends SqlParserBase {
  override readonly typeSpec = this.RULE("typeSpec", () => {
    this.OR([
      { GATE: () => this.is(2, Less) && (this.is(1, K.ARRAY) || this.is(1, K.MAP) || this.is(1, K.STRUCT)), ALT: () => this.SUBRULE(this.angleType) },
      { GATE: () => this.is(2, LParen) && (this.is(1, K.STRUCT) || this.is(1, K.ROW)), ALT: () => this.SUBRULE(this.structTypeParens) },
      { GATE: () => this.is(2, LParen) && this.is(1, K.MAP), ALT: () => this.SUBRULE(this.mapTypeParens) },
      { ALT: () => this.SUBRULE(this.simpleType) },
    ]);
    this.MANY(() => {
      this.CONSUME(LBracket);
      this.OPTION(() => this.CONSUME(NumberLit));
      this.CONSUME(RBracket);
    });
  });

  readonly angleType = this.RULE("angleType", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.ARRAY);
          this.CONSUME1(Less);
          this.SUBRULE1(this.typeSpec);
          this.CONSUME1(Greater);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.MAP);
          this.CONSUME2(Less);
          this.SUBRULE2(this.typeSpec);
          this.CONSUME(Comma);
          this.SUBRULE3(this.typeSpec);
          this.CONSUME2(Greater);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.STRUCT);
          this.CONSUME3(Less);
          this.OPTION(() => {
            this.SUBRULE(this.structTypeField);
            this.MANY(() => {
              this.CONSUME2(Comma);
              this.SUBRULE2(this.structTypeField);
            });
          });
          this.CONSUME3(Greater);
        },
      },
    ]);
  });

  /** `name type` or Spark's `name: type`. */
  readonly structTypeField = this.RULE("structTypeField", () => {
    this.CONSUME(ColLabel);
    this.OPTION(() => this.CONSUME(Colon));
    this.SUBRULE(this.typeSpec);
  });

  readonly structTypeParens = this.RULE("structTypeParens", () => {
    this.OR([{ ALT: () => this.CONSUME(K.STRUCT) }, { ALT: () => this.CONSUME(K.ROW) }]);
    this.CONSUME(LParen);
    this.SUBRULE(this.structTypeField);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.structTypeField);
    });
    this.CONSUME(RParen);
  });

  readonly mapTypeParens = this.RULE("mapTypeParens", () => {
    this.CONSUME(K.MAP);
    this.CONSUME(LParen);
    this.SUBRULE(this.typeSpec);
    this.CONSUME(Comma);
    this.SUBRULE2(this.typeSpec);
    this.CONSUME(RParen);
  });

  readonly simpleType = this.RULE("simpleType", () => {
    this.CONSUME(FuncName);
    // The second word of DOUBLE PRECISION / CHARACTER VARYING; a gate, so that `x::double y`
    // still reads y as an alias.
    this.OPTION({ GATE: () => ["PRECISION", "VARYING"].includes(this.word(1)), DEF: () => this.CONSUME2(FuncName) });
    this.OPTION2({
      GATE: () => (this.is(1, K.WITH) || this.is(1, K.WITHOUT)) && this.is(2, K.TIME) && this.is(3, K.ZONE),
      DEF: () => {
        this.OR([{ ALT: () => this.CONSUME(K.WITH) }, { ALT: () => this.CONSUME(K.WITHOUT) }]);
        this.CONSUME(K.TIME);
        this.CONSUME(K.ZONE);
      },
    });
    this.OPTION3(() => {
      this.CONSUME(LParen);
      this.CONSUME(NumberLit);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.CONSUME2(NumberLit);
      });
      this.CONSUME(RParen);
    });
  });
}
