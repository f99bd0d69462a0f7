import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from "../chevrotain.js";

/**
 * Short, user-facing parser messages: "expected X, found Y". Chevrotain's defaults list whole
 * token paths, which reads like a grammar dump.
 */
export function describeToken(t: IToken): string {
  if (t.tokenType === EOF) return "the end of the query";
  const image = t.image.length > 30 ? `${t.image.slice(0, 27)}...` : t.image;
  return `'${image}'`;
}

function describeType(t: TokenType): string {
  const label = t.LABEL ?? t.name;
  return /^[A-Z_]+$/.test(label) ? label : label;
}

function describeExpected(types: readonly TokenType[]): string {
  const names = [...new Set(types.map(describeType))];
  if (names.length === 0) return "something else";
  if (names.length === 1) return names[0]!;
  if (names.length <= 6) return `one of ${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  return `one of ${names.slice(0, 6).join(", ")}, …`;
}

export const ERROR_MESSAGES: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${describeType(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
    const found = actual[0];
    const firsts = expectedPathsPerAlt.flatMap((paths) => paths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined));
    const what = customUserDescription ?? describeExpected(firsts);
    return `expected ${what}, found ${found ? describeToken(found) : "the end of the query"}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    const found = actual[0];
    const firsts = expectedIterationPaths.map((p) => p[0]).filter((t): t is TokenType => t !== undefined);
    const what = customUserDescription ?? describeExpected(firsts);
    return `expected ${what}, found ${found ? describeToken(found) : "the end of the query"}`;
  },
};
