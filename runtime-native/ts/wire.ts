/**
 * The msgpack wire format between the addon and TypeScript (msgpackr here, rmp-serde in Rust).
 *
 * Decoding rules (see runtime-native/README.md for the per-type table):
 * - integers are `number` when |v| <= 2^53 and `bigint` beyond (msgpackr `int64AsType: "auto"`);
 * - msgpack maps are plain objects (STRUCT, INTERVAL, ...); MAP is an array of `{ key, value }`;
 * - BLOB is a `Uint8Array` (a Node Buffer).
 */

import { Packr, Unpackr, type Options } from "msgpackr";

import { NativeError } from "./errors.js";

/** A value of a result cell. */
export type SqlValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly SqlValue[]
  | { readonly [field: string]: SqlValue };

/** A result column: its name and its DuckDB type (`INTEGER`, `VARCHAR[]`, `STRUCT(a INTEGER)`, ...). */
export interface WireColumn {
  name: string;
  type: string;
}

/** A query result exactly as the addon encodes it: rows are arrays in column order. */
export interface WireResult {
  columns: WireColumn[];
  rows: SqlValue[][];
}

/** Options of `open`, as the addon decodes them. */
export interface WireOpenOptions {
  threads?: number;
  memoryLimit?: string;
}

// msgpackr's decoder supports int64AsType "auto" (number when it fits 2^53, else bigint), but its
// type declarations only list "bigint" | "number" | "string".
const unpackOptions: Omit<Options, "int64AsType"> & { int64AsType: "auto" } = {
  mapsAsObjects: true,
  useRecords: false,
  int64AsType: "auto",
};
const unpackr = new Unpackr(unpackOptions as unknown as Options);
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

/** Encodes an options object for the addon (bigint → msgpack int64). */
export function encodeMsgpack(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decodes a msgpack buffer from the addon; malformed bytes are INVALID_RESULT. */
export function decodeMsgpack(bytes: Uint8Array, what: string): unknown {
  try {
    return unpackr.unpack(bytes);
  } catch (cause) {
    throw new NativeError("INVALID_RESULT", `the native ${what} is not valid msgpack`, undefined, { cause });
  }
}

export function encodeOpenOptions(options: WireOpenOptions): Uint8Array {
  const wire: Record<string, number | string> = {};
  if (options.threads !== undefined) wire.threads = options.threads;
  if (options.memoryLimit !== undefined) wire.memoryLimit = options.memoryLimit;
  return packr.pack(wire);
}

function isWireResult(value: unknown): value is WireResult {
  if (typeof value !== "object" || value === null) return false;
  const { columns, rows } = value as { columns?: unknown; rows?: unknown };
  return (
    Array.isArray(columns) &&
    columns.every((c: unknown) => typeof c === "object" && c !== null && typeof (c as WireColumn).name === "string" && typeof (c as WireColumn).type === "string") &&
    Array.isArray(rows) &&
    rows.every((r: unknown) => Array.isArray(r) && r.length === columns.length)
  );
}

export function decodeResult(bytes: Uint8Array): WireResult {
  let value: unknown;
  try {
    value = unpackr.unpack(bytes);
  } catch (cause) {
    throw new NativeError("INVALID_RESULT", "the native query result is not valid msgpack", undefined, { cause });
  }
  if (!isWireResult(value)) {
    throw new NativeError("INVALID_RESULT", "the native query result does not have the shape {columns, rows}");
  }
  return value;
}
