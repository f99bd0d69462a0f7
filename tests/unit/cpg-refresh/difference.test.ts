// A table view with a key, written as the difference: `ranks` depends on every row of its input (a
// key's rank moves when another key's value changes), so it is recomputed in full — but only the
// keys whose rows differ are replaced, its change feed names only those, and the incremental view
// reading it refreshes by them. After random edits both equal a full recompute, and the number
// of keys written is exactly the number whose rows changed.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, openDatabase, replaceWhereDeltaTable } from "../../../runtime-native/index.js";
import { canonical, project, changeFeedConfig } from "../apply/project.js";
import { seededRandom as rng } from "../../helpers/rng.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const CONFIG = changeFeedConfig("difference_test");

const RANKS = "select k, rank() over (order by max(v) desc) as r from facts group by k";
const LABELS = "select k, 'rank ' || r as label from ranks";

const SPECS = `kind: Dataset
name: facts
schema:
  columns:
    - { name: k, type: utf8 }
    - { name: v, type: int64 }
---
kind: View
name: ranks
materialize: table
incremental: { key: k }
sql: |
  ${RANKS}
---
kind: View
name: labels
materialize: incremental
incremental: { key: k }
sql: |
  ${LABELS}
`;

describe("a table with a key written as the difference", () => {
  it("replaces only the keys whose rows differ, and its readers refresh by them", async () => {
    const p = project(db, CONFIG, { "specs/all.yaml": SPECS });
    await p.converge();
    const facts = path.join(p.lake, "facts");
    appendToDeltaTable(facts, { sql: "SELECT * FROM (VALUES ('a', 10::BIGINT), ('b', 20), ('c', 30), ('d', 40), ('e', 50)) AS t(k, v)" }, { db });
    expect((await p.converge()).report.status).toBe("success");

    const next = rng(11);
    let partial = 0;
    for (let round = 0; round < 8; round++) {
      p.rows("ranks", "1");
      const before = new Map(p.rows("ranks", "k").map((r) => [String(r["k"]), String(r["r"])]));
      const key = "abcdef"[Math.floor(next() * 6)]!;
      const v = Math.floor(next() * 60);
      if (next() < 0.5) replaceWhereDeltaTable(facts, `k = '${key}'`, { sql: `SELECT '${key}' AS k, ${v}::BIGINT AS v` }, { db });
      else appendToDeltaTable(facts, { sql: `SELECT '${key}' AS k, ${v}::BIGINT AS v` }, { db });

      const { plan, report } = await p.converge();
      expect(report.status, JSON.stringify(report.actions)).toBe("success");
      expect([plan.tables.find((t) => t.name === "ranks")?.step.write?.mode, plan.tables.find((t) => t.name === "labels")?.step.write?.mode]).toEqual(["replaceWhere", "replaceWhere"]);
      p.rows("facts", "1");
      p.rows("ranks", "1");
      const expected = canonical(db.query(RANKS.replace("facts", '"__rows_facts"')).rows as Record<string, unknown>[]);
      expect(canonical(p.rows("ranks", "1")), `round ${round}`).toEqual(expected);
      const after = new Map(p.rows("ranks", "k").map((r) => [String(r["k"]), String(r["r"])]));
      const differing = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
      const ranks = report.actions.find((a) => a.table === "ranks")!;
      expect(ranks.refresh, `round ${round}`).toEqual({ mode: "incremental", keys: differing.length });
      if (differing.length > 0 && differing.length < after.size) partial++;
      expect(canonical(p.rows("labels", "1")), `round ${round}`).toEqual(canonical(db.query(LABELS.replace("ranks", '"__rows_ranks"')).rows as Record<string, unknown>[]));
      // its change feed names exactly those keys: the reader refreshes by them
      const labels = report.actions.find((a) => a.table === "labels");
      if (differing.length > 0) expect(labels?.refresh, `round ${round}`).toEqual({ mode: "incremental", keys: differing.length });
    }
    expect(partial).toBeGreaterThan(2);
  });
});
