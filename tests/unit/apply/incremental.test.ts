// Incremental views through observe → plan → apply: a managed table with change data feed that
// another writer edits at random (appends, deletes, updates by key), an aggregate view keyed by
// the table's key refreshed after each round — always equal to a full recompute, and refreshed
// incrementally; a view whose key does not come from the changed input is rematerialized in full.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, openDatabase, replaceWhereDeltaTable } from "../../../runtime-native/index.js";
import { canonical, project, type Project, changeFeedConfig } from "./project.js";
import { seededRandom as rng } from "../../helpers/rng.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const CONFIG = changeFeedConfig("incremental_test");

const SPECS = `kind: Dataset
name: facts
schema:
  columns:
    - { name: k, type: utf8 }
    - { name: v, type: int64 }
---
kind: Dataset
name: weights
schema:
  columns:
    - { name: k, type: utf8 }
    - { name: w, type: int64 }
---
kind: View
name: per_key
materialize: incremental
incremental: { key: k }
sql: |
  select k, sum(v) as total, count(*) as n, max(v) as top from facts group by k
---
kind: View
name: weighted
materialize: incremental
incremental: { key: k }
sql: |
  select f.k, sum(f.v * w.w) as score from facts f join weights w on w.k = f.k group by f.k
`;

const KEYS = ["a", "b", "c", "d", "e", "f", "g", "h", null] as const;
const lit = (k: string | null) => (k === null ? "NULL" : `'${k}'`);

/** One random edit of `facts` by another writer. */
function edit(p: Project, next: () => number): string {
  const table = path.join(p.lake, "facts");
  const key = KEYS[Math.floor(next() * KEYS.length)]!;
  const v = Math.floor(next() * 100);
  const kind = Math.floor(next() * 3);
  if (kind === 0) {
    appendToDeltaTable(table, { sql: `SELECT ${lit(key)} AS k, ${v}::BIGINT AS v UNION ALL SELECT ${lit(key)}, ${v + 1}::BIGINT` }, { db });
    return `append ${key}`;
  }
  const where = key === null ? "k IS NULL" : `k = ${lit(key)}`;
  if (kind === 1) {
    replaceWhereDeltaTable(table, where, { sql: "SELECT NULL::VARCHAR AS k, NULL::BIGINT AS v WHERE false" }, { db });
    return `delete ${key}`;
  }
  replaceWhereDeltaTable(table, where, { sql: `SELECT ${lit(key)} AS k, ${v}::BIGINT AS v` }, { db });
  return `update ${key}`;
}

function recompute(p: Project, sql: string): string[] {
  return canonical(db.query(sql.replace(/\bfacts\b/g, '"__rows_facts"').replace(/\bweights\b/g, '"__rows_weights"')).rows as Record<string, unknown>[]);
}

