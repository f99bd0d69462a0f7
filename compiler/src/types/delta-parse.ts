/**
 * Delta Lake schema JSON → Arrow type model; the inverse of `delta.ts`.
 *
 * `timestamp` reads as timestamp[us, UTC], `timestamp_ntz` as timestamp[us], `date` as date32,
 * `string` as utf8. Field metadata is kept on top-level columns only; metadata on nested
 * fields is dropped with a note. Unknown or unsupported types (`void`, `variant`, intervals,
 * map keys that are not primitive, empty structs, duplicate names) are errors. Error paths
 * are JSON paths into the input (`$.fields[2].type.elementType`). Never throws.
 */
import { type ConversionError, type ConversionNote, ConversionFailure, catchConversion } from "./conversion.js";
import type { DeltaColumn } from "./delta.js";
import {
  type ArrowType,
  type PrimitiveKind,
  MAX_DECIMAL_PRECISION,
  MAX_NESTING_DEPTH,
  decimal,
  field,
  isScalar,
  list,
  map,
  primitive,
  struct,
  timestamp,
} from "./model.js";
import { closestMatch } from "../diagnostics/suggest.js";

export type FromDeltaTypeResult =
  | { readonly ok: true; readonly type: ArrowType; readonly notes: readonly ConversionNote[] }
  | ConversionError;
export type FromDeltaSchemaResult =
  | { readonly ok: true; readonly columns: readonly DeltaColumn[]; readonly notes: readonly ConversionNote[] }
  | ConversionError;

const PRIMITIVES = new Map<string, PrimitiveKind>([
  ["string", "utf8"],
  ["long", "int64"],
  ["integer", "int32"],
  ["short", "int16"],
  ["byte", "int8"],
  ["float", "float32"],
  ["double", "float64"],
  ["boolean", "bool"],
  ["binary", "binary"],
  ["date", "date32"],
]);
const KNOWN_NAMES = [...PRIMITIVES.keys(), "timestamp", "timestamp_ntz", "decimal(p,s)"];
const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

export function fromDeltaType(json: unknown): FromDeltaTypeResult {
  const notes: ConversionNote[] = [];
  const r = catchConversion(() => ({ type: convert(json, "$", 0, notes) }));
  return "ok" in r ? r : { ok: true, type: r.type, notes };
}

/** Accepts the schema object or the `schemaString` JSON text of a metaData action. */
export function fromDeltaSchema(json: unknown): FromDeltaSchemaResult {
  const notes: ConversionNote[] = [];
  const r = catchConversion(() => {
    let value = json;
    if (typeof json === "string") {
      try {
        value = JSON.parse(json) as unknown;
      } catch (e) {
        throw new ConversionFailure("$", `schema string is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const obj = asObject(value, "$");
    if (obj.type !== "struct") throw new ConversionFailure("$.type", "a Delta schema must be a struct type");
    return { columns: structFields(obj, "$", 0, notes, true) };
  });
  return "ok" in r ? r : { ok: true, columns: r.columns, notes };
}

function convert(json: unknown, path: string, depth: number, notes: ConversionNote[]): ArrowType {
  if (depth > MAX_NESTING_DEPTH) throw new ConversionFailure(path, `types nest deeper than ${MAX_NESTING_DEPTH} levels`);
  if (typeof json === "string") return convertPrimitive(json, path);
  const obj = asObject(json, path);
  switch (obj.type) {
    case "struct":
      return struct(
        structFields(obj, path, depth, notes, false).map((c) => field(c.name, c.type, c.nullable)),
      );
    case "array":
      return list(
        convert(obj.elementType, `${path}.elementType`, depth + 1, notes),
        asBoolean(obj.containsNull, `${path}.containsNull`),
      );
    case "map": {
      const key = convert(obj.keyType, `${path}.keyType`, depth + 1, notes);
      if (!isScalar(key)) throw new ConversionFailure(`${path}.keyType`, "a map key must be a primitive type");
      return map(
        key,
        convert(obj.valueType, `${path}.valueType`, depth + 1, notes),
        asBoolean(obj.valueContainsNull, `${path}.valueContainsNull`),
      );
    }
    default:
      throw new ConversionFailure(
        `${path}.type`,
        `expected a type name or an object with type "struct", "array" or "map", got ${describe(obj.type)}`,
      );
  }
}

function structFields(
  obj: Record<string, unknown>,
  path: string,
  depth: number,
  notes: ConversionNote[],
  keepMetadata: boolean,
): DeltaColumn[] {
  const fields = obj.fields;
  if (!Array.isArray(fields)) throw new ConversionFailure(`${path}.fields`, "expected an array of fields");
  if (fields.length === 0 && !keepMetadata) throw new ConversionFailure(`${path}.fields`, "a struct must have at least one field");
  const seen = new Set<string>();
  return fields.map((raw: unknown, i): DeltaColumn => {
    const at = `${path}.fields[${i}]`;
    const f = asObject(raw, at);
    if (typeof f.name !== "string" || f.name === "") throw new ConversionFailure(`${at}.name`, "expected a non-empty field name");
    if (seen.has(f.name.toLowerCase())) {
      throw new ConversionFailure(`${at}.name`, `duplicate field name '${f.name}' (names are case-insensitive)`);
    }
    seen.add(f.name.toLowerCase());
    const type = convert(f.type, `${at}.type`, depth + 1, notes);
    const nullable = asBoolean(f.nullable, `${at}.nullable`);
    const metadata = f.metadata === undefined ? {} : asObject(f.metadata, `${at}.metadata`);
    if (keepMetadata) return { name: f.name, type, nullable, metadata };
    if (Object.keys(metadata).length > 0) notes.push({ path: `${at}.metadata`, message: "metadata of nested fields is not kept" });
    return { name: f.name, type, nullable };
  });
}

function convertPrimitive(name: string, path: string): ArrowType {
  const kind = PRIMITIVES.get(name);
  if (kind !== undefined) return primitive(kind);
  if (name === "timestamp") return timestamp("us", "UTC");
  if (name === "timestamp_ntz") return timestamp("us");
  const m = DECIMAL.exec(name);
  if (m !== null) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw new ConversionFailure(path, `decimal precision must be 1..${MAX_DECIMAL_PRECISION}, got ${precision}`);
    }
    if (scale > precision) throw new ConversionFailure(path, `decimal scale must be 0..${precision}, got ${scale}`);
    return decimal(precision, scale);
  }
  const guess = closestMatch(name, KNOWN_NAMES);
  throw new ConversionFailure(
    path,
    `unsupported Delta type '${name}'`,
    guess === undefined ? undefined : `did you mean '${guess}'?`,
  );
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConversionFailure(path, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function asBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new ConversionFailure(path, `expected true or false, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value;
}
