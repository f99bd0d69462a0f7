// Cached views in apply: a logical view with cache memory or delta_staging is computed once and its
// readers share it — shown with a view of random() whose readers then hold the same values —
// while without a cache each reader computes it (the values differ). A materialized view with
// cache memory hands its new rows to its readers. Nothing is left under _cpgc_staging.
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, openDatabase } from "../../../runtime-native/index.js";
import type { ApplyEvent } from "../../../runtime-native/ts/apply/execute.js";
import { project } from "./project.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const CONFIG = `version: 1
project: cache_test
specs: ["specs/**/*.yaml"]
lake: { root: .cpg/lake }
defaults:
  materialize: table
`;

const specs = (cache: string) => `kind: Dataset
name: items
schema:
  columns:
    - { name: id, type: int64 }
---
kind: View
name: noisy
materialize: view
cache: ${cache}
sql: select id, random() as r from items
---
kind: View
name: left_copy
sql: select id, r from noisy
---
kind: View
name: right_copy
sql: select id, r from noisy
`;

async function build(cache: string) {
  const p = project(db, CONFIG, { "specs/all.yaml": specs(cache) });
  await p.converge();
  appendToDeltaTable(path.join(p.lake, "items"), { sql: "SELECT range AS id FROM range(50)" }, { db });
  const events: ApplyEvent[] = [];
  const d = await p.desired();
  const plan = p.plan(d);
  const report = await p.apply(plan, d, events);
  expect(report.status, JSON.stringify(report.actions)).toBe("success");
  const left = p.rows("left_copy", "id").map((r) => r["r"]);
  const right = p.rows("right_copy", "id").map((r) => r["r"]);
  return { p, plan, left, right, events };
}

describe("cached views in apply", () => {
  for (const cache of ["memory", "delta_staging"]) {
    it(`cache ${cache}: the view is computed once for its readers`, async () => {
      const { p, plan, left, right, events } = await build(cache);
      expect(plan.tables.find((t) => t.name === "noisy")!.step.cache).toEqual({ mode: cache, readers: ["left_copy", "right_copy"] });
      expect(left).toHaveLength(50);
      expect(right).toEqual(left);
      expect(events.filter((e) => e.type === "warning")).toEqual([]);
      expect(existsSync(path.join(p.lake, "_cpgc_staging"))).toBe(false);
    });
  }

  it("defaults.cache applies to views that set none", async () => {
    const p = project(db, CONFIG.replace("  materialize: table\n", "  materialize: table\n  cache: delta_staging\n"), { "specs/all.yaml": specs("none").replace("cache: none\n", "") });
    const d = await p.desired();
    expect(d.tables.find((t) => t.name === "noisy")?.cache).toBe("delta_staging");
    expect(p.plan(d).tables.find((t) => t.name === "noisy")!.step.cache).toEqual({ mode: "delta_staging", readers: ["left_copy", "right_copy"] });
  });

  it("without a cache the logical view stays a view each reader computes", async () => {
    const { plan, left, right } = await build("none");
    expect(plan.tables.find((t) => t.name === "noisy")!.step.cache).toBeUndefined();
    expect(left).toHaveLength(50);
    expect(right).not.toEqual(left);
  });

  it("a materialized view with cache memory: its readers read the rows it just committed, from the engine", async () => {
    const p = project(db, CONFIG, {
      "specs/all.yaml": `kind: Dataset
name: items
schema:
  columns:
    - { name: id, type: int64 }
---
kind: View
name: noisy
cache: memory
sql: select id, random() as r from items
---
kind: View
name: copy
sql: select id, r from noisy
`,
    });
    await p.converge();
    appendToDeltaTable(path.join(p.lake, "items"), { sql: "SELECT range AS id FROM range(20)" }, { db });
    const d = await p.desired();
    const plan = p.plan(d);
    expect(plan.tables.find((t) => t.name === "noisy")!.step.cache).toEqual({ mode: "memory", readers: ["copy"] });
    const report = await p.apply(plan, d);
    expect(report.status, JSON.stringify(report.actions)).toBe("success");
    expect(report.actions.find((a) => a.table === "copy")?.inputs).toEqual({ noisy: report.actions.find((a) => a.table === "noisy")!.version });
    expect(p.rows("copy", "id")).toEqual(p.rows("noisy", "id"));
    expect(p.plan(d).tables.filter((t) => t.op !== "noop").map((t) => t.name)).toEqual([]);
  });
});
