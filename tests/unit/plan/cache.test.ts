// Cached views in the plan: which views apply computes once, for which readers, and the notes
// that show it (on the view when it is shown, else on its readers).
import { describe, expect, it } from "vitest";

import type { ViewArtifact } from "../../../compiler/src/compile/manifest.js";
import type { ObservedState } from "../../../compiler/src/plan/model.js";
import { applied, dataset, desired, emptyLake, plan, source, tableOf, view, withSource } from "./fixtures.js";

const cached = (v: ViewArtifact, cache: ViewArtifact["cache"]): ViewArtifact => ({ ...v, ...(cache !== undefined ? { cache } : {}) });

const FILES = dataset("files", ["path utf8", "n int64"]);
/** A logical view read by two materialized views, and a third through another logical view. */
const BIG = (cache: ViewArtifact["cache"]) => cached(view("big", { materialize: "view", lineage: { path: ["files.path"], n: ["files.n"] }, filterColumns: ["files.n"], types: { path: "utf8" } }), cache);
const A = view("a", { lineage: { path: ["big.path"] }, types: { path: "utf8" } });
const B = view("b", { lineage: { n: ["big.n"] } });
const THROUGH = view("through", { materialize: "view", lineage: { path: ["big.path"] }, types: { path: "utf8" } });
const C = view("c", { lineage: { path: ["through.path"] }, types: { path: "utf8" } });
const ALONE = view("alone", { lineage: { n: ["files.n"] } });

const project = (cache: ViewArtifact["cache"]) => [FILES, BIG(cache), A, B, THROUGH, C, ALONE] as const;

function lake(d: ReturnType<typeof desired>): ObservedState {
  return withSource(emptyLake(d), "files", source("files"));
}

describe("cached views", () => {
  it("a logical view with cache memory read by the apply: computed once for its readers (directly and through logical views)", () => {
    const d = desired(...project("memory"));
    const p = plan(d, lake(d));
    const big = tableOf(p, "big");
    expect(big.op).toBe("register");
    expect(big.step.cache).toEqual({ mode: "memory", readers: ["a", "b", "c"] });
    expect(big.notes).toContain("cache: memory — computed once for a, b, c");
    expect(tableOf(p, "alone").step.cache).toBeUndefined();
    expect(tableOf(p, "a").notes).toEqual([]);
  });

  it("delta_staging: written once to _cpgc_staging", () => {
    const d = desired(...project("delta_staging"));
    const big = tableOf(plan(d, lake(d)), "big");
    expect(big.step.cache).toEqual({ mode: "delta_staging", readers: ["a", "b", "c"] });
    expect(big.notes).toContain("cache: delta_staging — computed once into _cpgc_staging/big for a, b, c");
  });

  it("a registered logical view (not shown) with readers: the readers' notes say so; a reader that does not act is not one", () => {
    const d = desired(...project("memory"));
    const after = applied(d, lake(d));
    const p = plan(d, withSource(after, "files", source("files", ["data/files.ndjson", "data/more.ndjson"])));
    expect(tableOf(p, "big").op).toBe("noop");
    expect(tableOf(p, "big").step.cache).toEqual({ mode: "memory", readers: ["a", "b", "c"] });
    expect(tableOf(p, "a").notes).toEqual(["reads big from this apply's cache (memory: computed once for a, b, c)"]);
  });

  it("no cache, or no reader in the apply: nothing", () => {
    const d = desired(...project(undefined));
    expect(plan(d, lake(d)).tables.filter((t) => t.step.cache !== undefined)).toEqual([]);
    const m = desired(...project("memory"));
    const again = plan(m, applied(m, lake(m)));
    expect(again.tables.filter((t) => t.step.cache !== undefined)).toEqual([]);
  });

  it("a materialized view with cache memory that the apply rewrites: its new rows are kept for its readers", () => {
    const mat = cached(view("mat", { lineage: { path: ["files.path"], n: ["files.n"] }, types: { path: "utf8" } }), "memory");
    const reader = view("reader", { lineage: { path: ["mat.path"] }, types: { path: "utf8" } });
    const d = desired(FILES, mat, reader);
    const p = plan(d, lake(d));
    expect(tableOf(p, "mat").step.cache).toEqual({ mode: "memory", readers: ["reader"] });
    expect(tableOf(p, "mat").notes).toContain("cache: memory — computed once for reader (the new rows are kept in the engine, not read back from the lake)");
    const staged = desired(FILES, cached(mat, "delta_staging"), reader);
    const q = plan(staged, lake(staged));
    expect(tableOf(q, "mat").step.cache).toBeUndefined();
    expect(tableOf(q, "mat").notes).toContain("cache: delta_staging — not needed: reader read the Delta table this apply writes");
  });

  it("--refresh-only plans no cache", () => {
    const d = desired(...project("memory"));
    expect(plan(d, lake(d), { refresh_only: true }).tables.filter((t) => t.step.cache !== undefined)).toEqual([]);
  });
});
