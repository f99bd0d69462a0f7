// desired.ts: Manifest → DesiredState, per rule.
import { describe, expect, it } from "vitest";
import { desiredState } from "../../../compiler/src/plan/desired.js";
import type { DesiredTable } from "../../../compiler/src/plan/model.js";
import { CTX, dataset, desired, manifest, view } from "./fixtures.js";

const byName = (...t: Parameters<typeof desired>) => Object.fromEntries(desired(...t).tables.map((x) => [x.name, x])) as Record<string, DesiredTable>;

describe("desiredState", () => {
  it("keeps the manifest's dependency order and maps roles", () => {
    const d = desired(
      dataset("files", ["id int64"]),
      dataset("csvs", ["id int64"], { source: { csv: "data/*.csv", options: { delimiter: ";" } } }),
      dataset("notes", ["id int64"], { source: null }),
      dataset("ast", ["id int64"], { source: { extractor: "python", options: { root: "src" } } }),
      view("t", { lineage: { id: ["files.id"] } }),
      view("i", { materialize: "incremental", lineage: { id: ["t.id"] } }),
      view("v", { materialize: "view", lineage: { id: ["i.id"] } }),
    );
    expect(d.tables.map((t) => [t.name, t.kind, t.role])).toEqual([
      ["files", "dataset", "source"],
      ["csvs", "dataset", "source"],
      ["notes", "dataset", "managed"],
      ["ast", "dataset", "extract"],
      ["t", "view", "table"],
      ["i", "view", "incremental"],
      ["v", "view", "view"],
    ]);
    const t = Object.fromEntries(d.tables.map((x) => [x.name, x]));
    expect(t["files"]!.source).toEqual({ format: "ndjson", pattern: "data/files.ndjson", location: "/project/data/files.ndjson", options: {} });
    expect(t["csvs"]!.source).toEqual({ format: "csv", pattern: "data/*.csv", location: "/project/data/*.csv", options: { delimiter: ";" } });
    expect(t["ast"]!.source).toMatchObject({ format: "extractor", pattern: "python", options: { extractor: "python", options: { root: "src" } } });
    expect(t["notes"]!.source).toBeNull();
    expect(d.lake_root).toBe(CTX.lakeRoot);
  });

  it("maps columns to a Delta schema; types Delta cannot store are errors, conversions notes", () => {
    const t = byName(
      dataset("ok", ["id int64!", "at timestamp[ns, UTC]", "tags list<utf8 not null>", "s struct<a: int32, b: large_utf8>", "renamed>fresh utf8"]),
      dataset("bad", ["id uint32", "t time64[us]"]),
    );
    expect(t["ok"]!.delta_schema).toEqual([
      { name: "id", type: "long", nullable: false, metadata: {} },
      { name: "at", type: "timestamp", nullable: true, metadata: {} },
      { name: "tags", type: { type: "array", elementType: "string", containsNull: false }, nullable: true, metadata: {} },
      { name: "s", type: { type: "struct", fields: [{ name: "a", type: "integer", nullable: true, metadata: {} }, { name: "b", type: "string", nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
      { name: "fresh", type: "string", nullable: true, metadata: {} },
    ]);
    expect(t["ok"]!.columns.at(-1)).toEqual({ name: "fresh", type: "utf8", nullable: true, renamed_from: "renamed" });
    expect(t["ok"]!.notes.some((n) => n.includes("nanoseconds are truncated"))).toBe(true);
    expect(t["ok"]!.errors).toBeUndefined();
    expect(t["bad"]!.errors).toEqual([{ code: "CPG1406", message: "column bad.id: uint32 has no Delta Lake equivalent", hints: ["use int64 (holds every uint32 value)"] }]);
  });

  it("a view column without an Arrow type is an error for a written view, not for a logical one", () => {
    const d = byName(dataset("a", ["x int64"]), view("w", { lineage: { d: ["a.x"] }, types: { d: "INTERVAL" } }), view("l", { materialize: "view", lineage: { d: ["a.x"] }, types: { d: "INTERVAL" } }));
    expect(d["w"]!.errors?.map((e) => e.code)).toEqual(["CPG1406"]);
    expect(d["l"]!.errors).toBeUndefined();
  });

  it("features: the policy's plus domainMetadata (cpgc's state), columnMapping under name mapping, timestampNtz for zone-less timestamps", () => {
    const t = byName(
      dataset("plain", ["id int64"]),
      dataset("cdf", ["id int64", "at timestamp[us]"], { policy: { features: ["changeDataFeed", "columnMapping"], schema: { column_mapping: "name" } } }),
    );
    expect(t["plain"]!.features).toEqual(["domainMetadata"]);
    expect(t["cdf"]!.features).toEqual(["changeDataFeed", "columnMapping", "domainMetadata", "timestampNtz"]);
    expect(t["cdf"]!.properties).toMatchObject({ "delta.enableChangeDataFeed": "true", "delta.columnMapping.mode": "name" });
  });

  it("stats: a view's decision from the manifest; a dataset's decided the same way from its policy", () => {
    const t = byName(
      dataset("z", ["a int64", "b utf8", "c binary"], { policy: { write: { zorder_by: ["b"], partition_by: ["a"] } } }),
      dataset("n", ["a int64"]),
      view("v", { lineage: { k: ["z.a"], x: ["z.b"] }, joinKeys: ["z.a"], filterColumns: [] }),
    );
    expect(t["z"]!.properties["delta.dataSkippingStatsColumns"]).toBe("b,a");
    expect(t["n"]!.properties["delta.dataSkippingNumIndexedCols"]).toBe("32");
    expect(t["v"]!.properties["delta.dataSkippingStatsColumns"]).toBe("k");
    expect(t["z"]!.partition_by).toEqual(["a"]);
  });

  it("expectations: primary key → not_null + unique (with the NOT NULL columns), checks → SQL selecting violating rows; views keep theirs", () => {
    const t = byName(
      dataset("files", ["id int64!", "path utf8!", "size int64"], { primary_key: ["id"], checks: [{ name: "positive", expr: "size >= 0" }] }),
      view("v", { lineage: { id: ["files.id"] }, expectations: [{ unique: ["id"] }, { row_count: { min: 1 } }] }),
    );
    expect(t["files"]!.expectations).toEqual([{ not_null: ["id", "path"] }, { unique: ["id"] }, { sql: 'SELECT * FROM "files" WHERE NOT (size >= 0)', name: "positive" }]);
    expect(t["v"]!.expectations).toEqual([{ unique: ["id"] }, { row_count: { min: 1 } }]);
  });

  it("notes: per-column dictionary and bloom filters are recorded, not enforced (the engine decides) — never an error", () => {
    const t = byName(dataset("n", ["id utf8", "kind utf8"], { policy: { writer: { dictionary: ["kind"], bloom_filter: [{ column: "id", fpp: 0.05, ndv: null }, { column: "kind", fpp: 0.01, ndv: null }] } } }));
    expect(t["n"]!.notes).toHaveLength(2);
    expect(t["n"]!.notes[0]).toContain("writer.dictionary [kind]");
    expect(t["n"]!.notes[1]).toContain("writer.bloom_filter [id, kind]");
    expect(t["n"]!.notes[1]).toContain("(0.01)");
    expect(t["n"]!.errors).toBeUndefined();
    expect(t["n"]!.writer.bloom_filter).toEqual([{ column: "id", fpp: 0.05 }, { column: "kind", fpp: 0.01 }]);
  });

  it("reads, row_deciding and lineage by top-level input column; null row_deciding → every input column", () => {
    const t = byName(
      dataset("a", ["id int64", "span struct<s: int64, e: int64>", "kind utf8", "other utf8"]),
      dataset("b", ["id int64", "name utf8"]),
      view("v", { lineage: { id: ["a.id"], start: ["a.span.s"], name: ["b.name"] }, joinKeys: ["a.id", "b.id"], filterColumns: ["a.kind"] }),
      view("g", { lineage: { n: ["a.id"] }, row_deciding: null }),
    );
    expect(t["v"]!.inputs).toEqual(["a", "b"]);
    expect(t["v"]!.lineage).toEqual({ id: ["a.id"], start: ["a.span"], name: ["b.name"] });
    expect(t["v"]!.reads).toEqual({ a: ["id", "kind", "span"], b: ["id", "name"] });
    expect(t["v"]!.row_deciding).toEqual({ a: ["id", "kind"], b: ["id"] });
    expect(t["g"]!.reads).toEqual({ a: ["id", "kind", "other", "span"] });
    expect(t["g"]!.row_deciding).toEqual({ a: ["id", "kind", "other", "span"] });
    expect(t["a"]!.inputs).toEqual([]);
  });

  it("hashes: spec_hash follows content and layout, writer_hash the writer; config_hash ignores where specs are written", () => {
    const one = desired(dataset("a", ["x int64"]));
    const h = (d: typeof one) => [d.tables[0]!.spec_hash, d.tables[0]!.writer_hash, d.config_hash];
    const [s, w, c] = h(one);
    expect(h(desired(dataset("a", ["x int64"])))).toEqual([s, w, c]);
    const moved = manifest(dataset("a", ["x int64"]));
    const elsewhere = desiredState({ ...moved, datasets: moved.datasets.map((x) => ({ ...x, defined_at: "specs/other.yaml:40" })) }, CTX);
    expect(h(elsewhere)).toEqual([s, w, c]);
    const [s2, w2, c2] = h(desired(dataset("a", ["x int32"])));
    expect([s2 !== s, w2 === w, c2 !== c]).toEqual([true, true, true]);
    const [s3, w3] = h(desired(dataset("a", ["x int64"], { policy: { writer: { compression: "snappy" } } })));
    expect([s3 === s, w3 !== w]).toEqual([true, true]);
    expect(desiredState(manifest(dataset("a", ["x int64"])), { ...CTX, lakeRoot: "/project/other" }).config_hash).not.toBe(c);
  });
});
