import { QueryRules } from "./query-rules.js";

/**
 * The SQL grammar. One instance serves every parse (building one costs far more than a parse).
 * A parse starts at `query` (a view) or `expression` (tests, policy settings); chevrotain checks
 * that the rule a parse starts at consumed every token.
 */
export class SqlParser extends QueryRules {
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
