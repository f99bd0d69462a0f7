// Incremental refreshes that read their inputs filtered on the changed keys (key pushdown),
// through observe → plan → apply against the engine: after random edits of two keyed inputs by
// another writer, every view equals a full recompute; the inputs the plan proves keyed are read
// filtered (the report's filtered_inputs). `by_value` joins weights on a value, not the key: filtering
// weights by the key would lose matches across keys — the recompute comparison would catch it.
// A NULL among the changed keys turns pushdown off.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, openDatabase, replaceWhereDeltaTable } from "../../../runtime-native/index.js";
import { canonical, project, type Project, changeFeedConfig } from "../apply/project.js";
import { seededRandom as rng } from "../../helpers/rng.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const CONFIG = changeFeedConfig("pushdown_test");

/** name → SQL of each incremental view keyed by k (the key is always the first column). */
const VIEWS: Record<string, string> = {
  // a join of two keyed inputs (the key from both: coalesce), aggregated by the key
  joined: "select coalesce(f.k, w.k) as k, sum(f.v * w.w) as score, count(*) as n from facts f join weights w on w.k = f.k group by coalesce(f.k, w.k)",
  // a full outer join: keys of either side
  outer: "select coalesce(f.k, w.k) as k, f.v, w.w from facts f full join weights w on w.k = f.k",
  // an aggregate grouped by the key
  per_key: "select k, count(*) as n, max(v) as top from facts group by k",
  // a union of both inputs
  unioned: "select k, v as x, 'fact' as src from facts union all select k, w, 'weight' from weights",
  // a window per key
  ranked: "select k, v, row_number() over (partition by k order by v) as rn from facts",
  // must NOT filter weights: joined on a value, its rows of other keys match
  by_value: "select f.k, f.v, w.k as wk from facts f left join weights w on w.w = f.v",
};

const SPECS = [
  `kind: Dataset
name: facts
schema:
  columns:
    - { name: k, type: utf8 }
    - { name: v, type: int64 }`,
  `kind: Dataset
name: weights
schema:
  columns:
    - { name: k, type: utf8 }
    - { name: w, type: int64 }`,
  ...Object.entries(VIEWS).map(([name, sql]) => `kind: View\nname: ${name}\nmaterialize: incremental\nincremental: { key: k }\nsql: |\n  ${sql}`),
].join("\n---\n");

/** The inputs each view's refresh reads filtered, as the plan proves them. */
const EXPECTED_PUSHDOWN: Record<string, string[]> = {
  joined: ["facts.k", "weights.k"],
  outer: ["facts.k", "weights.k"],
  per_key: ["facts.k"],
  unioned: ["facts.k", "weights.k"],
  ranked: ["facts.k"],
  by_value: ["facts.k"],
};

const KEYS = ["a", "b", "c", "d", "e", "f", "g", "h"] as const;

/** One random edit of `facts` or `weights` (append, delete or update of a key) by another writer. */
function edit(p: Project, next: () => number): string {
  const table = next() < 0.7 ? "facts" : "weights";
  const col = table === "facts" ? "v" : "w";
  const key = KEYS[Math.floor(next() * KEYS.length)]!;
  const n = Math.floor(next() * 100);
  const file = path.join(p.lake, table);
  const kind = Math.floor(next() * 3);
  if (kind === 0) appendToDeltaTable(file, { sql: `SELECT '${key}' AS k, ${n}::BIGINT AS ${col}` }, { db });
  else if (kind === 1) replaceWhereDeltaTable(file, `k = '${key}'`, { sql: `SELECT NULL::VARCHAR AS k, NULL::BIGINT AS ${col} WHERE false` }, { db });
  else replaceWhereDeltaTable(file, `k = '${key}'`, { sql: `SELECT '${key}' AS k, ${n}::BIGINT AS ${col} UNION ALL SELECT '${key}', ${n + 1}` }, { db });
  return `${["append", "delete", "update"][kind]} ${table}.${key}`;
}

