// diff: schema rules. Each case applies `before` to an empty lake, then plans `after` against it.
import { describe, expect, it } from "vitest";
import type { DatasetArtifact, ViewArtifact } from "../../../compiler/src/compile/manifest.js";
import type { PlanOptions } from "../../../compiler/src/plan/model.js";
import { applied, dataset, desired, plan, simulateApply, tableOf, view, withTable, type PolicyChange } from "./fixtures.js";

const NAME_MAPPING: PolicyChange = { features: ["columnMapping"], schema: { column_mapping: "name" } };
const OVERWRITE: PolicyChange = { schema: { mode: "overwrite" } };
const STRICT: PolicyChange = { schema: { mode: "strict" } };

interface Case {
  readonly title: string;
  readonly before: DatasetArtifact | ViewArtifact;
  readonly after: DatasetArtifact | ViewArtifact;
  readonly options?: Partial<PlanOptions>;
  readonly op: string;
  readonly class: string;
  readonly diff: readonly string[];
  readonly errors?: readonly string[];
  /** What the step writes: none, source, sql or self. */
  readonly write: "none" | "source" | "sql" | "self";
}

const managed = (cols: string[], p: PolicyChange = {}) => dataset("m", cols, { source: null, policy: p });
const loaded = (cols: string[], p: PolicyChange = {}) => dataset("m", cols, { policy: p });

const CASES: readonly Case[] = [
  { title: "managed: a column added → non-breaking, metadata only", before: managed(["a int64"]), after: managed(["a int64", "b utf8"]), op: "update", class: "non-breaking", diff: ["b added"], write: "none" },
  { title: "source: a column added → reloaded from the files", before: loaded(["a int64"]), after: loaded(["a int64", "b utf8"]), op: "update", class: "non-breaking", diff: ["b added"], write: "source" },
  { title: "managed: a column reordered only → nothing", before: managed(["a int64", "b utf8"]), after: managed(["b utf8", "a int64"]), op: "noop", class: "cosmetic", diff: [], write: "none" },
  {
    title: "managed: NOT NULL column added to a table with rows → CPG1409",
    before: managed(["a int64"]),
    after: managed(["a int64", "b utf8!"]),
    op: "update",
    class: "non-breaking",
    diff: ["b added"],
    errors: ["CPG1409"],
    write: "none",
  },
  { title: "rename under column mapping → metadata-only, no rewrite", before: loaded(["a int64", "old utf8"], NAME_MAPPING), after: loaded(["a int64", "old>new utf8"], NAME_MAPPING), op: "update", class: "metadata-only", diff: ["new renamed"], write: "none" },
  { title: "rename without column mapping → CPG1403", before: managed(["a int64", "old utf8"]), after: managed(["a int64", "old>new utf8"]), op: "update", class: "metadata-only", diff: ["new renamed"], errors: ["CPG1403"], write: "none" },
  { title: "rename already applied: renamed_from is harmless", before: managed(["a int64", "new utf8"]), after: managed(["a int64", "old>new utf8"]), op: "noop", class: "cosmetic", diff: [], write: "none" },
  { title: "widening int32 → int64 on a managed table → rewrite-required, rewritten from itself", before: managed(["a int32"]), after: managed(["a int64"]), op: "update", class: "rewrite-required", diff: ["a retyped"], write: "self" },
  { title: "widening float32 → float64 with typeWidening → non-breaking, no rewrite", before: managed(["a float32"], { features: ["typeWidening"] }), after: managed(["a float64"], { features: ["typeWidening"] }), op: "update", class: "non-breaking", diff: ["a retyped"], write: "none" },
  { title: "widening on a source → reloaded", before: loaded(["a int8"]), after: loaded(["a int16"]), op: "update", class: "rewrite-required", diff: ["a retyped"], write: "source" },
  { title: "a nested struct field added → non-breaking", before: managed(["s struct<a: int64>"]), after: managed(["s struct<a: int64, b: utf8>"]), op: "update", class: "non-breaking", diff: ["s retyped"], write: "none" },
  { title: "NOT NULL relaxed → non-breaking", before: managed(["a int64!"]), after: managed(["a int64"]), op: "update", class: "non-breaking", diff: ["a nullability"], write: "none" },
  { title: "a column removed (merge) → CPG1401 naming both fixes", before: managed(["a int64", "b utf8"]), after: managed(["a int64"]), op: "replace", class: "destructive", diff: ["b removed"], errors: ["CPG1401"], write: "self" },
  { title: "removed with mode overwrite but no --allow-destructive → CPG1401", before: managed(["a int64", "b utf8"], OVERWRITE), after: managed(["a int64"], OVERWRITE), op: "replace", class: "destructive", diff: ["b removed"], errors: ["CPG1401"], write: "self" },
  { title: "removed with overwrite + --allow-destructive → replace", before: managed(["a int64", "b utf8"], OVERWRITE), after: managed(["a int64"], OVERWRITE), options: { allow_destructive: true }, op: "replace", class: "destructive", diff: ["b removed"], write: "self" },
  {
    title: "removed under column mapping: destructive, but a metadata drop",
    before: managed(["a int64", "b utf8"], { ...NAME_MAPPING, schema: { column_mapping: "name", mode: "overwrite" } }),
    after: managed(["a int64"], { ...NAME_MAPPING, schema: { column_mapping: "name", mode: "overwrite" } }),
    options: { allow_destructive: true },
    op: "replace",
    class: "destructive",
    diff: ["b removed"],
    write: "none",
  },
  { title: "narrowed int64 → int32 → CPG1401", before: managed(["a int64"]), after: managed(["a int32"]), op: "replace", class: "destructive", diff: ["a retyped"], errors: ["CPG1401"], write: "self" },
  { title: "retyped utf8 → int64 (overwrite, allowed) → replace", before: managed(["a utf8"], OVERWRITE), after: managed(["a int64"], OVERWRITE), options: { allow_destructive: true }, op: "replace", class: "destructive", diff: ["a retyped"], write: "self" },
  { title: "nullable → NOT NULL → CPG1401", before: managed(["a int64"]), after: managed(["a int64!"]), op: "replace", class: "destructive", diff: ["a nullability"], errors: ["CPG1401"], write: "self" },
  { title: "strict: even an added column → CPG1402", before: managed(["a int64"], STRICT), after: managed(["a int64", "b int64"], STRICT), op: "update", class: "non-breaking", diff: ["b added"], errors: ["CPG1402"], write: "none" },
  { title: "partitioning changed → rewrite-required replace", before: managed(["a int64", "d utf8"]), after: managed(["a int64", "d utf8"], { write: { partition_by: ["d"] } }), op: "replace", class: "rewrite-required", diff: [], write: "self" },
  {
    title: "view: a column removed → breaking, refused without the flags",
    before: view("m", { lineage: { a: ["s.a"], b: ["s.b"] }, query: "v1" }),
    after: view("m", { lineage: { a: ["s.a"] }, query: "v2" }),
    op: "replace",
    class: "breaking",
    diff: ["b removed"],
    errors: ["CPG1401"],
    write: "sql",
  },
  {
    title: "view: a column removed with overwrite + --allow-destructive → breaking replace",
    before: view("m", { lineage: { a: ["s.a"], b: ["s.b"] }, query: "v1", policy: OVERWRITE }),
    after: view("m", { lineage: { a: ["s.a"] }, query: "v2", policy: OVERWRITE }),
    options: { allow_destructive: true },
    op: "replace",
    class: "breaking",
    diff: ["b removed"],
    write: "sql",
  },
  {
    title: "view: a new output column → non-breaking rematerialize",
    before: view("m", { lineage: { a: ["s.a"] }, query: "v1" }),
    after: view("m", { lineage: { a: ["s.a"], b: ["s.b"] }, query: "v2" }),
    op: "rematerialize",
    class: "non-breaking",
    diff: ["b added"],
    write: "sql",
  },
];

