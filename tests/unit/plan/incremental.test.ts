// Incremental views in the plan: refreshed by key from the change feed of the inputs that changed
// when the rule holds, else rematerialized in full with the reason; CPG1412 for a key that is not
// an output column.
import { describe, expect, it } from "vitest";

import { desiredState } from "../../../compiler/src/plan/desired.js";
import type { ViewArtifact } from "../../../compiler/src/compile/manifest.js";
import type { ObservedSource, ObservedState } from "../../../compiler/src/plan/model.js";
import { CTX, dataset, emptyLake, manifest, plan, sha, simulateApply, tableOf, view, withSource, withTable, type PolicyChange } from "./fixtures.js";

const CDF: PolicyChange = { features: ["changeDataFeed"] };
const NODES = dataset("nodes", ["path utf8!", "idx int32!", "kind utf8"], { source: { extractor: "python", options: { table: "nodes", root: "src", include: ["**/*.py"] } }, policy: CDF });
const LABELS = dataset("labels", ["kind utf8", "label utf8"], { source: null, policy: CDF });
const NOCDF = dataset("plain", ["path utf8", "n int64"], { source: null });

const incremental = ({ incremental: _old, ...v }: ViewArtifact, key: string | null): ViewArtifact => ({ ...v, materialize: "incremental", ...(key !== null ? { incremental: { key } } : {}) });

/** nodes per path, labelled: keyed by path (from nodes), joined with labels on kind. */
const PER_FILE = incremental(
  view("per_file", { lineage: { path: ["nodes.path"], kind: ["nodes.kind"], label: ["labels.label"] }, joinKeys: ["nodes.kind", "labels.kind"], types: { path: "utf8", kind: "utf8", label: "utf8" } }),
  "path",
);
const ON_PLAIN = incremental(view("on_plain", { lineage: { path: ["plain.path"], n: ["plain.n"] }, types: { path: "utf8" } }), "path");

const d = (...tables: Parameters<typeof manifest>) => desiredState(manifest(...(tables.length > 0 ? tables : [NODES, LABELS, NOCDF, PER_FILE, ON_PLAIN])), CTX);

function tree(files: Record<string, string>): ObservedSource {
  const list = Object.entries(files).map(([path, content]) => ({ path, size: content.length, sha256: sha(content) }));
  return { files: list, fingerprint: sha(JSON.stringify(list)), digests: null, digest_engine: null, error: null, extractor_version: "v1", root: "/p/src" };
}

function appliedLake(desired = d()): ObservedState {
  const lake = withSource(emptyLake(desired), "nodes", tree({ "a.py": "a", "b.py": "b" }));
  const p = plan(desired, lake);
  expect(p.errors).toEqual([]);
  return simulateApply(desired, lake, p);
}

/** Another writer's commit to a managed table (its rows moved past what the views read). */
function managedWrite(lake: ObservedState, name: string): ObservedState {
  return withTable(lake, name, (t) => ({ ...t, version: t.version + 1, drift: [{ version: t.version + 1, timestamp: 1, operation: "WRITE", engine: "spark" }] }));
}

