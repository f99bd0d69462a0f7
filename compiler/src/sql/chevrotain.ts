import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * chevrotain, loaded from the single-file bundle it ships (lib/chevrotain.mjs) when present:
 * the package entry point imports several hundred lodash-es modules, which costs ~300 ms at
 * start-up against ~20 ms for the bundle (cpgc parses SQL in short-lived CLI runs). The bundle
 * is not in the package's `exports`, so it is found next to the resolved entry; any other layout
 * falls back to the regular import. Every SQL module imports chevrotain from here, so one
 * instance serves all of them.
 */
type Chevrotain = typeof import("chevrotain");

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const bundle = join(dirname(entry), "..", "chevrotain.mjs");
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  } catch {
    // fall through to the regular entry point
  }
  return import("chevrotain");
}

const chevrotain = await load();

export const { createToken, Lexer, CstParser, tokenMatcher, EOF, LLkLookaheadStrategy, getLookaheadPaths } = chevrotain;
/** The instance type, under the same name as the class (as `import { Lexer } from "chevrotain"` gives). */
export type Lexer = import("chevrotain").Lexer;
export type {
  CstElement, CstNode, CstNodeLocation, ILookaheadStrategy, IOrAlt, IParserErrorMessageProvider, IRecognitionException, IToken, OrMethodOpts, ParserMethod, TokenType,
} from "chevrotain";
