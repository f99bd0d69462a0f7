// staleness.ts: a saved plan is refused when a pin no longer holds; resumable when this plan committed.
import { describe, expect, it } from "vitest";
import type { ObservedState } from "../../../compiler/src/plan/model.js";
import { stalePins } from "../../../compiler/src/plan/staleness.js";
import { applied, dataset, desired, emptyLake, META, plan, simulateApply, view, withTable } from "./fixtures.js";

const D = desired(dataset("a", ["id int64"]), view("x", { lineage: { id: ["a.id"] } }), view("l", { materialize: "view", lineage: { id: ["a.id"] } }));

describe("stalePins", () => {
  it("nothing moved → not stale", () => {
    const lake = applied(D);
    const p = plan(D, lake);
    expect(stalePins(p, D, lake)).toEqual([]);
  });

  it.each<[string, (lake: ObservedState) => ObservedState, { table: string; reason: string }[]]>([
    ["a pinned table moved", (l) => withTable(l, "a", (t) => ({ ...t, version: t.version + 1 })), [{ table: "a", reason: "the table moved from version 0 to 1 since the plan" }]],
    ["a pinned table was replaced", (l) => withTable(l, "a", (t) => ({ ...t, table_id: "other" })), [{ table: "a", reason: "the table was replaced by another one (table id other, planned id-a)" }]],
    ["a pinned table vanished", (l) => ({ ...l, tables: { ...l.tables, a: { name: "a", status: "absent" } } }), [{ table: "a", reason: "the table was at version 0 when planned and is now absent" }]],
    ["a table became unreadable", (l) => ({ ...l, tables: { ...l.tables, a: { name: "a", status: "unreadable", error: { code: "X", message: "bad log" } } } }), [{ table: "a", reason: "the table cannot be read any more: bad log" }]],
    ["_cpgc_views moved", (l) => ({ ...l, views_table_version: 5 }), [{ table: "_cpgc_views", reason: "logical views changed since the plan (_cpgc_views moved from version 0 to 5)" }]],
  ])("%s", (_title, edit, expected) => {
    const lake = applied(D);
    const p = { ...plan(D, lake), plan_id: "plan-2" }; // another plan than the one that applied the lake
    expect(stalePins(p, D, edit(lake))).toEqual(expected);
  });

  it("a table that was absent when planned and now exists (another apply made it)", () => {
    const empty = emptyLake(D);
    const p = plan(D, empty);
    const other = simulateApply(D, empty, { ...p, plan_id: "another-plan" });
    const stale = stalePins(p, D, other);
    expect(stale).toContainEqual({ table: "a", reason: "the table was absent when planned and now exists (version 0)" });
    expect(stale).toContainEqual({ table: "_cpgc_views", reason: "logical views were registered since the plan (_cpgc_views is at version 0)" });
  });

  it("tables this very plan already committed are resumable, not stale", () => {
    const empty = emptyLake(D);
    const p = plan(D, empty);
    const halfway = simulateApply(D, empty, { ...p, tables: p.tables.filter((t) => t.name === "a") });
    expect(halfway.tables["a"]).toMatchObject({ latest_txn: { app_id: `cpgc:${META.plan_id}` } });
    expect(stalePins(p, D, halfway)).toEqual([]);
  });

  it("the specs changed", () => {
    const lake = applied(D);
    const p = plan(D, lake);
    const D2 = desired(dataset("a", ["id int64", "more utf8"]), view("x", { lineage: { id: ["a.id"] } }), view("l", { materialize: "view", lineage: { id: ["a.id"] } }));
    expect(stalePins(p, D2, lake)).toEqual([{ table: "", reason: "the specs or config changed since the plan was made" }]);
  });

  it("an orphan to destroy that moved is stale; one already gone is not", () => {
    const lake: ObservedState = { ...applied(D), orphans: [{ name: "o", path: "/l/o", version: 2, table_id: "id-o" }] };
    const p = plan(D, lake, { prune: true });
    expect(stalePins(p, D, { ...lake, orphans: [{ name: "o", path: "/l/o", version: 3, table_id: "id-o" }] })).toEqual([{ table: "o", reason: "the table moved from version 2 to 3 since the plan" }]);
    expect(stalePins(p, D, { ...lake, orphans: [] })).toEqual([]);
  });
});
