/**
 * Arrow type model → Delta Lake schema JSON (PROTOCOL.md, "Schema Serialization Format").
 *
 * Mapping decisions:
 * - bool→boolean, int8→byte, int16→short, int32→integer, int64→long, float32→float,
 *   float64→double, utf8→string, binary→binary, date32→date, decimal(p,s)→"decimal(p,s)".
 * - Same values, different Arrow encoding (a note is recorded; they read back as the plain
 *   type): large_utf8→string, large_binary→binary, date64→date.
 * - timestamp with a timezone → `timestamp` (a UTC-adjusted instant); without → `timestamp_ntz`.
 *   Delta stores microseconds: units s and ms widen losslessly, ns truncates to microseconds,
 *   a non-UTC zone is not stored (all recorded as notes). They read back as timestamp[us, UTC]
 *   and timestamp[us].
 * - Not representable, an error instead of a silent change: uint8..uint64, float16, time32,
 *   time64 (each with a hint naming the nearest representable type).
 * - Nested fields get empty `metadata`; `not null` maps to nullable/containsNull/
 *   valueContainsNull = false.
 */
import { type ConversionError, type ConversionNote, ConversionFailure, catchConversion } from "./conversion.js";
import { type ArrowType, type Column, type PrimitiveKind, isUtcTimezone } from "./model.js";
import { elementPath, fieldPath, keyPath, valuePath } from "./names.js";
import { formatArrowType } from "./print.js";

export type DeltaDataType = string | DeltaStructType | DeltaArrayType | DeltaMapType;

export interface DeltaStructField {
  readonly name: string;
  readonly type: DeltaDataType;
  readonly nullable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}
export interface DeltaStructType {
  readonly type: "struct";
  readonly fields: readonly DeltaStructField[];
}
export interface DeltaArrayType {
  readonly type: "array";
  readonly elementType: DeltaDataType;
  readonly containsNull: boolean;
}
export interface DeltaMapType {
  readonly type: "map";
  readonly keyType: DeltaDataType;
  readonly valueType: DeltaDataType;
  readonly valueContainsNull: boolean;
}

/** A column with its Delta field metadata (e.g. comments, column-mapping ids). */
export interface DeltaColumn extends Column {
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export type ToDeltaTypeResult =
  | { readonly ok: true; readonly type: DeltaDataType; readonly notes: readonly ConversionNote[] }
  | ConversionError;
export type ToDeltaSchemaResult =
  | { readonly ok: true; readonly schema: DeltaStructType; readonly notes: readonly ConversionNote[] }
  | ConversionError;

const DELTA_PRIMITIVES: Partial<Record<PrimitiveKind, string>> = {
  bool: "boolean",
  int8: "byte",
  int16: "short",
  int32: "integer",
  int64: "long",
  float32: "float",
  float64: "double",
  utf8: "string",
  large_utf8: "string",
  binary: "binary",
  large_binary: "binary",
  date32: "date",
  date64: "date",
};

const RE_ENCODED: Partial<Record<PrimitiveKind, string>> = {
  large_utf8: "utf8",
  large_binary: "binary",
  date64: "date32",
};

const UNSUPPORTED_HINTS: Partial<Record<ArrowType["kind"], string>> = {
  uint8: "use int16 (holds every uint8 value)",
  uint16: "use int32 (holds every uint16 value)",
  uint32: "use int64 (holds every uint32 value)",
  uint64: "use decimal(20, 0) (holds every uint64 value) or int64",
  float16: "use float32",
  time32: "store a time of day as int32/int64 (e.g. milliseconds since midnight) or utf8",
  time64: "store a time of day as int64 (e.g. microseconds since midnight) or utf8",
};

export function toDeltaType(t: ArrowType): ToDeltaTypeResult {
  const notes: ConversionNote[] = [];
  const r = catchConversion(() => convert(t, "", notes));
  return typeof r === "object" && "ok" in r ? r : { ok: true, type: r, notes };
}

export function toDeltaSchema(columns: readonly DeltaColumn[]): ToDeltaSchemaResult {
  const notes: ConversionNote[] = [];
  const r = catchConversion((): DeltaStructType => {
    const seen = new Set<string>();
    const fields = columns.map((c): DeltaStructField => {
      const path = fieldPath("", c.name);
      if (c.name === "") throw new ConversionFailure(path, "a column name must not be empty");
      if (seen.has(c.name.toLowerCase())) {
        throw new ConversionFailure(path, `duplicate column name '${c.name}' (Delta column names are case-insensitive)`);
      }
      seen.add(c.name.toLowerCase());
      return { name: c.name, type: convert(c.type, path, notes), nullable: c.nullable, metadata: c.metadata ?? {} };
    });
    return { type: "struct", fields };
  });
  return "ok" in r ? r : { ok: true, schema: r, notes };
}

function convert(t: ArrowType, path: string, notes: ConversionNote[]): DeltaDataType {
  switch (t.kind) {
    case "timestamp":
      return convertTimestamp(t.unit, t.timezone, path, notes);
    case "decimal":
      return `decimal(${t.precision},${t.scale})`;
    case "struct":
      return {
        type: "struct",
        fields: t.fields.map((f) => {
          const p = fieldPath(path, f.name);
          return { name: f.name, type: convert(f.type, p, notes), nullable: f.nullable, metadata: {} };
        }),
      };
    case "list":
      return { type: "array", elementType: convert(t.element, elementPath(path), notes), containsNull: t.elementNullable };
    case "map":
      return {
        type: "map",
        keyType: convert(t.key, keyPath(path), notes),
        valueType: convert(t.value, valuePath(path), notes),
        valueContainsNull: t.valueNullable,
      };
    default: {
      const name = t.kind === "time32" || t.kind === "time64" ? undefined : DELTA_PRIMITIVES[t.kind];
      if (name === undefined) {
        throw new ConversionFailure(
          path,
          `${formatArrowType(t)} has no Delta Lake equivalent`,
          UNSUPPORTED_HINTS[t.kind],
        );
      }
      const plain = t.kind === "time32" || t.kind === "time64" ? undefined : RE_ENCODED[t.kind];
      if (plain !== undefined) {
        notes.push({ path, message: `${t.kind} is stored as Delta '${name}' and reads back as ${plain}` });
      }
      return name;
    }
  }
}

function convertTimestamp(unit: string, timezone: string | null, path: string, notes: ConversionNote[]): string {
  const name = timezone === null ? "timestamp_ntz" : "timestamp";
  if (unit === "ns") {
    notes.push({ path, message: `Delta '${name}' stores microseconds: nanoseconds are truncated` });
  } else if (unit !== "us") {
    notes.push({ path, message: `Delta '${name}' stores microseconds: unit ${unit} is widened to us` });
  }
  if (timezone !== null && timezone !== "UTC") {
    const message = isUtcTimezone(timezone)
      ? `timezone '${timezone}' reads back from Delta as 'UTC'`
      : `Delta 'timestamp' is a UTC instant: timezone '${timezone}' is not stored`;
    notes.push({ path, message });
  }
  return name;
}
