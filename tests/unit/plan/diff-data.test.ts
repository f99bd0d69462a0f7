// diff: data — source loads, column-level impact through lineage, views' own changes, catch-up
// after an earlier apply, drift, adoption, logical views.
import { describe, expect, it } from "vitest";
import type { ObservedSource, ObservedState } from "../../../compiler/src/plan/model.js";
import { applied, dataset, desired, drifted, emptyLake, ENGINE, ops, plan, presentOf, simulateApply, source, tableOf, view, withSource, withTable } from "./fixtures.js";

const COLS = { files: ["file_id", "path", "lines"], nodes: ["node_id", "file_id", "kind", "name"] } as const;

const KEYS = { files: "file_id", nodes: "node_id" } as const;

/**
 * A source whose column digests are `<rows>:<tag of the column>` (tags differ → the column
 * changed), keyed by its primary key as the runtime does; the row entry joins all the tags.
 */
function src(name: keyof typeof COLS, files: string[], tags: Partial<Record<string, string>> = {}, rows = 10): ObservedSource {
  const tag = (c: string) => `${rows}:${tags[c] ?? c}`;
  const digests = { ...Object.fromEntries(COLS[name].map((c) => [c, tag(c)])), "*": `${rows}:${COLS[name].map((c) => tags[c] ?? c).join("|")}`, [`*key:${KEYS[name]}`]: tag(KEYS[name]) };
  return source(name, files, { digests, digest_engine: ENGINE, fingerprint: `fp:${files.join(",")}:${JSON.stringify(tags)}:${rows}` });
}

const FILES = dataset("files", ["file_id utf8!", "path utf8", "lines int32"], { primary_key: ["file_id"] });
const NODES = dataset("nodes", ["node_id utf8!", "file_id utf8", "kind utf8", "name utf8"], { primary_key: ["node_id"] });
const NOTES = dataset("notes", ["id int64", "text utf8"], { source: null });
const FUNCTIONS = view("functions", { lineage: { node_id: ["nodes.node_id"], name: ["nodes.name"], path: ["files.path"] }, joinKeys: ["nodes.file_id", "files.file_id"], filterColumns: ["nodes.kind"], types: { node_id: "utf8", name: "utf8", path: "utf8" } });
const NAMES = view("names", { lineage: { name: ["nodes.name"] }, types: { name: "utf8" } });
const COUNTS = view("counts", { lineage: { n: ["files.file_id"] }, row_deciding: null });
const LV = view("lv", { materialize: "view", lineage: { path: ["files.path"], lines: ["files.lines"] }, types: { path: "utf8", lines: "int32" } });
const OVER_LV = view("over_lv", { lineage: { path: ["lv.path"] }, types: { path: "utf8" } });
const NOTE_VIEW = view("note_view", { materialize: "incremental", lineage: { text: ["notes.text"] }, types: { text: "utf8" } });
const PROJECT = [FILES, NODES, NOTES, FUNCTIONS, NAMES, COUNTS, LV, OVER_LV, NOTE_VIEW] as const;

function baseLake(): ObservedState {
  const d = desired(...PROJECT);
  let lake = emptyLake(d);
  lake = withSource(withSource(lake, "files", src("files", ["data/files.ndjson"])), "nodes", src("nodes", ["data/nodes.ndjson"]));
  return applied(d, lake);
}

const acting = (lake: ObservedState, ...tables: Parameters<typeof desired>) => {
  const p = plan(desired(...(tables.length > 0 ? tables : PROJECT)), lake);
  expect(p.errors).toEqual([]);
  return p;
};
const actingOps = (p: ReturnType<typeof plan>) => Object.fromEntries(Object.entries(ops(p)).filter(([, o]) => o !== "noop"));

