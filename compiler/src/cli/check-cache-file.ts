import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { functionCatalogHash, type FunctionCatalog } from "../catalog/index.js";
import { MemoryCheckCache, type CheckCacheData } from "../compile/index.js";
import { cpgcVersion } from "./version.js";

/** validate's cache lives with the lake, under the project's .cpg/ (which projects keep out of git). */
export function checkCachePath(cwd: string, configPath: string): string {
  return join(dirname(resolve(cwd, configPath)), ".cpg", "cache", "validate.json");
}

/** Opens the cache file; a missing, unreadable or foreign file is an empty cache, never an error. */
export function openCheckCache(path: string, functions: FunctionCatalog): MemoryCheckCache {
  const salt = `${cpgcVersion()}|${functionCatalogHash(functions)}`;
  let data: CheckCacheData | undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as CheckCacheData;
    if (parsed && typeof parsed.salt === "string" && parsed.entries && typeof parsed.entries === "object") data = parsed;
  } catch {
    data = undefined;
  }
  return new MemoryCheckCache(salt, data);
}

/** Persists the cache when the run changed it; failing to write (read-only tree) only costs speed. */
export function saveCheckCache(path: string, cache: MemoryCheckCache): void {
  if (!cache.dirty) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, JSON.stringify(cache.data()));
    renameSync(`${path}.tmp`, path);
  } catch {
    // the next run validates from scratch
  }
}
