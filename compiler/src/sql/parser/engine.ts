/**
 * How the SQL parser drives chevrotain (11.x, pinned): three adaptations for speed, none of which
 * changes what the parser accepts, the CST it builds or the errors it reports.
 *
 * - SqlLookahead (chevrotain's public `lookaheadStrategy` option): lookahead functions built on
 *   first use, and a cheaper function for gated LL(1) alternations.
 * - CST children in a Map (the tree builder's hooks on the parser): the AST builder probes a
 *   dozen names per node, most of them absent, which a Map answers several times faster than
 *   chevrotain's null-prototype dictionaries (see Ctx in build/base.ts).
 * - RecoverySwitch: error recovery off for a parse that has no errors. Recovery costs on every
 *   parse — a check after each repetition, node locations kept up to date token by token — and
 *   matters only when there are errors; parse.ts parses again with it when there are.
 *
 * The last two use chevrotain internals (named here, with the fields they touch); the parse
 * tests would fail at once if a chevrotain upgrade moved them.
 */
import { LLkLookaheadStrategy, getLookaheadPaths, type CstElement, type CstNodeLocation, type ILookaheadStrategy, type IOrAlt, type IToken } from "../chevrotain.js";

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

/** A CST node as the parser builds it: children in a Map. */
interface MapCstNode {
  readonly name: string;
  readonly children: Map<string, CstElement[]>;
  location?: CstNodeLocation;
}

/** The parts of chevrotain's TreeBuilder the hooks below use. */
interface TreeBuilderInternals {
  readonly CST_STACK: MapCstNode[];
  setInitialNodeLocation(node: MapCstNode): void;
  setNodeLocationFromToken(location: CstNodeLocation | undefined, token: IToken): void;
  setNodeLocationFromNode(location: CstNodeLocation | undefined, from: CstNodeLocation | undefined): void;
}

function addChild(children: Map<string, CstElement[]>, key: string, child: CstElement): void {
  const list = children.get(key);
  if (list === undefined) children.set(key, [child]);
  else list.push(child);
}

/** TreeBuilder.cstInvocationStateUpdate, with a Map for the children. */
export function mapCstInvocation(parser: object, fullRuleName: string): void {
  const self = parser as TreeBuilderInternals;
  const cstNode = { name: fullRuleName, children: new Map<string, CstElement[]>() };
  self.setInitialNodeLocation(cstNode);
  self.CST_STACK.push(cstNode);
}

/** TreeBuilder.cstPostTerminal, with a Map for the children. */
export function mapCstPostTerminal(parser: object, key: string, consumedToken: IToken): void {
  const self = parser as TreeBuilderInternals;
  const node = self.CST_STACK[self.CST_STACK.length - 1]!;
  addChild(node.children, key, consumedToken);
  self.setNodeLocationFromToken(node.location, consumedToken);
}

/** TreeBuilder.cstPostNonTerminal, with a Map for the children. */
export function mapCstPostNonTerminal(parser: object, ruleCstResult: unknown, ruleName: string): void {
  const self = parser as TreeBuilderInternals;
  const node = self.CST_STACK[self.CST_STACK.length - 1]!;
  addChild(node.children, ruleName, ruleCstResult as CstElement);
  self.setNodeLocationFromNode(node.location, (ruleCstResult as MapCstNode).location);
}

/** chevrotain's per-instance fields that differ with and without error recovery. */
interface RecoveryFields {
  recoveryEnabled: boolean;
  attemptInRepetitionRecovery: (...args: unknown[]) => void;
  setNodeLocationFromToken: (...args: unknown[]) => void;
  setNodeLocationFromNode: (...args: unknown[]) => void;
  cstPostRule: (...args: unknown[]) => void;
  setInitialNodeLocation: (...args: unknown[]) => void;
}

/** The prototype methods a parser without recovery uses ("onlyOffset" location tracking). */
interface RegularLocationMethods {
  readonly cstPostRuleOnlyOffset: (...args: unknown[]) => void;
  readonly setInitialNodeLocationOnlyOffsetRegular: (...args: unknown[]) => void;
}

const NOOP = (): void => {};

/**
 * Turns error recovery on and off on one parser instance (a second parser would double the
 * start-up cost): the fields chevrotain sets at construction for `recoveryEnabled` (Recoverable,
 * TreeBuilder with nodeLocationTracking "onlyOffset"), as a parser made with recovery has them
 * and as one made without would.
 */
export class RecoverySwitch {
  private on: RecoveryFields | null = null;
  private off: RecoveryFields | null = null;

  constructor(private readonly parser: object) {}

  set(enabled: boolean): void {
    const self = this.parser as RecoveryFields & RegularLocationMethods;
    if (this.on === null) {
      this.on = {
        recoveryEnabled: self.recoveryEnabled,
        attemptInRepetitionRecovery: self.attemptInRepetitionRecovery,
        setNodeLocationFromToken: self.setNodeLocationFromToken,
        setNodeLocationFromNode: self.setNodeLocationFromNode,
        cstPostRule: self.cstPostRule,
        setInitialNodeLocation: self.setInitialNodeLocation,
      };
      this.off = {
        recoveryEnabled: false,
        attemptInRepetitionRecovery: NOOP,
        setNodeLocationFromToken: NOOP,
        setNodeLocationFromNode: NOOP,
        cstPostRule: self.cstPostRuleOnlyOffset,
        setInitialNodeLocation: self.setInitialNodeLocationOnlyOffsetRegular,
      };
    }
    Object.assign(self, enabled ? this.on : this.off);
  }
}
