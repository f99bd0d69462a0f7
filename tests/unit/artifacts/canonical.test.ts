import { describe, expect, it } from "vitest";
import { canonicalEncode, canonicalize, fingerprint } from "../../../compiler/src/artifacts/index.js";
import { policyHash, resolveProfile } from "../../../compiler/src/policy/profile.js";

describe("canonical encoding", () => {
  it.each<[string, unknown, unknown]>([
    ["key order", { b: 1, a: { d: 2, c: 3 } }, { a: { c: 3, d: 2 }, b: 1 }],
    ["undefined members", { a: 1, b: undefined }, { a: 1 }],
    ["negative zero", { x: -0 }, { x: 0 }],
    ["undefined in arrays become null", [1, undefined], [1, null]],
  ])("does not depend on %s", (_name, a, b) => {
    expect(Buffer.from(canonicalEncode(a)).equals(Buffer.from(canonicalEncode(b)))).toBe(true);
    expect(fingerprint(a)).toBe(fingerprint(b));
  });

  it.each<[string, unknown, unknown]>([
    ["values", { a: 1 }, { a: 2 }],
    ["types", { a: 1 }, { a: "1" }],
    ["array order", [1, 2], [2, 1]],
    ["null vs missing", { a: null }, {}],
    ["integer vs float", { a: 1 }, { a: 1.5 }],
  ])("distinguishes %s", (_name, a, b) => {
    expect(fingerprint(a)).not.toBe(fingerprint(b));
  });

  it("omits the given keys at every depth (source ranges)", () => {
    const a = { kind: "col", name: "x", range: { start: 0, end: 1 }, args: [{ kind: "lit", range: { start: 5, end: 6 } }] };
    const b = { kind: "col", name: "x", range: { start: 9, end: 10 }, args: [{ kind: "lit", range: { start: 1, end: 2 } }] };
    expect(fingerprint(a, { omitKeys: ["range"] })).toBe(fingerprint(b, { omitKeys: ["range"] }));
    expect(fingerprint(a)).not.toBe(fingerprint(b));
    expect(canonicalize(a, { omitKeys: ["range"] })).toEqual({ args: [{ kind: "lit" }], kind: "col", name: "x" });
  });

  it("is a fixed function of its input (a golden value guards against encoder changes)", () => {
    expect(fingerprint({ kind: "select", columns: ["a", "b"], limit: 10, distinct: false, ratio: 0.25, big: 2n ** 60n })).toBe(
      "1d7d4d5eca1a2466e46e3f3c9597942d5d3a580f6e6f66c598d3b98199982e38",
    );
  });

  it("rejects values that have no canonical form", () => {
    expect(() => canonicalEncode({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalEncode(new Map())).toThrow(TypeError);
  });
});

describe("policy profile and policy_hash", () => {
  it("makes defaults explicit", () => {
    expect(resolveProfile(undefined)).toEqual({ dialect: "duckdb", transforms: [], normalize_predicates: { max_distance: 128 } });
  });

  it("changes with the profile and with the function catalog, not with how the profile is written", () => {
    const a = resolveProfile({ dialect: "duckdb", transforms: ["hoist_ctes"] });
    const b = resolveProfile({ transforms: ["hoist_ctes"], normalize_predicates: { max_distance: 128 } });
    expect(policyHash(a, "cat1")).toBe(policyHash(b, "cat1"));
    expect(policyHash(a, "cat1")).not.toBe(policyHash(a, "cat2"));
    expect(policyHash(a, "cat1")).not.toBe(policyHash(resolveProfile({ transforms: ["hoist_ctes", "expand_using"] }), "cat1"));
    expect(policyHash(a, "cat1")).toMatch(/^[0-9a-f]{64}$/);
  });
});
