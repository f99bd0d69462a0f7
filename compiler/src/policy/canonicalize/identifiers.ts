/**
 * Canonical identifiers. Unquoted names are case-insensitive in every supported dialect, so they
 * are lower-cased (PostgreSQL's folding; DuckDB and Spark match names case-insensitively). A
 * quoted name keeps its spelling — it is what the user asked for — except that a quoted name
 * that is already lower-case and could stand bare (`"a"`) is the same as the bare name and loses
 * its quotes. Aliases are identifiers like any other: `AS Total` names the output column
 * `total` in the canonical SQL cpgc executes, so alias case never changes a fingerprint; quote
 * the alias (`AS "Total"`) to keep upper case in the materialized column name.
 */
import { identifier, type Identifier } from "../../sql/index.js";
import { canBeBare } from "../../sql/print/quote.js";

const LOWER_BARE = /^[a-z_][a-z0-9_]*$/;

export function canonicalIdentifier(id: Identifier): Identifier {
  if (!id.quoted) {
    const lower = id.name.toLowerCase();
    return lower === id.name ? id : identifier(lower, false, id.range);
  }
  if (LOWER_BARE.test(id.name) && canBeBare(id.name, "colId")) return identifier(id.name, false, id.range);
  return id;
}

/** Compares two names the way the engine resolves them after canonicalization. */
export function sameName(a: Identifier, b: Identifier): boolean {
  return canonicalIdentifier(a).name === canonicalIdentifier(b).name;
}
