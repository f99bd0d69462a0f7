// diff: the plan as a whole — creates on an empty lake, errors, pins, summary, orphans,
// --target / --exclude, --refresh-only.
import { describe, expect, it } from "vitest";
import type { ObservedState } from "../../../compiler/src/plan/model.js";
import { applied, dataset, desired, drifted, emptyLake, ops, plan, tableOf, view, withSource } from "./fixtures.js";

const A = dataset("a", ["id int64!", "v utf8"], { primary_key: ["id"], policy: { features: ["changeDataFeed"] } });
const B = dataset("b", ["id int64"], { source: null });
const X = view("x", { lineage: { id: ["a.id"] } });
const Y = view("y", { lineage: { id: ["x.id"], bid: ["b.id"] } });
const L = view("l", { materialize: "view", lineage: { v: ["a.v"] }, types: { v: "utf8" } });
const D = desired(A, B, X, L, Y);

describe("a fresh lake", () => {
  const p = plan(D, emptyLake(D));

  it("creates every table with its data in the same step, registers logical views", () => {
    expect(ops(p)).toEqual({ a: "create", b: "create", x: "create", l: "register", y: "create" });
    const a = tableOf(p, "a");
    expect(a.step.create).toEqual({ schema: D.tables[0]!.delta_schema, partition_columns: [], properties: D.tables[0]!.properties, features: ["changeDataFeed", "domainMetadata"] });
    expect(a.step.write?.from.kind).toBe("source");
    expect(tableOf(p, "b").step).toEqual({ create: expect.anything(), checkpoint: true });
    expect(tableOf(p, "x").step.write).toEqual({ mode: "overwrite", from: { kind: "sql", sql: D.tables[2]!.sql } });
    expect(a.class).toBe("non-breaking");
    expect(a.schema_diff).toEqual([
      { column: "id", change: "added", before: null, after: "int64 not null" },
      { column: "v", change: "added", before: null, after: "utf8" },
    ]);
    expect(tableOf(p, "x").sql_diff).toEqual({ before: null, after: D.tables[2]!.sql });
    expect(tableOf(p, "y").depends_on).toEqual(["b", "x"]);
  });

  it("pins every Delta table as absent and _cpgc_views as absent; counts the summary", () => {
    for (const t of p.tables) expect(t.pin).toEqual({ status: "absent" });
    expect(p.views_table_pin).toEqual({ status: "absent" });
    expect(p.summary).toEqual({ create: 4, update: 1, rematerialize: 0, destroy: 0, unchanged: 0 });
    expect(p.plan_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(p.config_hash).toBe(D.config_hash);
  });

  it("records the state each commit writes (apply completes inputs and digests)", () => {
    const a = tableOf(p, "a").state!;
    expect(a).toMatchObject({ format: 1, spec_hash: D.tables[0]!.spec_hash, writer_hash: D.tables[0]!.writer_hash, digests: null, rows_version: 0, source_fingerprint: expect.any(String) });
    expect(a.source_files).toEqual([{ path: "data/a.ndjson", sha256: expect.any(String) }]);
    expect(tableOf(p, "x").state).toMatchObject({ ast_fingerprint: D.tables[2]!.ast_fingerprint, lineage: { id: ["a.id"] } });
  });
});

describe("errors", () => {
  it("unreadable tables, ill-declared extractor datasets and tables the runtime did not observe are plan errors", () => {
    const d = desired(A, B, dataset("ext", ["id int64"], { source: { extractor: "python" } }));
    const lake = emptyLake(d);
    const { b: _b, ...rest } = lake.tables;
    const observed: ObservedState = { ...lake, tables: { ...rest, a: { name: "a", status: "unreadable", error: { code: "DELTA_UNSUPPORTED_FEATURE", message: "reader feature v2Checkpoint" } } } };
    const p = plan(d, observed);
    expect(p.errors.map((e) => [e.table, e.code])).toEqual([["a", "CPG1400"], ["b", "CPG1408"], ["ext", "CPG1404"], ["ext", "CPG1404"]]);
    expect(p.errors[2]!.message).toMatch(/^an extract dataset needs a `path` column/);
    expect(p.errors[3]!.message).toBe("no dataset of extractor 'python' declares the source tree");
    expect(ops(p)).toEqual({ a: "noop", b: "noop", ext: "noop" });
  });

  it("a column type Delta cannot store is an error of the plan", () => {
    const d = desired(dataset("u", ["id uint64"]));
    expect(plan(d, emptyLake(d)).errors.map((e) => e.code)).toEqual(["CPG1406"]);
  });

  it("--target / --exclude of an unknown name is an error", () => {
    expect(plan(D, emptyLake(D), { targets: ["nope"], excludes: ["zzz"] }).errors.map((e) => [e.table, e.code])).toEqual([["nope", "CPG1407"], ["zzz", "CPG1407"]]);
  });
});

describe("orphans", () => {
  const lake = (): ObservedState => ({ ...applied(D), orphans: [{ name: "old", path: "/lake/old", version: 4, table_id: "id-old" }] });

  it("are listed, not destroyed, without --prune (and not a change)", () => {
    const p = plan(D, lake());
    expect(tableOf(p, "old")).toMatchObject({ kind: "orphan", role: "orphan", op: "orphan", pin: { status: "present", table_id: "id-old", version: 4 } });
    expect(p.summary).toEqual({ create: 0, update: 0, rematerialize: 0, destroy: 0, unchanged: 5 });
    expect(p.tables.at(-1)!.name).toBe("old");
  });

  it("are destroyed with --prune (destructive)", () => {
    const t = tableOf(plan(D, lake(), { prune: true }), "old");
    expect(t).toMatchObject({ op: "destroy", class: "destructive", step: { destroy: true } });
  });
});

describe("--target and --exclude", () => {
  const changed = () => {
    const l = applied(D);
    return withSource(drifted(l, "b"), "a", { ...l.sources["a"]!, fingerprint: "new" });
  };

  it("--target keeps the target's actions and those of the ancestors it needs", () => {
    const p = plan(D, changed(), { targets: ["x"] });
    expect(ops(p)).toEqual({ a: "update", b: "noop", x: "rematerialize", l: "noop", y: "noop" });
    expect(tableOf(p, "y").notes.at(-1)).toBe("not a --target nor needed by one: 1 change not planned");
    expect(tableOf(p, "l").notes).toEqual([]);
  });

  it("--exclude drops a table's actions, and its dirt does not reach readers", () => {
    const p = plan(D, changed(), { excludes: ["a"] });
    expect(ops(p)).toEqual({ a: "noop", b: "noop", x: "noop", l: "noop", y: "rematerialize" });
    expect(tableOf(p, "y").indirect).toEqual([{ table: "b", columns: ["id"] }]);
  });
});

describe("--refresh-only", () => {
  it("reports drift, changes nothing else", () => {
    const d2 = desired(A, B, view("x", { lineage: { id: ["a.id"], v: ["a.v"] } }), L, Y);
    const p = plan(d2, drifted(applied(D), "a"), { refresh_only: true });
    expect(Object.values(ops(p)).every((o) => o === "noop")).toBe(true);
    expect(tableOf(p, "a").changes.map((c) => [c.kind, c.class])).toEqual([["drift", "cosmetic"]]);
    expect(tableOf(p, "a").drift).toHaveLength(1);
    expect(tableOf(p, "x").changes).toEqual([]);
    expect(p.errors).toEqual([]);
  });
});
