// The native chain end to end: the real addon, the real libduckdb, no mocks.
// Needs the addon built (bash scripts/setup-native.sh).
import { afterEach, describe, expect, it } from "vitest";

import {
  __panicForTest,
  duckdbVersion,
  nativeBinding,
  nativeVersion,
  NativeError,
  openDatabase,
  type Database,
  type NativeErrorCode,
} from "../../runtime-native/index.js";

const open: Database[] = [];
function db(options: Parameters<typeof openDatabase>[0] = { threads: 1 }): Database {
  const database = openDatabase(options);
  open.push(database);
  return database;
}
afterEach(() => {
  for (const database of open.splice(0)) {
    try {
      database.close();
    } catch {
      // already closed by the test
    }
  }
});

function thrown(fn: () => unknown): NativeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    return error as NativeError;
  }
  throw new Error("expected a NativeError, nothing was thrown");
}

function expectCode(fn: () => unknown, code: NativeErrorCode): NativeError {
  const error = thrown(fn);
  expect(error.code, error.message).toBe(code);
  return error;
}

describe("versions", () => {
  it("reports the addon and DuckDB versions", () => {
    expect(nativeVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(duckdbVersion()).toMatch(/^v\d+\.\d+\.\d+/);
  });
});

describe("query", () => {
  it("returns every supported scalar type, and NULLs", () => {
    const sql = `
      SELECT * FROM (VALUES (
        true, -8::TINYINT, -16::SMALLINT, -32::INTEGER, -64::BIGINT,
        8::UTINYINT, 16::USMALLINT, 32::UINTEGER, 64::UBIGINT,
        '-170141183460469231731687303715884105728'::HUGEINT, '340282366920938463463374607431768211455'::UHUGEINT,
        1.5::FLOAT, 2.25::DOUBLE, 'hi', 'a string longer than twelve bytes', '\\x00\\xFF'::BLOB,
        DATE '1970-01-11', TIMESTAMP '1970-01-01 00:00:01', TIMESTAMPTZ '1970-01-01 00:00:02+00',
        '1970-01-01 00:00:03'::TIMESTAMP_S, '1970-01-01 00:00:00.004'::TIMESTAMP_MS,
        '1970-01-01 00:00:00.000000005'::TIMESTAMP_NS, TIME '00:00:06',
        123.45::DECIMAL(10,2), '-12345678901234567890.123'::DECIMAL(38,3), INTERVAL '1 month 2 days 3 microseconds',
        '01234567-89ab-cdef-0123-456789abcdef'::UUID, 'b'::ENUM('a', 'b')
      ), (
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      )) t(bool, i8, i16, i32, i64, u8, u16, u32, u64, hi, uhi, f32, f64, short, long, bin,
           d, ts, tstz, ts_s, ts_ms, ts_ns, tm, dec, dec_wide, iv, uuid, en)`;
    const { columns, rows } = db().query(sql);
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ["bool", "BOOLEAN"],
      ["i8", "TINYINT"],
      ["i16", "SMALLINT"],
      ["i32", "INTEGER"],
      ["i64", "BIGINT"],
      ["u8", "UTINYINT"],
      ["u16", "USMALLINT"],
      ["u32", "UINTEGER"],
      ["u64", "UBIGINT"],
      ["hi", "HUGEINT"],
      ["uhi", "UHUGEINT"],
      ["f32", "FLOAT"],
      ["f64", "DOUBLE"],
      ["short", "VARCHAR"],
      ["long", "VARCHAR"],
      ["bin", "BLOB"],
      ["d", "DATE"],
      ["ts", "TIMESTAMP"],
      ["tstz", "TIMESTAMP WITH TIME ZONE"],
      ["ts_s", "TIMESTAMP_S"],
      ["ts_ms", "TIMESTAMP_MS"],
      ["ts_ns", "TIMESTAMP_NS"],
      ["tm", "TIME"],
      ["dec", "DECIMAL(10,2)"],
      ["dec_wide", "DECIMAL(38,3)"],
      ["iv", "INTERVAL"],
      ["uuid", "UUID"],
      ["en", "ENUM('a', 'b')"],
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      bool: true,
      i8: -8,
      i16: -16,
      i32: -32,
      i64: -64,
      u8: 8,
      u16: 16,
      u32: 32,
      u64: 64,
      hi: "-170141183460469231731687303715884105728",
      uhi: "340282366920938463463374607431768211455",
      f32: 1.5,
      f64: 2.25,
      short: "hi",
      long: "a string longer than twelve bytes",
      bin: Buffer.from([0x00, 0xff]),
      d: 10,
      ts: 1_000_000,
      tstz: 2_000_000,
      ts_s: 3_000_000,
      ts_ms: 4_000,
      ts_ns: 5,
      tm: 6_000_000,
      dec: "123.45",
      dec_wide: "-12345678901234567890.123",
      iv: { months: 1, days: 2, micros: 3 },
      uuid: "01234567-89ab-cdef-0123-456789abcdef",
      en: "b",
    });
    expect(rows[0]?.bin).toBeInstanceOf(Uint8Array);
    expect(Object.values(rows[1] ?? {}).every((v) => v === null)).toBe(true);
    expect(Object.keys(rows[1] ?? {})).toHaveLength(28);
  });

  it("returns nested LIST, STRUCT, MAP and ARRAY values with NULLs inside", () => {
    const { columns, rows } = db().query(`
      SELECT * FROM (VALUES
        ([1, NULL, 3], {'a': 1, 'B c': [{'x': 'deep'}]}, MAP {'k1': 1.5::DOUBLE, 'k2': NULL}, [[1], [], NULL], [1, 2]::INTEGER[2]),
        ([], {'a': NULL, 'B c': NULL}, MAP {}, NULL, NULL),
        (NULL, NULL, NULL, NULL, NULL)
      ) t(l, s, m, ll, arr)`);
    expect(columns.map((c) => c.type)).toEqual([
      "INTEGER[]",
      'STRUCT(a INTEGER, "B c" STRUCT(x VARCHAR)[])',
      "MAP(VARCHAR, DOUBLE)",
      "INTEGER[][]",
      "INTEGER[2]",
    ]);
    expect(rows).toEqual([
      {
        l: [1, null, 3],
        s: { a: 1, "B c": [{ x: "deep" }] },
        m: [
          { key: "k1", value: 1.5 },
          { key: "k2", value: null },
        ],
        ll: [[1], [], null],
        arr: [1, 2],
      },
      { l: [], s: { a: null, "B c": null }, m: [], ll: null, arr: null },
      { l: null, s: null, m: null, ll: null, arr: null },
    ]);
  });

  it("returns TIME WITH TIME ZONE, TIME_NS and aliased types", () => {
    const { columns, rows } = db().query(
      "SELECT TIMETZ '12:00:00+02' AS ttz, '00:00:01'::TIME_NS AS tns, '{\"a\": 1}'::JSON AS j, ['{}'::JSON] AS js",
    );
    expect(columns.map((c) => c.type)).toEqual(["TIME WITH TIME ZONE", "TIME_NS", "JSON", "JSON[]"]);
    expect(rows).toEqual([{ ttz: { micros: 43_200_000_000, offset: 7200 }, tns: 1_000_000_000, j: '{"a": 1}', js: ["{}"] }]);
  });

  it("keeps integers exact: number up to 2^53, bigint beyond", () => {
    const { rows } = db().query(`
      SELECT 9007199254740992::BIGINT AS safe, 9007199254740993::BIGINT AS big, '-9223372036854775808'::BIGINT AS min,
             18446744073709551615::UBIGINT AS umax, 4294967296::BIGINT AS mid`);
    expect(rows[0]).toEqual({
      safe: 9007199254740992,
      big: 9007199254740993n,
      min: -9223372036854775808n,
      umax: 18446744073709551615n,
      mid: 4294967296,
    });
  });

  it("reads results spanning many chunks, and keeps state across statements", () => {
    const database = db();
    database.query("CREATE TABLE t AS SELECT range AS i, 'row ' || range AS s FROM range(10000)");
    const { rows } = database.query("SELECT i, s FROM t ORDER BY i");
    expect(rows).toHaveLength(10000);
    expect(rows[9999]).toEqual({ i: 9999, s: "row 9999" });
    expect(database.query("SELECT count(*) AS n FROM t").rows).toEqual([{ n: 10000 }]);
  });

  it("gives repeated column names distinct row keys", () => {
    const { columns, rows } = db().query("SELECT 1 AS a, 2 AS a, 3 AS a_1");
    expect(columns.map((c) => [c.name, c.key])).toEqual([
      ["a", "a"],
      ["a", "a_1"],
      ["a_1", "a_1_1"],
    ]);
    expect(rows).toEqual([{ a: 1, a_1: 2, a_1_1: 3 }]);
  });

  it("applies open options", () => {
    const { rows } = db({ threads: 3, memoryLimit: "512MB" }).query(
      "SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS mem",
    );
    expect(rows[0]?.threads).toBe(3);
    expect(String(rows[0]?.mem)).toMatch(/MiB|MB/);
  });
});

