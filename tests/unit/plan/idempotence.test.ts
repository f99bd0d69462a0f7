import { describe, expect, it } from "vitest";
import { applied, dataset, desired, ops, plan, view } from "./fixtures.js";

describe("a plan right after an apply is empty", () => {
  it("a small project: sources, managed, table / incremental / logical views", () => {
    const d = desired(
      dataset("files", ["file_id utf8!", "path utf8!", "lines int32"], { primary_key: ["file_id"], policy: { write: { stats_columns: ["file_id"] } } }),
      dataset("nodes", ["node_id utf8!", "file_id utf8!", "kind utf8"], { policy: { features: ["changeDataFeed"], writer: { dictionary: ["kind"] } } }),
      dataset("notes", ["id int64", "text utf8"], { source: null }),
      view("functions", { lineage: { node_id: ["nodes.node_id"], path: ["files.path"] }, joinKeys: ["nodes.file_id", "files.file_id"], filterColumns: ["nodes.kind"] }),
      view("stats", { materialize: "view", lineage: { path: ["files.path"], n: ["nodes.node_id"] }, row_deciding: null }),
      view("top", { materialize: "incremental", lineage: { path: ["stats.path"], id: ["notes.id"] } }),
    );
    const lake = applied(d);
    const again = plan(d, lake);
    expect(again.errors).toEqual([]);
    expect(Object.values(ops(again)).every((o) => o === "noop")).toBe(true);
  });
});
