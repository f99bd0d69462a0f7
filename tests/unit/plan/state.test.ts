// state.ts: the `cpgc` domain metadata — sorted-keys JSON; anything unknown reads as "no state".
import { describe, expect, it } from "vitest";
import type { TableState } from "../../../compiler/src/plan/model.js";
import { encodeTableState, parseTableState } from "../../../compiler/src/plan/state.js";

const STATE: TableState = {
  format: 1,
  spec_hash: "s",
  writer_hash: "w",
  ast_fingerprint: null,
  policy_hash: null,
  sql: null,
  columns: [{ name: "a", type: "int64", nullable: true }],
  properties: { "delta.checkpointInterval": "10" },
  inputs: { t: { version: 3, digests: { x: "10:ab" } } },
  source_fingerprint: "fp",
  digests: { a: "10:cd" },
  digest_engine: "duckdb 1.5",
  rows_version: 4,
};

describe("table state", () => {
  it("round-trips, with keys sorted at every depth", () => {
    const text = encodeTableState({ ...STATE, properties: { z: "1", a: "2" } });
    expect(parseTableState(text)).toEqual({ ...STATE, properties: { a: "2", z: "1" } });
    expect(text.indexOf('"ast_fingerprint"')).toBeLessThan(text.indexOf('"columns"'));
    expect(text.indexOf('"a":"2"')).toBeLessThan(text.indexOf('"z":"1"'));
    expect(encodeTableState(STATE)).toBe(encodeTableState(JSON.parse(encodeTableState(STATE)) as TableState));
  });

  it.each<[string, string]>([
    ["not JSON", "{nope"],
    ["not an object", "[1, 2]"],
    ["null", "null"],
    ["another format", encodeTableState({ ...STATE, format: 2 as 1 })],
    ["no spec hash", JSON.stringify({ ...STATE, spec_hash: undefined })],
    ["columns not a list", JSON.stringify({ ...STATE, columns: {} })],
    ["inputs missing", JSON.stringify({ ...STATE, inputs: undefined })],
    ["digests of the wrong type", JSON.stringify({ ...STATE, digests: "x" })],
  ])("%s → null", (_title, text) => {
    expect(parseTableState(text)).toBeNull();
  });
});