describe("schema changes", () => {
  it.each(CASES.map((c) => [c.title, c] as const))("%s", (_title, c) => {
    const src = dataset("s", ["a int64", "b int64"]);
    const d0 = desired(src, c.before);
    const lake = applied(d0);
    const d1 = desired(src, c.after);
    const p = plan(d1, lake, c.options);
    const t = tableOf(p, "m");
    expect(t.op).toBe(c.op);
    expect(t.class).toBe(c.class);
    expect(t.schema_diff.map((x) => `${x.column} ${x.change}`)).toEqual(c.diff);
    expect(p.errors.map((e) => e.code)).toEqual(c.errors ?? []);
    expect(t.step.write === undefined ? "none" : t.step.write.from.kind).toBe(c.write);
    if (t.op !== "noop") expect(t.step.alter?.schema?.fields ?? t.step.alter?.partition_columns ?? t.step.write).toBeDefined();
    if ((c.errors ?? []).length === 0 && t.op !== "noop") {
      const again = plan(d1, simulateApply(d1, lake, p), c.options);
      expect(tableOf(again, "m").op).toBe("noop");
    }
  });

  it("CPG1401 hints name schema mode overwrite and --allow-destructive", () => {
    const lake = applied(desired(managed(["a int64", "b utf8"])));
    const p = plan(desired(managed(["a int64"])), lake);
    expect(p.errors[0]!.hints).toEqual(["set delta.schema.mode: overwrite for m (specs/m.yaml:2)", "and run with --allow-destructive"]);
    expect(p.errors[0]!.table).toBe("m");
  });

  it("a rename step carries the renames for apply", () => {
    const lake = applied(desired(loaded(["a int64", "old utf8"], NAME_MAPPING)));
    const p = plan(desired(loaded(["a int64", "old>new utf8"], NAME_MAPPING)), lake);
    expect(tableOf(p, "m").step.alter?.schema?.renames).toEqual({ new: "old" });
    expect(tableOf(p, "m").dirty_columns).toEqual([]);
  });

  it("a rename with column mapping turned on in the same plan is metadata-only", () => {
    const lake = applied(desired(managed(["a int64", "old utf8"])));
    const p = plan(desired(managed(["a int64", "old>new utf8"], NAME_MAPPING)), lake);
    const t = tableOf(p, "m");
    expect(p.errors).toEqual([]);
    expect(t.step.alter?.set_properties).toEqual({ "delta.columnMapping.mode": "name" });
    expect(t.step.alter?.features).toEqual(["columnMapping"]);
    expect(t.class).toBe("irreversible");
  });

  it("a schema the lake holds but Arrow cannot read is an error, not a guess", () => {
    const lake = applied(desired(managed(["a int64"])));
    const broken = withTable(lake, "m", (t) => ({ ...t, schema: [{ name: "a", type: "variant", nullable: true, metadata: {} }] }));
    const p = plan(desired(managed(["a int64"])), broken);
    expect(p.errors.map((e) => e.code)).toEqual(["CPG1400"]);
  });
});
