import { describe, expect, it } from "vitest";
import { globBase, globToRegExp } from "../../../compiler/src/spec/glob.js";

describe("globToRegExp", () => {
  it.each<[string, string, boolean]>([
    ["specs/**/*.yaml", "specs/a.yaml", true],
    ["specs/**/*.yaml", "specs/x/y/a.yaml", true],
    ["specs/**/*.yaml", "specs/a.yml", false],
    ["specs/**/*.yaml", "other/a.yaml", false],
    ["specs/*.yaml", "specs/x/a.yaml", false],
    ["specs/*.{yaml,yml}", "specs/a.yml", true],
    ["specs/?.yaml", "specs/ab.yaml", false],
    ["specs/[ab].yaml", "specs/b.yaml", true],
    ["specs/[!ab].yaml", "specs/b.yaml", false],
    ["**/*.cpg.ts", "a/b/c.cpg.ts", true],
    ["**/*.cpg.ts", "c.cpg.ts", true],
    ["specs/a.b.yaml", "specs/aXb.yaml", false],
    ["specs/**", "specs/a/b", true],
  ])("%s ~ %s → %s", (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it.each([
    ["specs/**/*.yaml", "specs"],
    ["specs/x/*.yaml", "specs/x"],
    ["*.yaml", ""],
    ["a/{b,c}/d.yaml", "a"],
  ])("walks %s from '%s'", (glob, base) => {
    expect(globBase(glob)).toBe(base);
  });
});
