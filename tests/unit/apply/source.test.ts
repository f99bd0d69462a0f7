// Dataset sources as DuckDB relations cast to the declared schema; fingerprints and digests change only with content.
import { utimesSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { appendToDeltaTable, createDeltaTable, openDatabase } from "../../../runtime-native/index.js";
import { columnDigests, digestRows } from "../../../runtime-native/ts/apply/digest.js";
import { matchFiles } from "../../../runtime-native/ts/apply/files.js";
import { observeSource } from "../../../runtime-native/ts/apply/observe.js";
import { sourceRelationSql, withSourceErrors } from "../../../runtime-native/ts/apply/source.js";
import { expectCode, ndjson, sourceTable, tempProject, writeFile } from "./helpers.js";

const db = openDatabase({ threads: 1 });
afterAll(() => db.close());

const COLS = [
  { name: "file_id", type: "utf8", nullable: false },
  { name: "lines", type: "int32" },
  { name: "span", type: "struct<bstart: int64, bend: int64>" },
  { name: "tags", type: "map<utf8, utf8>" },
  { name: "names", type: "list<utf8>" },
];

const ROWS = [
  { file_id: "a", lines: 10, span: { bstart: 0, bend: 5 }, tags: { lang: "py" }, names: ["x"], extra: true },
  { file_id: "b", lines: null, span: null, tags: {}, names: [] },
  { file_id: "c", lines: 3 },
];

const rows = (sql: string) => db.query(`SELECT * FROM (${sql}) ORDER BY 1`).rows;

describe("source relations", () => {
  it("ndjson: declared columns in order with DuckDB types, extra keys ignored, missing keys null", () => {
    const { dir } = tempProject();
    writeFile(path.join(dir, "data/files.ndjson"), ndjson(ROWS));
    const t = sourceTable(dir, "files", COLS, "data/files.ndjson");
    const sql = sourceRelationSql(db, { name: t.name, columns: t.columns, source: t.source! }, [path.join(dir, "data/files.ndjson")]);
    const { columns } = db.query(`SELECT * FROM (${sql}) LIMIT 0`);
    expect(columns.map((c) => `${c.name} ${c.type}`)).toEqual(["file_id VARCHAR", "lines INTEGER", "span STRUCT(bstart BIGINT, bend BIGINT)", "tags MAP(VARCHAR, VARCHAR)", "names VARCHAR[]"]);
    expect(rows(sql)).toEqual([
      { file_id: "a", lines: 10, span: { bstart: 0, bend: 5 }, tags: [{ key: "lang", value: "py" }], names: ["x"] },
      { file_id: "b", lines: null, span: null, tags: [], names: [] },
      { file_id: "c", lines: 3, span: null, tags: null, names: null },
    ]);
  });

  it("csv by header name (any column order), without a header by position, with options", () => {
    const { dir } = tempProject();
    writeFile(path.join(dir, "a.csv"), "lines;file_id\n7;a\nNA;b\n");
    writeFile(path.join(dir, "b.csv"), "x|1\ny|2\n");
    const cols = [
      { name: "file_id", type: "utf8" },
      { name: "lines", type: "int64" },
    ];
    const a = sourceTable(dir, "a", cols, "a.csv", { options: { delimiter: ";", null_string: "NA" } });
    expect(rows(sourceRelationSql(db, { ...a, source: a.source! }, [path.join(dir, "a.csv")]))).toEqual([
      { file_id: "a", lines: 7 },
      { file_id: "b", lines: null },
    ]);
    const b = sourceTable(dir, "b", cols, "b.csv", { options: { header: false, delimiter: "|" } });
    expect(rows(sourceRelationSql(db, { ...b, source: b.source! }, [path.join(dir, "b.csv")]))).toEqual([
      { file_id: "x", lines: 1 },
      { file_id: "y", lines: 2 },
    ]);
  });

  it("parquet: columns by name, cast to the declared types", () => {
    const { dir } = tempProject();
    const file = path.join(dir, "p.parquet");
    db.query(`COPY (SELECT 2::SMALLINT AS lines, 'a' AS file_id, 1 AS ignored) TO '${file}' (FORMAT parquet)`);
    const t = sourceTable(dir, "p", [{ name: "file_id", type: "utf8" }, { name: "lines", type: "int64" }], "p.parquet");
    const sql = sourceRelationSql(db, { ...t, source: t.source! }, [file]);
    expect(db.query(`SELECT * FROM (${sql})`).columns.map((c) => c.type)).toEqual(["VARCHAR", "BIGINT"]);
    expect(rows(sql)).toEqual([{ file_id: "a", lines: 2 }]);
  });

  it("delta: the table's latest version through a registered view; the fingerprint pins id and version", () => {
    const { dir } = tempProject();
    const table = path.join(dir, "upstream");
    createDeltaTable(table, { schema: [{ name: "lines", type: "integer" }, { name: "file_id", type: "string" }] });
    appendToDeltaTable(table, { sql: "SELECT 5 AS lines, 'a' AS file_id" });
    const t = sourceTable(dir, "copy", [{ name: "file_id", type: "utf8" }, { name: "lines", type: "int64" }], "upstream", { format: "delta" });
    const sql = sourceRelationSql(db, { ...t, source: t.source! }, []);
    expect(db.query(`SELECT * FROM (${sql})`).rows).toEqual([{ file_id: "a", lines: 5 }]);
    const before = observeSource(t, { db, digests: true });
    expect(before).toMatchObject({ files: [], error: null });
    expect(before.digests?.["lines"]).toMatch(/^1:/);
    appendToDeltaTable(table, { sql: "SELECT 6 AS lines, 'b' AS file_id" });
    expect(observeSource(t, { db }).fingerprint).not.toBe(before.fingerprint);
  });

  it("a row that does not fit is SOURCE_SCHEMA_MISMATCH naming dataset, column and file", () => {
    const { dir } = tempProject();
    const good = writeFile(path.join(dir, "data/1.ndjson"), ndjson([{ file_id: "a", lines: 1 }]));
    const bad = writeFile(path.join(dir, "data/2.ndjson"), ndjson([{ file_id: "b", lines: 2 }, { file_id: "c", lines: "many" }]));
    const t = sourceTable(dir, "files", COLS.slice(0, 2), "data/*.ndjson");
    const src = { ...t, source: t.source! };
    const files = matchFiles(t.source!.location);
    expect(files).toEqual([good, bad]);
    const error = expectCode(() => withSourceErrors(db, src, files, () => db.query(sourceRelationSql(db, src, files))), "SOURCE_SCHEMA_MISMATCH");
    expect(error.details).toMatchObject({ dataset: "files", column: "lines", file: bad });
    expect(error.message).toContain("dataset files: column lines (int32)");
    const csvFile = writeFile(path.join(dir, "x.csv"), "file_id,lines\na,1\nb,lots\n");
    const c = sourceTable(dir, "x", COLS.slice(0, 2), "x.csv");
    const csvError = expectCode(() => withSourceErrors(db, { ...c, source: c.source! }, [csvFile], () => db.query(sourceRelationSql(db, { ...c, source: c.source! }, [csvFile]))), "SOURCE_SCHEMA_MISMATCH");
    expect(csvError.details).toMatchObject({ dataset: "x", column: "lines", file: csvFile });
    expect(csvError.message).toContain('"lots"');
  });

  it("globs: *, ?, [..], {a,b}, ** and hidden files", () => {
    const { dir } = tempProject();
    for (const f of ["d/a1.json", "d/a2.json", "d/b.json", "d/.h.json", "d/x/y/a3.json", "d/x/c.txt"]) writeFile(path.join(dir, f), "{}\n");
    const rel = (p: string) => matchFiles(path.join(dir, p)).map((f) => path.relative(dir, f));
    expect(rel("d/*.json")).toEqual(["d/a1.json", "d/a2.json", "d/b.json"]);
    expect(rel("d/a?.json")).toEqual(["d/a1.json", "d/a2.json"]);
    expect(rel("d/[ab]*.json")).toEqual(["d/a1.json", "d/a2.json", "d/b.json"]);
    expect(rel("d/{b,a1}.json")).toEqual(["d/a1.json", "d/b.json"]);
    expect(rel("d/**/a*.json")).toEqual(["d/a1.json", "d/a2.json", "d/x/y/a3.json"]);
    expect(rel("d/missing.json")).toEqual([]);
    expect(rel("d/b.json")).toEqual(["d/b.json"]);
  });
});

describe("source fingerprints and digests", () => {
  it("change only with content: a touch keeps both; reordered rows keep the digests, not the fingerprint", () => {
    const { dir } = tempProject();
    const file = writeFile(path.join(dir, "data/files.ndjson"), ndjson(ROWS));
    const t = sourceTable(dir, "files", COLS, "data/files.ndjson");
    const first = observeSource(t, { db, digests: true });
    expect(first.error).toBeNull();
    expect(first.files).toEqual([{ path: "data/files.ndjson", size: ndjson(ROWS).length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(Object.keys(first.digests ?? {})).toEqual([...COLS.map((c) => c.name), "*"]);
    expect(digestRows(first.digests?.["file_id"] ?? "")).toBe(3);
    expect(first.digest_engine).toMatch(/^v\d/);

    utimesSync(file, new Date(2001, 1, 1), new Date(2001, 1, 1));
    const touched = observeSource(t, { db, digests: true });
    expect(touched.fingerprint).toBe(first.fingerprint);
    expect(touched.digests).toEqual(first.digests);

    writeFile(file, ndjson([...ROWS].reverse()));
    const reordered = observeSource(t, { db, digests: true });
    expect(reordered.fingerprint).not.toBe(first.fingerprint);
    expect(reordered.digests).toEqual(first.digests);

    writeFile(file, ndjson([{ ...ROWS[0], lines: 11 }, ...ROWS.slice(1)]));
    const edited = observeSource(t, { db, digests: true });
    expect(edited.digests?.["lines"]).not.toBe(first.digests?.["lines"]);
    expect(edited.digests?.["file_id"]).toBe(first.digests?.["file_id"]);
  });

  it("digests are skipped when the fingerprint matches the recorded state, or not asked for", () => {
    const { dir } = tempProject();
    writeFile(path.join(dir, "f.ndjson"), ndjson(ROWS));
    const t = sourceTable(dir, "files", COLS, "f.ndjson");
    const fp = observeSource(t, { db }).fingerprint;
    expect(observeSource(t, { db }).digests).toBeNull();
    const state = { source_fingerprint: fp } as never;
    expect(observeSource(t, { db, digests: true, state }).digests).toBeNull();
    // The declared schema is part of the fingerprint.
    const retyped = sourceTable(dir, "files", [{ ...COLS[0]!, type: "large_utf8" }, ...COLS.slice(1)], "f.ndjson");
    expect(observeSource(retyped, { db }).fingerprint).not.toBe(fp);
  });

  it("a pattern that matches nothing is SOURCE_NOT_FOUND; a bad row is the source's error", () => {
    const { dir } = tempProject();
    const t = sourceTable(dir, "files", COLS, "data/*.ndjson");
    expect(observeSource(t, { db, digests: true }).error?.code).toBe("SOURCE_NOT_FOUND");
    writeFile(path.join(dir, "data/x.ndjson"), ndjson([{ file_id: "a", lines: "x" }]));
    expect(observeSource(t, { db, digests: true }).error).toMatchObject({ code: "SOURCE_SCHEMA_MISMATCH" });
  });

  it("column digests: one query, order-independent, duplicates and nulls counted", () => {
    const d = (sql: string) => columnDigests(db, sql);
    const base = d("SELECT * FROM (VALUES (1, 'a'), (2, NULL)) t(x, y)");
    expect(Object.keys(base)).toEqual(["x", "y", "*"]);
    expect(base["x"]).toMatch(/^2:\d+$/);
    expect(d("SELECT * FROM (VALUES (2, NULL), (1, 'a')) t(x, y)")).toEqual(base);
    expect(d("SELECT * FROM (VALUES (1, 'a'), (2, NULL), (2, NULL)) t(x, y)")["x"]).not.toBe(base["x"]);
    expect(d("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(x, y)")["y"]).not.toBe(base["y"]);
    expect(d("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(x, y)")["x"]).toBe(base["x"]);
    expect(d("SELECT 1 AS x WHERE false")).toEqual({ x: "0:0", "*": "0:0" });
  });

  it("the row digest sees values swapped between rows, which no column digest does; keyed column digests do", () => {
    const before = "SELECT * FROM (VALUES (1, 'a', 10), (2, 'b', 20)) t(id, x, y)";
    const swapped = "SELECT * FROM (VALUES (1, 'a', 20), (2, 'b', 10)) t(id, x, y)";
    const plain = [columnDigests(db, before), columnDigests(db, swapped)];
    expect(plain[1]!["y"]).toBe(plain[0]!["y"]);
    expect(plain[1]!["*"]).not.toBe(plain[0]!["*"]);
    const keyed = [columnDigests(db, before, undefined, ["id"]), columnDigests(db, swapped, undefined, ["id"])];
    expect(Object.keys(keyed[0]!)).toEqual(["id", "x", "y", "*", "*key:id"]);
    expect(keyed[1]!["y"]).not.toBe(keyed[0]!["y"]);
    expect(keyed[1]!["x"]).toBe(keyed[0]!["x"]);
    expect(keyed[1]!["*key:id"]).toBe(keyed[0]!["*key:id"]);
    // A key the relation lacks keys nothing.
    expect(Object.keys(columnDigests(db, before, ["x", "y"], ["id"]))).toEqual(["x", "y", "*"]);
  });
});
