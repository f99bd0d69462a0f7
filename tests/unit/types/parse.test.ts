import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  decimal,
  field,
  formatArrowType,
  list,
  map,
  parseArrowType,
  primitive,
  struct,
  timestamp,
} from "../../../compiler/src/types/index.js";
import { invalidCases, validCases } from "./fixtures.js";

function mustParse(text: string): ArrowType {
  const r = parseArrowType(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message} at ${r.error.offset}`);
  return r.type;
}

describe("parseArrowType: valid strings → canonical form", () => {
  it.each(validCases())("$input", ({ input, canonical }) => {
    const t = mustParse(input);
    expect(formatArrowType(t)).toBe(canonical);
    // canonical text reparses to the same type and prints identically (idempotent)
    expect(mustParse(canonical)).toEqual(t);
    expect(formatArrowType(mustParse(canonical))).toBe(canonical);
  });
});

describe("parseArrowType: invalid strings → located errors", () => {
  it.each(invalidCases())("$input", ({ input, offset, length, message, hint }) => {
    const r = parseArrowType(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(message);
    expect({ offset: r.error.offset, length: r.error.length }).toEqual({ offset, length });
    if (hint !== undefined) expect(r.error.hint ?? "").toContain(hint);
  });

  it.each([
    ["", 0, 0, "expected a type"],
    ["   ", 3, 0, "expected a type"],
    ["\n\tstruct<a: int6>", 12, 4, "unknown type 'int6'"],
    ["struct<a: int64,\n  a: utf8>", 19, 1, "duplicate field name 'a'"],
    ["list<".repeat(70) + "int8" + ">".repeat(70), 325, 4, "nest deeper than 64"],
  ])("%j", (input, offset, length, message) => {
    const r = parseArrowType(input);
    expect(r.ok ? undefined : r.error).toMatchObject({ offset, length, message: expect.stringContaining(message) });
  });

  it("rejects non-string input without throwing", () => {
    const r = parseArrowType(42 as unknown as string);
    expect(r.ok).toBe(false);
  });

  it("has no hint for words far from any type name", () => {
    const r = parseArrowType("xyzzy");
    expect(r.ok ? undefined : r.error.hint).toBeUndefined();
  });

  it("does not treat prototype names as keywords", () => {
    for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(parseArrowType(word).ok).toBe(false);
    }
  });
});

describe("parseArrowType: model values", () => {
  it.each<[string, ArrowType]>([
    ["int64", primitive("int64")],
    ["timestamp[us, UTC]", timestamp("us", "UTC")],
    ["timestamp[ns]", timestamp("ns")],
    ["decimal(18, 4)", decimal(18, 4)],
    ["list<utf8 not null>", list(primitive("utf8"), false)],
    ["map<utf8, int64>", map(primitive("utf8"), primitive("int64"))],
    [
      "struct<span: struct<bstart: int64, bend: int64 not null>, tags: map<utf8, list<int32>>>",
      struct([
        field("span", struct([field("bstart", primitive("int64")), field("bend", primitive("int64"), false)])),
        field("tags", map(primitive("utf8"), list(primitive("int32")))),
      ]),
    ],
    ['struct<"a ""b""": bool>', struct([field('a "b"', primitive("bool"))])],
  ])("%s", (text, type) => {
    expect(mustParse(text)).toEqual(type);
  });

  it("returns frozen values", () => {
    const t = mustParse("struct<a: list<int64>>");
    expect(Object.isFrozen(t)).toBe(true);
    expect(t.kind === "struct" && Object.isFrozen(t.fields)).toBe(true);
  });

  it("keeps field-name and timezone case", () => {
    expect(formatArrowType(mustParse("STRUCT<CamelCase: TIMESTAMP[US, Europe/Paris]>"))).toBe(
      "struct<CamelCase: timestamp[us, Europe/Paris]>",
    );
  });
});

describe("formatArrowType", () => {
  it.each<[ArrowType, string]>([
    [struct([field("a", primitive("int64")), field("b", list(primitive("utf8")))]), "struct<a: int64, b: list<utf8>>"],
    [timestamp("us", "UTC"), "timestamp[us, UTC]"],
    [timestamp("us", "Mars Standard"), 'timestamp[us, "Mars Standard"]'],
    [timestamp("us", 'odd"zone'), 'timestamp[us, "odd""zone"]'],
    [decimal(18, 4), "decimal(18, 4)"],
    [map(primitive("utf8"), primitive("int64"), false), "map<utf8, int64 not null>"],
    [struct([field("x y", primitive("bool"), false)]), 'struct<"x y": bool not null>'],
    [struct([field("ünï", primitive("bool"))]), 'struct<"ünï": bool>'],
  ])("%j → %s", (type, text) => {
    expect(formatArrowType(type)).toBe(text);
    expect(mustParse(text)).toEqual(type);
  });
});
