/**
 * The engine session for apply modules that may be called without one: a database of the
 * caller, or a private one opened (and closed) around the call. Also the engine's version,
 * recorded beside digests.
 */

import { duckdbVersion, openDatabase, type Database } from "../../index.js";

/** Runs `fn` with `db`, or with a fresh single-threaded database closed afterwards. */
export function withDatabase<T>(db: Database | undefined, fn: (db: Database) => T): T {
  if (db !== undefined) return fn(db);
  const own = openDatabase({ threads: 1 });
  try {
    return fn(own);
  } finally {
    own.close();
  }
}

let cachedVersion: string | undefined;

/** DuckDB's version (`v1.5.6`): digests are comparable only between equal versions. */
export function engineVersion(): string {
  cachedVersion ??= duckdbVersion();
  return cachedVersion;
}
