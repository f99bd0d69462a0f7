import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  type DeltaColumn,
  formatArrowType,
  fromDeltaSchema,
  fromDeltaType,
  parseArrowType,
  toDeltaSchema,
  toDeltaType,
} from "../../../compiler/src/types/index.js";
import { NOT_NULL_TYPES, PORTABLE_TYPES } from "./type-table.js";

function t(text: string): ArrowType {
  const r = parseArrowType(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.type;
}

function delta(text: string): unknown {
  const r = toDeltaType(t(text));
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.type;
}

describe("toDeltaType", () => {
  it.each<[string, unknown]>([
    ["bool", "boolean"],
    ["int8", "byte"],
    ["int16", "short"],
    ["int32", "integer"],
    ["int64", "long"],
    ["float32", "float"],
    ["float64", "double"],
    ["utf8", "string"],
    ["large_utf8", "string"],
    ["binary", "binary"],
    ["large_binary", "binary"],
    ["date32", "date"],
    ["date64", "date"],
    ["timestamp[us, UTC]", "timestamp"],
    ["timestamp[ns, Europe/Paris]", "timestamp"],
    ["timestamp[us]", "timestamp_ntz"],
    ["timestamp[s]", "timestamp_ntz"],
    ["decimal(18, 4)", "decimal(18,4)"],
    ["list<utf8>", { type: "array", elementType: "string", containsNull: true }],
    ["list<int64 not null>", { type: "array", elementType: "long", containsNull: false }],
    ["map<utf8, int32 not null>", { type: "map", keyType: "string", valueType: "integer", valueContainsNull: false }],
    [
      "struct<bstart: int64, bend: int64 not null>",
      {
        type: "struct",
        fields: [
          { name: "bstart", type: "long", nullable: true, metadata: {} },
          { name: "bend", type: "long", nullable: false, metadata: {} },
        ],
      },
    ],
    [
      "map<utf8, list<struct<a: decimal(5, 2)>>>",
      {
        type: "map",
        keyType: "string",
        valueType: {
          type: "array",
          elementType: { type: "struct", fields: [{ name: "a", type: "decimal(5,2)", nullable: true, metadata: {} }] },
          containsNull: true,
        },
        valueContainsNull: true,
      },
    ],
  ])("%s", (text, expected) => {
    expect(delta(text)).toEqual(expected);
  });

  it.each<[string, string, string, string]>([
    ["uint8", "", "uint8 has no Delta Lake equivalent", "int16"],
    ["uint16", "", "uint16 has no Delta Lake equivalent", "int32"],
    ["uint32", "", "uint32 has no Delta Lake equivalent", "int64"],
    ["uint64", "", "uint64 has no Delta Lake equivalent", "decimal(20, 0)"],
    ["float16", "", "float16 has no Delta Lake equivalent", "float32"],
    ["time32[ms]", "", "time32[ms] has no Delta Lake equivalent", "milliseconds since midnight"],
    ["time64[us]", "", "time64[us] has no Delta Lake equivalent", "microseconds since midnight"],
    ["struct<a: struct<b: list<uint8>>>", "a.b[]", "uint8", "int16"],
    ['map<utf8, struct<"x y": float16>>', '{value}."x y"', "float16", "float32"],
    ["map<uint32, utf8>", "{key}", "uint32", "int64"],
  ])("refuses %s", (text, path, message, hint) => {
    const r = toDeltaType(t(text));
    expect(r).toMatchObject({ ok: false, path, message: expect.stringContaining(message), hint: expect.stringContaining(hint) });
  });

  it.each<[string, string[]]>([
    ["large_utf8", ["reads back as utf8"]],
    ["large_binary", ["reads back as binary"]],
    ["date64", ["reads back as date32"]],
    ["timestamp[ns]", ["nanoseconds are truncated"]],
    ["timestamp[ms, UTC]", ["unit ms is widened to us"]],
    ["timestamp[s]", ["unit s is widened to us"]],
    ["timestamp[us, Europe/Paris]", ["timezone 'Europe/Paris' is not stored"]],
    ["timestamp[ns, +01:00]", ["nanoseconds are truncated", "timezone '+01:00' is not stored"]],
    ["timestamp[us, UTC]", []],
    ["timestamp[us, Etc/UTC]", ["reads back from Delta as 'UTC'"]],
    ["struct<a: list<large_utf8>>", ["reads back as utf8"]],
  ])("notes for %s", (text, fragments) => {
    const r = toDeltaType(t(text));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.notes.length).toBe(fragments.length);
    fragments.forEach((f, i) => expect(r.notes[i]?.message).toContain(f));
  });
});

describe("toDeltaSchema", () => {
  const columns: DeltaColumn[] = [
    { name: "a", type: t("int32"), nullable: false },
    { name: "b", type: t("struct<d: int32 not null>"), nullable: true, metadata: { comment: "nested" } },
    { name: "c", type: t("list<int32 not null>"), nullable: true },
  ];

  it("produces the protocol's schema JSON", () => {
    const r = toDeltaSchema(columns);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.stringify(r.schema)).toBe(
      '{"type":"struct","fields":[' +
        '{"name":"a","type":"integer","nullable":false,"metadata":{}},' +
        '{"name":"b","type":{"type":"struct","fields":[{"name":"d","type":"integer","nullable":false,"metadata":{}}]},"nullable":true,"metadata":{"comment":"nested"}},' +
        '{"name":"c","type":{"type":"array","elementType":"integer","containsNull":false},"nullable":true,"metadata":{}}]}',
    );
  });

  it("round-trips columns with their metadata", () => {
    const r = toDeltaSchema(columns);
    if (!r.ok) throw new Error(r.message);
    const back = fromDeltaSchema(JSON.stringify(r.schema));
    expect(back).toMatchObject({ ok: true, notes: [] });
    expect(back.ok && back.columns).toEqual(columns.map((c) => ({ ...c, metadata: c.metadata ?? {} })));
  });

  it.each<[DeltaColumn[], string, string]>([
    [[{ name: "id", type: t("uint32"), nullable: false }], "id", "uint32 has no Delta Lake equivalent"],
    [[{ name: "x", type: t("int8"), nullable: true }, { name: "X", type: t("int8"), nullable: true }], "X", "duplicate column name 'X'"],
    [[{ name: "", type: t("int8"), nullable: true }], '""', "must not be empty"],
  ])("refuses %j", (cols, path, message) => {
    expect(toDeltaSchema(cols)).toMatchObject({ ok: false, path, message: expect.stringContaining(message) });
  });
});

