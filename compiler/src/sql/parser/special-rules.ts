import { ColLabel, Comma, FuncName, K, LParen, Minus, NumberLit, Plus, RParen, StringLiteral } from "../lexer/tokens.js";
import { ExpressionRules } from "./expression-rules.js";

/**
 * Special forms with syntax of their own: typed literals, INTERVAL, CAST, EXTRACT, CASE, and
 * the SQL-standard spellings of SUBSTRING, TRIM and POSITION.
 */
export abstract class SpecialFormRules extends ExpressionRules {
  readonly typedLiteral = this.RULE("typedLiteral", () => {
    this.CONSUME(FuncName);
    this.OPTION(() => {
      this.CONSUME(K.WITH);
      this.CONSUME(K.TIME);
      this.CONSUME(K.ZONE);
    });
    this.CONSUME(StringLiteral);
  });

  /** `INTERVAL '1' DAY`, `INTERVAL 1 DAY`, `INTERVAL (x) DAYS`, `INTERVAL '1-2' YEAR TO MONTH`, `INTERVAL '1 day'`. */
  readonly intervalExpr = this.RULE("intervalExpr", () => {
    this.CONSUME(K.INTERVAL);
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      {
        ALT: () => {
          this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(Minus) }, { ALT: () => this.CONSUME(Plus) }]));
          this.CONSUME(NumberLit);
        },
      },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(RParen);
        },
      },
    ]);
    this.OPTION2({
      GATE: () => isIntervalUnit(this.word(1)),
      DEF: () => {
        this.CONSUME(ColLabel, { LABEL: "unit" });
        this.OPTION3({
          GATE: () => isIntervalUnit(this.word(2)),
          DEF: () => {
            this.CONSUME(K.TO);
            this.CONSUME2(ColLabel, { LABEL: "unit" });
          },
        });
      },
    });
  });

  readonly castExpr = this.RULE("castExpr", () => {
    this.OR([{ ALT: () => this.CONSUME(K.CAST) }, { ALT: () => this.CONSUME(K.TRY_CAST) }]);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(K.AS);
    this.SUBRULE(this.typeSpec);
    this.CONSUME(RParen);
  });

  readonly extractExpr = this.RULE("extractExpr", () => {
    this.CONSUME(K.EXTRACT);
    this.CONSUME(LParen);
    this.CONSUME(ColLabel);
    this.CONSUME(K.FROM);
    this.SUBRULE(this.expression);
    this.CONSUME(RParen);
  });

  readonly caseExpr = this.RULE("caseExpr", () => {
    this.CONSUME(K.CASE);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "operand" }));
    this.AT_LEAST_ONE(() => this.SUBRULE(this.whenClause));
    this.OPTION2(() => {
      this.CONSUME(K.ELSE);
      this.SUBRULE2(this.expression, { LABEL: "else" });
    });
    this.CONSUME(K.END);
  });

  readonly whenClause = this.RULE("whenClause", () => {
    this.CONSUME(K.WHEN);
    this.SUBRULE(this.expression);
    this.CONSUME(K.THEN);
    this.SUBRULE2(this.expression);
  });

  /** `SUBSTRING(x FROM a [FOR b])` or `SUBSTRING(x, a[, b])`. */
  readonly substringExpr = this.RULE("substringExpr", () => {
    this.CONSUME(K.SUBSTRING);
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.FROM);
            this.SUBRULE2(this.expression, { LABEL: "from" });
            this.OPTION2(() => {
              this.CONSUME(K.FOR);
              this.SUBRULE3(this.expression, { LABEL: "for" });
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME2(K.FOR);
            this.SUBRULE4(this.expression, { LABEL: "for" });
          },
        },
        {
          ALT: () =>
            this.AT_LEAST_ONE(() => {
              this.CONSUME(Comma);
              this.SUBRULE5(this.expression, { LABEL: "rest" });
            }),
        },
      ]),
    );
    this.CONSUME(RParen);
  });

  /** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM x)` or `TRIM(x[, chars])`. */
  readonly trimExpr = this.RULE("trimExpr", () => {
    this.CONSUME(K.TRIM);
    this.CONSUME(LParen);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(K.BOTH) }, { ALT: () => this.CONSUME(K.LEADING) }, { ALT: () => this.CONSUME(K.TRAILING) }]));
    this.OPTION2(() => this.SUBRULE(this.expression, { LABEL: "first" }));
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(K.FROM);
          this.SUBRULE2(this.expression, { LABEL: "from" });
        },
      },
      {
        ALT: () =>
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE3(this.expression, { LABEL: "rest" });
          }),
      },
    ]);
    this.CONSUME(RParen);
  });

  /** `POSITION(needle IN haystack)` or `POSITION(a, b, …)`. */
  readonly positionExpr = this.RULE("positionExpr", () => {
    this.CONSUME(K.POSITION);
    this.CONSUME(LParen);
    this.SUBRULE(this.arithExpr);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.IN);
          this.SUBRULE2(this.arithExpr);
        },
      },
      {
        ALT: () =>
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE(this.expression);
          }),
      },
    ]);
    this.CONSUME(RParen);
  });
}

const UNIT_WORDS = new Set([
  "MILLENNIUM", "MILLENNIA", "CENTURY", "CENTURIES", "DECADE", "DECADES", "YEAR", "YEARS", "QUARTER", "QUARTERS", "MONTH", "MONTHS", "WEEK", "WEEKS",
  "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND", "SECONDS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS",
]);

export function isIntervalUnit(word: string): boolean {
  return UNIT_WORDS.has(word);
}
