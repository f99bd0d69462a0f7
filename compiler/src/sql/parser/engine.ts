/**
 * How the SQL parser drives chevrotain (11.x, pinned): four adaptations for speed, none of which
 * changes what the parser accepts, the CST it builds or the errors it reports.
 *
 * - SqlLookahead (chevrotain's public `lookaheadStrategy` option): lookahead functions built on
 *   first use, and a cheaper function for gated LL(1) alternations.
 * - The CST is made of SqlCst nodes (cst.ts; the tree builder's hooks on the parser): one object
 *   per node that the AST builder probes by name several times faster than chevrotain's
 *   dictionaries, with its offsets set when the node starts and when its rule ends.
 * - RecoverySwitch: error recovery off for a parse that has no errors. Recovery costs on every
 *   parse — a check after each repetition — and matters only when there are errors; parse.ts
 *   parses again with it when there are.
 * - Rule calls, MANY and OPTION without the allocations chevrotain makes on every call (a rest
 *   array per rule call, closures for gates, an argument array per repetition): leanCoreRule,
 *   manyWithoutRecovery, optionLogic.
 *
 * The last three use chevrotain internals (named here, with the fields they touch); the parse
 * tests would fail at once if a chevrotain upgrade moved them.
 */
import { LLkLookaheadStrategy, getLookaheadPaths, type ILookaheadStrategy, type IOrAlt, type IToken } from "../chevrotain.js";
import { SqlCst } from "./cst.js";

type AlternationOptions = Parameters<ILookaheadStrategy["buildLookaheadForAlternation"]>[0];
type OptionalOptions = Parameters<ILookaheadStrategy["buildLookaheadForOptional"]>[0];
type AlternationLookahead = (orAlts?: IOrAlt<unknown>[]) => number | undefined;

/** What a lookahead function reads from the parser. */
interface LookaheadHost {
  LA(i: number): IToken;
}

/**
 * chevrotain's LL(k) lookahead, with two changes:
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
export class SqlLookahead extends LLkLookaheadStrategy {
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
      // chevrotain's LooksAhead.lookAheadFuncsCache; without it the stub keeps forwarding
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
  return function (this: LookaheadHost, orAlts?: IOrAlt<unknown>[]): number | undefined {
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

/** The parts of chevrotain's parser state the hooks below use. */
interface ParserInternals {
  readonly CST_STACK: SqlCst[];
  LA(i: number): IToken;
}

/** TreeBuilder.cstInvocationStateUpdate, building an SqlCst. */
export function cstInvocation(parser: object, fullRuleName: string): void {
  const self = parser as ParserInternals;
  // The next token starts the node (for valid input, which is the only CST the builder reads).
  self.CST_STACK.push(new SqlCst(fullRuleName, self.LA(1).startOffset));
}

/** TreeBuilder.cstPostTerminal, for an SqlCst. */
export function cstPostTerminal(parser: object, key: string, consumedToken: IToken): void {
  const stack = (parser as ParserInternals).CST_STACK;
  stack[stack.length - 1]!.add(key, consumedToken);
}

/** TreeBuilder.cstPostNonTerminal, for an SqlCst. */
export function cstPostNonTerminal(parser: object, ruleCstResult: unknown, ruleName: string): void {
  const stack = (parser as ParserInternals).CST_STACK;
  stack[stack.length - 1]!.add(ruleName, ruleCstResult as SqlCst);
}

/** TreeBuilder.cstPostRule: the node ends where the last token it consumed ends. */
function cstPostRule(this: ParserInternals, node: SqlCst): void {
  const last = this.LA(0);
  if (node.startOffset <= last.startOffset) node.endOffset = last.startOffset + last.image.length - 1;
}

/** chevrotain's per-instance fields for error recovery and node locations. */
interface RecoveryFields {
  recoveryEnabled: boolean;
  attemptInRepetitionRecovery: (...args: unknown[]) => void;
  manyInternalLogic: (...args: never[]) => void;
  setNodeLocationFromToken: (...args: unknown[]) => void;
  setNodeLocationFromNode: (...args: unknown[]) => void;
  cstPostRule: (...args: unknown[]) => void;
  setInitialNodeLocation: (...args: unknown[]) => void;
}

const NOOP = (): void => {};

/**
 * Turns error recovery on and off on one parser instance (a second parser would double the
 * start-up cost): the fields chevrotain sets at construction for `recoveryEnabled` (Recoverable).
 * Node locations are SqlCst's own in both modes (set when a node starts and when its rule ends),
 * so chevrotain's location upkeep — token by token with recovery — is switched off for good: a
 * parse with errors builds no AST, so its CST's offsets are never read.
 */
export class RecoverySwitch {
  private readonly on: Pick<RecoveryFields, "recoveryEnabled" | "attemptInRepetitionRecovery" | "manyInternalLogic">;
  private enabled: boolean;

