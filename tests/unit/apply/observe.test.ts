// observeLake: absent / present / unreadable tables, drift since cpgc's last commit, orphans, logical views, sources.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import {
  appendToDeltaTable,
  createDeltaTable,
  duckdbVersion,
  enableDeltaTableFeatures,
  openDatabase,
  setDeltaTableProperties,
} from "../../../runtime-native/index.js";
import { observeDrift, observeLake, protocolFeatures } from "../../../runtime-native/ts/apply/observe.js";
import { encodeTableState, stateDomain } from "../../../runtime-native/ts/apply/state.js";
import { writeLogicalViews } from "../../../runtime-native/ts/apply/views.js";
import { desiredState, ndjson, sourceTable, stateOf, table, tempProject, viewTable, writeFile } from "./helpers.js";

const db = openDatabase({ threads: 1 });
afterAll(() => db.close());

const COLS = [
  { name: "id", type: "int64", nullable: false },
  { name: "name", type: "utf8" },
];
const cpgc = { metadata: { run_id: "r1", plan_id: "p1", cpgc_version: "0.1.0" } };

describe("observeLake", () => {
  it("absent tables, an empty lake, the engine version", () => {
    const { lake } = tempProject();
    const t = table({ name: "things", cols: COLS });
    const observed = observeLake(desiredState(lake, [t, viewTable("v", COLS, "SELECT 1", [], { role: "view" })]), { db });
    expect(observed.tables).toEqual({ things: { name: "things", status: "absent" } });
    expect(observed.orphans).toEqual([]);
    expect(observed.logical_views).toEqual({});
    expect(observed.views_table_version).toBeNull();
    expect(observed.engine_version).toBe(duckdbVersion());
    expect(observed.lake_root).toBe(lake);
  });

  it("a present table: schema with metadata, partitions, properties, features, state, counts", () => {
    const { lake } = tempProject();
    const t = table({ name: "things", cols: COLS });
    const dir = path.join(lake, "things");
    const state = { ...stateOf(t), digests: { id: "2:1", name: "2:2" }, digest_engine: "v1" };
    createDeltaTable(
      dir,
      {
        schema: [
          { name: "id", type: "long", nullable: false, metadata: { comment: "the id" } },
          { name: "name", type: "string" },
          { name: "p", type: "string" },
        ],
        partitionColumns: ["p"],
        configuration: { "delta.checkpointInterval": "5" },
      },
      { commit: { ...cpgc, domainMetadata: [stateDomain(state)] } },
    );
    appendToDeltaTable(dir, { sql: "SELECT 1 AS id, 'a' AS name, 'x' AS p UNION ALL SELECT 2, 'b', 'y'" }, { commit: cpgc });
    const observed = observeLake(desiredState(lake, [t]), { db }).tables["things"];
    expect(observed).toMatchObject({
      name: "things",
      status: "present",
      version: 1,
      schema: [
        { name: "id", type: "long", nullable: false, metadata: { comment: "the id" } },
        { name: "name", type: "string", nullable: true, metadata: {} },
        { name: "p", type: "string", nullable: true, metadata: {} },
      ],
      partition_columns: ["p"],
      properties: { "delta.checkpointInterval": "5" },
      state: JSON.parse(encodeTableState(state)),
      latest_txn: null,
      drift: [],
      num_files: 2,
      num_records: 2,
    });
    if (observed?.status !== "present") throw new Error("not present");
    expect(observed.table_id).toMatch(/^[0-9a-f-]{36}$/);
    // The cpgc domain needs the domainMetadata writer feature (protocol writer version 7).
    expect(observed.protocol.min_writer_version).toBe(7);
    expect(observed.features).toContain("domainMetadata");
  });

  it("legacy protocol versions map to their features", () => {
    expect(protocolFeatures({ minReaderVersion: 1, minWriterVersion: 2 })).toEqual(["appendOnly", "invariants"]);
    expect(protocolFeatures({ minReaderVersion: 2, minWriterVersion: 5 })).toEqual(["appendOnly", "changeDataFeed", "checkConstraints", "columnMapping", "generatedColumns", "invariants"]);
    expect(protocolFeatures({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors", "domainMetadata"] })).toEqual(["deletionVectors", "domainMetadata"]);
  });

  it("drift: the commits after cpgc's newest commit, oldest first; null when the log has none of cpgc's", () => {
    const { lake } = tempProject();
    const dir = path.join(lake, "things");
    createDeltaTable(dir, { schema: [{ name: "id", type: "long" }] }, { commit: cpgc });
    expect(observeDrift(dir)).toEqual([]);
    appendToDeltaTable(dir, { sql: "SELECT 1 AS id" });
    setDeltaTableProperties(dir, { set: { "delta.appendOnly": "false" } });
    const drift = observeDrift(dir);
    expect(drift?.map((d) => [d.version, d.operation])).toEqual([
      [1, "WRITE"],
      [2, "SET TBLPROPERTIES"],
    ]);
    expect(drift?.[0]?.engine).toMatch(/^cpgc\//);
    expect(typeof drift?.[0]?.timestamp).toBe("number");
    // The history is read with a growing limit until cpgc's commit shows up.
    for (let i = 0; i < 20; i++) appendToDeltaTable(dir, { sql: "SELECT 2 AS id" });
    expect(observeDrift(dir, { firstLimit: 2 })).toHaveLength(22);
    const observed = observeLake(desiredState(lake, [table({ name: "things", cols: COLS })]), { db }).tables["things"];
    expect(observed?.status === "present" && observed.drift?.length).toBe(22);

    const foreign = path.join(lake, "foreign");
    createDeltaTable(foreign, { schema: [{ name: "id", type: "long" }] });
    enableDeltaTableFeatures(foreign, ["changeDataFeed"]);
    expect(observeDrift(foreign)).toBeNull();
  });

  it("unreadable tables carry the error code; a _delta_log without commits is absent", () => {
    const { lake } = tempProject();
    mkdirSync(path.join(lake, "garbled", "_delta_log"), { recursive: true });
    writeFileSync(path.join(lake, "garbled", "_delta_log", "00000000000000000000.json"), "{not json\n");
    mkdirSync(path.join(lake, "empty", "_delta_log"), { recursive: true });
    const observed = observeLake(desiredState(lake, [table({ name: "garbled", cols: COLS }), table({ name: "empty", cols: COLS })]), { db });
    expect(observed.tables["garbled"]).toMatchObject({ status: "unreadable", error: { code: "DELTA_LOG_CORRUPT" } });
    expect(observed.tables["empty"]).toEqual({ name: "empty", status: "absent" });
  });

  it("orphans: Delta tables nobody names (nested ones too), cpgc's own and _-prefixed entries skipped", () => {
    const { lake } = tempProject();
    for (const name of ["kept", "old", "nested/deeper", "_cpgc_runs", "_scratch"]) createDeltaTable(path.join(lake, name), { schema: [{ name: "id", type: "long" }] });
    mkdirSync(path.join(lake, "plain_dir"), { recursive: true });
    const observed = observeLake(desiredState(lake, [table({ name: "kept", cols: COLS }), viewTable("old", COLS, "SELECT 1", [], { role: "view" })]), { db });
    expect(observed.orphans.map((o) => [o.name, o.path, o.version])).toEqual([
      ["nested/deeper", path.join(lake, "nested/deeper"), 0],
      ["old", path.join(lake, "old"), 0],
    ]);
    expect(observed.orphans[0]?.table_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logical views and their table's version; sources with digests when the fingerprint is new", () => {
    const { dir, lake } = tempProject();
    writeLogicalViews(db, lake, { register: [{ name: "lv", ast_fingerprint: "a1", policy_hash: "p1", sql: "SELECT 1 AS n", columns: [] }], unregister: [] });
    writeFile(path.join(dir, "data/t.ndjson"), ndjson([{ id: 1, name: "a" }]));
    const src = sourceTable(dir, "things", COLS, "data/t.ndjson");
    const observed = observeLake(desiredState(lake, [src]), { db, digests: true });
    expect(observed.logical_views).toEqual({ lv: { name: "lv", ast_fingerprint: "a1", policy_hash: "p1", sql: "SELECT 1 AS n" } });
    expect(observed.views_table_version).toBe(0);
    expect(observed.views_table_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(observed.sources["things"]).toMatchObject({ files: [{ path: "data/t.ndjson" }], error: null, digest_engine: duckdbVersion() });
    expect(observed.sources["things"]?.digests).toEqual({ id: expect.stringMatching(/^1:\d+$/), name: expect.stringMatching(/^1:\d+$/), "*": expect.stringMatching(/^1:\d+$/) });
    expect(observeLake(desiredState(lake, [src]), { db }).sources["things"]?.digests).toBeNull();
  });
});
