import { QueryRules } from "./query-rules.js";

/** The SQL grammar. One instance serves every parse (building one costs far more than a parse). */
export class SqlParser extends QueryRules {
  /** A query and nothing after it. */
  readonly queryStatement = this.RULE("queryStatement", () => {
    this.SUBRULE(this.query);
  });

  /** A bare expression (for tests, policy settings and the identity corpus). */
  readonly expressionStatement = this.RULE("expressionStatement", () => {
    this.SUBRULE(this.expression);
  });

  /**
   * `skipValidations` skips chevrotain's grammar checks (ambiguities, left recursion), which
   * cost most of the start-up time; a unit test builds the parser with them on.
   */
  constructor(options: { readonly skipValidations?: boolean } = {}) {
    super(options);
    this.performSelfAnalysis();
  }
}

let instance: SqlParser | null = null;

export function sqlParser(): SqlParser {
  instance ??= new SqlParser({ skipValidations: true });
  return instance;
}
