import type { BaseDialect } from "../dialect.js";

/**
 * Canonical type names: every synonym a dialect accepts maps to one name, so `CAST(x AS INT)` and
 * `x::INTEGER` are the same tree and each printer spells the type its own way. The table reads
 * a word as written (multi-word names joined by one space); unknown names stay as written,
 * upper-cased. Spark's TIMESTAMP is an instant (TIMESTAMPTZ), its TIMESTAMP_NTZ a local time.
 */
const COMMON: Readonly<Record<string, string>> = {
  INT: "INTEGER", INTEGER: "INTEGER", INT4: "INTEGER", SIGNED: "INTEGER",
  BIGINT: "BIGINT", INT8: "BIGINT", LONG: "BIGINT",
  SMALLINT: "SMALLINT", INT2: "SMALLINT", SHORT: "SMALLINT",
  TINYINT: "TINYINT", INT1: "TINYINT", BYTE: "TINYINT",
  HUGEINT: "HUGEINT", INT128: "HUGEINT",
  FLOAT: "FLOAT", FLOAT4: "FLOAT", REAL: "FLOAT",
  DOUBLE: "DOUBLE", FLOAT8: "DOUBLE", "DOUBLE PRECISION": "DOUBLE",
  DECIMAL: "DECIMAL", NUMERIC: "DECIMAL", DEC: "DECIMAL",
  VARCHAR: "VARCHAR", STRING: "VARCHAR", TEXT: "VARCHAR", "CHARACTER VARYING": "VARCHAR", "CHAR VARYING": "VARCHAR", NVARCHAR: "VARCHAR", BPCHAR: "VARCHAR",
  CHAR: "CHAR", CHARACTER: "CHAR",
  BOOLEAN: "BOOLEAN", BOOL: "BOOLEAN", LOGICAL: "BOOLEAN",
  BLOB: "BLOB", BYTEA: "BLOB", BINARY: "BLOB", VARBINARY: "BLOB",
  DATE: "DATE",
  TIME: "TIME", "TIME WITHOUT TIME ZONE": "TIME", TIMETZ: "TIMETZ", "TIME WITH TIME ZONE": "TIMETZ",
  TIMESTAMP: "TIMESTAMP", DATETIME: "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP", TIMESTAMP_NTZ: "TIMESTAMP",
  TIMESTAMPTZ: "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ", TIMESTAMP_LTZ: "TIMESTAMPTZ",
  INTERVAL: "INTERVAL",
  UUID: "UUID",
  JSON: "JSON",
};

const SPARK_READ: Readonly<Record<string, string>> = { ...COMMON, TIMESTAMP: "TIMESTAMPTZ" };

export function canonicalTypeName(written: string, dialect: BaseDialect): string {
  const key = written.toUpperCase().replace(/\s+/g, " ");
  return (dialect === "spark" ? SPARK_READ : COMMON)[key] ?? key;
}

/** How each dialect spells a canonical name (absent: the canonical name itself). */
export const TYPE_SPELLINGS: Readonly<Record<BaseDialect, Readonly<Record<string, string>>>> = {
  duckdb: {},
  spark: { INTEGER: "INT", VARCHAR: "STRING", BLOB: "BINARY", TIMESTAMP: "TIMESTAMP_NTZ", TIMESTAMPTZ: "TIMESTAMP" },
  ansi: { BLOB: "BYTEA", TIMESTAMPTZ: "TIMESTAMP WITH TIME ZONE", TIMETZ: "TIME WITH TIME ZONE" },
};