describe("incremental views in apply", () => {
  it("refreshed by key after random edits of their input, equal to a full recompute every time", async () => {
    const p = project(db, CONFIG, { "specs/all.yaml": SPECS });
    await p.converge();
    appendToDeltaTable(path.join(p.lake, "facts"), { sql: "SELECT * FROM (VALUES ('a', 1::BIGINT), ('b', 2), ('c', 3), (NULL, 4)) AS t(k, v)" }, { db });
    appendToDeltaTable(path.join(p.lake, "weights"), { sql: "SELECT * FROM (VALUES ('a', 10::BIGINT), ('b', 20), ('c', 30), ('d', 40)) AS t(k, w)" }, { db });
    const first = await p.converge();
    expect(first.report.status).toBe("success");

    const next = rng(20251121);
    for (let round = 0; round < 8; round++) {
      const edits = Array.from({ length: 1 + Math.floor(next() * 3) }, () => edit(p, next));
      const d = await p.desired();
      const plan = p.plan(d);
      const perKey = plan.tables.find((t) => t.name === "per_key")!;
      expect(perKey.changes[0]!.reason, edits.join(", ")).toMatch(/^refresh incrementally by k from the change feed of facts/);
      expect(perKey.step.write?.mode).toBe("replaceWhere");
      const weighted = plan.tables.find((t) => t.name === "weighted")!;
      expect(weighted.step.write?.mode).toBe("replaceWhere"); // k comes from facts (f.k): facts changed, weights did not
      const report = await p.apply(plan, d);
      expect(report.status, JSON.stringify(report.actions)).toBe("success");
      expect(report.actions.find((a) => a.table === "per_key")?.refresh?.mode).toBe("incremental");

      p.rows("facts", "1");
      p.rows("weights", "1");
      expect(canonical(p.rows("per_key", "1")), `round ${round}: ${edits.join(", ")}`).toEqual(recompute(p, "select k, sum(v) as total, count(*) as n, max(v) as top from facts group by k"));
      expect(canonical(p.rows("weighted", "1")), `round ${round}: ${edits.join(", ")}`).toEqual(recompute(p, "select f.k, sum(f.v * w.w) as score from facts f join weights w on w.k = f.k group by f.k"));
      expect(p.plan(d).tables.filter((t) => t.op !== "noop").map((t) => t.name)).toEqual([]);
    }
  });

  it("an input the key does not come from changed: rematerialized in full, and still equal to a recompute", async () => {
    const p = project(db, CONFIG, { "specs/all.yaml": SPECS });
    await p.converge();
    appendToDeltaTable(path.join(p.lake, "facts"), { sql: "SELECT * FROM (VALUES ('a', 1::BIGINT), ('b', 2)) AS t(k, v)" }, { db });
    appendToDeltaTable(path.join(p.lake, "weights"), { sql: "SELECT * FROM (VALUES ('a', 10::BIGINT), ('b', 20)) AS t(k, w)" }, { db });
    await p.converge();
    replaceWhereDeltaTable(path.join(p.lake, "weights"), "k = 'a'", { sql: "SELECT 'a' AS k, 11::BIGINT AS w" }, { db });
    const d = await p.desired();
    const plan = p.plan(d);
    const weighted = plan.tables.find((t) => t.name === "weighted")!;
    expect(weighted.changes[0]!.reason).toMatch(/^rematerialize in full: the key k does not come from weights, whose rows changed/);
    const report = await p.apply(plan, d);
    expect(report.actions.find((a) => a.table === "weighted")?.refresh).toEqual({ mode: "full", reason: expect.stringMatching(/^rematerialize in full/) });
    p.rows("facts", "1");
    p.rows("weights", "1");
    expect(canonical(p.rows("weighted", "1"))).toEqual(recompute(p, "select f.k, sum(f.v * w.w) as score from facts f join weights w on w.k = f.k group by f.k"));
  });

  it("a change feed that cannot be read (its commits gone from the log): rematerialized in full at apply, with a warning", async () => {
    const p = project(db, CONFIG, { "specs/all.yaml": SPECS });
    await p.converge();
    appendToDeltaTable(path.join(p.lake, "facts"), { sql: "SELECT 'a' AS k, 1::BIGINT AS v" }, { db });
    const d = await p.desired();
    const plan = p.plan(d);
    const perKey = plan.tables.find((t) => t.name === "per_key")!;
    // A plan whose recorded version is far in the future of the log cannot read the feed.
    const bad = { ...plan, tables: plan.tables.map((t) => (t.name === "per_key" ? { ...perKey, step: { ...perKey.step, incremental: { ...perKey.step.incremental!, inputs: [{ table: "facts", column: "k", after_version: -5 }] } } } : t)) };
    const events: Parameters<typeof p.apply>[2] = [];
    const report = await p.apply(bad, d, events);
    expect(report.actions.find((a) => a.table === "per_key")?.refresh).toEqual({ mode: "full", reason: expect.stringMatching(/^the change feed could not be read/) });
    expect(events!.some((e) => e.type === "warning" && e.table === "per_key")).toBe(true);
    p.rows("facts", "1");
    expect(canonical(p.rows("per_key", "1"))).toEqual(recompute(p, "select k, sum(v) as total, count(*) as n, max(v) as top from facts group by k"));
    expect(p.rows("per_key", "1").map((r) => r["k"])).toEqual(["a"]);
  });
});
