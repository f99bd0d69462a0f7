import { BareAlias, ColId, ColLabel, Comma, K, LParen, RParen } from "../lexer/tokens.js";
import { FromRules } from "./from-rules.js";

/** Queries: WITH, set operations, SELECT and its clauses, VALUES, ORDER BY, LIMIT/OFFSET/FETCH. */
export abstract class QueryRules extends FromRules {
  override readonly query = this.RULE("query", () => {
    this.OPTION(() => this.SUBRULE(this.withClause));
    this.SUBRULE(this.queryTerm);
    this.MANY(() => {
      this.SUBRULE(this.setOperator);
      this.SUBRULE2(this.queryTerm);
    });
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    this.MANY2(() => this.SUBRULE(this.limitPart));
  });

  readonly withClause = this.RULE("withClause", () => {
    this.CONSUME(K.WITH);
    // `WITH recursive AS (…)` names a CTE "recursive".
    this.OPTION({ GATE: () => !this.is(2, K.AS) && !this.is(2, LParen), DEF: () => this.CONSUME(K.RECURSIVE) });
    this.SUBRULE(this.cte);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.cte);
    });
  });

  readonly cte = this.RULE("cte", () => {
    this.CONSUME(ColId);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.CONSUME2(ColId);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.CONSUME3(ColId);
      });
      this.CONSUME(RParen);
    });
    this.CONSUME(K.AS);
    this.OPTION2(() => {
      this.OPTION3(() => this.CONSUME(K.NOT));
      this.CONSUME(K.MATERIALIZED);
    });
    this.CONSUME2(LParen);
    this.SUBRULE(this.query);
    this.CONSUME2(RParen);
  });

  readonly setOperator = this.RULE("setOperator", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.UNION) },
      { ALT: () => this.CONSUME(K.EXCEPT) },
      { ALT: () => this.CONSUME(K.MINUS) },
      { ALT: () => this.CONSUME(K.INTERSECT) },
    ]);
    this.OPTION(() => this.OR2([{ ALT: () => this.CONSUME(K.ALL) }, { ALT: () => this.CONSUME(K.DISTINCT) }]));
    this.OPTION2(() => {
      this.CONSUME(K.BY);
      this.CONSUME(K.NAME);
    });
  });

  readonly queryTerm = this.RULE("queryTerm", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.selectCore) },
      { ALT: () => this.SUBRULE(this.valuesClause) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.query);
          this.CONSUME(RParen);
        },
      },
    ]);
  });

  readonly selectCore = this.RULE("selectCore", () => {
    this.CONSUME(K.SELECT);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.DISTINCT);
            this.OPTION2(() => {
              this.CONSUME(K.ON);
              this.CONSUME(LParen);
              this.SUBRULE(this.expression, { LABEL: "distinctOn" });
              this.MANY(() => {
                this.CONSUME(Comma);
                this.SUBRULE2(this.expression, { LABEL: "distinctOn" });
              });
              this.CONSUME(RParen);
            });
          },
        },
        { ALT: () => this.CONSUME(K.ALL) },
      ]),
    );
    this.SUBRULE(this.selectItem);
    this.MANY2(() => {
      this.CONSUME2(Comma);
      this.SUBRULE2(this.selectItem);
    });
    this.OPTION3(() => {
      this.CONSUME(K.FROM);
      this.SUBRULE(this.fromList);
    });
    this.OPTION4(() => {
      this.CONSUME(K.WHERE);
      this.SUBRULE3(this.expression, { LABEL: "where" });
    });
    this.OPTION5(() => this.SUBRULE(this.groupByClause));
    this.OPTION6(() => {
      this.CONSUME(K.HAVING);
      this.SUBRULE4(this.expression, { LABEL: "having" });
    });
    this.OPTION7(() => this.SUBRULE(this.windowClause));
    this.OPTION8(() => {
      this.CONSUME(K.QUALIFY);
      this.SUBRULE5(this.expression, { LABEL: "qualify" });
    });
  });

  readonly selectItem = this.RULE("selectItem", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.AS);
            this.CONSUME(ColLabel);
          },
        },
        { ALT: () => this.CONSUME(BareAlias) },
      ]),
    );
  });

  readonly valuesClause = this.RULE("valuesClause", () => {
    this.CONSUME(K.VALUES);
    this.SUBRULE(this.exprList);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.exprList);
    });
  });

  readonly groupByClause = this.RULE("groupByClause", () => {
    this.CONSUME(K.GROUP);
    this.CONSUME(K.BY);
    this.OR([
      { ALT: () => this.CONSUME(K.ALL) },
      {
        ALT: () => {
          this.SUBRULE(this.groupingElement);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.groupingElement);
          });
        },
      },
    ]);
  });

  readonly groupingElement = this.RULE("groupingElement", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.is(2, LParen),
          ALT: () => {
            this.OR2([{ ALT: () => this.CONSUME(K.ROLLUP) }, { ALT: () => this.CONSUME(K.CUBE) }]);
            this.SUBRULE(this.exprList);
          },
        },
        {
          GATE: () => this.is(2, K.SETS),
          ALT: () => {
            this.CONSUME(K.GROUPING);
            this.CONSUME(K.SETS);
            this.CONSUME(LParen);
            this.SUBRULE(this.groupingElement);
            this.MANY(() => {
              this.CONSUME(Comma);
              this.SUBRULE2(this.groupingElement);
            });
            this.CONSUME(RParen);
          },
        },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  readonly windowClause = this.RULE("windowClause", () => {
    this.CONSUME(K.WINDOW);
    this.SUBRULE(this.namedWindow);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.namedWindow);
    });
  });

  readonly namedWindow = this.RULE("namedWindow", () => {
    this.CONSUME(ColId);
    this.CONSUME(K.AS);
    this.SUBRULE(this.windowSpec);
  });

  readonly orderByClause = this.RULE("orderByClause", () => {
    this.CONSUME(K.ORDER);
    this.CONSUME(K.BY);
    this.SUBRULE(this.orderItem);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.orderItem);
    });
  });

  override readonly orderItem = this.RULE("orderItem", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(K.ASC) }, { ALT: () => this.CONSUME(K.DESC) }]));
    this.OPTION2(() => {
      this.CONSUME(K.NULLS);
      this.OR2([{ ALT: () => this.CONSUME(K.FIRST) }, { ALT: () => this.CONSUME(K.LAST) }]);
    });
  });

  /** `LIMIT n | ALL`, `OFFSET n [ROW|ROWS]`, `FETCH FIRST|NEXT [n] ROW|ROWS ONLY`, in any order. */
  readonly limitPart = this.RULE("limitPart", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.LIMIT);
          this.OR2([{ ALT: () => this.CONSUME(K.ALL) }, { ALT: () => this.SUBRULE(this.expression, { LABEL: "limit" }) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.OFFSET);
          this.SUBRULE2(this.expression, { LABEL: "offset" });
          this.OPTION(() => this.OR3([{ ALT: () => this.CONSUME(K.ROW) }, { ALT: () => this.CONSUME(K.ROWS) }]));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.FETCH);
          this.OR4([{ ALT: () => this.CONSUME(K.FIRST) }, { ALT: () => this.CONSUME(K.NEXT) }]);
          this.OPTION2({ GATE: () => !this.is(1, K.ROW) && !this.is(1, K.ROWS), DEF: () => this.SUBRULE3(this.expression, { LABEL: "fetch" }) });
          this.OR5([{ ALT: () => this.CONSUME2(K.ROW) }, { ALT: () => this.CONSUME2(K.ROWS) }]);
          this.CONSUME(K.ONLY);
        },
      },
    ]);
  });
}