describe("fromDeltaType / fromDeltaSchema", () => {
  it.each<[unknown, string]>([
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
    ["timestamp", "timestamp[us, UTC]"],
    ["timestamp_ntz", "timestamp[us]"],
    ["decimal(10,2)", "decimal(10, 2)"],
    ["decimal( 38 , 0 )", "decimal(38, 0)"],
    [{ type: "array", elementType: "string", containsNull: false }, "list<utf8 not null>"],
    [{ type: "map", keyType: "string", valueType: "long", valueContainsNull: true }, "map<utf8, int64>"],
    [{ type: "struct", fields: [{ name: "x", type: "long", nullable: true }] }, "struct<x: int64>"],
  ])("%j → %s", (json, text) => {
    const r = fromDeltaType(json);
    expect(r.ok ? formatArrowType(r.type) : r.message).toBe(text);
  });

  it.each<[unknown, string, string]>([
    ["varchar", "$", "unsupported Delta type 'varchar'"],
    ["void", "$", "unsupported Delta type 'void'"],
    ["decimal(39,0)", "$", "precision must be 1..38"],
    ["decimal(5,6)", "$", "scale must be 0..5"],
    [42, "$", "expected an object, got number"],
    [null, "$", "expected an object, got null"],
    [{ type: "tuple" }, "$.type", 'got "tuple"'],
    [{ type: "array", elementType: "long" }, "$.containsNull", "expected true or false"],
    [{ type: "array", elementType: "int", containsNull: true }, "$.elementType", "unsupported Delta type 'int'"],
    [{ type: "struct", fields: [] }, "$.fields", "at least one field"],
    [{ type: "struct", fields: {} }, "$.fields", "expected an array"],
    [{ type: "struct", fields: [{ name: 1, type: "long", nullable: true }] }, "$.fields[0].name", "non-empty field name"],
    [
      { type: "struct", fields: [{ name: "a", type: "long", nullable: true }, { name: "A", type: "long", nullable: true }] },
      "$.fields[1].name",
      "duplicate field name 'A'",
    ],
    [
      { type: "map", keyType: { type: "array", elementType: "long", containsNull: true }, valueType: "long", valueContainsNull: true },
      "$.keyType",
      "map key must be a primitive",
    ],
  ])("refuses %j", (json, path, message) => {
    expect(fromDeltaType(json)).toMatchObject({ ok: false, path, message: expect.stringContaining(message) });
  });

  it("suggests the nearest Delta name", () => {
    expect(fromDeltaType("strng")).toMatchObject({ ok: false, hint: "did you mean 'string'?" });
  });

  it("reads a schemaString with column-mapping metadata, dropping nested metadata with a note", () => {
    const schemaString = JSON.stringify({
      type: "struct",
      fields: [
        { name: "id", type: "long", nullable: false, metadata: { "delta.columnMapping.id": 1, "delta.columnMapping.physicalName": "col-1" } },
        {
          name: "span",
          type: { type: "struct", fields: [{ name: "bstart", type: "long", nullable: true, metadata: { "delta.columnMapping.id": 3 } }] },
          nullable: true,
          metadata: { "delta.columnMapping.id": 2 },
        },
      ],
    });
    const r = fromDeltaSchema(schemaString);
    expect(r).toMatchObject({
      ok: true,
      columns: [
        { name: "id", nullable: false, metadata: { "delta.columnMapping.id": 1, "delta.columnMapping.physicalName": "col-1" } },
        { name: "span", nullable: true, metadata: { "delta.columnMapping.id": 2 } },
      ],
      notes: [{ path: "$.fields[1].type.fields[0].metadata", message: expect.stringContaining("not kept") }],
    });
  });

  it.each<[unknown, string]>([
    ["{not json", "not valid JSON"],
    ['"long"', "expected an object"],
    [{ type: "array", elementType: "long", containsNull: true }, "must be a struct"],
  ])("refuses schema %j", (json, message) => {
    expect(fromDeltaSchema(json)).toMatchObject({ ok: false, message: expect.stringContaining(message) });
  });

  it("accepts an empty top-level schema", () => {
    expect(fromDeltaSchema({ type: "struct", fields: [] })).toEqual({ ok: true, columns: [], notes: [] });
  });
});

describe("Arrow string → Delta JSON → Arrow round trip", () => {
  it.each([...PORTABLE_TYPES, ...NOT_NULL_TYPES])("%s", (text) => {
    const to = toDeltaType(t(text));
    if (!to.ok) throw new Error(to.message);
    expect(to.notes).toEqual([]);
    const back = fromDeltaType(JSON.parse(JSON.stringify(to.type)));
    expect(back.ok && formatArrowType(back.type)).toBe(text);
    expect(back.ok && back.type).toEqual(t(text));
  });
});
