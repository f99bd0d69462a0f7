import type { BaseDialect } from "../dialect.js";

/**
 * What each dialect can say and how it spells it. A printer consults this table instead of
 * branching on dialect names, so a dialect's differences are in one place.
 */
export interface DialectSpec {
  readonly name: BaseDialect;
  readonly identQuote: '"' | "`";
  /** standard: '' doubles a quote; backslash: Spark's escapes. */
  readonly strings: "standard" | "backslash";
  readonly list: "brackets" | "array()" | "array[]";
  readonly struct: "braces" | "struct()";
  readonly map: "braces" | "map()";
  readonly types: "duckdb" | "angle";
  readonly namedArg: ":=" | "=>";
  /** Where IGNORE NULLS goes: inside the call's parentheses or after them. */
  readonly nullTreatment: "inside" | "outside";
  readonly intDiv: "//" | "DIV" | null;
  readonly power: "^" | null;
  readonly xor: "^" | null;
  readonly starExclude: "EXCLUDE" | "EXCEPT" | null;
  readonly semiAnti: "SEMI" | "LEFT SEMI" | null;
  /** Features by name; a missing one makes the printer report the construct. */
  readonly supports: ReadonlySet<Feature>;
}

export type Feature =
  | "qualify"
  | "distinctOn"
  | "groupByAll"
  | "starReplace"
  | "starRename"
  | "columns"
  | "slice"
  | "lambda"
  | "methodCall"
  | "atTimeZone"
  | "glob"
  | "similarTo"
  | "betweenSymmetric"
  | "byName"
  | "positionalJoin"
  | "recursive"
  | "materialized"
  | "frameExclude"
  | "groupsFrame"
  | "aggregateOrderBy"
  | "ordinality"
  | "unnestTable"
  | "jsonArrows"
  | "bitwise"
  | "intervalExpression"
  | "unnamedStructField"
  | "fixedSizeArray"
  | "pivot"
  | "lateralView";

const ALL: readonly Feature[] = [
  "qualify", "distinctOn", "groupByAll", "starReplace", "starRename", "columns", "slice", "lambda", "methodCall", "atTimeZone", "glob", "similarTo",
  "betweenSymmetric", "byName", "positionalJoin", "recursive", "materialized", "frameExclude", "groupsFrame", "aggregateOrderBy", "ordinality",
  "unnestTable", "jsonArrows", "bitwise", "intervalExpression", "fixedSizeArray", "pivot",
];

export const DIALECT_SPECS: Readonly<Record<BaseDialect, DialectSpec>> = {
  duckdb: {
    name: "duckdb",
    identQuote: '"',
    strings: "standard",
    list: "brackets",
    struct: "braces",
    map: "braces",
    types: "duckdb",
    namedArg: ":=",
    nullTreatment: "inside",
    intDiv: "//",
    power: "^",
    xor: null,
    starExclude: "EXCLUDE",
    semiAnti: "SEMI",
    supports: new Set(ALL),
  },
  spark: {
    name: "spark",
    identQuote: "`",
    strings: "backslash",
    list: "array()",
    struct: "struct()",
    map: "map()",
    types: "angle",
    namedArg: "=>",
    nullTreatment: "inside",
    intDiv: "DIV",
    power: null,
    xor: "^",
    // Databricks' spelling; open-source Spark has no star modifiers.
    starExclude: "EXCEPT",
    semiAnti: "LEFT SEMI",
    supports: new Set<Feature>(["groupByAll", "lambda", "bitwise", "unnamedStructField", "pivot", "lateralView"]),
  },
  ansi: {
    name: "ansi",
    identQuote: '"',
    strings: "standard",
    list: "array[]",
    struct: "struct()",
    map: "braces",
    types: "angle",
    namedArg: "=>",
    nullTreatment: "outside",
    intDiv: null,
    power: null,
    xor: null,
    starExclude: null,
    semiAnti: null,
    supports: new Set<Feature>(["atTimeZone", "similarTo", "betweenSymmetric", "recursive", "frameExclude", "groupsFrame", "aggregateOrderBy", "ordinality", "unnestTable", "unnamedStructField"]),
  },
};
