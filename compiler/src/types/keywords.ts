/**
 * The words of the Arrow type-string language: canonical names, accepted aliases and the
 * names other systems use (answered with a pointer to the Arrow name instead of a guess).
 */
import { PRIMITIVE_KINDS } from "./model.js";

/** Keywords that take parameters. */
export const PARAMETERIZED_KEYWORDS = ["time32", "time64", "timestamp", "decimal", "struct", "list", "map"] as const;

export const CANONICAL_KEYWORDS: readonly string[] = [...PRIMITIVE_KINDS, ...PARAMETERIZED_KEYWORDS];

/**
 * Accepted aliases → canonical keyword. Deliberately small: exactly the names pyarrow's
 * `str(type)` prints where they differ from the canonical ones, plus `boolean`. Aliases are
 * normalized away; the printer always writes the canonical name.
 */
export const TYPE_ALIASES: ReadonlyMap<string, string> = new Map([
  ["string", "utf8"],
  ["large_string", "large_utf8"],
  ["boolean", "bool"],
  ["halffloat", "float16"],
  ["float", "float32"],
  ["double", "float64"],
  ["decimal128", "decimal"],
]);

/**
 * Names from SQL engines, Delta/Spark and Parquet that are NOT accepted (they are ambiguous
 * across systems — `int8` is 8 bits in Arrow but 8 bytes in Postgres/DuckDB), mapped to the
 * Arrow spelling to suggest.
 */
export const FOREIGN_TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ["int", "int32"],
  ["integer", "int32"],
  ["bigint", "int64"],
  ["long", "int64"],
  ["smallint", "int16"],
  ["short", "int16"],
  ["tinyint", "int8"],
  ["byte", "int8"],
  ["real", "float32"],
  ["varchar", "utf8"],
  ["text", "utf8"],
  ["char", "utf8"],
  ["blob", "binary"],
  ["bytes", "binary"],
  ["bytea", "binary"],
  ["date", "date32"],
  ["datetime", "timestamp[us]"],
  ["timestamptz", "timestamp[us, UTC]"],
  ["timestamp_ntz", "timestamp[us]"],
  ["time", "time64[us]"],
  ["numeric", "decimal(p, s)"],
  ["array", "list<...>"],
]);

/** Every word a user may write in type position, for did-you-mean. */
export const ALL_TYPE_WORDS: readonly string[] = [...CANONICAL_KEYWORDS, ...TYPE_ALIASES.keys()];

/** Canonical keyword for a (case-insensitive) word, or undefined when unknown. */
export function canonicalKeyword(word: string): string | undefined {
  const lower = word.toLowerCase();
  const alias = TYPE_ALIASES.get(lower);
  if (alias !== undefined) return alias;
  return CANONICAL_KEYWORDS.includes(lower) ? lower : undefined;
}
