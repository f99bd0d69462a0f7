import type { IOrAlt, OrMethodOpts } from "../chevrotain.js";
import { ColId, ColLabel, ColonEquals, Comma, Dot, FatArrow, K, LParen, RParen, Star, TypeFuncOnly } from "../lexer/tokens.js";
import { PrimaryRules } from "./primary-rules.js";

/** Names, calls (aggregate and window parts included), window specifications, star modifiers. */
export abstract class CallRules extends PrimaryRules {
  private nameStartAlts: IOrAlt<unknown>[] | undefined;
  private callArgOr: OrMethodOpts<unknown> | undefined;

  /** `a`, `t.a`, `s.t.*`, `f(…)`, `s.f(…)`; a typeFunc word (LEFT, MAP, …) only as a function. */
  override readonly nameExpr = this.RULE("nameExpr", () => {
    this.OR((this.nameStartAlts ??= [{ ALT: () => this.CONSUME(ColId) }, { GATE: () => this.is(2, LParen), ALT: () => this.CONSUME(TypeFuncOnly) }]));
    this.MANY({
      GATE: () => this.is(2, ColLabel),
      DEF: () => {
        this.CONSUME(Dot);
        this.CONSUME(ColLabel);
      },
    });
    this.OPTION(() =>
      this.OR2([
        {
          ALT: () => {
            this.CONSUME2(Dot);
            this.CONSUME(Star);
            this.SUBRULE(this.starModifiers);
          },
        },
        { ALT: () => this.SUBRULE(this.callTail) },
      ]),
    );
  });

