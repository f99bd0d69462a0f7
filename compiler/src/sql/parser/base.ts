import { CstParser, LLkLookaheadStrategy, getLookaheadPaths, tokenMatcher, type CstElement, type CstNode, type CstNodeLocation, type ILookaheadStrategy, type IOrAlt, type IToken, type ParserMethod, type TokenType } from "../chevrotain.js";
import { ALL_TOKENS, ColId, Comma, K, LParen, RParen, StringLiteral } from "../lexer/tokens.js";
import { ERROR_MESSAGES } from "./messages.js";

export type Rule = ParserMethod<[], CstNode>;

/** Tokens that may follow a parenthesized query inside a larger query expression. */
const QUERY_CONTINUATIONS: readonly TokenType[] = [K.UNION, K.EXCEPT, K.INTERSECT, K.MINUS, K.ORDER, K.LIMIT, K.OFFSET, K.FETCH, RParen];
const QUERY_STARTS: readonly TokenType[] = [K.SELECT, K.WITH, K.VALUES];

/** Keywords that start a special form when the right tokens follow (see PrimaryRules.primary). */
const SPECIAL_WORDS: ReadonlySet<TokenType> = new Set([K.INTERVAL, K.EXTRACT, K.EXISTS, K.MAP, K.STRUCT, K.COLUMNS, K.SUBSTRING, K.TRIM, K.POSITION]);

/** Words read as typed literals before a string: `DATE '2020-01-01'`. */
export const TYPED_LITERAL_WORDS: ReadonlySet<string> = new Set(["DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMETZ", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "DATETIME"]);

/** A CST node as SqlParserBase builds it. */
interface MapCstNode {
  readonly name: string;
  readonly children: Map<string, CstElement[]>;
  location?: CstNodeLocation;
}

/** The parts of chevrotain's tree builder the overrides below use. */
interface TreeBuilderInternals {
  readonly CST_STACK: MapCstNode[];
  setInitialNodeLocation(node: MapCstNode): void;
  setNodeLocationFromToken(location: CstNodeLocation | undefined, token: IToken): void;
  setNodeLocationFromNode(location: CstNodeLocation | undefined, from: CstNodeLocation | undefined): void;
}

/** chevrotain's per-instance fields that differ with and without error recovery. */
interface RecoveryFields {
  recoveryEnabled: boolean;
  attemptInRepetitionRecovery: (...args: unknown[]) => void;
  setNodeLocationFromToken: (...args: unknown[]) => void;
  setNodeLocationFromNode: (...args: unknown[]) => void;
  cstPostRule: (...args: unknown[]) => void;
  setInitialNodeLocation: (...args: unknown[]) => void;
  readonly cstPostRuleOnlyOffset: (...args: unknown[]) => void;
  readonly setInitialNodeLocationOnlyOffsetRegular: (...args: unknown[]) => void;
}

const NOOP = (): void => {};

function pick(f: RecoveryFields): Omit<RecoveryFields, "cstPostRuleOnlyOffset" | "setInitialNodeLocationOnlyOffsetRegular"> {
  return {
    recoveryEnabled: f.recoveryEnabled,
    attemptInRepetitionRecovery: f.attemptInRepetitionRecovery,
    setNodeLocationFromToken: f.setNodeLocationFromToken,
    setNodeLocationFromNode: f.setNodeLocationFromNode,
    cstPostRule: f.cstPostRule,
    setInitialNodeLocation: f.setInitialNodeLocation,
  };
}

function addChild(children: Map<string, CstElement[]>, key: string, child: CstElement): void {
  const list = children.get(key);
  if (list === undefined) children.set(key, [child]);
  else list.push(child);
}

type AlternationOptions = Parameters<ILookaheadStrategy["buildLookaheadForAlternation"]>[0];
type OptionalOptions = Parameters<ILookaheadStrategy["buildLookaheadForOptional"]>[0];
type AlternationLookahead = (orAlts?: IOrAlt<unknown>[]) => number | undefined;

/**
 * chevrotain's LL(k) lookahead, with two changes (through chevrotain's public `lookaheadStrategy`
 * option):
 * - Built on first use. chevrotain builds a lookahead function for every decision of the grammar
 *   when the parser is made — most of a CLI run's parser start-up — while a run usually meets a
 *   small part of the grammar. The first call builds the function and puts it in the parser's
 *   cache in place of the stub.
 * - Alternations with gates whose every alternative starts with one token (what LL(1) gives):
 *   chevrotain's function for those makes an array of the gates on every call and tries each
 *   alternative's gate before its tokens. This one reads the next token once, skips alternatives
 *   that cannot start with it (a table per alternative), and calls gates only for the others —
 *   the same choice, as gates only look ahead.
 */
