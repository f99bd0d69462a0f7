/**
 * Arrow type model → DuckDB type strings (as used in CREATE TABLE / CAST).
 *
 * Exact: bool BOOLEAN, int8..int64 TINYINT/SMALLINT/INTEGER/BIGINT, uint8..uint64
 * UTINYINT/USMALLINT/UINTEGER/UBIGINT, float32 FLOAT, float64 DOUBLE, utf8 VARCHAR, binary
 * BLOB, date32 DATE, time64[us] TIME, time64[ns] TIME_NS, timestamp[s|ms|us|ns]
 * TIMESTAMP_S / TIMESTAMP_MS / TIMESTAMP / TIMESTAMP_NS, timestamp[us, UTC] TIMESTAMPTZ,
 * decimal DECIMAL(p,s), struct STRUCT("a" T, ...) (names always quoted), list T[],
 * map MAP(K, V).
 *
 * Nearest type, recorded as a note: float16 → FLOAT (widened), large_utf8 → VARCHAR,
 * large_binary → BLOB, date64 → DATE, time32[s|ms] → TIME (widened),
 * timestamp[s|ms|ns, tz] → TIMESTAMPTZ (DuckDB's only zoned timestamp is microseconds),
 * a zone other than UTC (DuckDB stores instants; the zone is not kept), and `not null` on
 * nested positions (DuckDB types carry no nested nullability).
 */
import type { ConversionNote } from "./conversion.js";
import { type ArrowType, type PrimitiveKind, isUtcTimezone } from "./model.js";
import { elementPath, fieldPath, keyPath, quoteName, valuePath } from "./names.js";

const DUCKDB_PRIMITIVES: Record<PrimitiveKind, string> = {
  bool: "BOOLEAN",
  int8: "TINYINT",
  int16: "SMALLINT",
  int32: "INTEGER",
  int64: "BIGINT",
  uint8: "UTINYINT",
  uint16: "USMALLINT",
  uint32: "UINTEGER",
  uint64: "UBIGINT",
  float16: "FLOAT",
  float32: "FLOAT",
  float64: "DOUBLE",
  utf8: "VARCHAR",
  large_utf8: "VARCHAR",
  binary: "BLOB",
  large_binary: "BLOB",
  date32: "DATE",
  date64: "DATE",
};

const APPROXIMATE: Partial<Record<PrimitiveKind, string>> = {
  float16: "float16 is widened to FLOAT",
  large_utf8: "large_utf8 is VARCHAR and reads back as utf8",
  large_binary: "large_binary is BLOB and reads back as binary",
  date64: "date64 is DATE and reads back as date32",
};

const TIMESTAMPS = { s: "TIMESTAMP_S", ms: "TIMESTAMP_MS", us: "TIMESTAMP", ns: "TIMESTAMP_NS" } as const;

/** The DuckDB spelling of `t`. Total: every type has a DuckDB counterpart (see notes). */
export function toDuckDbType(t: ArrowType): string {
  return convert(t, "", []);
}

/** `toDuckDbType` plus what the mapping changed. */
export function toDuckDbTypeWithNotes(t: ArrowType): { readonly text: string; readonly notes: readonly ConversionNote[] } {
  const notes: ConversionNote[] = [];
  const text = convert(t, "", notes);
  return { text, notes };
}

function convert(t: ArrowType, path: string, notes: ConversionNote[]): string {
  const note = (message: string): void => void notes.push({ path, message });
  const nullability = (nullable: boolean, what: string): void => {
    if (!nullable) note(`'not null' on the ${what} is dropped: DuckDB types carry no nested nullability`);
  };
  switch (t.kind) {
    case "time32":
      note(`time32[${t.unit}] is widened to TIME (microseconds)`);
      return "TIME";
    case "time64":
      return t.unit === "ns" ? "TIME_NS" : "TIME";
    case "timestamp":
      if (t.timezone === null) return TIMESTAMPS[t.unit];
      if (t.unit !== "us") note(`TIMESTAMPTZ stores microseconds: timestamp unit ${t.unit} is converted`);
      if (t.timezone !== "UTC") {
        note(
          isUtcTimezone(t.timezone)
            ? `timezone '${t.timezone}' reads back from DuckDB as 'UTC'`
            : `TIMESTAMPTZ stores instants: timezone '${t.timezone}' is not kept`,
        );
      }
      return "TIMESTAMPTZ";
    case "decimal":
      return `DECIMAL(${t.precision},${t.scale})`;
    case "struct":
      return `STRUCT(${t.fields
        .map((f) => {
          const p = fieldPath(path, f.name);
          if (!f.nullable) notes.push({ path: p, message: "'not null' on a struct field is dropped: DuckDB types carry no nested nullability" });
          return `${quoteName(f.name)} ${convert(f.type, p, notes)}`;
        })
        .join(", ")})`;
    case "list":
      nullability(t.elementNullable, "list element");
      return `${convert(t.element, elementPath(path), notes)}[]`;
    case "map":
      nullability(t.valueNullable, "map value");
      return `MAP(${convert(t.key, keyPath(path), notes)}, ${convert(t.value, valuePath(path), notes)})`;
    default: {
      const approximate = APPROXIMATE[t.kind];
      if (approximate !== undefined) note(approximate);
      return DUCKDB_PRIMITIVES[t.kind];
    }
  }
}