describe("incremental views", () => {
  it("an extract input re-extracting files: refresh incrementally by the key, replaceWhere, the feed read after the recorded version", () => {
    const lake = withSource(appliedLake(), "nodes", tree({ "a.py": "a2", "b.py": "b" }));
    const p = plan(d(), lake);
    const t = tableOf(p, "per_file");
    expect(t.op).toBe("rematerialize");
    expect(t.changes.map((c) => [c.kind, c.reason])).toEqual([["refresh", "refresh incrementally by path (≤ 1 key) from the change feed of nodes (inputs it reads changed: nodes (rows))"]]);
    expect(t.step.write).toEqual({ mode: "replaceWhere", from: { kind: "sql", sql: d().tables.find((x) => x.name === "per_file")!.sql } });
    expect(t.step.incremental).toEqual({ key: "path", inputs: [{ table: "nodes", column: "path", after_version: 0 }] });
  });

  it("through a logical view: the key's lineage is followed to the Delta table whose rows changed", () => {
    const lv = view("named", { materialize: "view", lineage: { path: ["nodes.path"], kind: ["nodes.kind"] }, filterColumns: ["nodes.kind"], types: { path: "utf8", kind: "utf8" } });
    const over = incremental(view("named_per_file", { lineage: { path: ["named.path"], n: ["named.kind"] }, row_deciding: ["named.path"], types: { path: "utf8" } }), "path");
    const desired = d(NODES, lv, over);
    const lake = withSource(appliedLake(desired), "nodes", tree({ "a.py": "a2", "b.py": "b" }));
    const t = tableOf(plan(desired, lake), "named_per_file");
    expect(t.changes[0]!.reason).toBe("refresh incrementally by path (≤ 1 key) from the change feed of nodes (inputs it reads changed: named (rows))");
    expect(t.step.incremental).toEqual({ key: "path", inputs: [{ table: "nodes", column: "path", after_version: 0 }] });
  });

  it("a change the key does not come from: rematerialize in full, saying why", () => {
    const p = plan(d(), managedWrite(appliedLake(), "labels"));
    const t = tableOf(p, "per_file");
    expect(t.step.write?.mode).toBe("overwrite");
    expect(t.step.incremental).toBeUndefined();
    expect(t.changes[0]!.reason).toBe("rematerialize in full: the key path does not come from labels, whose rows changed (an earlier apply left it behind its inputs (labels changed since it was materialized))");
  });

  it("an input without change data feed: in full", () => {
    const p = plan(d(), managedWrite(appliedLake(), "plain"));
    expect(tableOf(p, "on_plain").changes[0]!.reason).toMatch(/^rematerialize in full: plain has no change data feed \(delta\.enableChangeDataFeed: true in its policy and in the lake\)/);
  });

  it("caught up from a managed input with change feed: incremental from the version it read (key count unknown)", () => {
    const desired = d(NODES, dataset("files", ["path utf8", "n int64"], { source: null, policy: CDF }), incremental(view("per_path", { lineage: { path: ["files.path"], n: ["files.n"] }, types: { path: "utf8" } }), "path"));
    const lake = appliedLake(desired);
    const p = plan(desired, managedWrite(managedWrite(lake, "files"), "files"));
    const t = tableOf(p, "per_path");
    expect(t.changes[0]!.reason).toMatch(/^refresh incrementally by path from the change feed of files \(/);
    expect(t.step.incremental).toEqual({ key: "path", inputs: [{ table: "files", column: "path", after_version: 0 }] });
  });

  it("its own query changed, or it has no key: in full", () => {
    const changed = incremental(view("per_file", { query: "other", lineage: { path: ["nodes.path"], kind: ["nodes.kind"], label: ["labels.label"] }, joinKeys: ["nodes.kind", "labels.kind"], types: { path: "utf8", kind: "utf8", label: "utf8" } }), "path");
    const p = plan(d(NODES, LABELS, NOCDF, changed, ON_PLAIN), appliedLake());
    expect(tableOf(p, "per_file").changes[0]!.reason).toMatch(/^rematerialize in full: query changed/);
    const keyless = d(NODES, LABELS, NOCDF, incremental(PER_FILE, null), ON_PLAIN);
    const lake = withSource(appliedLake(keyless), "nodes", tree({ "a.py": "a2", "b.py": "b" }));
    const q = plan(keyless, lake);
    expect(tableOf(q, "per_file").changes[0]!.reason).toMatch(/^rematerialize in full: the view has no incremental.key/);
    expect(tableOf(q, "per_file").notes).toContain("materialize: incremental without incremental.key: every refresh rematerializes the view in full");
  });

  it("an input rewritten in full by the plan (a new extractor version): in full", () => {
    const lake = withSource(appliedLake(), "nodes", { ...tree({ "a.py": "a", "b.py": "b" }), extractor_version: "v2" });
    expect(tableOf(plan(d(), lake), "per_file").changes[0]!.reason).toMatch(/^rematerialize in full: nodes is rewritten in full by this plan/);
  });

  it("CPG1412: the key is not an output column", () => {
    const desired = d(NODES, LABELS, incremental(PER_FILE, "nope"));
    const p = plan(desired, withSource(emptyLake(desired), "nodes", tree({ "a.py": "a" })));
    expect(p.errors.map((e) => [e.table, e.code, e.message])).toEqual([["per_file", "CPG1412", "incremental.key nope is not an output column of the view"]]);
  });

  it("a table with a key whose inputs changed: recomputed in full, written as the difference; an incremental reader refreshes from its feed", () => {
    const cross = { ...view("cross", { policy: CDF, lineage: { path: ["nodes.path"], n: ["labels.label"] }, joinKeys: ["nodes.kind", "labels.kind"], types: { path: "utf8" } }), incremental: { key: "path" } };
    const reader = incremental(view("reader", { lineage: { path: ["cross.path"], n: ["cross.n"] }, types: { path: "utf8" } }), "path");
    const desired = d(NODES, LABELS, cross, reader);
    expect(desired.tables.find((t) => t.name === "cross")?.notes ?? []).toEqual([]);
    const lake = managedWrite(appliedLake(desired), "labels");
    const p = plan(desired, lake);
    const c = tableOf(p, "cross");
    expect([c.op, c.step.write?.mode, c.step.incremental]).toEqual(["rematerialize", "replaceWhere", { key: "path", inputs: [], difference: true }]);
    expect(c.changes[0]!.reason).toBe("an earlier apply left it behind its inputs (labels changed since it was materialized); recomputed in full, written as the difference by path");
    const r = tableOf(p, "reader");
    expect([r.step.write?.mode, r.step.incremental?.inputs]).toEqual(["replaceWhere", [{ table: "cross", column: "path", after_version: 0 }]]);
    // its own query changed: rewritten in full, and the reader with it
    const changed = { ...view("cross", { query: "v2", policy: CDF, lineage: { path: ["nodes.path"], n: ["labels.label"] }, joinKeys: ["nodes.kind", "labels.kind"], types: { path: "utf8" } }), incremental: { key: "path" } };
    const q = plan(d(NODES, LABELS, changed, reader), appliedLake(desired));
    expect([tableOf(q, "cross").step.write?.mode, tableOf(q, "cross").step.incremental]).toEqual(["overwrite", undefined]);
    expect(tableOf(q, "reader").changes[0]!.reason).toMatch(/^rematerialize in full: cross is rewritten in full by this plan/);
  });

  it("after the apply of an incremental refresh, the next plan is empty", () => {
    const lake = withSource(appliedLake(), "nodes", tree({ "a.py": "a2", "b.py": "b", "c.py": "c" }));
    const p = plan(d(), lake);
    const after = simulateApply(d(), lake, p);
    expect(plan(d(), after).tables.filter((t) => t.op !== "noop").map((t) => t.name)).toEqual([]);
  });
});
