/** Shared tables of canonical type strings for the round-trip tests. */

/** Types every converter represents exactly (all nested positions nullable). */
export const PORTABLE_TYPES: readonly string[] = [
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "float32",
  "float64",
  "utf8",
  "binary",
  "date32",
  "timestamp[us]",
  "timestamp[us, UTC]",
  "decimal(1, 0)",
  "decimal(18, 4)",
  "decimal(38, 38)",
  "list<utf8>",
  "list<list<int32>>",
  "list<list<list<list<list<list<list<list<timestamp[us, UTC]>>>>>>>>",
  "map<utf8, utf8>",
  "map<utf8, int64>",
  "map<int32, list<utf8>>",
  "map<date32, map<utf8, decimal(10, 2)>>",
  "map<timestamp[us], struct<x: int32>>",
  "struct<a: int64>",
  "struct<bstart: int64, bend: int64, line: int32, col: int32>",
  "struct<span: struct<bstart: int64, bend: int64>, tags: map<utf8, list<int32>>>",
  'struct<"weird name": int64, "say ""hi""": utf8, "dotted.name": bool>',
  "struct<CamelCase: utf8, snake_case: utf8>",
  "list<struct<name: utf8, args: list<struct<pos: int32, value: binary>>>>",
  "struct<a: struct<b: struct<c: struct<d: struct<e: list<list<map<utf8, struct<f: int64>>>>>>>>>",
  "map<utf8, map<utf8, map<utf8, map<utf8, list<struct<x: decimal(38, 10), y: timestamp[us, UTC]>>>>>>",
  "struct<node: struct<id: int64, kind: utf8, span: struct<file: utf8, bstart: int64, bend: int64>>, props: map<utf8, struct<s: utf8, i: int64, f: float64, b: bool, l: list<utf8>>>>",
];

/** Types with non-null nested positions (exact in Delta and Arrow, not in DuckDB). */
export const NOT_NULL_TYPES: readonly string[] = [
  "list<int64 not null>",
  "list<list<int32 not null> not null>",
  "map<utf8, utf8 not null>",
  "struct<a: int64 not null>",
  "struct<span: struct<bstart: int64 not null, bend: int64 not null> not null, kind: utf8 not null>",
  "list<struct<a: map<utf8, list<int8 not null> not null> not null> not null>",
];

/** Exact in DuckDB (and Arrow) but not in Delta. */
export const DUCKDB_ONLY_TYPES: readonly string[] = [
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "time64[us]",
  "time64[ns]",
  "timestamp[s]",
  "timestamp[ms]",
  "timestamp[ns]",
  "list<uint64>",
  "map<uint32, time64[us]>",
  "struct<t: timestamp[ns], u: list<uint16>>",
];

/** Exact only in Arrow. */
export const ARROW_ONLY_TYPES: readonly string[] = [
  "float16",
  "large_utf8",
  "large_binary",
  "date64",
  "time32[s]",
  "time32[ms]",
  "timestamp[ns, Europe/Paris]",
  "timestamp[ms, +05:30]",
  'timestamp[s, "Mars Standard"]',
  "map<large_utf8, large_binary not null>",
];