  override readonly qualifiedName = this.RULE("qualifiedName", () => {
    this.CONSUME(ColId);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME(ColLabel);
    });
  });

  override readonly callTail = this.RULE("callTail", () => {
    this.CONSUME(LParen);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(K.DISTINCT) }, { ALT: () => this.CONSUME(K.ALL) }]));
    this.OPTION2(() => {
      this.SUBRULE(this.callArg);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.callArg);
      });
    });
    this.OPTION3(() => {
      this.CONSUME(K.ORDER);
      this.CONSUME(K.BY);
      this.SUBRULE(this.orderItem);
      this.MANY2(() => {
        this.CONSUME2(Comma);
        this.SUBRULE2(this.orderItem);
      });
    });
    this.OPTION4(() => this.SUBRULE(this.nullTreatment));
    this.CONSUME(RParen);
    this.OPTION5(() => {
      this.CONSUME(K.WITHIN);
      this.CONSUME(K.GROUP);
      this.CONSUME2(LParen);
      this.CONSUME2(K.ORDER);
      this.CONSUME2(K.BY);
      this.SUBRULE3(this.orderItem, { LABEL: "withinGroup" });
      this.MANY3(() => {
        this.CONSUME3(Comma);
        this.SUBRULE4(this.orderItem, { LABEL: "withinGroup" });
      });
      this.CONSUME2(RParen);
    });
    this.OPTION6(() => {
      this.CONSUME(K.FILTER);
      this.CONSUME3(LParen);
      this.OPTION7(() => this.CONSUME(K.WHERE));
      this.SUBRULE(this.expression, { LABEL: "filter" });
      this.CONSUME3(RParen);
    });
    this.OPTION8(() => this.SUBRULE2(this.nullTreatment));
    this.OPTION9(() => {
      this.CONSUME(K.OVER);
      this.OR2([{ ALT: () => this.CONSUME(ColId) }, { ALT: () => this.SUBRULE(this.windowSpec) }]);
    });
  });

  readonly nullTreatment = this.RULE("nullTreatment", () => {
    this.OR([{ ALT: () => this.CONSUME(K.IGNORE) }, { ALT: () => this.CONSUME(K.RESPECT) }]);
    this.CONSUME(K.NULLS);
  });

  readonly callArg = this.RULE("callArg", () => {
    this.OR((this.callArgOr ??= {
      ERR_MSG: "an argument",
      DEF: [
      { GATE: () => this.lambdaAhead(), ALT: () => this.SUBRULE(this.lambdaExpr) },
      {
        GATE: () => this.is(1, ColLabel) && (this.is(2, ColonEquals) || this.is(2, FatArrow)),
        ALT: () => {
          this.CONSUME(ColLabel);
          this.OR2([{ ALT: () => this.CONSUME(ColonEquals) }, { ALT: () => this.CONSUME(FatArrow) }]);
          this.SUBRULE(this.expression, { LABEL: "value" });
        },
      },
      { ALT: () => this.SUBRULE2(this.expression) },
      ],
    }));
  });

  /** `( [base] [PARTITION BY …] [ORDER BY …] [frame] )`. */
  override readonly windowSpec = this.RULE("windowSpec", () => {
    this.CONSUME(LParen);
    this.OPTION({
      GATE: () => !(this.is(1, K.PARTITION) || this.is(1, K.ROWS) || this.is(1, K.RANGE) || this.is(1, K.GROUPS)),
      DEF: () => this.CONSUME(ColId),
    });
    this.OPTION2(() => {
      this.CONSUME(K.PARTITION);
      this.CONSUME(K.BY);
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.OPTION3(() => {
      this.CONSUME(K.ORDER);
      this.CONSUME2(K.BY);
      this.SUBRULE(this.orderItem);
      this.MANY2(() => {
        this.CONSUME2(Comma);
        this.SUBRULE2(this.orderItem);
      });
    });
    this.OPTION4(() => this.SUBRULE(this.frameClause));
    this.CONSUME(RParen);
  });

  readonly frameClause = this.RULE("frameClause", () => {
    this.OR([{ ALT: () => this.CONSUME(K.ROWS) }, { ALT: () => this.CONSUME(K.RANGE) }, { ALT: () => this.CONSUME(K.GROUPS) }]);
    // A column named "between" is not a frame bound worth an ambiguity.
    this.OR2({
      IGNORE_AMBIGUITIES: true,
      DEF: [
      {
        ALT: () => {
          this.CONSUME(K.BETWEEN);
          this.SUBRULE(this.frameBound);
          this.CONSUME(K.AND);
          this.SUBRULE2(this.frameBound);
        },
      },
      { ALT: () => this.SUBRULE3(this.frameBound) },
      ],
    });
    this.OPTION(() => {
      this.CONSUME(K.EXCLUDE);
      this.OR3([
        {
          ALT: () => {
            this.CONSUME(K.CURRENT);
            this.CONSUME(K.ROW);
          },
        },
        { ALT: () => this.CONSUME(K.GROUP) },
        { ALT: () => this.CONSUME(K.TIES) },
        {
          ALT: () => {
            this.CONSUME(K.NO);
            this.CONSUME(K.OTHERS);
          },
        },
      ]);
    });
  });

  readonly frameBound = this.RULE("frameBound", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.is(2, K.PRECEDING) || this.is(2, K.FOLLOWING),
          ALT: () => {
            this.CONSUME(K.UNBOUNDED);
            this.OR2([{ ALT: () => this.CONSUME(K.PRECEDING) }, { ALT: () => this.CONSUME(K.FOLLOWING) }]);
          },
        },
        {
          GATE: () => this.is(2, K.ROW),
          ALT: () => {
            this.CONSUME(K.CURRENT);
            this.CONSUME(K.ROW);
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.arithExpr);
            this.OR3([{ ALT: () => this.CONSUME2(K.PRECEDING) }, { ALT: () => this.CONSUME2(K.FOLLOWING) }]);
          },
        },
      ],
    });
  });

  /** DuckDB `EXCLUDE (…)` (Databricks `EXCEPT (…)`), `REPLACE (e AS n, …)`, `RENAME (a AS b, …)`. */
  override readonly starModifiers = this.RULE("starModifiers", () => {
    this.MANY({
      // EXCEPT after a star is a set operation unless a column list follows.
      GATE: () => !this.is(1, K.EXCEPT) || (this.is(2, LParen) && !this.startsQuery(3)),
      DEF: () =>
        this.OR([
          { ALT: () => this.SUBRULE(this.starExclude) },
          { ALT: () => this.SUBRULE(this.starReplace) },
          { ALT: () => this.SUBRULE(this.starRename) },
        ]),
    });
  });

  readonly starExclude = this.RULE("starExclude", () => {
    this.OR([{ ALT: () => this.CONSUME(K.EXCLUDE) }, { ALT: () => this.CONSUME(K.EXCEPT) }]);
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.qualifiedName);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.qualifiedName);
          });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE3(this.qualifiedName) },
    ]);
  });

  readonly starReplace = this.RULE("starReplace", () => {
    this.CONSUME(K.REPLACE);
    this.CONSUME(LParen);
    this.SUBRULE(this.starReplaceItem);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.starReplaceItem);
    });
    this.CONSUME(RParen);
  });

  readonly starReplaceItem = this.RULE("starReplaceItem", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(K.AS);
    this.CONSUME(ColLabel);
  });

  readonly starRename = this.RULE("starRename", () => {
    this.CONSUME(K.RENAME);
    this.CONSUME(LParen);
    this.SUBRULE(this.starRenameItem);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.starRenameItem);
    });
    this.CONSUME(RParen);
  });

  readonly starRenameItem = this.RULE("starRenameItem", () => {
    this.SUBRULE(this.qualifiedName);
    this.CONSUME(K.AS);
    this.CONSUME(ColLabel);
  });
}
