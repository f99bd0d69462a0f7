import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PLAN_JSON_VERSION, type Plan } from "../../../compiler/src/plan/model.js";
import { planJsonExitCode, planToJson } from "../../../compiler/src/render/index.js";
import { CHANGE_KINDS, CLASSES, COLUMN_CHANGES, KINDS, OPS, ROLES, change, DESTRUCTIVE, keys, NAMED_PLANS, NO_CHANGES_WITH_ORPHAN, noop, plan, planArb, table } from "./plan-fixtures.js";

const SCHEMA_PATH = new URL("../../../schemas/plan.schema.json", import.meta.url);
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;

/** The schema as published: open objects (a 1.x reader must accept keys a later minor adds). */
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: false });
const validate = ajv.compile(schema);

/** The same schema closed: what planToJson emits must be exactly what the schema documents. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== "object") return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v)]));
  return "properties" in out ? { ...out, additionalProperties: false } : out;
}
const validateClosed = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: false }).compile({ ...(closed(schema) as object), $id: "closed" });

const roundTrip = (p: Plan) => JSON.parse(JSON.stringify(planToJson(p))) as Record<string, unknown>;
const errorsOf = (v: typeof validate) => JSON.stringify(v.errors, null, 2);


describe("schemas/plan.schema.json", () => {
  it("is draft 2020-12 and describes every property", () => {
    expect(schema["$schema"]).toBe("https://json-schema.org/draft/2020-12/schema");
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (node === null || typeof node !== "object") return;
      const props = (node as Record<string, unknown>)["properties"] as Record<string, Record<string, unknown>> | undefined;
      for (const [k, v] of Object.entries(props ?? {})) if (typeof v["description"] !== "string") undocumented.push(`${path}.${k}`);
      for (const [k, v] of Object.entries(node)) visit(v, `${path}/${k}`);
    };
    visit(schema, "#");
    expect(undocumented).toEqual([]);
  });

  it("states the versioning rule", () => {
    expect(schema["description"]).toMatch(/minor bump only adds keys; consumers must ignore keys they do not know/);
    expect(schema["description"]).toMatch(/major bump breaks; consumers must refuse a major they do not know/);
  });

  it("lists exactly the model's enum members", () => {
    const defs = schema["$defs"] as Record<string, { properties: Record<string, { enum: string[] }>; enum: string[] }>;
    const table = defs["table"]!.properties;
    expect(table["op"]!.enum.sort()).toEqual(keys(OPS).sort());
    expect(table["role"]!.enum.sort()).toEqual(keys(ROLES).sort());
    expect(table["kind"]!.enum.sort()).toEqual(keys(KINDS).sort());
    expect(defs["changeClass"]!.enum.sort()).toEqual(keys(CLASSES).sort());
    expect(defs["change"]!.properties["kind"]!.enum.sort()).toEqual(keys(CHANGE_KINDS).sort());
    expect(defs["columnDiff"]!.properties["change"]!.enum.sort()).toEqual(keys(COLUMN_CHANGES).sort());
  });

  const versions: [string, boolean][] = [
    [PLAN_JSON_VERSION, true],
    ["1.7", true],
    ["1.10", true],
    ["2.0", false],
    ["0.9", false],
    ["1", false],
    ["1.01", false],
  ];
  it.each(versions)("format_version %s valid: %s", (version, ok) => {
    expect(validate({ ...roundTrip(DESTRUCTIVE), format_version: version })).toBe(ok);
  });

  it("accepts keys a later minor adds, and refuses missing required keys", () => {
    const json = roundTrip(DESTRUCTIVE);
    const tables = json["tables"] as Record<string, unknown>[];
    expect(validate({ ...json, format_version: "1.1", new_key: 1, tables: tables.map((t) => ({ ...t, also_new: [] })) }), errorsOf(validate)).toBe(true);
    expect(validateClosed({ ...json, new_key: 1 })).toBe(false);
    const { summary: _s, ...noSummary } = json;
    expect(validate(noSummary)).toBe(false);
    expect(validate({ ...json, tables: [{ ...tables[0], op: "explode" }] })).toBe(false);
    expect(validate({ ...json, exit_code: 4 })).toBe(false);
  });
});

describe("planToJson", () => {
  it.each(Object.entries(NAMED_PLANS))("%s validates (open and closed schema)", (_name, p) => {
    const json = roundTrip(p);
    expect(validate(json), errorsOf(validate)).toBe(true);
    expect(validateClosed(json), errorsOf(validateClosed)).toBe(true);
  });

  it("golden: destructive", async () => {
    await expect(`${JSON.stringify(planToJson(DESTRUCTIVE), null, 2)}\n`).toMatchFileSnapshot("plan-golden/destructive.json");
  });

  it("has a stable key order, whatever the plan object's order", () => {
    const json = planToJson(DESTRUCTIVE);
    expect(Object.keys(json)).toEqual([
      "format_version",
      "plan_id",
      "plan_hash",
      "created_at",
      "cpgc_version",
      "project",
      "config_hash",
      "lake_root",
      "options",
      "summary",
      "exit_code",
      "views_table_pin",
      "tables",
      "errors",
      "warnings",
    ]);
    const shuffled = Object.fromEntries(Object.entries(DESTRUCTIVE).reverse()) as unknown as Plan;
    expect(JSON.stringify(planToJson(shuffled))).toBe(JSON.stringify(json));
  });

  it("keeps noop tables, and leaves apply internals out", () => {
    const json = planToJson(plan([noop("a", { step: { checkpoint: true } })]));
    expect(json.tables.map((t) => [t.address, t.op])).toEqual([["dataset.a", "noop"]]);
    expect(Object.keys(json.tables[0]!)).not.toContain("step");
    expect(Object.keys(json.tables[0]!)).not.toContain("state");
  });

  const exitCodes: [string, Plan, 0 | 1 | 2 | 3][] = [
    ["nothing to do", plan([noop("a")]), 0],
    ["only an orphan listed", NO_CHANGES_WITH_ORPHAN, 0],
    ["non-breaking change", plan([table("a", "update", [change("schema", "non-breaking", "r")])]), 2],
    ["destructive table", plan([table("a", "replace", [change("schema", "destructive", "r")])]), 3],
    ["irreversible change", plan([table("a", "update", [change("features", "irreversible", "r")])]), 3],
    ["pruned orphan", plan([table("o", "destroy", [change("destroy", "destructive", "r")], { kind: "orphan", role: "orphan" })]), 3],
    ["errors", plan([noop("a")], { errors: [{ table: "a", code: "C", message: "m", hints: [] }] }), 1],
  ];
  it.each(exitCodes)("exit_code: %s → %i", (_name, p, code) => {
    expect(planJsonExitCode(p)).toBe(code);
    expect(planToJson(p).exit_code).toBe(code);
  });
});

describe("planToJson on generated plans", () => {
  it("validates against the schema, open and closed", () => {
    fc.assert(
      fc.property(planArb, (p) => {
        const json = roundTrip(p);
        expect(validate(json), errorsOf(validate)).toBe(true);
        expect(validateClosed(json), errorsOf(validateClosed)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
