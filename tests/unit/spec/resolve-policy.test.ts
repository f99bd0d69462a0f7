import { describe, expect, it } from "vitest";
import { loadProject, type EffectivePolicy } from "../../../compiler/src/spec/index.js";
import { memoryIO } from "../../helpers/memory-io.js";

const ROOT = "/project";

async function effective(config: string, specs: string): Promise<Map<string, EffectivePolicy>> {
  const io = memoryIO({ [`${ROOT}/cpg.config.yaml`]: `version: 1\nproject: p\n${config}`, [`${ROOT}/specs/all.yaml`]: specs });
  const r = await loadProject("cpg.config.yaml", { io, cwd: ROOT });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return new Map([...r.model!.effectivePolicies].map(([k, v]) => [k, v.policy]));
}

const table = (name: string, delta = "") => `kind: Dataset\nname: ${name}\nschema:\n  columns:\n    - { name: id, type: utf8 }\n    - { name: kind, type: utf8 }\n${delta}`;

describe("policy resolution: config defaults < policy (after extends) < inline overrides", () => {
  it("gives a table with no policy anywhere the built-in defaults", async () => {
    const p = (await effective("", table("t"))).get("t")!;
    expect(p).toEqual({
      write: {
        partition_by: [],
        zorder_by: [],
        target_file_size_bytes: 128 * 1024 ** 2,
        stats_policy: "auto",
        stats_columns: [],
        stats_max_columns: 32,
        writer: { compression: "zstd", compression_level: null, row_group_size: 122880, dictionary: [], bloom_filter: [] },
      },
      schema: { mode: "merge", column_mapping: "none" },
      features: [],
      maintenance: { checkpoint_interval: 10, log_retention_seconds: 30 * 86400, vacuum_retention_seconds: 7 * 86400 },
    });
  });

  const cases: [string, string, string, (p: EffectivePolicy) => unknown, unknown][] = [
    [
      "config defaults.delta applies when nothing else sets the key",
      "defaults:\n  delta:\n    write:\n      stats_max_columns: 8\n",
      table("t"),
      (p) => p.write.stats_max_columns,
      8,
    ],
    [
      "a policy wins over config defaults",
      "defaults:\n  delta_policy: base\n  delta:\n    write:\n      stats_max_columns: 8\n",
      `kind: DeltaPolicy\nname: base\nwrite:\n  stats_max_columns: 16\n---\n${table("t")}`,
      (p) => p.write.stats_max_columns,
      16,
    ],
    [
      "inline overrides win over the policy",
      "",
      `kind: DeltaPolicy\nname: base\nwrite:\n  stats_max_columns: 16\n---\n${table("t", "delta:\n  policy: base\n  write:\n    stats_max_columns: 4\n")}`,
      (p) => p.write.stats_max_columns,
      4,
    ],
    [
      "mappings merge key by key across layers",
      "defaults:\n  delta:\n    write:\n      writer:\n        compression: gzip\n",
      `kind: DeltaPolicy\nname: base\nwrite:\n  writer:\n    row_group_size: 1000\n---\n${table("t", "delta:\n  policy: base\n  write:\n    writer:\n      dictionary: [kind]\n")}`,
      (p) => [p.write.writer.compression, p.write.writer.row_group_size, p.write.writer.dictionary],
      ["gzip", 1000, ["kind"]],
    ],
    [
      "an extends chain applies root first: grandparent < parent < child",
      "",
      `kind: DeltaPolicy\nname: a\nwrite:\n  stats_max_columns: 1\n  target_file_size: 1MiB\n  writer:\n    row_group_size: 10\n---\nkind: DeltaPolicy\nname: b\nextends: a\nwrite:\n  stats_max_columns: 2\n  target_file_size: 2MB\n---\nkind: DeltaPolicy\nname: c\nextends: b\nwrite:\n  stats_max_columns: 3\n---\n${table("t", "delta:\n  policy: c\n")}`,
      (p) => [p.write.stats_max_columns, p.write.target_file_size_bytes, p.write.writer.row_group_size],
      [3, 2_000_000, 10],
    ],
    [
      "lists are replaced, not concatenated: features: [] clears inherited features",
      "",
      `kind: DeltaPolicy\nname: a\nfeatures: [changeDataFeed, deletionVectors]\n---\n${table("t", "delta:\n  policy: a\n  features: []\n")}`,
      (p) => p.features,
      [],
    ],
    [
      "features are deduplicated and sorted",
      "",
      table("t", "delta:\n  features: [deletionVectors, changeDataFeed, deletionVectors]\n"),
      (p) => p.features,
      ["changeDataFeed", "deletionVectors"],
    ],
    [
      "defaults.delta_policy applies to tables that name no policy",
      "defaults:\n  delta_policy: base\n",
      `kind: DeltaPolicy\nname: base\nfeatures: [changeDataFeed]\n---\n${table("t")}`,
      (p) => p.features,
      ["changeDataFeed"],
    ],
    [
      "a table's own policy replaces defaults.delta_policy (they are not stacked)",
      "defaults:\n  delta_policy: base\n",
      `kind: DeltaPolicy\nname: base\nfeatures: [changeDataFeed]\n---\nkind: DeltaPolicy\nname: other\nwrite:\n  stats_max_columns: 2\n---\n${table("t", "delta:\n  policy: other\n")}`,
      (p) => [p.features, p.write.stats_max_columns],
      [[], 2],
    ],
    [
      "durations and sizes are normalized",
      "",
      table("t", "delta:\n  write:\n    target_file_size: 256 MB\n  maintenance:\n    log_retention: 2 weeks\n    vacuum_retention: 36 hours\n"),
      (p) => [p.write.target_file_size_bytes, p.maintenance.log_retention_seconds, p.maintenance.vacuum_retention_seconds],
      [256_000_000, 14 * 86400, 36 * 3600],
    ],
    [
      "bloom filters get the default fpp when none is given",
      "",
      table("t", "delta:\n  write:\n    writer:\n      bloom_filter:\n        - { column: id }\n        - { column: kind, fpp: 0.1, ndv: 50 }\n"),
      (p) => p.write.writer.bloom_filter,
      [
        { column: "id", fpp: 0.01, ndv: null },
        { column: "kind", fpp: 0.1, ndv: 50 },
      ],
    ],
    [
      "views resolve like datasets",
      "defaults:\n  delta_policy: base\n",
      "kind: DeltaPolicy\nname: base\nschema:\n  mode: strict\n---\nkind: View\nname: v\nsql: select 1\n",
      (p) => p.schema.mode,
      "strict",
    ],
  ];

  it.each(cases)("%s", async (_name, config, specs, pick, expected) => {
    const policies = await effective(config, specs);
    const p = policies.get("t") ?? policies.get("v")!;
    expect(pick(p)).toEqual(expected);
  });

  it("records which layer decided each setting", async () => {
    const io = memoryIO({
      [`${ROOT}/cpg.config.yaml`]: "version: 1\nproject: p\ndefaults:\n  delta_policy: base\n  delta:\n    write:\n      stats_max_columns: 8\n",
      [`${ROOT}/specs/all.yaml`]: `kind: DeltaPolicy\nname: base\nwrite:\n  zorder_by: [id]\n---\n${table("t", "delta:\n  features: [changeDataFeed]\n")}`,
    });
    const r = await loadProject("cpg.config.yaml", { io, cwd: ROOT });
    const origins = r.model!.effectivePolicies.get("t")!.origins;
    expect(origins.get("write.stats_max_columns")?.label).toBe("config defaults.delta");
    expect(origins.get("write.zorder_by")?.label).toBe("policy 'base'");
    expect(origins.get("features")?.label).toBe("inline delta");
    expect(origins.get("write.writer.compression")?.label).toBe("built-in defaults");
  });
});
