import { describe, expect, it } from "vitest";
import { closestMatch, didYouMean, levenshtein } from "../../../compiler/src/diagnostics/suggest.js";

describe("levenshtein", () => {
  it.each<[string, string, number]>([
    ["", "", 0],
    ["", "abc", 3],
    ["abc", "", 3],
    ["int6", "int64", 1],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["ab", "ba", 2],
    ["Int64", "int64", 1],
  ])("%s ↔ %s = %d", (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe("closestMatch", () => {
  const words = ["int8", "int16", "int32", "int64", "uint64", "utf8", "list", "string", "struct"];
  it.each<[string, string | undefined]>([
    ["int6", "int64"],
    ["INT6", "int64"],
    ["int3", "int32"],
    ["utf", "utf8"],
    ["lst", "list"],
    ["strin", "string"],
    ["stuct", "struct"],
    ["xyzzy", undefined],
    ["", undefined],
  ])("%s → %s", (input, expected) => {
    expect(closestMatch(input, words)).toBe(expected);
  });

  it("honours maxDistance and case sensitivity", () => {
    expect(closestMatch("intxx", words, { maxDistance: 1 })).toBeUndefined();
    expect(closestMatch("intxx", words, { maxDistance: 2 })).toBe("int8"); // ties go to the earlier candidate
    expect(closestMatch("UTF8", ["utf8"], { caseInsensitive: false })).toBeUndefined();
  });

  it("formats a did-you-mean hint", () => {
    expect(didYouMean("int6", words)).toBe("did you mean 'int64'?");
    expect(didYouMean("qqqq", words)).toBeUndefined();
  });
});
