// Expectations of incremental refreshes: the rows a replaceWhere keeps passed the same expectations
// at the table's last commit (recorded in its state), so only what the new rows can break is
// checked — and that still finds every violation: a new row duplicating a kept one, a NULL in a
// new row. Under expectations the kept rows were not checked against (a new one), the whole table
// is checked.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, loadDeltaSnapshot, openDatabase, replaceWhereDeltaTable } from "../../../runtime-native/index.js";
import { snapshotState } from "../../../runtime-native/ts/apply/state.js";
import { project, changeFeedConfig } from "../apply/project.js";

const db = openDatabase({ threads: 2 });
afterAll(() => db.close());

const CONFIG = changeFeedConfig("refresh_expectations");

const SPECS = `kind: Dataset
name: facts
schema:
  columns:
    - { name: k, type: utf8 }
    - { name: id, type: int64 }
---
kind: View
name: ids
materialize: incremental
incremental: { key: k }
sql: |
  select k, id, id * 10 as v from facts
expectations:
  - not_null: [id]
  - unique: [id]
  - accepted_values: { column: k, values: [a, b, c, d] }
`;

describe("expectations of incremental refreshes", () => {
  it("check only what the new rows can break, and still catch every violation", async () => {
    const p = project(db, CONFIG, { "specs/all.yaml": SPECS });
    await p.converge();
    const facts = path.join(p.lake, "facts");
    appendToDeltaTable(facts, { sql: "SELECT * FROM (VALUES ('a', 1::BIGINT), ('a', 2), ('b', 3)) AS t(k, id)" }, { db });
    expect((await p.converge()).report.status).toBe("success");
    const recorded = () => snapshotState(loadDeltaSnapshot(path.join(p.lake, "ids"), { files: "none" }))?.expectations_passed;
    const hash = recorded();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    const refresh = async () => {
      const { report } = await p.converge();
      return report.actions.find((a) => a.table === "ids")!;
    };
    // a new row whose id a kept row (of another key) has
    appendToDeltaTable(facts, { sql: "SELECT 'c' AS k, 1::BIGINT AS id" }, { db });
    let a = await refresh();
    expect(a.outcome).toBe("failed");
    expect(a.expectations.filter((e) => !e.passed).map((e) => [e.expectation, e.failing, e.sample])).toEqual([["unique(id)", 2, [{ id: 1, _count: 2 }]]]);

    // fixed: the refresh commits, with the same record
    replaceWhereDeltaTable(facts, "k = 'c'", { sql: "SELECT 'c' AS k, 4::BIGINT AS id" }, { db });
    a = await refresh();
    expect([a.outcome, a.expectations.every((e) => e.passed)]).toEqual(["committed", true]);
    expect(recorded()).toBe(hash);

    // a NULL and a value not accepted, in new rows
    appendToDeltaTable(facts, { sql: "SELECT 'd' AS k, NULL::BIGINT AS id UNION ALL SELECT 'e', 5" }, { db });
    a = await refresh();
    expect(a.outcome).toBe("failed");
    expect(a.expectations.filter((e) => !e.passed).map((e) => [e.expectation, e.failing])).toEqual([
      ["not_null(id)", 1],
      ["accepted_values(k)", 1],
    ]);
    replaceWhereDeltaTable(facts, "k IN ('d', 'e')", { sql: "SELECT 'd' AS k, 6::BIGINT AS id" }, { db });
    expect((await refresh()).outcome).toBe("committed");
    expect(p.rows("ids", "id").map((r) => [r["k"], Number(r["id"])])).toEqual([
      ["a", 1],
      ["a", 2],
      ["b", 3],
      ["c", 4],
      ["d", 6],
    ]);
  });

  it("check the whole table under expectations its rows were not checked against", async () => {
    const loose = SPECS.replace("  - unique: [id]\n", "");
    const p = project(db, CONFIG, { "specs/all.yaml": loose });
    await p.converge();
    const facts = path.join(p.lake, "facts");
    appendToDeltaTable(facts, { sql: "SELECT * FROM (VALUES ('a', 1::BIGINT), ('b', 1)) AS t(k, id)" }, { db });
    expect((await p.converge()).report.status).toBe("success");
    // unique(id) added: the refresh of 'c' alone would not see the duplicate among the kept rows
    p.write("specs/all.yaml", SPECS);
    appendToDeltaTable(facts, { sql: "SELECT 'c' AS k, 7::BIGINT AS id" }, { db });
    const { plan, report } = await p.converge();
    expect(plan.tables.find((t) => t.name === "ids")?.step.write?.mode).toBe("replaceWhere");
    const a = report.actions.find((x) => x.table === "ids")!;
    expect(a.outcome).toBe("failed");
    expect(a.expectations.find((e) => e.expectation === "unique(id)")?.failing).toBe(2);
  });
});
