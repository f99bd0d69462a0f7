/**
 * The SQL dialects cpgc reads and writes. `duckdb` is executed by the embedded engine; `spark`
 * and `ansi` are rendered for portability (`datafusion` is an alias of `ansi`: DataFusion's
 * parser follows the standard where the two differ in what cpgc prints).
 */
export const DIALECTS = ["duckdb", "spark", "ansi", "datafusion"] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The dialects with their own rules; `datafusion` maps to `ansi`. */
export type BaseDialect = "duckdb" | "spark" | "ansi";

export function baseDialect(d: Dialect): BaseDialect {
  return d === "datafusion" ? "ansi" : d;
}

export function isDialect(name: string): name is Dialect {
  return (DIALECTS as readonly string[]).includes(name);
}