describe("source loads and column-level impact", () => {
  it("a plan right after the apply is empty", () => {
    expect(actingOps(acting(baseLake()))).toEqual({});
  });

  it("only `name` changed: readers of name rematerialize, others not; the dirty columns are listed", () => {
    const lake = withSource(baseLake(), "nodes", src("nodes", ["data/nodes.ndjson"], { name: "name-2" }));
    const p = acting(lake);
    expect(actingOps(p)).toEqual({ nodes: "update", functions: "rematerialize", names: "rematerialize" });
    expect(tableOf(p, "nodes").dirty_columns).toEqual(["name"]);
    expect(tableOf(p, "nodes").changes.map((c) => [c.kind, c.class])).toEqual([["load", "non-breaking"]]);
    expect(tableOf(p, "functions").indirect).toEqual([{ table: "nodes", columns: ["name"] }]);
    expect(tableOf(p, "functions").dirty_columns).toEqual(["name"]);
    expect(tableOf(p, "functions").changes[0]!.reason).toBe("inputs it reads changed: nodes.name");
    expect(tableOf(p, "nodes").step.write).toEqual({ mode: "overwrite", from: { kind: "source", source: desired(...PROJECT).tables[1]!.source, files: ["data/nodes.ndjson"] } });
  });

  it("a row-deciding column changed (a filter): every output column of the reader is dirty", () => {
    const p = acting(withSource(baseLake(), "nodes", src("nodes", ["data/nodes.ndjson"], { kind: "kind-2" })));
    expect(actingOps(p)).toEqual({ nodes: "update", functions: "rematerialize" });
    expect(tableOf(p, "functions").dirty_columns).toEqual(["node_id", "name", "path"]);
  });

  it("no digests to compare: every column is dirty", () => {
    const lake = withSource(baseLake(), "nodes", source("nodes", ["data/nodes.ndjson", "data/more.ndjson"]));
    expect(actingOps(acting(lake))).toEqual({ nodes: "update", functions: "rematerialize", names: "rematerialize" });
  });

  it("digests of another engine are not compared", () => {
    const s = src("nodes", ["data/nodes.ndjson"], { name: "name-2" });
    const p = acting(withSource(baseLake(), "nodes", { ...s, digest_engine: "duckdb-other" }));
    expect(tableOf(p, "nodes").dirty_columns).toEqual(["node_id", "file_id", "kind", "name"]);
  });

  it("a row count change dirties everything that reads the table", () => {
    const p = acting(withSource(baseLake(), "files", src("files", ["data/files.ndjson"], {}, 11)));
    expect(actingOps(p)).toEqual({ files: "update", functions: "rematerialize", counts: "rematerialize", over_lv: "rematerialize" });
  });

  it("through a logical view: readers of the changed column rematerialize, readers of others do not", () => {
    const path = acting(withSource(baseLake(), "files", src("files", ["data/files.ndjson"], { path: "p2" })));
    expect(actingOps(path)).toEqual({ files: "update", functions: "rematerialize", counts: "rematerialize", over_lv: "rematerialize" });
    expect(tableOf(path, "over_lv").indirect).toEqual([{ table: "lv", columns: ["path"] }]);
    expect(tableOf(path, "lv").op).toBe("noop");
    const lines = acting(withSource(baseLake(), "files", src("files", ["data/files.ndjson"], { lines: "l2" })));
    expect(actingOps(lines)).toEqual({ files: "update", counts: "rematerialize" });
  });

  it("the reason names the files that changed", () => {
    const lake = baseLake();
    const changed: ObservedSource = { ...src("nodes", ["data/nodes.ndjson", "data/new.ndjson"], { name: "x" }), files: [{ path: "data/new.ndjson", size: 1, sha256: "n" }, { path: "data/nodes.ndjson", size: 1, sha256: "changed" }] };
    const p = acting(withSource(lake, "nodes", changed));
    expect(tableOf(p, "nodes").changes[0]!.reason).toBe("source changed: data/new.ndjson added, data/nodes.ndjson modified");
    const gone: ObservedSource = { ...changed, fingerprint: "other", files: [] };
    expect(tableOf(plan(desired(...PROJECT), withSource(lake, "nodes", gone)), "nodes").changes[0]!.reason).toBe("source changed: data/nodes.ndjson removed");
    const same: ObservedSource = { ...presentSource(lake, "nodes"), fingerprint: "options changed" };
    expect(tableOf(plan(desired(...PROJECT), withSource(lake, "nodes", same)), "nodes").changes[0]!.reason).toBe("source settings changed (format, options or declared columns) — the same rows (by digest): the files are recorded, nothing is loaded");
  });

  it("a source that cannot be read is a plan error (CPG1405)", () => {
    const lake = withSource(baseLake(), "nodes", { ...source("nodes"), error: { code: "SOURCE_NOT_FOUND", message: "the source data/nodes.ndjson matches no file" } });
    const p = plan(desired(...PROJECT), lake);
    expect(p.errors.map((e) => [e.table, e.code])).toEqual([["nodes", "CPG1405"]]);
    expect(p.errors[0]!.message).toContain("matches no file");
  });
});

