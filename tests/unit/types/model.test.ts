import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  arrowTypeEquals,
  decimal,
  field,
  isNested,
  isScalar,
  isUtcTimezone,
  list,
  map,
  parseArrowType,
  primitive,
  struct,
  time32,
  timestamp,
  validateArrowType,
} from "../../../compiler/src/types/index.js";

function t(text: string): ArrowType {
  const r = parseArrowType(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.type;
}

describe("factories", () => {
  it("build frozen values with nullable defaults", () => {
    const s = struct([field("a", list(primitive("int64")))]);
    expect(s).toEqual(t("struct<a: list<int64>>"));
    expect(Object.isFrozen(s) && Object.isFrozen(s.fields) && Object.isFrozen(s.fields[0])).toBe(true);
    expect(map(primitive("utf8"), primitive("utf8"))).toEqual(t("map<utf8, utf8>"));
    expect(timestamp("us")).toEqual({ kind: "timestamp", unit: "us", timezone: null });
  });

  it("classify scalar and nested types", () => {
    expect(isScalar(decimal(3, 1))).toBe(true);
    expect(isScalar(time32("s"))).toBe(true);
    expect(isNested(list(primitive("bool")))).toBe(true);
    expect(isNested(primitive("bool"))).toBe(false);
  });
});

describe("arrowTypeEquals", () => {
  const texts = [
    "int64",
    "int32",
    "timestamp[us]",
    "timestamp[us, UTC]",
    "timestamp[ns, UTC]",
    "decimal(18, 4)",
    "decimal(18, 3)",
    "time32[s]",
    "time64[us]",
    "list<int64>",
    "list<int64 not null>",
    "map<utf8, int64>",
    "map<utf8, int64 not null>",
    "map<int64, int64>",
    "struct<a: int64>",
    "struct<A: int64>",
    "struct<a: int64 not null>",
    "struct<a: int64, b: int64>",
    "struct<b: int64, a: int64>",
  ];
  it("is true exactly for identical types", () => {
    for (const a of texts) {
      for (const b of texts) expect(arrowTypeEquals(t(a), t(b)), `${a} vs ${b}`).toBe(a === b);
    }
  });
});

describe("validateArrowType", () => {
  it.each<[ArrowType, string, string]>([
    [decimal(0, 0), "", "precision must be 1..38"],
    [decimal(39, 0), "", "precision must be 1..38"],
    [decimal(10, 11), "", "scale must be 0..precision"],
    [decimal(10.5, 1), "", "precision must be 1..38"],
    [struct([]), "", "at least one field"],
    [struct([field("", primitive("int8"))]), "", "must not be empty"],
    [struct([field("a", primitive("int8")), field("A", primitive("int8"))]), "", "duplicate field name 'A'"],
    [timestamp("us", " "), "", "timezone must be a non-empty string"],
    [timestamp("xs" as "us"), "", "unknown time unit 'xs'"],
    [time32("us" as "s"), "", "time32 does not take unit 'us'"],
    [list(struct([field("x", decimal(50, 1))])), "[].x", "precision"],
    [map(list(primitive("int8")) as unknown as ReturnType<typeof primitive>, primitive("int8")), "{key}", "map key must be a primitive"],
    [{ kind: "int128" } as unknown as ArrowType, "", "unknown type kind 'int128'"],
  ])("%j", (type, path, message) => {
    expect(validateArrowType(type)).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it("accepts every parsed type", () => {
    expect(validateArrowType(t("struct<a: map<utf8, list<decimal(38, 38) not null>>, b: timestamp[ns, UTC]>"))).toEqual([]);
  });

  it("bounds nesting depth", () => {
    let deep: ArrowType = primitive("int8");
    for (let i = 0; i < 70; i++) deep = list(deep);
    expect(validateArrowType(deep)).toMatchObject([{ message: expect.stringContaining("deeper than 64") }]);
  });
});

describe("isUtcTimezone", () => {
  it.each<[string, boolean]>([
    ["UTC", true],
    ["utc", true],
    ["Etc/UTC", true],
    ["+00:00", true],
    ["Z", true],
    ["Europe/London", false],
    ["+01:00", false],
  ])("%s → %s", (tz, utc) => {
    expect(isUtcTimezone(tz)).toBe(utc);
  });
});