class SqlLookahead extends LLkLookaheadStrategy {
  override buildLookaheadForAlternation(options: AlternationOptions): AlternationLookahead {
    return lazily((): AlternationLookahead => gatedLl1(options) ?? super.buildLookaheadForAlternation(options));
  }

  override buildLookaheadForOptional(options: OptionalOptions): () => boolean {
    return lazily(() => super.buildLookaheadForOptional(options));
  }
}

/** A stub that builds the real function on its first call and swaps it into the parser's cache. */
function lazily<F extends (...args: never[]) => unknown>(build: () => F): F {
  let real: F | null = null;
  const stub = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    if (real === null) {
      real = build();
      const cache = (this as { lookAheadFuncsCache?: Map<number, unknown> }).lookAheadFuncsCache;
      if (cache) for (const [k, v] of cache) if (v === stub) cache.set(k, real);
    }
    return real.apply(this, args) as ReturnType<F>;
  } as F;
  return stub;
}

function gatedLl1(options: AlternationOptions): AlternationLookahead | null {
  if (!options.hasPredicates || options.dynamicTokensEnabled) return null;
  const paths = getLookaheadPaths({ occurrence: options.prodOccurrence, rule: options.rule, prodType: "Alternation", maxLookahead: options.maxLookahead });
  if (!paths.every((alt) => alt.every((path) => path.length === 1))) return null;
  const starts = paths.map((alt) => {
    const table: boolean[] = [];
    for (const [type] of alt) {
      table[type!.tokenTypeIdx!] = true;
      for (const idx of type!.categoryMatches ?? []) table[idx] = true;
    }
    return table;
  });
  return function (this: SqlParserBase, orAlts?: IOrAlt<unknown>[]): number | undefined {
    const idx = this.LA(1).tokenTypeIdx;
    for (let t = 0; t < starts.length; t++) {
      if (starts[t]![idx] !== true) continue;
      const gate = orAlts?.[t]?.GATE;
      if (gate !== undefined && gate.call(this) === false) continue;
      return t;
    }
    return undefined;
  };
}

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

  // chevrotain's tree builder (TreeBuilder in chevrotain 11), with each CST node's children in a
  // Map instead of a null-prototype object (see Ctx in build/base.ts). Same nodes, same order.
  /** @internal */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const self = this as unknown as TreeBuilderInternals;
    const cstNode = { name: fullRuleName, children: new Map<string, CstElement[]>() };
    self.setInitialNodeLocation(cstNode);
    self.CST_STACK.push(cstNode);
  }

  /** @internal */
  cstPostTerminal(key: string, consumedToken: IToken): void {
    const self = this as unknown as TreeBuilderInternals;
    const node = self.CST_STACK[self.CST_STACK.length - 1]!;
    addChild(node.children, key, consumedToken);
    self.setNodeLocationFromToken(node.location, consumedToken);
  }

  /** @internal */
  cstPostNonTerminal(ruleCstResult: MapCstNode, ruleName: string): void {
    const self = this as unknown as TreeBuilderInternals;
    const node = self.CST_STACK[self.CST_STACK.length - 1]!;
    addChild(node.children, ruleName, ruleCstResult as unknown as CstElement);
    self.setNodeLocationFromNode(node.location, ruleCstResult.location);
  }

  /**
   * Error recovery on or off for the next parse, on this one instance (a second parser would
   * double the start-up cost). Recovery costs on every parse — a check after each repetition and
   * node locations kept up to date token by token — and matters only when there are errors: a
   * query parses without it first, and again with it when it has errors (parse.ts), so the errors
   * reported are those of the recovering parse. The fields are chevrotain 11's (Recoverable,
   * TreeBuilder with nodeLocationTracking "onlyOffset"), captured from the instance itself.
   */
  setRecovery(on: boolean): void {
    const self = this as unknown as RecoveryFields;
    if (this.withRecovery === null) {
      this.withRecovery = { ...pick(self) };
      this.withoutRecovery = {
        recoveryEnabled: false,
        attemptInRepetitionRecovery: NOOP,
        setNodeLocationFromToken: NOOP,
        setNodeLocationFromNode: NOOP,
        cstPostRule: self.cstPostRuleOnlyOffset,
        setInitialNodeLocation: self.setInitialNodeLocationOnlyOffsetRegular,
      };
    }
    Object.assign(self, on ? this.withRecovery : this.withoutRecovery);
  }

  private withRecovery: Omit<RecoveryFields, "cstPostRuleOnlyOffset" | "setInitialNodeLocationOnlyOffsetRegular"> | null = null;
  private withoutRecovery: Omit<RecoveryFields, "cstPostRuleOnlyOffset" | "setInitialNodeLocationOnlyOffsetRegular"> | null = null;

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