function presentSource(lake: ObservedState, name: string): ObservedSource {
  return lake.sources[name]!;
}

describe("views: own changes, catch-up, refresh", () => {
  it("a breaking query change: all columns dirty, the SQL diff shown", () => {
    const changed = view("functions", { lineage: { node_id: ["nodes.node_id"], name: ["nodes.kind"], path: ["files.path"] }, joinKeys: ["nodes.file_id", "files.file_id"], filterColumns: ["nodes.kind"], query: "v2", types: { node_id: "utf8", name: "utf8", path: "utf8" } });
    const lake = baseLake();
    const p = acting(lake, FILES, NODES, NOTES, changed, NAMES, COUNTS, LV, OVER_LV, NOTE_VIEW);
    const t = tableOf(p, "functions");
    expect(t.op).toBe("rematerialize");
    expect(t.class).toBe("breaking");
    expect(t.changes.find((c) => c.kind === "materialize")!.reason).toBe("query changed: name lineage");
    expect(t.sql_diff).toEqual({ before: presentOf(lake, "functions").state!.sql, after: "SELECT /* v2 */ 1" });
    expect(t.dirty_columns).toEqual(["node_id", "name", "path"]);
    expect(t.indirect).toBeNull();
  });

  it("policy_hash changed only: the same query, materialized again (non-breaking)", () => {
    const p = acting(baseLake(), FILES, NODES, NOTES, view("functions", { ...functionsOptions(), policy_hash: "policy-2" }), NAMES, COUNTS, LV, OVER_LV, NOTE_VIEW);
    expect(tableOf(p, "functions").changes.map((c) => c.class)).toEqual(["non-breaking"]);
    expect(tableOf(p, "functions").changes[0]!.reason).toContain("policy_hash changed");
  });

  it("catch-up: a view an earlier apply left behind its inputs' digests is rematerialized", () => {
    const lake = withTable(baseLake(), "functions", (t) => ({ ...t, state: { ...t.state!, inputs: { ...t.state!.inputs, nodes: { ...t.state!.inputs["nodes"]!, digests: { ...t.state!.inputs["nodes"]!.digests, name: "10:stale", "*": "10:stale-row" } } } } }));
    const p = acting(lake);
    expect(actingOps(p)).toEqual({ functions: "rematerialize" });
    expect(tableOf(p, "functions").changes[0]!.reason).toBe("an earlier apply left it behind its inputs (nodes changed since it was materialized)");
    expect(tableOf(p, "functions").indirect).toEqual([{ table: "nodes", columns: ["name"] }]);
  });

  it("a managed input written by others (a new version) → its readers refresh; the managed table itself shows drift only", () => {
    const p = acting(drifted(baseLake(), "notes"));
    expect(actingOps(p)).toEqual({ note_view: "rematerialize" });
    const notes = tableOf(p, "notes");
    expect(notes.op).toBe("noop");
    expect(notes.drift).toHaveLength(1);
    expect(notes.changes.map((c) => [c.kind, c.class])).toEqual([["drift", "cosmetic"]]);
    expect(notes.changes[0]!.reason).toBe("1 commit by other writers since cpgc's last apply: v1 WRITE (Apache-Spark/3.5.1) (a managed table: shown only)");
    expect(tableOf(p, "note_view").changes.map((c) => c.kind)).toEqual(["refresh"]);
  });

  it("a metadata-only commit on a managed input does not refresh its readers", () => {
    const d = desired(FILES, NODES, dataset("notes", ["id int64", "text utf8"], { source: null, policy: { maintenance: { checkpoint_interval: 3 } } }), FUNCTIONS, NAMES, COUNTS, LV, OVER_LV, NOTE_VIEW);
    const lake = baseLake();
    const p = plan(d, lake);
    expect(actingOps(p)).toEqual({ notes: "update" });
    expect(actingOps(plan(d, simulateApply(d, lake, p)))).toEqual({});
  });

  it("a view whose input was created in the same plan records the input for apply to complete", () => {
    const d = desired(...PROJECT);
    const p = plan(d, emptyLake(d));
    expect(tableOf(p, "functions").state?.inputs).toEqual({ files: { version: -1, digests: {} }, nodes: { version: -1, digests: {} } });
    expect(tableOf(p, "over_lv").state?.inputs).toEqual({ files: { version: -1, digests: {} } });
  });
});

