import { CstParser, tokenMatcher, type CstNode, type IToken, type ParserMethod, type TokenType } from "../chevrotain.js";
import { ALL_TOKENS, ColId, Comma, K, LParen, RParen, StringLiteral } from "../lexer/tokens.js";
import { RecoverySwitch, SqlLookahead, cstInvocation, cstPostNonTerminal, cstPostTerminal, leanCoreRule, optionLogic } from "./engine.js";
import { ERROR_MESSAGES } from "./messages.js";

export type Rule = ParserMethod<[], CstNode>;

/** Tokens that may follow a parenthesized query inside a larger query expression. */
const QUERY_CONTINUATIONS: readonly TokenType[] = [K.UNION, K.EXCEPT, K.INTERSECT, K.MINUS, K.ORDER, K.LIMIT, K.OFFSET, K.FETCH, RParen];
const QUERY_STARTS: readonly TokenType[] = [K.SELECT, K.WITH, K.VALUES];

/** Keywords that start a special form when the right tokens follow (see PrimaryRules.primary). */
const SPECIAL_WORDS: ReadonlySet<TokenType> = new Set([K.INTERVAL, K.EXTRACT, K.EXISTS, K.MAP, K.STRUCT, K.COLUMNS, K.SUBSTRING, K.TRIM, K.POSITION]);

/** Words read as typed literals before a string: `DATE '2020-01-01'`. */
export const TYPED_LITERAL_WORDS: ReadonlySet<string> = new Set(["DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMETZ", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "DATETIME"]);

/**
 * The base of the grammar: parser configuration, the rules every part refers to (declared here,
 * defined by the subclasses, one per family of rules) and the lookahead scans used as gates.
 */
export abstract class SqlParserBase extends CstParser {
  declare readonly query: Rule;
  declare readonly expression: Rule;
  declare readonly arithExpr: Rule;
  declare readonly primary: Rule;
  declare readonly typeSpec: Rule;
  declare readonly orderItem: Rule;
  declare readonly windowSpec: Rule;
  declare readonly callTail: Rule;
  declare readonly starModifiers: Rule;
  declare readonly qualifiedName: Rule;
  declare readonly tableExpr: Rule;

  constructor(options: { readonly skipValidations?: boolean } = {}) {
    super(ALL_TOKENS, {
      recoveryEnabled: true,
      // LL(1) plus gates where a decision needs more: lookahead functions for k > 1 cost most
      // of the parser's start-up time (0.5 s at k = 3).
      maxLookahead: 1,
      lookaheadStrategy: new SqlLookahead({ maxLookahead: 1 }),
      nodeLocationTracking: "onlyOffset",
      errorMessageProvider: ERROR_MESSAGES,
      skipValidations: options.skipValidations ?? false,
    });
  }

  // chevrotain's rule definition, with a leaner invocation (see engine.ts)
  /** @internal */
  defineRule(ruleName: string, impl: () => void, config: Parameters<typeof leanCoreRule>[4]): unknown {
    const rule = (CstParser.prototype as unknown as { defineRule: (n: string, i: () => void, c: unknown) => unknown }).defineRule.call(this, ruleName, impl, config);
    leanCoreRule(rule as Parameters<typeof leanCoreRule>[0], this, ruleName, impl, config);
    return rule;
  }

  /** @internal */
  optionInternalLogic(body: Parameters<typeof optionLogic>[0], occurrence: number, key: number): unknown {
    return optionLogic.call(this as unknown as ThisParameterType<typeof optionLogic>, body, occurrence, key);
  }

  // chevrotain's tree builder, building SqlCst nodes (see engine.ts)
  /** @internal */
  cstInvocationStateUpdate(fullRuleName: string): void {
    cstInvocation(this, fullRuleName);
  }

  /** @internal */
  cstPostTerminal(key: string, consumedToken: IToken): void {
    cstPostTerminal(this, key, consumedToken);
  }

  /** @internal */
  cstPostNonTerminal(ruleCstResult: unknown, ruleName: string): void {
    cstPostNonTerminal(this, ruleCstResult, ruleName);
  }

  private readonly recovery = new RecoverySwitch(this);

  /**
   * Error recovery on or off for the next parse. A query parses without it first, and again with
   * it when it has errors (parse.ts), so the errors reported are those of the recovering parse.
   */
  setRecovery(on: boolean): void {
    this.recovery.set(on);
  }

  /**
   * Whether the last parse recorded errors. chevrotain's `errors` getter hands out a copy made by
   * lodash's generic clone, which costs more than a whole tiny parse's bookkeeping.
   */
  hasErrors(): boolean {
    return (this as unknown as { readonly _errors: readonly unknown[] })._errors.length > 0;
  }

  protected is(i: number, type: TokenType): boolean {
    return tokenMatcher(this.LA(i), type);
  }

  protected isAny(i: number, types: readonly TokenType[]): boolean {
    const t = this.LA(i);
    return types.some((type) => tokenMatcher(t, type));
  }

  protected word(i: number): string {
    const t: IToken = this.LA(i);
    return t.image.toUpperCase();
  }

  /** Index of the `)` closing the `(` at LA(i), or -1. */
  private matchingClose(i: number): number {
    let depth = 0;
    for (let j = i; ; j++) {
      const t = this.LA(j);
      if (t.tokenType.name === "EOF") return -1;
      if (tokenMatcher(t, LParen)) depth++;
      else if (tokenMatcher(t, RParen) && --depth === 0) return j;
    }
  }

  /**
   * Whether the tokens from LA(i) on are a query rather than an expression or a FROM list: they
   * start with SELECT / WITH / VALUES, or with a parenthesized query that a query continues
   * (`(SELECT 1) UNION …`, `(SELECT 1))`), which `(SELECT 1) + 1` and `(SELECT 1) AS t, …` do not.
   */
  protected startsQuery(i: number): boolean {
    if (this.isAny(i, QUERY_STARTS)) return true;
    if (!this.is(i, LParen) || !this.startsQuery(i + 1)) return false;
    const close = this.matchingClose(i);
    return close > 0 && this.isAny(close + 1, QUERY_CONTINUATIONS);
  }

  /** `x -> …`, `(a, b) -> …` or `lambda x: …` at LA(1). */
  protected lambdaAhead(): boolean {
    if (this.is(1, K.LAMBDA)) return true;
    if (this.is(1, ColId)) return this.LA(2).tokenType.name === "Arrow";
    if (!this.is(1, LParen)) return false;
    let i = 2;
    for (;;) {
      if (!this.is(i, ColId)) return false;
      if (this.is(i + 1, Comma)) i += 2;
      else return this.is(i + 1, RParen) && this.LA(i + 2).tokenType.name === "Arrow";
    }
  }

  /** A word that starts none of the special forms (the common case of a column or a call). */
  protected plainNameAhead(): boolean {
    return !SPECIAL_WORDS.has(this.LA(1).tokenType) && !this.typedLiteralAhead();
  }

  protected typedLiteralAhead(): boolean {
    const next = this.is(2, StringLiteral) || (this.is(2, K.WITH) && this.is(3, K.TIME) && this.is(4, K.ZONE) && this.is(5, StringLiteral));
    return next && TYPED_LITERAL_WORDS.has(this.word(1));
  }
}