function recompute(sql: string): string[] {
  return canonical(db.query(sql.replace(/\bfacts\b/g, '"__rows_facts"').replace(/\bweights\b/g, '"__rows_weights"')).rows as Record<string, unknown>[]);
}

describe("key pushdown in incremental refreshes", () => {
  it("keyed inputs are read filtered on the changed keys; every view equals a full recompute after each round", async () => {
    const p = project(db, CONFIG, { "specs/all.yaml": SPECS });
    await p.converge();
    const seed = KEYS.map((k, i) => `('${k}', ${i}::BIGINT)`).join(", ");
    appendToDeltaTable(path.join(p.lake, "facts"), { sql: `SELECT * FROM (VALUES ${seed}, ('a', 10), ('c', 30)) AS t(k, v)` }, { db });
    appendToDeltaTable(path.join(p.lake, "weights"), { sql: `SELECT * FROM (VALUES ('a', 2::BIGINT), ('b', 3), ('c', 4), ('e', 5)) AS t(k, w)` }, { db });
    expect((await p.converge()).report.status).toBe("success");

    const next = rng(20261121);
    let filteredRounds = 0;
    for (let round = 0; round < 8; round++) {
      const edits = Array.from({ length: 1 + Math.floor(next() * 2) }, () => edit(p, next));
      const d = await p.desired();
      const plan = p.plan(d);
      const weightsChanged = edits.some((e) => e.includes("weights."));
      for (const name of Object.keys(VIEWS)) {
        const t = plan.tables.find((x) => x.name === name)!;
        if (t.op === "noop") continue;
        const reason = t.changes.map((c) => c.reason).join("; ");
        if (name === "by_value" && weightsChanged) {
          // the key does not come from weights: in full
          expect(t.step.write?.mode, reason).toBe("overwrite");
          continue;
        }
        expect(t.step.write?.mode, `${name}: ${reason}`).toBe("replaceWhere");
        expect((t.step.incremental?.pushdown ?? []).map((f) => `${f.table}.${f.column}`), name).toEqual(EXPECTED_PUSHDOWN[name]);
      }
      const report = await p.apply(plan, d);
      expect(report.status, JSON.stringify(report.actions)).toBe("success");
      for (const a of report.actions) {
        if (!(a.table in VIEWS) || a.refresh?.mode !== "incremental" || a.refresh.keys === 0) continue;
        expect([...(a.filtered_inputs ?? [])].sort(), a.table).toEqual(EXPECTED_PUSHDOWN[a.table]!.map((f) => f.split(".")[0]!));
        filteredRounds++;
      }
      p.rows("facts", "1");
      p.rows("weights", "1");
      for (const [name, sql] of Object.entries(VIEWS)) {
        expect(canonical(p.rows(name, "1")), `round ${round} (${edits.join(", ")}): ${name}`).toEqual(recompute(sql));
      }
      expect(p.plan(d).tables.filter((t) => t.op !== "noop").map((t) => t.name)).toEqual([]);
    }
    expect(filteredRounds).toBeGreaterThan(8);

    // A NULL key changed: its rows may come from any input row (outer joins), so nothing is filtered.
    appendToDeltaTable(path.join(p.lake, "facts"), { sql: "SELECT NULL::VARCHAR AS k, 4::BIGINT AS v UNION ALL SELECT 'b', 4" }, { db });
    const d = await p.desired();
    const report = await p.apply(p.plan(d), d);
    for (const name of ["joined", "outer", "per_key"]) {
      const a = report.actions.find((x) => x.table === name);
      expect([a?.refresh?.mode, a?.filtered_inputs], name).toEqual(["incremental", undefined]);
    }
    p.rows("facts", "1");
    p.rows("weights", "1");
    for (const [name, sql] of Object.entries(VIEWS)) expect(canonical(p.rows(name, "1")), name).toEqual(recompute(sql));
  }, 120_000);
});
