import {
  DataType,
  Dictionary,
  DurationSecond,
  Field,
  Int32,
  Null,
  Schema,
  Table,
  Type,
  Utf8,
  tableFromIPC,
  tableToIPC,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  formatArrowType,
  parseArrowType,
} from "../../../compiler/src/types/index.js";
import { fromArrowDataType, toArrowDataType } from "../../../compiler/src/types/arrow.js";
import { ARROW_ONLY_TYPES, DUCKDB_ONLY_TYPES, NOT_NULL_TYPES, PORTABLE_TYPES } from "./type-table.js";

function t(text: string): ArrowType {
  const r = parseArrowType(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.type;
}

const ALL = [...PORTABLE_TYPES, ...NOT_NULL_TYPES, ...DUCKDB_ONLY_TYPES, ...ARROW_ONLY_TYPES];

describe("toArrowDataType", () => {
  it.each<[string, Type, Record<string, unknown>]>([
    ["bool", Type.Bool, {}],
    ["int8", Type.Int, { isSigned: true, bitWidth: 8 }],
    ["uint64", Type.Int, { isSigned: false, bitWidth: 64 }],
    ["float16", Type.Float, { precision: 0 }],
    ["float64", Type.Float, { precision: 2 }],
    ["utf8", Type.Utf8, {}],
    ["large_utf8", Type.LargeUtf8, {}],
    ["binary", Type.Binary, {}],
    ["large_binary", Type.LargeBinary, {}],
    ["date32", Type.Date, { unit: 0 }],
    ["date64", Type.Date, { unit: 1 }],
    ["time32[ms]", Type.Time, { unit: 1, bitWidth: 32 }],
    ["time64[ns]", Type.Time, { unit: 3, bitWidth: 64 }],
    ["timestamp[us, UTC]", Type.Timestamp, { unit: 2, timezone: "UTC" }],
    ["timestamp[s]", Type.Timestamp, { unit: 0, timezone: null }],
    ["decimal(18, 4)", Type.Decimal, { precision: 18, scale: 4, bitWidth: 128 }],
  ])("%s", (text, typeId, props) => {
    const dt = toArrowDataType(t(text));
    expect(dt.typeId).toBe(typeId);
    expect(dt).toMatchObject(props);
  });

  it("builds structs, lists and maps from Fields", () => {
    const dt = toArrowDataType(t("struct<a: list<int64 not null>, m: map<utf8, int32 not null>>"));
    expect(DataType.isStruct(dt)).toBe(true);
    const [a, m] = dt.children;
    expect(a?.name).toBe("a");
    expect(DataType.isList(a?.type)).toBe(true);
    expect(a?.type.children[0]).toMatchObject({ name: "item", nullable: false });
    expect(DataType.isMap(m?.type)).toBe(true);
    const entries = m?.type.children[0] as Field;
    expect(entries).toMatchObject({ name: "entries", nullable: false });
    expect(entries.type.children.map((f: Field) => [f.name, f.nullable])).toEqual([
      ["key", false],
      ["value", false],
    ]);
  });
});

describe("Arrow DataType round trip", () => {
  it.each(ALL)("%s", (text) => {
    const back = fromArrowDataType(toArrowDataType(t(text)));
    expect(back.ok && formatArrowType(back.type)).toBe(text);
  });

  it("survives Arrow IPC serialization of a schema with every table type", () => {
    const fields = ALL.map((text, i) => new Field(`c${i}`, toArrowDataType(t(text)), true));
    const table = tableFromIPC(tableToIPC(new Table(new Schema(fields))));
    const texts = table.schema.fields.map((f) => {
      const r = fromArrowDataType(f.type);
      return r.ok ? formatArrowType(r.type) : r.message;
    });
    expect(texts).toEqual(ALL);
  });
});

describe("fromArrowDataType refuses types outside the model", () => {
  it.each<[string, DataType, string]>([
    ["null", new Null(), "not supported"],
    ["dictionary", new Dictionary(new Utf8(), new Int32()), "not supported"],
    ["duration", new DurationSecond(), "not supported"],
  ])("%s", (_name, dt, message) => {
    expect(fromArrowDataType(dt)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });

  it("reports model violations found in Arrow types", () => {
    const dup = toArrowDataType(t("struct<a: int32, b: int32>"));
    (dup.children[1] as { name: string }).name = "A";
    expect(fromArrowDataType(dup)).toMatchObject({ ok: false, message: expect.stringContaining("duplicate field name 'A'") });
  });
});
