// What two digest sets prove (compiler/src/plan/digests.ts): the row entry decides "same", a
// unique key makes column digests localize a change, anything missing proves nothing.
import { describe, expect, it } from "vitest";
import { carriedDigests, compareDigests, readerDigests, sameForReader } from "../../../compiler/src/plan/digests.js";

const keyed = (over: Record<string, string> = {}) => ({ id: "2:i", a: "2:a", b: "2:b", "*": "2:row", "*key:id": "2:k", ...over });
const plain = (over: Record<string, string> = {}) => ({ id: "2:i", a: "2:a", b: "2:b", "*": "2:row", ...over });

describe("compareDigests", () => {
  it.each([
    ["no digests before", null, keyed(), ["a"], { kind: "incomparable" }],
    ["an older state without the row entry", { id: "2:i", a: "2:a" }, keyed(), ["a"], { kind: "incomparable" }],
    ["the same rows", keyed(), keyed(), ["a", "b"], { kind: "same" }],
    ["the same rows, unkeyed", plain(), plain(), ["a"], { kind: "same" }],
    ["a row more", keyed(), keyed({ "*": "3:row2", a: "3:a" }), ["a"], { kind: "all" }],
    ["keyed: one column changed", keyed(), keyed({ "*": "2:row2", b: "2:b2" }), ["a", "b"], { kind: "columns", columns: ["b"] }],
    ["keyed: a reader of unchanged columns", keyed(), keyed({ "*": "2:row2", b: "2:b2" }), ["a"], { kind: "columns", columns: [] }],
    ["keyed: other keys, same count", keyed(), keyed({ "*": "2:row2", "*key:id": "2:k2" }), ["a"], { kind: "all" }],
    ["another key", keyed(), { ...plain({ "*": "2:row2" }), "*key:a": "2:x" }, ["a", "b"], { kind: "all" }],
    ["unkeyed: values swapped between rows, a reader of two columns", plain(), plain({ "*": "2:row2" }), ["a", "b"], { kind: "all" }],
    ["unkeyed: a reader of one column sees only its multiset", plain(), plain({ "*": "2:row2" }), ["a"], { kind: "columns", columns: [] }],
    ["unkeyed: that column changed", plain(), plain({ "*": "2:row2", a: "2:a2" }), ["a"], { kind: "columns", columns: ["a"] }],
    ["unkeyed: a reader of no column (count(*)), same count", plain(), plain({ "*": "2:row2" }), [], { kind: "columns", columns: [] }],
    ["keyed: a column read without a digest", keyed(), keyed({ "*": "2:row2" }), ["c"], { kind: "incomparable" }],
  ] as const)("%s", (_title, before, after, columns, expected) => {
    expect(compareDigests(before, after, columns)).toEqual(expected);
  });

  it("follows renames: a column's digest under its old name", () => {
    const after = { id: "2:i", a2: "2:a", b: "2:b2", "*": "2:row2", "*key:id": "2:k" };
    expect(compareDigests(keyed(), after, ["a2", "b"], { a2: "a" })).toEqual({ kind: "columns", columns: ["b"] });
    expect(sameForReader(keyed(), after, ["a2"])).toBe(false); // without the rename: a2 unknown before
  });
});

describe("readerDigests and carriedDigests", () => {
  it("a reader records the columns it reads plus the row and key entries", () => {
    expect(readerDigests(keyed(), ["a"])).toEqual({ a: "2:a", "*": "2:row", "*key:id": "2:k" });
    expect(readerDigests(keyed(), null)).toEqual(keyed());
    expect(readerDigests(null, ["a"])).toEqual({});
  });

  it("a metadata-only commit carries the entries while the columns stay the same (renames included)", () => {
    expect(carriedDigests(keyed(), [{ name: "id" }, { name: "a2", renamed_from: "a" }, { name: "b" }])).toEqual({ id: "2:i", a2: "2:a", b: "2:b", "*": "2:row", "*key:id": "2:k" });
    // A new column (NULL in every row) or a dropped one: the row entry no longer describes the rows.
    expect(carriedDigests(keyed(), [{ name: "id" }, { name: "a" }, { name: "b" }, { name: "c" }])).toEqual({ id: "2:i", a: "2:a", b: "2:b" });
    expect(carriedDigests(keyed(), [{ name: "id" }, { name: "a" }])).toEqual({ id: "2:i", a: "2:a" });
    // A renamed key column: the key entry is dropped.
    expect(carriedDigests(keyed(), [{ name: "id2", renamed_from: "id" }, { name: "a" }, { name: "b" }])).toEqual({ id2: "2:i", a: "2:a", b: "2:b", "*": "2:row" });
    expect(carriedDigests(null, [{ name: "a" }])).toBeNull();
  });
});
