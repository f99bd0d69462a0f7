/**
 * The cpgc Arrow type model: an immutable discriminated union (on `kind`) over the Arrow
 * logical types a cpgc dataset column may have. Values are plain frozen objects, so two
 * equal types deep-equal each other and serialize canonically.
 *
 * Nullability lives on the edge, not on the type: a struct field, a list element and a map
 * value each carry a `nullable` flag (default true); map keys are always non-null. A
 * top-level column's nullability belongs to the column (see `Column`).
 */

export const INTEGER_KINDS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"] as const;
export const FLOAT_KINDS = ["float16", "float32", "float64"] as const;

/** Types with no parameters. */
export const PRIMITIVE_KINDS = [
  "bool",
  ...INTEGER_KINDS,
  ...FLOAT_KINDS,
  "utf8",
  "large_utf8",
  "binary",
  "large_binary",
  "date32",
  "date64",
] as const;

export type IntegerKind = (typeof INTEGER_KINDS)[number];
export type FloatKind = (typeof FLOAT_KINDS)[number];
export type PrimitiveKind = (typeof PRIMITIVE_KINDS)[number];

export type TimeUnit = "s" | "ms" | "us" | "ns";
export const TIME_UNITS: readonly TimeUnit[] = ["s", "ms", "us", "ns"];

/** Decimal precision bounds (128-bit decimals). */
export const MAX_DECIMAL_PRECISION = 38;
/** Deepest nesting of struct/list/map the parsers accept (keeps recursion bounded). */
export const MAX_NESTING_DEPTH = 64;

export interface PrimitiveType {
  readonly kind: PrimitiveKind;
}
export interface Time32Type {
  readonly kind: "time32";
  readonly unit: "s" | "ms";
}
export interface Time64Type {
  readonly kind: "time64";
  readonly unit: "us" | "ns";
}
export interface TimestampType {
  readonly kind: "timestamp";
  readonly unit: TimeUnit;
  /** IANA name or offset (`UTC`, `Europe/Paris`, `+05:30`); null for a zone-less (local) timestamp. */
  readonly timezone: string | null;
}
export interface DecimalType {
  readonly kind: "decimal";
  /** 1..38 */
  readonly precision: number;
  /** 0..precision */
  readonly scale: number;
}
export interface StructField {
  readonly name: string;
  readonly type: ArrowType;
  readonly nullable: boolean;
}
export interface StructType {
  readonly kind: "struct";
  /** At least one field; names unique case-insensitively. */
  readonly fields: readonly StructField[];
}
export interface ListType {
  readonly kind: "list";
  readonly element: ArrowType;
  readonly elementNullable: boolean;
}
export interface MapType {
  readonly kind: "map";
  /** Always non-null. */
  readonly key: ScalarType;
  readonly value: ArrowType;
  readonly valueNullable: boolean;
}

/** Non-nested types: the only types allowed as map keys. */
export type ScalarType = PrimitiveType | Time32Type | Time64Type | TimestampType | DecimalType;
export type NestedType = StructType | ListType | MapType;
export type ArrowType = ScalarType | NestedType;
export type ArrowTypeKind = ArrowType["kind"];

/** A top-level column: the shape the other converters and `resolvePath` take. */
export interface Column {
  readonly name: string;
  readonly type: ArrowType;
  readonly nullable: boolean;
}

const primitiveSet: ReadonlySet<string> = new Set(PRIMITIVE_KINDS);

export function isPrimitiveKind(name: string): name is PrimitiveKind {
  return primitiveSet.has(name);
}

export function isNested(t: ArrowType): t is NestedType {
  return t.kind === "struct" || t.kind === "list" || t.kind === "map";
}

export function isScalar(t: ArrowType): t is ScalarType {
  return !isNested(t);
}

const UTC_NAMES: ReadonlySet<string> = new Set(["utc", "etc/utc", "z", "+00:00", "-00:00", "+0000", "gmt", "etc/gmt"]);

/** True for the spellings of UTC (`UTC`, `Etc/UTC`, `+00:00`, `Z`, ...), case-insensitively. */
export function isUtcTimezone(timezone: string): boolean {
  return UTC_NAMES.has(timezone.toLowerCase());
}

// ---- factories (all results frozen) ----

const primitives = new Map<PrimitiveKind, PrimitiveType>(PRIMITIVE_KINDS.map((k) => [k, Object.freeze({ kind: k })]));

export function primitive(kind: PrimitiveKind): PrimitiveType {
  return primitives.get(kind) ?? Object.freeze({ kind });
}

export function time32(unit: "s" | "ms"): Time32Type {
  return Object.freeze({ kind: "time32", unit });
}

export function time64(unit: "us" | "ns"): Time64Type {
  return Object.freeze({ kind: "time64", unit });
}

export function timestamp(unit: TimeUnit, timezone: string | null = null): TimestampType {
  return Object.freeze({ kind: "timestamp", unit, timezone });
}

export function decimal(precision: number, scale: number): DecimalType {
  return Object.freeze({ kind: "decimal", precision, scale });
}

export function field(name: string, type: ArrowType, nullable = true): StructField {
  return Object.freeze({ name, type, nullable });
}

export function struct(fields: readonly StructField[]): StructType {
  return Object.freeze({ kind: "struct", fields: Object.freeze([...fields]) });
}

export function list(element: ArrowType, elementNullable = true): ListType {
  return Object.freeze({ kind: "list", element, elementNullable });
}

export function map(key: ScalarType, value: ArrowType, valueNullable = true): MapType {
  return Object.freeze({ kind: "map", key, value, valueNullable });
}

/** Structural equality (field order matters, field names compare exactly). */
export function arrowTypeEquals(a: ArrowType, b: ArrowType): boolean {
  switch (a.kind) {
    case "time32":
    case "time64":
      return b.kind === a.kind && b.unit === a.unit;
    case "timestamp":
      return b.kind === "timestamp" && b.unit === a.unit && b.timezone === a.timezone;
    case "decimal":
      return b.kind === "decimal" && b.precision === a.precision && b.scale === a.scale;
    case "struct":
      return (
        b.kind === "struct" &&
        b.fields.length === a.fields.length &&
        a.fields.every((f, i) => {
          const g = b.fields[i];
          return g !== undefined && g.name === f.name && g.nullable === f.nullable && arrowTypeEquals(f.type, g.type);
        })
      );
    case "list":
      return b.kind === "list" && b.elementNullable === a.elementNullable && arrowTypeEquals(a.element, b.element);
    case "map":
      return (
        b.kind === "map" &&
        b.valueNullable === a.valueNullable &&
        arrowTypeEquals(a.key, b.key) &&
        arrowTypeEquals(a.value, b.value)
      );
    default: {
      const p: PrimitiveType = a;
      return b.kind === p.kind;
    }
  }
}
