/**
 * Arrow type model ↔ apache-arrow `DataType` instances. A thin mapping: list elements are
 * named `item`, map entries `entries` with `key` (non-null) and `value`, as Arrow C++ does;
 * decimals are 128-bit. `fromArrowDataType` refuses Arrow types outside the model
 * (dictionary, union, views, large/fixed-size lists, durations, intervals, ...).
 */
import {
  Binary,
  Bool,
  DataType,
  DateDay,
  DateMillisecond,
  DateUnit,
  Decimal,
  Field,
  Float16,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeBinary,
  LargeUtf8,
  List,
  Map_,
  Precision,
  Struct,
  TimeMicrosecond,
  TimeMillisecond,
  TimeNanosecond,
  TimeSecond,
  TimeUnit,
  Timestamp,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
} from "apache-arrow";
import { type ConversionError, ConversionFailure, catchConversion } from "./conversion.js";
import {
  type ArrowType,
  type PrimitiveKind,
  type TimeUnit as ModelTimeUnit,
  MAX_NESTING_DEPTH,
  decimal,
  field,
  isScalar,
  list,
  map,
  primitive,
  struct,
  time32,
  time64,
  timestamp,
} from "./model.js";
import { elementPath, fieldPath, keyPath, valuePath } from "./names.js";
import { validateArrowType } from "./validate.js";

const PRIMITIVE_CTORS: Record<PrimitiveKind, () => DataType> = {
  bool: () => new Bool(),
  int8: () => new Int8(),
  int16: () => new Int16(),
  int32: () => new Int32(),
  int64: () => new Int64(),
  uint8: () => new Uint8(),
  uint16: () => new Uint16(),
  uint32: () => new Uint32(),
  uint64: () => new Uint64(),
  float16: () => new Float16(),
  float32: () => new Float32(),
  float64: () => new Float64(),
  utf8: () => new Utf8(),
  large_utf8: () => new LargeUtf8(),
  binary: () => new Binary(),
  large_binary: () => new LargeBinary(),
  date32: () => new DateDay(),
  date64: () => new DateMillisecond(),
};

const TIME_UNIT: Record<ModelTimeUnit, TimeUnit> = {
  s: TimeUnit.SECOND,
  ms: TimeUnit.MILLISECOND,
  us: TimeUnit.MICROSECOND,
  ns: TimeUnit.NANOSECOND,
};
const MODEL_UNIT: readonly ModelTimeUnit[] = ["s", "ms", "us", "ns"]; // indexed by TimeUnit

export function toArrowDataType(t: ArrowType): DataType {
  switch (t.kind) {
    case "time32":
      return t.unit === "s" ? new TimeSecond() : new TimeMillisecond();
    case "time64":
      return t.unit === "us" ? new TimeMicrosecond() : new TimeNanosecond();
    case "timestamp":
      return new Timestamp(TIME_UNIT[t.unit], t.timezone);
    case "decimal":
      return new Decimal(t.scale, t.precision, 128);
    case "struct":
      return new Struct(t.fields.map((f) => new Field(f.name, toArrowDataType(f.type), f.nullable)));
    case "list":
      return new List(new Field("item", toArrowDataType(t.element), t.elementNullable));
    case "map": {
      const entries = new Struct([
        new Field("key", toArrowDataType(t.key), false),
        new Field("value", toArrowDataType(t.value), t.valueNullable),
      ]);
      return new Map_(new Field("entries", entries, false), false);
    }
    default:
      return PRIMITIVE_CTORS[t.kind]();
  }
}

export type FromArrowResult = { readonly ok: true; readonly type: ArrowType } | ConversionError;

/** An apache-arrow `DataType` → the model; an error for types the model does not cover. */
export function fromArrowDataType(dt: DataType): FromArrowResult {
  const r = catchConversion(() => ({ type: convert(dt, "", 0) }));
  if ("ok" in r) return r;
  const issue = validateArrowType(r.type)[0];
  return issue === undefined ? { ok: true, type: r.type } : { ok: false, path: issue.path, message: issue.message };
}

function convert(dt: DataType, path: string, depth: number): ArrowType {
  if (depth > MAX_NESTING_DEPTH) throw new ConversionFailure(path, `types nest deeper than ${MAX_NESTING_DEPTH} levels`);
  if (DataType.isBool(dt)) return primitive("bool");
  if (DataType.isInt(dt)) {
    const kind = `${dt.isSigned ? "int" : "uint"}${dt.bitWidth}` as PrimitiveKind;
    return primitive(kind);
  }
  if (DataType.isFloat(dt)) {
    return primitive(dt.precision === Precision.HALF ? "float16" : dt.precision === Precision.SINGLE ? "float32" : "float64");
  }
  if (DataType.isUtf8(dt)) return primitive("utf8");
  if (DataType.isLargeUtf8(dt)) return primitive("large_utf8");
  if (DataType.isBinary(dt)) return primitive("binary");
  if (DataType.isLargeBinary(dt)) return primitive("large_binary");
  if (DataType.isDate(dt)) return primitive(dt.unit === DateUnit.DAY ? "date32" : "date64");
  if (DataType.isDecimal(dt)) return decimal(dt.precision, dt.scale);
  if (DataType.isTime(dt)) {
    const unit = MODEL_UNIT[dt.unit] ?? "us";
    return unit === "s" || unit === "ms" ? time32(unit) : time64(unit);
  }
  if (DataType.isTimestamp(dt)) return timestamp(MODEL_UNIT[dt.unit] ?? "us", dt.timezone ?? null);
  if (DataType.isStruct(dt)) {
    return struct(dt.children.map((f) => field(f.name, convert(f.type, fieldPath(path, f.name), depth + 1), f.nullable)));
  }
  if (DataType.isList(dt)) {
    const child = dt.children[0];
    if (child === undefined) throw new ConversionFailure(path, "a list type without an element field");
    return list(convert(child.type, elementPath(path), depth + 1), child.nullable);
  }
  if (DataType.isMap(dt)) {
    const [k, v] = dt.children[0]?.type.children ?? [];
    if (k === undefined || v === undefined) throw new ConversionFailure(path, "a map type without key and value fields");
    const key = convert(k.type, keyPath(path), depth + 1);
    if (!isScalar(key)) throw new ConversionFailure(keyPath(path), "a map key must be a primitive type");
    return map(key, convert(v.type, valuePath(path), depth + 1), v.nullable);
  }
  throw new ConversionFailure(path, `Arrow type ${String(dt)} is not supported by the cpgc type model`);
}
