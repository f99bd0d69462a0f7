import { freeze, NO_RANGE, type Range } from "./node.js";

/**
 * A name as written: `name` is the text of an unquoted identifier exactly as typed (case kept;
 * normalizing case is a policy pass's job), or the unescaped content of a quoted one. Which quote
 * character was used is not kept: it is a dialect spelling, not part of the query.
 */
export interface Identifier {
  readonly kind: "identifier";
  readonly name: string;
  readonly quoted: boolean;
  readonly range: Range;
}

export function identifier(name: string, quoted = false, r: Range = NO_RANGE): Identifier {
  return freeze({ kind: "identifier", name, quoted, range: r });
}

/** A dotted name (`catalog.schema.table`, `schema.function`): at least one part. */
export type QualifiedName = readonly Identifier[];
