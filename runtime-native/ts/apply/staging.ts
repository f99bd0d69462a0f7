/**
 * `<lake>/_cpgc_staging`: where an apply stages what it computes once (extractor chunks,
 * delta_staging caches). Everything there belongs to the apply in progress (it holds the lake
 * lock), is removed when it ends, and what a crashed apply left is removed by the next one.
 */

import { rmdirSync, rmSync } from "node:fs";
import path from "node:path";

export const STAGING_DIR = "_cpgc_staging";

/** The lake's staging directory. */
export function stagingRoot(lakeRoot: string): string {
  return path.join(path.resolve(lakeRoot), STAGING_DIR);
}

/** Removes `dir` and then its parents up to (and including) the lake's staging directory, each only when empty. */
export function pruneStaging(lakeRoot: string, dir: string): void {
  const top = stagingRoot(lakeRoot);
  rmSync(dir, { recursive: true, force: true });
  for (let d = path.dirname(dir); d.startsWith(top); d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty (another staged thing), or gone
    }
    if (d === top) return;
  }
}
