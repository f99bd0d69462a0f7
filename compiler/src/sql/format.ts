import { format, type SqlLanguage } from "sql-formatter";
import { baseDialect, type Dialect } from "./dialect.js";

const LANGUAGE: Readonly<Record<"duckdb" | "spark" | "ansi", SqlLanguage>> = { duckdb: "duckdb", spark: "spark", ansi: "sql" };

/**
 * Human-facing layout of SQL (plan diffs, `cpgc sql format`): sql-formatter over the printer's
 * canonical text. The printer decides what the SQL says; this only decides where lines break.
 * Falls back to the input when sql-formatter cannot lay it out.
 */
export function formatSql(sql: string, dialect: Dialect = "duckdb"): string {
  try {
    return format(sql, { language: LANGUAGE[baseDialect(dialect)], tabWidth: 2, keywordCase: "preserve", identifierCase: "preserve" });
  } catch {
    return sql;
  }
}
