// plan-file.ts: msgpack round trip, hash, and refusals with a clear message.
import { Packr } from "msgpackr";
import { describe, expect, it } from "vitest";
import { canonicalEncode } from "../../../compiler/src/artifacts/canonical.js";
import { computePlanHash, decodePlan, encodePlan, PlanFileError } from "../../../compiler/src/plan/plan-file.js";
import { applied, dataset, desired, drifted, emptyLake, plan, view } from "./fixtures.js";

const D = desired(dataset("a", ["id int64", "big int64"], { policy: { write: { target_file_size_bytes: 5 * 1024 ** 4 } } }), view("x", { lineage: { id: ["a.id"] } }));
const P = plan(D, { ...drifted(applied(D), "a"), orphans: [{ name: "o", path: "/l/o", version: null, table_id: null }] });

describe("plan file", () => {
  it("round-trips exactly (numbers past 32 bits included) and is deterministic", () => {
    const bytes = encodePlan(P);
    expect(decodePlan(bytes)).toEqual(P);
    expect(Buffer.from(encodePlan(decodePlan(bytes))).equals(Buffer.from(bytes))).toBe(true);
    const fresh = plan(D, emptyLake(D));
    expect(decodePlan(encodePlan(fresh))).toEqual(fresh);
  });

  it("the hash covers everything but plan_id, plan_hash and created_at", () => {
    expect(computePlanHash(P)).toBe(P.plan_hash);
    expect(computePlanHash({ ...P, plan_id: "other", created_at: "later", plan_hash: "x" })).toBe(P.plan_hash);
    expect(computePlanHash({ ...P, options: { ...P.options, prune: true } })).not.toBe(P.plan_hash);
    expect(computePlanHash({ ...P, options: { ...P.options, variables: { root_package: "email" } } })).not.toBe(P.plan_hash);
  });

  it.each<[string, Uint8Array, RegExp]>([
    ["not msgpack", new TextEncoder().encode("PK\u0003\u0004 a zip file"), /not a cpgc plan file/],
    ["another msgpack document", canonicalEncode({ hello: "world" }), /not a cpgc plan file \(make one with `cpgc plan -out FILE`\)/],
    ["a newer format", canonicalEncode({ magic: "cpgc-plan", ...P, format_version: 3, cpgc_version: "9.0.0" }), /format 3 \(written by cpgc 9\.0\.0\), newer than this cpgc reads \(2\): upgrade cpgc/],
    ["an older format (no -var values)", canonicalEncode({ magic: "cpgc-plan", ...P, format_version: 1, cpgc_version: "0.1.0" }), /format 1 \(written by cpgc 0\.1\.0\), older than this cpgc applies \(2\): plan again/],
    ["no format version", canonicalEncode({ magic: "cpgc-plan", ...P, format_version: "one" }), /no valid format_version/],
    ["edited by hand", canonicalEncode({ magic: "cpgc-plan", ...P, project: "other" }), /does not match its plan_hash/],
    ["truncated", encodePlan(P).slice(0, 100), /not msgpack|not a cpgc plan/],
    ["records extension", new Packr({ useRecords: true }).pack({ magic: "x" }), /not a cpgc plan/],
  ])("refuses %s", (_title, bytes, message) => {
    expect(() => decodePlan(bytes)).toThrow(PlanFileError);
    expect(() => decodePlan(bytes)).toThrow(message);
    try {
      decodePlan(bytes);
    } catch (e) {
      expect((e as PlanFileError).code).toBe("CPG1410");
    }
  });
});
