/** Naming helpers: the names unaliased projections get, canonical spelling, column rewrites. */
import { type Expr, type Identifier, createTransformer } from "../../sql/index.js";

/** The name an unaliased projection gets (SQLGlot's rules: column → its name, literal → its text). */
/** The identifier a projection is named after when it has no alias (`t.col` → `col`), with its quoting. */
export function outputIdent(e: Expr): Identifier | null {
  switch (e.kind) {
    case "column":
      return e.path[e.path.length - 1]!;
    case "fieldAccess":
      return e.field;
    case "cast":
      return outputIdent(e.expr);
    case "namedArg":
      return e.name;
    default:
      return null;
  }
}

/**
 * A name as the canonical query spells it: unquoted identifiers are case-insensitive and
 * canonicalize lower-cases them, so output column names follow (`SELECT NODE_ID` names `node_id`).
 */
export function canonicalName(id: Identifier): string {
  return id.quoted ? id.name : id.name.toLowerCase();
}

export function outputName(e: Expr): string | null {
  switch (e.kind) {
    case "column":
      return e.path[e.path.length - 1]!.name;
    case "fieldAccess":
      return e.field.name;
    case "cast":
      return outputName(e.expr);
    case "number":
      return e.value;
    case "string":
      return e.value;
    case "namedArg":
      return e.name.name;
    default:
      return null;
  }
}

/** Replaces every `column` node for which `fn` returns a node (used for USING rewrites). */
export const mapColumns = (fn: (c: Extract<Expr, { kind: "column" }>) => Expr | null) =>
  createTransformer({
    column: (c) => fn(c) ?? c,
  });
