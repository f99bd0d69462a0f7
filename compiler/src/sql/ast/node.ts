/**
 * Base of every AST node: a `kind` discriminant and the node's source range (offsets into the
 * parsed SQL text, `end` exclusive). Nodes made by passes rather than the parser carry the range
 * of the node they stand for, or NO_RANGE.
 */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/**
 * Whether nodes, lists and ranges are frozen when made. The AST is immutable by type (every field
 * readonly); freezing also makes a pass that writes to a node throw. That check runs under the
 * test runner (vitest sets VITEST) and with CPGC_FREEZE_AST=1; elsewhere it is off, because
 * Object.freeze costs several times more than making the object, for every node of every tree.
 */
export const FREEZE_AST: boolean = typeof process !== "undefined" && (process.env["VITEST"] !== undefined || process.env["CPGC_FREEZE_AST"] === "1");

/** The range of a node that has no source text (synthesized by a pass). */
export const NO_RANGE: Range = Object.freeze({ start: -1, end: -1 });

export function range(start: number, end: number): Range {
  return FREEZE_AST ? Object.freeze({ start, end }) : { start, end };
}

/** The range spanning two ranges (either may be NO_RANGE). */
export function span(a: Range, b: Range): Range {
  if (a.start < 0) return b;
  if (b.start < 0) return a;
  return range(Math.min(a.start, b.start), Math.max(a.end, b.end));
}

/**
 * Freezes a list for a node. Factories take ownership of the arrays they are given (no copy: the
 * builder makes a fresh array per list, and copying every list would double allocation).
 */
export function list<T>(items: readonly T[]): readonly T[] {
  return !FREEZE_AST || Object.isFrozen(items) ? items : Object.freeze(items);
}

export function freeze<T extends object>(node: T): T {
  return FREEZE_AST ? Object.freeze(node) : node;
}
