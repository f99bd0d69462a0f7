// diff: table properties, features and writer settings of an existing table.
import { describe, expect, it } from "vitest";
import type { ObservedState } from "../../../compiler/src/plan/model.js";
import { applied, dataset, desired, plan, tableOf, withTable, type PolicyChange, type Present } from "./fixtures.js";

const managed = (p: PolicyChange = {}) => dataset("m", ["a int64", "b utf8"], { source: null, policy: p });

interface Case {
  readonly title: string;
  readonly before: PolicyChange;
  readonly after: PolicyChange;
  /** Edits the lake after the first apply (another writer, an older table). */
  readonly lake?: (t: Present) => Present;
  readonly op: string;
  readonly class: string;
  readonly set?: Record<string, string>;
  readonly unset?: readonly string[];
  readonly features?: readonly string[];
  readonly attributes?: readonly string[];
  readonly warnings?: number;
}

const CASES: readonly Case[] = [
  { title: "same policy → noop", before: {}, after: {}, op: "noop", class: "cosmetic" },
  {
    title: "checkpoint interval changed → metadata-only set",
    before: {},
    after: { maintenance: { checkpoint_interval: 20 } },
    op: "update",
    class: "metadata-only",
    set: { "delta.checkpointInterval": "20" },
    attributes: ["delta.checkpointInterval: 10 → 20"],
  },
  {
    title: "the lake spells a value another way → noop (no perpetual diff)",
    before: {},
    after: {},
    lake: (t) => ({ ...t, properties: { ...t.properties, "delta.logRetentionDuration": "720 hours", "delta.deletedFileRetentionDuration": "interval 1 week", "delta.checkpointInterval": "010" } }),
    op: "noop",
    class: "cosmetic",
  },
  {
    title: "a property another writer set is left alone",
    before: {},
    after: {},
    lake: (t) => ({ ...t, properties: { ...t.properties, "delta.targetFileSize": "1mb", "owner": "team" } }),
    op: "noop",
    class: "cosmetic",
  },
  {
    title: "another writer changed a property cpgc manages → set back",
    before: {},
    after: {},
    lake: (t) => ({ ...t, properties: { ...t.properties, "delta.checkpointInterval": "3" } }),
    op: "update",
    class: "metadata-only",
    set: { "delta.checkpointInterval": "10" },
  },
  {
    title: "stats columns change → new-files-only",
    before: {},
    after: { write: { stats_columns: ["a"] } },
    op: "update",
    class: "new-files-only",
    set: { "delta.dataSkippingStatsColumns": "a" },
    unset: ["delta.dataSkippingNumIndexedCols"],
    attributes: ["delta.dataSkippingNumIndexedCols: 32 → null", "delta.dataSkippingStatsColumns: null → a"],
  },
  {
    title: "change data feed turned on → forward-only, its feature an irreversible upgrade",
    before: {},
    after: { features: ["changeDataFeed"] },
    op: "update",
    class: "irreversible",
    set: { "delta.enableChangeDataFeed": "true" },
    features: ["changeDataFeed"],
  },
  {
    title: "change data feed dropped from the policy → unset (forward-only); the feature stays, with a warning",
    before: { features: ["changeDataFeed"] },
    after: {},
    op: "update",
    class: "forward-only",
    unset: ["delta.enableChangeDataFeed"],
    warnings: 1,
  },
  {
    title: "a feature the table has and the spec does not ask for → warning only",
    before: {},
    after: {},
    lake: (t) => ({ ...t, features: [...t.features, "deletionVectors"] }),
    op: "noop",
    class: "cosmetic",
    warnings: 1,
  },
  {
    title: "legacy protocol: features its versions imply are not upgrades; domainMetadata is",
    before: {},
    after: { features: ["changeDataFeed"] },
    lake: (t) => ({ ...t, features: ["appendOnly", "changeDataFeed", "generatedColumns", "invariants", "checkConstraints"], protocol: { min_reader_version: 1, min_writer_version: 4 } }),
    op: "update",
    class: "irreversible",
    set: { "delta.enableChangeDataFeed": "true" },
    features: ["domainMetadata"],
  },
  {
    title: "column mapping dropped from the spec → stays on, a warning, no unset",
    before: { features: ["columnMapping"], schema: { column_mapping: "name" } },
    after: { features: ["columnMapping"] },
    op: "noop",
    class: "cosmetic",
    warnings: 1,
  },
  {
    title: "writer settings changed → new-files-only, old → new",
    before: {},
    after: { writer: { compression: "snappy", row_group_size: 1000 } },
    op: "update",
    class: "new-files-only",
    attributes: ["writer.compression: zstd → snappy", "writer.row_group_size: 122880 → 1000"],
  },
];

describe("properties, features, writer", () => {
  it.each(CASES.map((c) => [c.title, c] as const))("%s", (_title, c) => {
    let lake: ObservedState = applied(desired(managed(c.before)));
    if (c.lake) lake = withTable(lake, "m", c.lake);
    const p = plan(desired(managed(c.after)), lake);
    const t = tableOf(p, "m");
    expect(p.errors).toEqual([]);
    expect(t.op).toBe(c.op);
    expect(t.class).toBe(c.class);
    expect(t.step.alter?.set_properties ?? {}).toEqual(c.set ?? {});
    expect(t.step.alter?.unset_properties ?? []).toEqual(c.unset ?? []);
    expect(t.step.alter?.features ?? []).toEqual(c.features ?? []);
    expect(t.step.write).toBeUndefined();
    if (c.attributes) expect(t.changes.flatMap((x) => x.attributes ?? []).map((a) => `${a.name}: ${a.before} → ${a.after}`)).toEqual(c.attributes);
    expect(p.warnings).toHaveLength(c.warnings ?? 0);
  });

  it("a metadata-only update records the new state and keeps the digests", () => {
    const lake = applied(desired(managed()));
    const p = plan(desired(managed({ maintenance: { checkpoint_interval: 5 } })), lake);
    const t = tableOf(p, "m");
    expect(t.state?.properties["delta.checkpointInterval"]).toBe("5");
    expect(t.state?.digests).toEqual(lake.tables["m"]?.status === "present" ? lake.tables["m"].state?.digests : undefined);
    expect(t.unchanged_attributes).toBeGreaterThan(0);
  });
});
