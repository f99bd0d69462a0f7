/**
 * Whether a Delta table has a commit yet. A first commit is written to a temporary file in
 * `_delta_log` (created for it) and then linked into place, so a writer killed in between leaves
 * the log directory without a commit: the table is still absent (the native reader says
 * DELTA_TABLE_NOT_FOUND), and creating it is still to do — a `_delta_log` alone proves nothing.
 */

import { readdirSync } from "node:fs";
import path from "node:path";

/** A commit (`n.json`) or a checkpoint: classic, multi-part or V2 (`n.checkpoint[.o.p|.uuid].parquet|json`). */
const COMMIT_OR_CHECKPOINT = /^\d{20}\.(json|checkpoint(\.[^.]+){0,2}\.(parquet|json))$/;

/** Whether the table at `tablePath` has a commit or a checkpoint in its `_delta_log`. */
export function hasCommit(tablePath: string): boolean {
  try {
    return readdirSync(path.join(tablePath, "_delta_log")).some((f) => COMMIT_OR_CHECKPOINT.test(f));
  } catch {
    return false;
  }
}