function functionsOptions() {
  return { lineage: { node_id: ["nodes.node_id"], name: ["nodes.name"], path: ["files.path"] }, joinKeys: ["nodes.file_id", "files.file_id"], filterColumns: ["nodes.kind"], types: { node_id: "utf8", name: "utf8", path: "utf8" } };
}

describe("drift and adoption", () => {
  it("a source others wrote to is loaded again; a view others wrote to is materialized again", () => {
    const p = acting(drifted(drifted(baseLake(), "files"), "names"));
    expect(actingOps(p)).toEqual({ files: "update", functions: "rematerialize", counts: "rematerialize", over_lv: "rematerialize", names: "rematerialize" });
    expect(tableOf(p, "files").changes.map((c) => c.kind)).toEqual(["drift", "load"]);
    expect(tableOf(p, "files").changes[1]!.reason).toBe("others' commits are undone: load 1 file matching data/files.ndjson again");
    expect(tableOf(p, "names").changes.map((c) => c.kind)).toEqual(["drift", "materialize"]);
  });

  it("a log that no longer reaches cpgc's last commit is treated as drift for tables cpgc computes", () => {
    const p = acting(withTable(baseLake(), "files", (t) => ({ ...t, drift: null })));
    expect(tableOf(p, "files").op).toBe("update");
    expect(tableOf(p, "files").changes[0]!.reason).toContain("the log no longer reaches cpgc's last commit");
  });

  it("a table without cpgc state is adopted: a view is materialized, a managed table gets its state recorded", () => {
    const lake = withTable(withTable(baseLake(), "names", (t) => ({ ...t, state: null })), "notes", (t) => ({ ...t, state: null }));
    const p = acting(lake);
    expect(tableOf(p, "names").op).toBe("rematerialize");
    expect(tableOf(p, "notes").op).toBe("update");
    expect(tableOf(p, "notes").class).toBe("metadata-only");
    expect(tableOf(p, "notes").step).toEqual({ checkpoint: true });
    expect(tableOf(p, "notes").state).not.toBeNull();
  });
});

