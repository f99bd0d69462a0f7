// type-change.ts: widening vs additive vs incompatible.
import { describe, expect, it } from "vitest";
import { typeChange, type TypeChange } from "../../../compiler/src/plan/type-change.js";

describe("typeChange", () => {
  it.each<[string, string, TypeChange]>([
    ["int64", "int64", "equal"],
    ["int8", "int16", "widen"],
    ["int8", "int64", "widen"],
    ["int32", "int64", "widen"],
    ["float32", "float64", "widen"],
    ["int64", "int32", "incompatible"],
    ["float64", "float32", "incompatible"],
    ["int32", "float64", "incompatible"],
    ["utf8", "int64", "incompatible"],
    ["struct<a: int64>", "struct<a: int64, b: utf8>", "additive"],
    ["struct<a: int64>", "struct<a: int64, b: utf8 not null>", "incompatible"],
    ["struct<a: int64, b: utf8>", "struct<a: int64>", "incompatible"],
    ["struct<a: int32>", "struct<a: int64, b: utf8>", "widen"],
    ["struct<a: int64 not null>", "struct<a: int64>", "additive"],
    ["struct<a: int64>", "struct<a: int64 not null>", "incompatible"],
    ["list<int32>", "list<int64>", "widen"],
    ["list<utf8>", "list<utf8 not null>", "incompatible"],
    ["map<utf8, int32>", "map<utf8, int64>", "widen"],
    ["map<utf8, int64>", "map<int64, int64>", "incompatible"],
    ["decimal(10, 2)", "decimal(12, 2)", "incompatible"],
    ["not a type", "int64", "incompatible"],
  ])("%s → %s: %s", (before, after, expected) => {
    expect(typeChange(before, after)).toBe(expected);
  });
});
