import { describe, expect, it } from "vitest";
import {
  type ArrowType,
  formatArrowType,
  fromDuckDbType,
  parseArrowType,
  toDuckDbType,
  toDuckDbTypeWithNotes,
} from "../../../compiler/src/types/index.js";
import { ARROW_ONLY_TYPES, DUCKDB_ONLY_TYPES, NOT_NULL_TYPES, PORTABLE_TYPES } from "./type-table.js";

function t(text: string): ArrowType {
  const r = parseArrowType(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.type;
}

describe("toDuckDbType", () => {
  it.each<[string, string]>([
    ["bool", "BOOLEAN"],
    ["int8", "TINYINT"],
    ["int16", "SMALLINT"],
    ["int32", "INTEGER"],
    ["int64", "BIGINT"],
    ["uint8", "UTINYINT"],
    ["uint16", "USMALLINT"],
    ["uint32", "UINTEGER"],
    ["uint64", "UBIGINT"],
    ["float16", "FLOAT"],
    ["float32", "FLOAT"],
    ["float64", "DOUBLE"],
    ["utf8", "VARCHAR"],
    ["large_utf8", "VARCHAR"],
    ["binary", "BLOB"],
    ["large_binary", "BLOB"],
    ["date32", "DATE"],
    ["date64", "DATE"],
    ["time32[s]", "TIME"],
    ["time64[us]", "TIME"],
    ["time64[ns]", "TIME_NS"],
    ["timestamp[s]", "TIMESTAMP_S"],
    ["timestamp[ms]", "TIMESTAMP_MS"],
    ["timestamp[us]", "TIMESTAMP"],
    ["timestamp[ns]", "TIMESTAMP_NS"],
    ["timestamp[us, UTC]", "TIMESTAMPTZ"],
    ["timestamp[ns, Europe/Paris]", "TIMESTAMPTZ"],
    ["decimal(18, 4)", "DECIMAL(18,4)"],
    ["list<int32>", "INTEGER[]"],
    ["list<list<utf8>>", "VARCHAR[][]"],
    ["map<utf8, int32>", "MAP(VARCHAR, INTEGER)"],
    ["struct<a: int32, b: utf8>", 'STRUCT("a" INTEGER, "b" VARCHAR)'],
    ['struct<"say ""hi""": int32>', 'STRUCT("say ""hi""" INTEGER)'],
    ["list<struct<a: int32>>", 'STRUCT("a" INTEGER)[]'],
    ["list<map<utf8, list<int64>>>", "MAP(VARCHAR, BIGINT[])[]"],
    [
      "struct<span: struct<bstart: int64, bend: int64>, tags: map<utf8, list<int32>>>",
      'STRUCT("span" STRUCT("bstart" BIGINT, "bend" BIGINT), "tags" MAP(VARCHAR, INTEGER[]))',
    ],
  ])("%s → %s", (text, sql) => {
    expect(toDuckDbType(t(text))).toBe(sql);
  });

  it.each<[string, string[]]>([
    ["int64", []],
    ["float16", ["widened to FLOAT"]],
    ["large_utf8", ["reads back as utf8"]],
    ["date64", ["reads back as date32"]],
    ["time32[ms]", ["widened to TIME"]],
    ["time64[ns]", []],
    ["timestamp[ns, UTC]", ["timestamp unit ns is converted"]],
    ["timestamp[us, Asia/Tokyo]", ["timezone 'Asia/Tokyo' is not kept"]],
    ["timestamp[us, +00:00]", ["reads back from DuckDB as 'UTC'"]],
    ["list<int64 not null>", ["no nested nullability"]],
    ["struct<a: int64 not null, b: map<utf8, utf8 not null>>", ["no nested nullability", "no nested nullability"]],
  ])("notes for %s", (text, fragments) => {
    const { notes } = toDuckDbTypeWithNotes(t(text));
    expect(notes.length).toBe(fragments.length);
    fragments.forEach((f, i) => expect(notes[i]?.message).toContain(f));
  });
});

describe("fromDuckDbType", () => {
  it.each<[string, string]>([
    ["BOOLEAN", "bool"],
    ["bool", "bool"],
    ["TINYINT", "int8"],
    ["SMALLINT", "int16"],
    ["INTEGER", "int32"],
    ["int", "int32"],
    ["INT4", "int32"],
    ["BIGINT", "int64"],
    ["INT8", "int64"],
    ["UTINYINT", "uint8"],
    ["USMALLINT", "uint16"],
    ["UINTEGER", "uint32"],
    ["UBIGINT", "uint64"],
    ["FLOAT", "float32"],
    ["REAL", "float32"],
    ["DOUBLE", "float64"],
    ["DOUBLE PRECISION", "float64"],
    ["VARCHAR", "utf8"],
    ["VARCHAR(255)", "utf8"],
    ["TEXT", "utf8"],
    ["BLOB", "binary"],
    ["BYTEA", "binary"],
    ["DATE", "date32"],
    ["TIME", "time64[us]"],
    ["TIME_NS", "time64[ns]"],
    ["TIMESTAMP", "timestamp[us]"],
    ["TIMESTAMP WITHOUT TIME ZONE", "timestamp[us]"],
    ["TIMESTAMP WITH TIME ZONE", "timestamp[us, UTC]"],
    ["timestamp with time zone", "timestamp[us, UTC]"],
    ["TIMESTAMPTZ", "timestamp[us, UTC]"],
    ["TIMESTAMP_S", "timestamp[s]"],
    ["TIMESTAMP_MS", "timestamp[ms]"],
    ["TIMESTAMP_NS", "timestamp[ns]"],
    ["DECIMAL(18,3)", "decimal(18, 3)"],
    ["DECIMAL( 10 , 2 )", "decimal(10, 2)"],
    ["NUMERIC(9)", "decimal(9, 0)"],
    ["DECIMAL", "decimal(18, 3)"],
    ["INTEGER[]", "list<int32>"],
    ["VARCHAR[][]", "list<list<utf8>>"],
    ["VARCHAR [ ] [ ]", "list<list<utf8>>"],
    ["MAP(VARCHAR, BIGINT)", "map<utf8, int64>"],
    ["MAP(VARCHAR, BIGINT)[]", "list<map<utf8, int64>>"],
    ["MAP(VARCHAR, MAP(INTEGER, DOUBLE[]))", "map<utf8, map<int32, list<float64>>>"],
    ["STRUCT(a INTEGER, \"b c\" VARCHAR)", 'struct<a: int32, "b c": utf8>'],
    ['STRUCT("a" INTEGER, "say ""hi""" VARCHAR)', 'struct<a: int32, "say ""hi""": utf8>'],
    ["STRUCT(a STRUCT(b INTEGER[], c MAP(VARCHAR, VARCHAR)))[]", "list<struct<a: struct<b: list<int32>, c: map<utf8, utf8>>>>"],
    ["STRUCT(CamelCase INTEGER)", "struct<CamelCase: int32>"],
  ])("%s → %s", (sql, text) => {
    const r = fromDuckDbType(sql);
    expect(r.ok ? formatArrowType(r.type) : r.error.message).toBe(text);
  });

  it.each<[string, number, number, string, string?]>([
    ["HUGEINT", 0, 7, "HUGEINT has no counterpart", "DECIMAL(38,0)"],
    ["UUID", 0, 4, "UUID has no counterpart", "VARCHAR"],
    ["INTERVAL", 0, 8, "INTERVAL has no counterpart"],
    ["STRUCT(a JSON)", 9, 4, "JSON has no counterpart"],
    ["ENUM('a', 'b')", 0, 4, "ENUM has no counterpart"],
    ["TIME WITH TIME ZONE", 0, 19, "TIME WITH TIME ZONE has no counterpart"],
    ["INTEGER[3]", 7, 3, "fixed-size arrays (3) are not supported", "T[]"],
    ["VARCHR", 0, 6, "unknown DuckDB type 'VARCHR'", "did you mean 'VARCHAR'?"],
    ["STRUCT()", 7, 1, "at least one field"],
    ["STRUCT(a INTEGER, A VARCHAR)", 18, 1, "duplicate field name 'A'"],
    ["STRUCT(a INTEGER", 16, 0, "expected ',' or ')'"],
    ["STRUCT(a)", 8, 1, "expected a type"],
    ["MAP(VARCHAR)", 11, 1, "expected ','"],
    ["MAP(INTEGER[], VARCHAR)", 4, 9, "map key must be a primitive"],
    ["DECIMAL(39,2)", 8, 2, "precision must be 1..38"],
    ["DECIMAL(10,11)", 11, 2, "scale must be 0..precision"],
    ["INTEGER NOT NULL", 8, 8, "unexpected 'NOT' after the type"],
    ["INTEGER[", 8, 0, "expected ']'"],
    ["TIMESTAMP WITH ZONE", 15, 4, "expected 'TIME ZONE'"],
    ["", 0, 0, "expected a type"],
  ])("refuses %j", (sql, offset, length, message, hint) => {
    const r = fromDuckDbType(sql);
    expect(r.ok ? undefined : r.error).toMatchObject({ offset, length, message: expect.stringContaining(message) });
    if (hint !== undefined) expect(r.ok ? undefined : r.error.hint).toContain(hint);
  });
});

describe("Arrow string → DuckDB string → Arrow round trip", () => {
  it.each([...PORTABLE_TYPES, ...DUCKDB_ONLY_TYPES])("%s", (text) => {
    const { text: sql, notes } = toDuckDbTypeWithNotes(t(text));
    expect(notes).toEqual([]);
    const back = fromDuckDbType(sql);
    expect(back.ok ? formatArrowType(back.type) : back.error.message).toBe(text);
    expect(back.ok && back.type).toEqual(t(text));
  });

  it.each([...NOT_NULL_TYPES, ...ARROW_ONLY_TYPES])("%s maps to a DuckDB type that reads back (lossy, noted)", (text) => {
    const { text: sql, notes } = toDuckDbTypeWithNotes(t(text));
    expect(notes.length).toBeGreaterThan(0);
    expect(fromDuckDbType(sql).ok).toBe(true);
  });
});