describe("errors", () => {
  it("surfaces SQL errors with DuckDB's message and error class", () => {
    const error = expectCode(() => db().query("SELEC 1"), "DUCKDB_QUERY_FAILED");
    expect(error.message).toContain('syntax error at or near "SELEC"');
    expect(error.details).toEqual({ errorType: "PARSER" });

    const missing = expectCode(() => db().query("SELECT * FROM no_such_table"), "DUCKDB_QUERY_FAILED");
    expect(missing.message).toContain("no_such_table");
    expect(missing.details?.errorType).toBe("CATALOG");
  });

  it("turns a Rust panic into a PANIC error and node keeps running", () => {
    const error = expectCode(() => __panicForTest("deliberate test panic"), "PANIC");
    expect(error.message).toContain("deliberate test panic");
    expect(error.details?.location).toMatch(/exports\.rs:\d+:\d+/);
    // The process is alive and the addon still works.
    expect(db().query("SELECT 41 + 1 AS answer").rows).toEqual([{ answer: 42 }]);
    expectCode(() => __panicForTest("again"), "PANIC");
  });

  it("reports a bad libduckdb path with a coded error", () => {
    const missing = expectCode(() => openDatabase({ libraryPath: "/nonexistent/libduckdb.so" }), "DUCKDB_LOAD_FAILED");
    expect(missing.details?.path).toBe("/nonexistent/libduckdb.so");
    expect(missing.message).toContain("/nonexistent/libduckdb.so");
    const notALibrary = new URL("../../package.json", import.meta.url).pathname;
    expectCode(() => openDatabase({ libraryPath: notALibrary }), "DUCKDB_LOAD_FAILED");
    expectCode(() => duckdbVersion("/nonexistent/libduckdb.so"), "DUCKDB_LOAD_FAILED");
  });

  it("refuses use after close and a second close", () => {
    const database = openDatabase();
    expect(database.query("SELECT 1 AS one").rows).toEqual([{ one: 1 }]);
    database.close();
    expectCode(() => database.query("SELECT 1"), "DATABASE_CLOSED");
    expectCode(() => database.close(), "DATABASE_CLOSED");
  });

  it("validates options", () => {
    expectCode(() => openDatabase({ threads: 0 }), "INVALID_ARGUMENT");
    expectCode(() => openDatabase({ threads: 1.5 }), "INVALID_ARGUMENT");
    expectCode(() => openDatabase({ memoryLimit: "" }), "INVALID_ARGUMENT");
    const rejected = expectCode(() => openDatabase({ memoryLimit: "lots" }), "INVALID_ARGUMENT");
    expect(rejected.details?.option).toBe("memory_limit");
  });

  it("refuses result types it cannot carry, naming the column", () => {
    const error = expectCode(() => db().query("SELECT '101'::BIT AS bits"), "DUCKDB_UNSUPPORTED_TYPE");
    expect(error.details).toEqual({ column: "bits", type: "BIT" });
    expect(error.message).toContain("CAST");
  });

  it("the raw binding throws coded errors for bad arguments", () => {
    const native = nativeBinding();
    const call = (fn: () => unknown): { code?: unknown; message?: unknown } => {
      try {
        fn();
      } catch (error) {
        return error as { code?: unknown };
      }
      return {};
    };
    expect(call(() => (native.query as (...args: unknown[]) => unknown)()).code).toBe("INVALID_ARGUMENT");
    expect(call(() => (native.query as (...args: unknown[]) => unknown)({}, "SELECT 1")).code).toBe("INVALID_ARGUMENT");
    expect(call(() => (native.open as (...args: unknown[]) => unknown)(42, Buffer.alloc(0))).code).toBe("INVALID_ARGUMENT");
    expect(call(() => (native.close as (...args: unknown[]) => unknown)("not a handle")).code).toBe("INVALID_ARGUMENT");
  });
});
