// properties.ts: the policy → properties mapping and the one canonical spelling both sides share.
import { describe, expect, it } from "vitest";
import { canonicalPropertyValue, formatInterval, parseInterval, policyProperties } from "../../../compiler/src/plan/properties.js";
import { policy, type PolicyChange } from "./fixtures.js";

describe("canonicalPropertyValue", () => {
  it.each<[string, string, string]>([
    ["delta.logRetentionDuration", "interval 30 days", "interval 30 days"],
    ["delta.logRetentionDuration", "30 days", "interval 30 days"],
    ["delta.logRetentionDuration", "INTERVAL 720 HOURS", "interval 30 days"],
    ["delta.logRetentionDuration", "interval 1 day 12 hours", "interval 36 hours"],
    ["delta.deletedFileRetentionDuration", "interval 1 week", "interval 7 days"],
    ["delta.deletedFileRetentionDuration", "interval 90 minutes", "interval 90 minutes"],
    ["delta.deletedFileRetentionDuration", "interval 1 day", "interval 1 day"],
    ["delta.deletedFileRetentionDuration", "soon", "soon"],
    ["delta.checkpointInterval", " 010 ", "10"],
    ["delta.checkpointInterval", "ten", "ten"],
    ["delta.dataSkippingNumIndexedCols", "-1", "-1"],
    ["delta.enableChangeDataFeed", "TRUE", "true"],
    ["delta.appendOnly", "False", "false"],
    ["delta.columnMapping.mode", "Name", "name"],
    ["delta.dataSkippingStatsColumns", " a, `b` ,c.d ,", "a,b,c.d"],
    ["delta.foreignKey", "  Kept As Is ", "Kept As Is"],
  ])("%s = %j → %j", (key, value, expected) => {
    expect(canonicalPropertyValue(key, value)).toBe(expected);
  });

  it("is idempotent on its own output", () => {
    for (const [k, v] of [["delta.logRetentionDuration", "2 weeks"], ["delta.dataSkippingStatsColumns", "`x`, y"], ["delta.checkpointInterval", "+7"]] as const) {
      const once = canonicalPropertyValue(k, v);
      expect(canonicalPropertyValue(k, once)).toBe(once);
    }
  });
});

describe("intervals", () => {
  it.each<[string, number | null]>([
    ["interval 30 days", 2_592_000],
    ["7 days", 604_800],
    ["2 weeks", 1_209_600],
    ["interval 1 second", 1],
    ["interval 1500 milliseconds", 2],
    ["interval", null],
    ["30 fortnights", null],
    ["", null],
  ])("parseInterval(%j) = %j", (text, seconds) => {
    expect(parseInterval(text)).toBe(seconds);
  });
  it.each<[number, string]>([
    [2_592_000, "interval 30 days"],
    [86_400, "interval 1 day"],
    [7_200, "interval 2 hours"],
    [90, "interval 90 seconds"],
    [120, "interval 2 minutes"],
  ])("formatInterval(%d) = %j", (seconds, text) => {
    expect(formatInterval(seconds)).toBe(text);
  });
});

describe("policyProperties", () => {
  const base = { "delta.checkpointInterval": "10", "delta.deletedFileRetentionDuration": "interval 7 days", "delta.logRetentionDuration": "interval 30 days" };
  it.each<[string, PolicyChange, string[], Record<string, string>]>([
    ["defaults: Delta's first-32-columns rule", {}, [], { ...base, "delta.dataSkippingNumIndexedCols": "32" }],
    ["a stats decision names columns", {}, ["a", "b"], { ...base, "delta.dataSkippingStatsColumns": "a,b" }],
    ["stats off", { write: { stats_policy: "off" } }, [], { ...base, "delta.dataSkippingNumIndexedCols": "0" }],
    ["explicit without columns: none", { write: { stats_policy: "explicit" } }, [], { ...base, "delta.dataSkippingNumIndexedCols": "0" }],
    ["auto with stats_columns none of which qualify: none", { write: { stats_columns: ["blob"] } }, [], { ...base, "delta.dataSkippingNumIndexedCols": "0" }],
    ["stats_max_columns -1: all", { write: { stats_max_columns: -1 } }, [], { ...base, "delta.dataSkippingNumIndexedCols": "-1" }],
    [
      "maintenance in canonical intervals",
      { maintenance: { checkpoint_interval: 50, log_retention_seconds: 3_600, vacuum_retention_seconds: 1_209_600 } },
      [],
      { "delta.checkpointInterval": "50", "delta.dataSkippingNumIndexedCols": "32", "delta.deletedFileRetentionDuration": "interval 14 days", "delta.logRetentionDuration": "interval 1 hour" },
    ],
    [
      "features turn their property on; column mapping name",
      { features: ["changeDataFeed", "appendOnly", "columnMapping", "typeWidening"], schema: { column_mapping: "name" } },
      [],
      {
        ...base,
        "delta.appendOnly": "true",
        "delta.columnMapping.mode": "name",
        "delta.dataSkippingNumIndexedCols": "32",
        "delta.enableChangeDataFeed": "true",
        "delta.enableTypeWidening": "true",
      },
    ],
  ])("%s", (_title, change, stats, expected) => {
    const props = policyProperties(policy(change), stats);
    expect(props).toEqual(expected);
    expect(Object.keys(props)).toEqual(Object.keys(props).sort());
    for (const [k, v] of Object.entries(props)) expect(canonicalPropertyValue(k, v)).toBe(v);
  });
});
