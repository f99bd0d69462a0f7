/**
 * Base of every AST node: a `kind` discriminant and the node's source range (offsets into the
 * parsed SQL text, `end` exclusive). Nodes made by passes rather than the parser carry the range
 * of the node they stand for, or NO_RANGE.
 */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The range of a node that has no source text (synthesized by a pass). */
export const NO_RANGE: Range = Object.freeze({ start: -1, end: -1 });

export function range(start: number, end: number): Range {
  return Object.freeze({ start, end });
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
  return Object.isFrozen(items) ? items : Object.freeze(items);
}

export function freeze<T extends object>(node: T): T {
  return Object.freeze(node);
}