describe("logical views", () => {
  it("registered when absent; registered again (breaking) when the query changed, which dirties its readers", () => {
    const changed = view("lv", { materialize: "view", lineage: { path: ["files.path"], lines: ["files.lines"] }, types: { path: "utf8", lines: "int32" }, query: "lv-2" });
    const p = acting(baseLake(), FILES, NODES, NOTES, FUNCTIONS, NAMES, COUNTS, changed, OVER_LV, NOTE_VIEW);
    expect(actingOps(p)).toEqual({ lv: "register", over_lv: "rematerialize" });
    expect(tableOf(p, "lv").class).toBe("breaking");
    expect(tableOf(p, "lv").step).toEqual({ register: { sql: "SELECT /* lv-2 */ 1" } });
    expect(tableOf(p, "lv").pin).toEqual({ status: "present", table_id: "views-id", version: 0 });
  });

  it("same fingerprint, other SQL text: registered again, cosmetic, readers untouched", () => {
    const lake = { ...baseLake(), logical_views: { lv: { ...baseLake().logical_views["lv"]!, sql: "select 1 /* older printer */" } } };
    const p = acting(lake);
    expect(actingOps(p)).toEqual({ lv: "register" });
    expect(tableOf(p, "lv").class).toBe("cosmetic");
  });

  it("a logical view no spec declares any more is unregistered", () => {
    const lake = baseLake();
    const p = acting({ ...lake, logical_views: { ...lake.logical_views, old_view: { name: "old_view", ast_fingerprint: "f", policy_hash: "p", sql: "select 1" } } });
    expect(actingOps(p)).toEqual({ old_view: "destroy" });
    expect(tableOf(p, "old_view")).toMatchObject({ kind: "view", role: "view", step: { destroy: true }, class: "breaking" });
    expect(p.summary.destroy).toBe(1);
  });

  it("a logical view that becomes a table: created, and removed from _cpgc_views in the same action", () => {
    const asTable = view("lv", { lineage: { path: ["files.path"], lines: ["files.lines"] }, types: { path: "utf8", lines: "int32" } });
    const d = desired(FILES, NODES, NOTES, FUNCTIONS, NAMES, COUNTS, asTable, OVER_LV, NOTE_VIEW);
    const lake = { ...baseLake(), tables: { ...baseLake().tables, lv: { name: "lv", status: "absent" as const } } };
    const p = plan(d, lake);
    expect(tableOf(p, "lv").op).toBe("create");
    expect(tableOf(p, "lv").changes.map((c) => c.kind)).toEqual(["create", "materialize", "register"]);
    expect(actingOps(plan(d, simulateApply(d, lake, p)))).toEqual({});
  });
});

describe("digests localize a change to columns only with a unique key", () => {
  const UNKEYED = dataset("files", ["file_id utf8!", "path utf8", "lines int32"]);
  const unkeyedSrc = (tags: Partial<Record<string, string>>) => {
    const { ["*key:file_id"]: _key, ...digests } = src("files", ["data/files.ndjson"], tags).digests!;
    return { ...src("files", ["data/files.ndjson"], tags), digests };
  };
  const project = [UNKEYED, NODES, FUNCTIONS, NAMES, COUNTS] as const;
  const start = () => applied(desired(...project), withSource(withSource(emptyLake(desired(...project)), "files", unkeyedSrc({})), "nodes", src("nodes", ["data/nodes.ndjson"])));

  it("without a key, values swapped between rows (every column digest the same, the row digest not) dirty every column", () => {
    const lake = start();
    const swapped = { ...lake.sources["files"]!, digests: { ...lake.sources["files"]!.digests!, "*": "10:swapped" }, fingerprint: "fp:swapped" };
    const p = acting(withSource(lake, "files", swapped), ...project);
    expect(tableOf(p, "files").dirty_columns).toEqual(["file_id", "path", "lines"]);
    expect(actingOps(p)).toEqual({ files: "update", functions: "rematerialize", counts: "rematerialize" });
  });

  it("with a key, the same change in one column dirties that column alone; a file rewritten with the same rows dirties nothing", () => {
    const base = baseLake();
    const p = acting(withSource(base, "files", src("files", ["data/files.ndjson"], { lines: "lines-2" })));
    expect(tableOf(p, "files").dirty_columns).toEqual(["lines"]);
    const same = { ...src("files", ["data/files.ndjson"]), fingerprint: "fp:reordered" };
    const lake = withSource(base, "files", same);
    const q = acting(lake);
    expect(actingOps(q)).toEqual({ files: "update" });
    const files = tableOf(q, "files");
    expect(files.dirty_columns).toEqual([]);
    // Nothing loaded: the commit records the files seen, so the next plan is empty.
    expect(files.step.write).toBeUndefined();
    expect(files.changes.map((c) => [c.kind, c.class])).toEqual([["load", "metadata-only"]]);
    expect(files.changes[0]!.reason).toMatch(/the same rows \(by digest\): the files are recorded, nothing is loaded$/);
    expect(files.state?.source_fingerprint).toBe("fp:reordered");
    expect(actingOps(acting(simulateApply(desired(...PROJECT), lake, q)))).toEqual({});
  });
});

