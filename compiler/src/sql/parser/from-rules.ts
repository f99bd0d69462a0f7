import { BareAlias, ColId, ColLabel, Comma, K, LParen, RParen, TypeFuncOnly, Dot } from "../lexer/tokens.js";
import { CallRules } from "./call-rules.js";

/**
 * FROM lists and joins. A join's right side may carry joins of its own, written before the outer
 * join's condition (`a JOIN b JOIN c ON x ON y`); the builder nests them only when the outer join
 * has a condition of its own, and otherwise reads the list left-deep (`a JOIN b JOIN c ON x`).
 */
export abstract class FromRules extends CallRules {
  /** Comma-separated items, then Spark's LATERAL VIEWs (which apply to the whole list). */
  readonly fromList = this.RULE("fromList", () => {
    this.SUBRULE(this.tableExpr);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.tableExpr);
    });
    this.MANY2(() => this.SUBRULE(this.lateralViewClause));
  });

  /** `LATERAL VIEW [OUTER] f(args) [table] [AS c1, c2, …]`. */
  readonly lateralViewClause = this.RULE("lateralViewClause", () => {
    this.CONSUME(K.LATERAL);
    this.CONSUME(K.VIEW);
    this.OPTION(() => this.CONSUME(K.OUTER));
    this.SUBRULE(this.qualifiedName);
    this.SUBRULE(this.tableArgs);
    this.OPTION2(() => this.CONSUME(BareAlias, { LABEL: "table" }));
    this.OPTION3(() => {
      this.CONSUME(K.AS);
      this.CONSUME(ColLabel, { LABEL: "column" });
      this.MANY(() => {
        this.CONSUME2(Comma);
        this.CONSUME2(ColLabel, { LABEL: "column" });
      });
    });
  });

  override readonly tableExpr = this.RULE("tableExpr", () => {
    this.SUBRULE(this.tablePrimary);
    this.MANY(() => this.SUBRULE(this.joinClause));
  });

  readonly joinClause = this.RULE("joinClause", () => {
    this.SUBRULE(this.joinType);
    this.SUBRULE(this.tablePrimary);
    this.MANY(() => this.SUBRULE(this.joinClause));
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.ON);
            this.SUBRULE(this.expression);
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.USING);
            this.CONSUME(LParen);
            this.CONSUME(ColId);
            this.MANY2(() => {
              this.CONSUME(Comma);
              this.CONSUME2(ColId);
            });
            this.CONSUME(RParen);
          },
        },
      ]),
    );
  });

  readonly joinType = this.RULE("joinType", () => {
    this.OR([
      { ALT: () => this.CONSUME(K.CROSS) },
      { ALT: () => this.CONSUME(K.POSITIONAL) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(K.NATURAL));
          this.OPTION2(() =>
            this.OR2([
              { ALT: () => this.CONSUME(K.INNER) },
              {
                ALT: () => {
                  this.CONSUME(K.LEFT);
                  this.OPTION3(() => this.OR3([{ ALT: () => this.CONSUME(K.OUTER) }, { ALT: () => this.CONSUME(K.SEMI) }, { ALT: () => this.CONSUME(K.ANTI) }]));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(K.RIGHT);
                  this.OPTION4(() => this.CONSUME2(K.OUTER));
                },
              },
              {
                ALT: () => {
                  this.CONSUME(K.FULL);
                  this.OPTION5(() => this.CONSUME3(K.OUTER));
                },
              },
              { ALT: () => this.CONSUME2(K.SEMI) },
              { ALT: () => this.CONSUME2(K.ANTI) },
            ]),
          );
        },
      },
    ]);
    this.CONSUME(K.JOIN);
  });

  readonly tablePrimary = this.RULE("tablePrimary", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      ERR_MSG: "a table, a subquery or a table function",
      DEF: [
        {
          GATE: () => (this.is(1, K.LATERAL) ? this.is(2, LParen) && this.startsQuery(3) : this.startsQuery(2)),
          ALT: () => {
            this.OPTION(() => this.CONSUME(K.LATERAL));
            this.CONSUME(LParen);
            this.SUBRULE(this.query);
            this.CONSUME(RParen);
            this.OPTION2(() => this.SUBRULE(this.tableAlias));
          },
        },
        {
          ALT: () => {
            this.CONSUME2(LParen);
            this.SUBRULE(this.tableExpr);
            this.CONSUME2(RParen);
          },
        },
        { ALT: () => this.SUBRULE(this.namedTable) },
      ],
    });
    this.MANY(() => this.OR2([{ ALT: () => this.SUBRULE(this.pivotClause) }, { ALT: () => this.SUBRULE(this.unpivotClause) }]));
  });

  readonly pivotClause = this.RULE("pivotClause", () => {
    this.CONSUME(K.PIVOT);
    this.CONSUME(LParen);
    this.SUBRULE(this.aliasedExpr, { LABEL: "aggregate" });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.aliasedExpr, { LABEL: "aggregate" });
    });
    this.CONSUME(K.FOR);
    this.SUBRULE(this.nameList);
    this.CONSUME(K.IN);
    this.CONSUME2(LParen);
    this.SUBRULE3(this.aliasedExpr, { LABEL: "value" });
    this.MANY2(() => {
      this.CONSUME2(Comma);
      this.SUBRULE4(this.aliasedExpr, { LABEL: "value" });
    });
    this.CONSUME2(RParen);
    this.CONSUME(RParen);
    this.OPTION(() => this.SUBRULE(this.tableAlias));
  });

  readonly unpivotClause = this.RULE("unpivotClause", () => {
    this.CONSUME(K.UNPIVOT);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(K.INCLUDE) }, { ALT: () => this.CONSUME(K.EXCLUDE) }]);
      this.CONSUME(K.NULLS);
    });
    this.CONSUME(LParen);
    this.SUBRULE(this.nameList, { LABEL: "valueColumns" });
    this.CONSUME(K.FOR);
    this.CONSUME(ColId);
    this.CONSUME(K.IN);
    this.CONSUME2(LParen);
    this.SUBRULE(this.aliasedExpr);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.aliasedExpr);
    });
    this.CONSUME2(RParen);
    this.CONSUME(RParen);
    this.OPTION2(() => this.SUBRULE(this.tableAlias));
  });

  /** `name` or `(name, …)`. */
  readonly nameList = this.RULE("nameList", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.qualifiedName) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE2(this.qualifiedName);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE3(this.qualifiedName);
          });
          this.CONSUME(RParen);
        },
      },
    ]);
  });

  /** `expr [[AS] alias]`. */
  readonly aliasedExpr = this.RULE("aliasedExpr", () => {
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

  /** A table, or a table function (`[LATERAL] f(args) [WITH ORDINALITY]`), with an optional alias. */
  readonly namedTable = this.RULE("namedTable", () => {
    this.OPTION(() => this.CONSUME(K.LATERAL));
    this.OR([{ ALT: () => this.CONSUME(ColId) }, { GATE: () => this.is(2, LParen), ALT: () => this.CONSUME(TypeFuncOnly) }]);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME(ColLabel);
    });
    this.OPTION2(() => {
      this.SUBRULE(this.tableArgs);
      this.OPTION3(() => {
        this.CONSUME(K.WITH);
        this.CONSUME(K.ORDINALITY);
      });
    });
    this.OPTION4(() => this.SUBRULE(this.tableAlias));
  });

  readonly tableArgs = this.RULE("tableArgs", () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.callArg);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.callArg);
      });
    });
    this.CONSUME(RParen);
  });

  readonly tableAlias = this.RULE("tableAlias", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.AS);
          this.CONSUME(ColLabel);
        },
      },
      { ALT: () => this.CONSUME(BareAlias) },
    ]);
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.CONSUME(ColId);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.CONSUME2(ColId);
      });
      this.CONSUME(RParen);
    });
  });
}
