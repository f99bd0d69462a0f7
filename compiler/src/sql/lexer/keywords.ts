/**
 * Keyword classes, taken from DuckDB (`duckdb_keywords()`, a PostgreSQL-derived grammar), so that
 * what cpgc reads as a name DuckDB reads as a name too, and the printers know when to quote:
 * - reserved: never a bare name (only after AS or a dot);
 * - typeFunc: a function or type name, never a bare column or table name;
 * - colName: a column or table name, and a function name only with special syntax;
 * - unreserved: a name anywhere.
 */
export type KeywordClass = "reserved" | "typeFunc" | "colName" | "unreserved";

const WORDS: Readonly<Record<KeywordClass, string>> = {
  reserved:
    "all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default deferrable desc describe distinct do else end except false fetch for foreign from group having in initially intersect into lambda lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing primary qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot using variadic when where window with",
  typeFunc:
    "anti asof at authorization binary by collation columns concurrently cross freeze full generated glob ilike inner is isnull join left like map natural notnull outer overlaps positional right semi similar struct tablesample try_cast unpack verbose",
  colName:
    "between bigint bit boolean char character coalesce dec decimal exists extract float grouping grouping_id inout int integer interval national nchar none nullif numeric out overlay position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable",
  // DuckDB's unreserved keywords are names everywhere; only those the grammar uses need listing,
  // plus DIV and MINUS (Spark operators).
  unreserved:
    "cube current day div escape exclude filter first following groups ignore include last materialized minus name next no nulls ordinality others over partition preceding range recursive rename replace respect rollup rows sets ties unbounded unknown view within without zone",
};

const CLASS_OF = new Map<string, KeywordClass>();
for (const cls of Object.keys(WORDS) as KeywordClass[]) for (const w of WORDS[cls].split(" ")) CLASS_OF.set(w.toUpperCase(), cls);

/** The class of a word (any case), or null for a plain identifier. */
export function keywordClass(word: string): KeywordClass | null {
  return CLASS_OF.get(word.toUpperCase()) ?? null;
}

export function wordsOf(cls: KeywordClass): readonly string[] {
  return WORDS[cls].split(" ").map((w) => w.toUpperCase());
}

/**
 * Unreserved words that the grammar uses right after an expression or a table, so they cannot be
 * an alias written without AS (`sum(x) filter (…)`, `* exclude (…)`, `a minus select …`).
 */
export const NOT_BARE_ALIAS: ReadonlySet<string> = new Set([
  "FILTER", "OVER", "WITHIN", "IGNORE", "RESPECT", "EXCLUDE", "REPLACE", "RENAME", "ESCAPE", "NULLS", "MINUS", "DIV",
]);