describe("append-only tables (delta.appendOnly: Delta refuses removing their files)", () => {
  const APPEND_ONLY = { features: ["appendOnly"] } as const;
  const files = (features: typeof APPEND_ONLY | null) => dataset("files", ["file_id utf8!", "path utf8", "lines int32"], features ? { policy: APPEND_ONLY } : {});
  const names = (features: typeof APPEND_ONLY | null, query = "q1") => view("names", { lineage: { path: ["files.path"] }, types: { path: "utf8" }, query, ...(features ? { policy: APPEND_ONLY } : {}) });
  const start = (...tables: Parameters<typeof desired>) => applied(desired(...tables), withSource(emptyLake(desired(...tables)), "files", src("files", ["data/files.ndjson"])));
  const changedSource = (lake: ObservedState) => withSource(lake, "files", src("files", ["data/files.ndjson"], { path: "path-2" }));

  it.each([
    ["a source whose file changed", [files(APPEND_ONLY), names(null)], [files(APPEND_ONLY), names(null)], "files", changedSource],
    ["a view whose input column changed", [files(null), names(APPEND_ONLY)], [files(null), names(APPEND_ONLY)], "names", changedSource],
    ["a view whose query changed", [files(null), names(APPEND_ONLY)], [files(null), names(APPEND_ONLY, "q2")], "names", (lake: ObservedState) => lake],
  ] as const)("%s, still append-only: a plan error (CPG1413), not a failure at apply", (_title, before, after, table, change) => {
    const p = plan(desired(...after), change(start(...before)));
    expect(p.errors.map((e) => [e.table, e.code])).toEqual([[table, "CPG1413"]]);
    expect(p.errors[0]!.message).toMatch(new RegExp(`^${table} is append-only \\(delta\\.appendOnly = true\\), and the plan would rewrite its rows`));
  });

  it("an append-only table without changes: no error", () => {
    const lake = start(files(APPEND_ONLY), names(APPEND_ONLY));
    expect(plan(desired(files(APPEND_ONLY), names(APPEND_ONLY)), lake).errors).toEqual([]);
  });

  it("dropping the feature while rows must be rewritten: this apply only lifts the property; the next one rewrites", () => {
    const lake = changedSource(start(files(APPEND_ONLY), names(null)));
    const d = desired(files(null), names(null));
    const first = plan(d, lake);
    expect(first.errors).toEqual([]);
    const t = tableOf(first, "files");
    expect(t.op).toBe("update");
    expect(t.step.write).toBeUndefined();
    expect(t.step.alter).toEqual({ unset_properties: ["delta.appendOnly"] });
    expect(t.notes.at(-1)).toMatch(/^the rest \(.*\) is planned after this apply: it lifts delta\.appendOnly first/);
    expect(actingOps(first)).toEqual({ files: "update" }); // nothing downstream yet: no rows changed

    const afterLift = simulateApply(d, lake, first);
    const second = plan(d, afterLift);
    expect(second.errors).toEqual([]);
    expect(tableOf(second, "files").step.write?.mode).toBe("overwrite");
    expect(actingOps(second)).toEqual({ files: "update", names: "rematerialize" });
    expect(actingOps(plan(d, simulateApply(d, afterLift, second)))).toEqual({});
  });
});
