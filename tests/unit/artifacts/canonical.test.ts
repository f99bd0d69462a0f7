import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalEncode, canonicalize, fingerprint, referenceCanonicalEncode } from "../../../compiler/src/artifacts/index.js";
import { runLane } from "../../../compiler/src/policy/lane.js";
import { policyHash, resolveProfile } from "../../../compiler/src/policy/profile.js";
import { parseQuery } from "../../../compiler/src/sql/index.js";
import { HAVE_CORPUS, identityEntries, tpchQueries } from "../sql/helpers/corpus.js";

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

describe("the one-pass canonical encoder", () => {
  /** Both give the same bytes, or both refuse the value. */
  const same = (v: unknown, opts = {}): boolean => {
    const run = (f: typeof canonicalEncode) => {
      try {
        return Buffer.from(f(v, opts));
      } catch (e) {
        return (e as Error).constructor;
      }
    };
    const [a, b] = [run(canonicalEncode), run(referenceCanonicalEncode)];
    return a instanceof Buffer && b instanceof Buffer ? a.equals(b) : a === b;
  };

  // Values every msgpack branch is reached by: string lengths around each header size, UTF-8
  // widths (and lone surrogates, which short and long strings encode differently), integers
  // around every width, floats, -0, bigints, binary, index-like keys, nodes of one kind with
  // different key sets and orders.
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 70 }),
    fc.string({ unit: "grapheme", minLength: 20, maxLength: 300 }),
    fc.constantFrom("", "a".repeat(31), "a".repeat(32), "é".repeat(16), "é".repeat(40), "\ud800x", "x".repeat(70) + "\udc00", "a".repeat(255), "a".repeat(256), "€".repeat(30000)),
  );
  const number = fc.oneof(
    fc.integer({ min: -0x81, max: 0x81 }),
    fc.constantFrom(0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000, -0x20, -0x21, -0x80, -0x8000, -0x8001, -0x80000000, -0x80000001, 2 ** 53, -0, 0.5, 1e300, Number.NaN),
    fc.double(),
  );
  const key = fc.oneof(fc.constantFrom("kind", "range", "name", "args", "0", "10", "2", "a", "b"), fc.string({ maxLength: 6 }));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: "small" }, text, number, fc.boolean(), fc.constant(null), fc.bigInt(), fc.uint8Array({ maxLength: 5 }), tie("list"), tie("object"), tie("node")),
    list: fc.array(fc.oneof(tie("tree"), fc.constant(undefined)), { maxLength: 20 }),
    object: fc.dictionary(key, fc.oneof(tie("tree"), fc.constant(undefined)), { maxKeys: 18 }),
    node: fc.oneof(
      fc.record({ kind: fc.constantFrom("column", "binary", "select"), range: fc.record({ start: fc.nat(), end: fc.nat() }), x: tie("tree") }, { requiredKeys: ["kind"] }),
      tie("shuffled"),
    ),
    // the writer's per-kind plans: one kind with its keys in varying orders and sets, own or inherited
    shuffled: fc
      .tuple(
        fc.constantFrom("column", "binary"),
        fc.shuffledSubarray(["kind", "a", "b", "range", "name"], { minLength: 1 }),
        fc.array(fc.oneof(tie("tree"), fc.constant(undefined)), { minLength: 5, maxLength: 5 }),
        fc.constantFrom<object | null>(Object.prototype, null, { b: 1 }, { kind: "binary", a: 2 }),
      )
      .map(([kind, keys, values, proto]) => {
        const o = Object.create(proto) as Record<string, unknown>;
        keys.forEach((k, i) => (o[k] = k === "kind" ? kind : values[i]));
        return o;
      }),
  }));

  it("returns bytes that later encodings leave alone", () => {
    const first = canonicalEncode({ kind: "a", items: ["x".repeat(100)] });
    const copy = Buffer.from(first);
    canonicalEncode({ kind: "b", items: ["y".repeat(5000)] });
    expect(Buffer.from(first).equals(copy)).toBe(true);
    expect(copy.equals(Buffer.from(referenceCanonicalEncode({ kind: "a", items: ["x".repeat(100)] })))).toBe(true);
  });

  it("writes the bytes of the definition (msgpackr over the sorted copy)", () => {
    fc.assert(fc.property(tree, (v) => same(v) && same(v, { omitKeys: ["range"] })), { numRuns: 2000 });
  });

  it("writes own keys only, also for objects that inherit keys a plan has", () => {
    const node = { kind: "k", a: 1, b: 2 };
    const inherits = Object.assign(Object.create({ b: 3 }) as object, { kind: "k", a: 1 });
    const bare = Object.assign(Object.create(null) as object, { kind: "k", a: 1, b: 2 });
    expect(same([node, inherits, bare, { a: 1, kind: "k", b: 2 }, node])).toBe(true);
  });

  it.skipIf(!HAVE_CORPUS)("agrees with the definition on every corpus tree, before and after the lane", () => {
    const profile = resolveProfile({ transforms: ["hoist_ctes", "eliminate_qualify", "normalize_unnest", "expand_using"] });
    const inputs = [...tpchQueries().map((q) => q.sql), ...identityEntries().filter((e) => e.kind === "query").map((e) => e.sql)];
    let trees = 0;
    for (const sql of inputs) {
      const parsed = parseQuery(sql);
      if (!parsed.ok) continue;
      const lane = runLane(sql, profile);
      for (const t of [parsed.ast, lane.ast]) {
        if (!t) continue;
        expect(same(t, { omitKeys: ["range"] })).toBe(true);
        expect(fingerprint(t, { omitKeys: ["range"] })).toBe(createHash("sha256").update(referenceCanonicalEncode(t, { omitKeys: ["range"] })).digest("hex"));
        trees++;
      }
    }
    expect(trees).toBeGreaterThan(800);
  });
});