  /** Made once chevrotain's constructor has set the parser's fields (a field initializer of the parser). */
  constructor(private readonly parser: object) {
    const self = parser as RecoveryFields;
    this.on = { recoveryEnabled: self.recoveryEnabled, attemptInRepetitionRecovery: self.attemptInRepetitionRecovery, manyInternalLogic: self.manyInternalLogic };
    this.enabled = self.recoveryEnabled;
    self.setNodeLocationFromToken = NOOP;
    self.setNodeLocationFromNode = NOOP;
    self.setInitialNodeLocation = NOOP;
    self.cstPostRule = cstPostRule as RecoveryFields["cstPostRule"];
  }

  set(enabled: boolean): void {
    if (this.enabled === enabled) return;
    const self = this.parser as RecoveryFields;
    self.recoveryEnabled = enabled && this.on.recoveryEnabled;
    self.attemptInRepetitionRecovery = enabled ? this.on.attemptInRepetitionRecovery : NOOP;
    self.manyInternalLogic = enabled ? this.on.manyInternalLogic : (manyWithoutRecovery as RecoveryFields["manyInternalLogic"]);
    this.enabled = enabled;
  }
}

/** What chevrotain's rule invocation and repetitions read from the parser. */
interface InvocationInternals {
  readonly CST_STACK: SqlCst[];
  readonly subruleIdx: number;
  readonly currIdx: number;
  readonly fullRuleNameToShort: Record<string, number>;
  ruleInvocationStateUpdate(shortName: number, fullName: string, idxInCallingRule: number): void;
  cstPostRule(node: SqlCst): void;
  invokeRuleCatch(e: unknown, resyncEnabled: boolean, recoveryValueFunc: (e: unknown) => unknown): unknown;
  ruleFinallyStateUpdate(): void;
  getLaFuncFromCache(key: number): (this: InvocationInternals) => boolean;
}

/** A rule as chevrotain's defineRule returns it: `coreRule` is what SUBRULE calls. */
interface DefinedRule {
  coreRule: (this: InvocationInternals, ...args: unknown[]) => unknown;
}

/** A repetition or option body, or the same with a gate. */
type DslBody = (() => void) | { readonly DEF: () => void; readonly GATE?: () => boolean };

/** A rule's config (chevrotain's IRuleConfig), with chevrotain's defaults. */
interface RuleConfig {
  readonly resyncEnabled?: boolean;
  readonly recoveryValueFunc?: (e: unknown) => unknown;
}
const noRecoveryValue = (): undefined => undefined;

/**
 * chevrotain's rule invocation (defineRule's invokeRuleWithTry, CST flavour) without its rest
 * parameter: the rules of this grammar take no arguments, and the rest array was an allocation
 * on every rule call. Same state updates, same error handling.
 */
export function leanCoreRule(rule: DefinedRule, parser: object, ruleName: string, impl: () => void, config: RuleConfig | undefined): void {
  const shortName = (parser as InvocationInternals).fullRuleNameToShort[ruleName]!;
  const resyncEnabled = config?.resyncEnabled ?? true;
  const recoveryValue = config?.recoveryValueFunc ?? noRecoveryValue;
  rule.coreRule = function invokeRule(this: InvocationInternals): unknown {
    try {
      this.ruleInvocationStateUpdate(shortName, ruleName, this.subruleIdx);
      impl.call(this);
      const cst = this.CST_STACK[this.CST_STACK.length - 1]!;
      this.cstPostRule(cst);
      return cst;
    } catch (e) {
      return this.invokeRuleCatch(e, resyncEnabled, recoveryValue);
    } finally {
      this.ruleFinallyStateUpdate();
    }
  };
}

/**
 * chevrotain's MANY (manyInternalLogic) for a parse without error recovery: the same loop,
 * without the closure it makes for a gate and the argument array for the recovery attempt that
 * does nothing then. RecoverySwitch puts chevrotain's own back when recovery is on.
 */
export function manyWithoutRecovery(this: InvocationInternals, _occurrence: number, body: DslBody, key: number): void {
  const lookahead = this.getLaFuncFromCache(key);
  const action = typeof body === "function" ? body : body.DEF;
  const gate = typeof body === "function" ? undefined : body.GATE;
  while ((gate === undefined || gate.call(this)) && lookahead.call(this) === true) {
    const before = this.currIdx;
    action.call(this);
    if (this.currIdx <= before) break; // stuck: the body consumed nothing
  }
}

/** chevrotain's OPTION (optionInternalLogic) without the closure it makes for a gate. */
export function optionLogic(this: InvocationInternals, body: DslBody, _occurrence: number, key: number): unknown {
  const lookahead = this.getLaFuncFromCache(key);
  if (typeof body === "function") return lookahead.call(this) === true ? body.call(this) : undefined;
  if (body.GATE !== undefined && !body.GATE.call(this)) return undefined;
  return lookahead.call(this) === true ? body.DEF.call(this) : undefined;
}
