// impact.ts: dirt through lineage, per rule.
import { describe, expect, it } from "vitest";
import { CLEAN, deltaReads, propagate, withAncestors, type Dirt } from "../../../compiler/src/plan/impact.js";
import type { DesiredTable } from "../../../compiler/src/plan/model.js";
import { dataset, desired, view } from "./fixtures.js";

const D = desired(
  dataset("t", ["a int64", "b int64", "c int64", "k int64"]),
  dataset("u", ["k int64", "d int64"]),
  view("v", { lineage: { a: ["t.a"], ab: ["t.a", "t.b"], d: ["u.d"], n: [] }, joinKeys: ["t.k", "u.k"], filterColumns: ["t.c"] }),
  view("lv", { materialize: "view", lineage: { a: ["t.a"], b: ["t.b"] } }),
  view("w", { lineage: { a: ["lv.a"], d: ["u.d"] } }),
);
const T = Object.fromEntries(D.tables.map((t) => [t.name, t])) as Record<string, DesiredTable>;
const dirt = (columns: string[], rows = false): Dirt => ({ columns: new Set(columns), rows });
const show = (d: Dirt) => ({ columns: [...d.columns].sort(), rows: d.rows });
/** t and u are unique on k; `none`: no table has a key. */
const KEYED = (n: string): readonly string[] => (n === "t" || n === "u" ? ["k"] : []);
const NONE = (): readonly string[] => [];

describe("propagate", () => {
  it.each<[string, Record<string, Dirt>, { columns: string[]; rows: boolean }, { table: string; columns: string[] }[]]>([
    ["nothing dirty", {}, { columns: [], rows: false }, []],
    ["a value column: the outputs derived from it", { t: dirt(["a"]) }, { columns: ["a", "ab"], rows: false }, [{ table: "t", columns: ["a"] }]],
    ["a column nobody reads: not hit", { t: dirt(["zzz"]) }, { columns: [], rows: false }, []],
    ["a filter column: every output and the rows", { t: dirt(["c"]) }, { columns: ["a", "ab", "d", "n"], rows: true }, [{ table: "t", columns: ["c"] }]],
    ["a join key of the other side", { u: dirt(["k"]) }, { columns: ["a", "ab", "d", "n"], rows: true }, [{ table: "u", columns: ["k"] }]],
    ["an input's rows changed", { u: dirt(["k", "d"], true) }, { columns: ["a", "ab", "d", "n"], rows: true }, [{ table: "u", columns: ["d", "k"] }]],
  ])("%s", (_title, inputs, expected, hits) => {
    const r = propagate(T["v"]!, (n) => inputs[n], KEYED);
    expect(show(r.dirt)).toEqual(expected);
    expect(r.hits.map((h) => ({ table: h.table, columns: [...h.columns].sort() }))).toEqual(hits);
  });

  it("a reader that reads no column of a table is hit by a change of its rows only (`*`)", () => {
    const counter = desired(dataset("t", ["a int64"]), view("cnt", { lineage: { n: [] }, query: "select count(*) from t", filterColumns: [] })).tables[1]!;
    const withT = { ...counter, inputs: ["t"], reads: { t: [] }, row_deciding: { t: [] } };
    expect(propagate(withT, () => dirt(["a"]), NONE).hits).toEqual([]);
    expect(propagate(withT, () => dirt(["a"], true), NONE).hits).toEqual([{ table: "t", columns: ["*"] }]);
    expect(propagate(withT, () => CLEAN, NONE).dirt.rows).toBe(false);
  });

  it("without a unique key, a change hits every reader of several columns of the table (values may have moved between rows)", () => {
    // v reads t.a, t.b, t.c and t.k: with t keyed only `a`'s outputs are dirty; unkeyed, everything.
    expect(show(propagate(T["v"]!, (n) => (n === "t" ? dirt(["zzz"]) : undefined), NONE).dirt)).toEqual({ columns: ["a", "ab", "d", "n"], rows: true });
    expect(show(propagate(T["v"]!, (n) => (n === "t" ? dirt(["zzz"]) : undefined), KEYED).dirt)).toEqual({ columns: [], rows: false });
    // A reader of one column of an unkeyed table is judged by that column alone.
    const single = desired(dataset("s", ["x int64", "y int64"]), view("one", { lineage: { x: ["s.x"] } })).tables[1]!;
    expect(propagate(single, () => dirt(["y"]), NONE).hits).toEqual([]);
    expect(show(propagate(single, () => dirt(["x"]), NONE).dirt)).toEqual({ columns: ["x"], rows: false });
  });

  it("a changed key column of a keyed table changes its rows", () => {
    expect(show(propagate(T["w"]!, (n) => (n === "u" ? dirt(["k"]) : undefined), (n) => (n === "u" ? ["k"] : [])).dirt)).toEqual({ columns: ["a", "d"], rows: true });
  });
});

describe("deltaReads and ancestors", () => {
  it("reads through logical views land on the Delta tables", () => {
    const byName = (n: string) => T[n];
    expect(Object.fromEntries([...deltaReads(T["w"]!, byName)].map(([k, v]) => [k, [...v].sort()]))).toEqual({ t: ["a", "b"], u: ["d"] });
    expect([...withAncestors(["w"], byName)].sort()).toEqual(["lv", "t", "u", "w"]);
  });
});
