import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  type Column,
  columnPaths,
  formatArrowType,
  parseArrowType,
  parseFieldPath,
  resolvePath,
  typePaths,
} from "../../../compiler/src/types/index.js";

function t(text: string): ArrowType {
  const r = parseArrowType(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.type;
}

const columns: Column[] = [
  { name: "id", type: t("int64"), nullable: false },
  { name: "span", type: t("struct<bstart: int64 not null, bend: int64 not null>"), nullable: false },
  {
    name: "node",
    type: t('struct<kind: utf8 not null, loc: struct<file: utf8, "line no": int32 not null>, tags: map<utf8, utf8>, args: list<struct<x: int8>>>'),
    nullable: true,
  },
];

describe("typePaths", () => {
  it("lists nested field paths under a prefix", () => {
    expect(typePaths(t("struct<bstart: int64, bend: int64>"), "span").map((p) => p.path)).toEqual([
      "span.bstart",
      "span.bend",
    ]);
  });

  it("walks structs depth-first, stopping at lists and maps", () => {
    const paths = typePaths(columns[2]!.type);
    expect(paths.map((p) => [p.path, formatArrowType(p.type), p.nullable])).toEqual([
      ["kind", "utf8", false],
      ["loc", "struct<file: utf8, \"line no\": int32 not null>", true],
      ["loc.file", "utf8", true],
      ['loc."line no"', "int32", true],
      ["tags", "map<utf8, utf8>", true],
      ["args", "list<struct<x: int8>>", true],
    ]);
    expect(paths[3]?.segments).toEqual(["loc", "line no"]);
  });

  it("is empty for non-struct types", () => {
    expect(typePaths(t("list<struct<a: int8>>"))).toEqual([]);
  });

  it("lists columns with their nested paths", () => {
    expect(columnPaths(columns).map((p) => p.path)).toEqual([
      "id",
      "span",
      "span.bstart",
      "span.bend",
      "node",
      "node.kind",
      "node.loc",
      "node.loc.file",
      'node.loc."line no"',
      "node.tags",
      "node.args",
    ]);
  });
});

describe("resolvePath", () => {
  it.each<[string | string[], string, string, boolean]>([
    ["id", "id", "int64", false],
    ["span.bstart", "span.bstart", "int64", false],
    ["node.kind", "node.kind", "utf8", true],
    ['node.loc."line no"', 'node.loc."line no"', "int32", true],
    [["node", "loc", "line no"], 'node.loc."line no"', "int32", true],
    ["SPAN.BStart", "span.bstart", "int64", false],
    [" span . bend ", "span.bend", "int64", false],
    ["node.tags", "node.tags", "map<utf8, utf8>", true],
  ])("%j", (ref, path, type, nullable) => {
    const r = resolvePath(columns, ref);
    expect(r.ok && [r.path, formatArrowType(r.type), r.nullable]).toEqual([path, type, nullable]);
  });

  it.each<[string, string, number, string, string | undefined]>([
    ["span.bstrat", "not-found", 1, "struct 'span' has no field 'bstrat'", "span.bstart"],
    ["spn.bstart", "not-found", 0, "no column 'spn'", "span.bstart"],
    ["nod.kind", "not-found", 0, "no column 'nod'", "node.kind"],
    ["id.value", "not-a-struct", 1, "'id' is not a struct", undefined],
    ["node.tags.key", "not-a-struct", 2, "'node.tags' is not a struct", "node.tags"],
    ["node.args.x", "not-a-struct", 2, "'node.args' is not a struct", "node.args"],
    ["totally_unknown", "not-found", 0, "no column 'totally_unknown'", undefined],
    ["span.", "syntax", 0, "expected a field name", undefined],
    ["span..bend", "syntax", 0, "expected a field name", undefined],
    ["span bend", "syntax", 0, "expected '.' or end of the path", undefined],
  ])("%s fails", (ref, reason, segmentIndex, message, candidate) => {
    const r = resolvePath(columns, ref);
    expect(r).toMatchObject({ ok: false, reason, segmentIndex, message: expect.stringContaining(message) });
    expect(r.ok ? "ok" : r.candidate).toBe(candidate);
  });

  it("prefers an exact match and refuses ambiguous case-insensitive matches", () => {
    const cols: Column[] = [
      { name: "a", type: t("int8"), nullable: true },
      { name: "A", type: t("int16"), nullable: true },
    ];
    expect(resolvePath(cols, "A")).toMatchObject({ ok: true, path: "A" });
    expect(resolvePath([...cols, { name: "b", type: t("int8"), nullable: true }], "B")).toMatchObject({ ok: true, path: "b" });
    const ambiguous: Column[] = [
      { name: "Ab", type: t("int8"), nullable: true },
      { name: "aB", type: t("int8"), nullable: true },
    ];
    expect(resolvePath(ambiguous, "ab")).toMatchObject({ ok: false, reason: "not-found" });
  });

  it("locates syntax errors in the reference", () => {
    expect(parseFieldPath('a."b')).toMatchObject({ ok: false, error: { offset: 2, message: expect.stringContaining("unterminated") } });
    expect(parseFieldPath('a."b.c".d')).toEqual({ ok: true, segments: ["a", "b.c", "d"] });
  });
});
