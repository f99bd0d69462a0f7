// applyPlan: the pin check and the commit are one atomic step. A writer that commits after the
// apply checked the pin (here: from the apply's own cleanup event, between the check and the
// commit) makes the commit fail as a stale plan — never a commit on top of the other writer's.
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { TXN_APP_PREFIX } from "../../../compiler/src/plan/model.js";
import { appendToDeltaTable, loadDeltaSnapshot, openDatabase } from "../../../runtime-native/index.js";
import { applyPlan, type ApplyEvent } from "../../../runtime-native/ts/apply/execute.js";
import { desiredState, ndjson, plan, sourceTable, tempProject, writeFile, writePlan } from "./helpers.js";

const db = openDatabase({ threads: 1 });
afterAll(() => db.close());

describe("applyPlan with a writer racing the commit", () => {
  it("fails the action as a stale plan (moved from vN to vM) and commits nothing", async () => {
    const { dir, lake } = tempProject();
    writeFile(path.join(dir, "data/t.ndjson"), ndjson([{ id: 1 }, { id: 2 }]));
    const t = sourceTable(dir, "things", [{ name: "id", type: "int64" }], "data/t.ndjson");
    const desired = desiredState(lake, [t]);
    expect((await applyPlan(plan(desired, [writePlan(t)]), desired, { db, configDir: dir })).status).toBe("success");
    const table = path.join(lake, "things");
    const pinned = loadDeltaSnapshot(table, { files: "none" });
    const pin = { status: "present" as const, table_id: pinned.metadata.id, version: pinned.version };

    // A stray data file makes the apply emit a cleanup event after its pin check; the "other
    // writer" commits right then.
    writeFileSync(path.join(table, "part-stray.parquet"), "not parquet");
    const events: ApplyEvent["type"][] = [];
    const onEvent = (event: ApplyEvent): void => {
      events.push(event.type);
      if (event.type === "cleanup") appendToDeltaTable(table, { sql: "SELECT 9::BIGINT AS id" });
    };
    const report = await applyPlan(plan(desired, [writePlan(t, { op: "update", pin })]), desired, { db, configDir: dir, cleanupMinAgeMs: 0, onEvent, record: false });
    expect(events).toContain("cleanup");
    expect(report.status).toBe("failed");
    expect(report.actions.map((a) => [a.table, a.outcome, a.error?.code])).toEqual([["things", "failed", "PLAN_STALE"]]);
    expect(report.actions[0]?.error?.message).toBe("stale plan: things moved from v0 to v1 while it was being applied; nothing was committed, make a new plan");

    const after = loadDeltaSnapshot(table);
    expect(after.version).toBe(1);
    expect(after.appTransactions.map((x) => x.appId)).not.toContain(`${TXN_APP_PREFIX}${report.plan_id}`);
    // Only the files the two commits reference.
    const onDisk = readdirSync(table).filter((f) => f.endsWith(".parquet")).sort();
    expect(onDisk).toEqual(after.files.map((f) => f.path).sort());
  });
});
