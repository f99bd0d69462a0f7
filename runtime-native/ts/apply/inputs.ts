/**
 * A table action's inputs in the engine session: Delta tables as views at their current version,
 * logical views as views over them (recursively), and what the durable state records about
 * them — per Delta table read, the version and the digests of the columns read (taken from the
 * input's own state, valid only when its latest commit is cpgc's). A view this apply computes once
 * (cache.ts) is registered as a view over its cache instead; what is recorded stays the same.
 */

import path from "node:path";

import type { ColumnDigest, DesiredTable } from "../../../compiler/src/plan/model.js";
import { readerDigests } from "../../../compiler/src/plan/digests.js";
import { loadDeltaSnapshot } from "../delta.js";
import { NativeError } from "../errors.js";
import { registerDeltaView } from "../scan.js";
import { quoteIdent, type SqlRunner } from "./sql.js";
import { isCpgcCommit, snapshotState } from "./state.js";

export interface InputRecord {
  readonly version: number;
  readonly digests: Readonly<Record<string, ColumnDigest>>;
}

/** Top-level columns of `table` that `reader` reads (reads ∪ row-deciding); null = unknown (all). */
function columnsRead(reader: DesiredTable, input: string): Set<string> | null {
  const cols = [...(reader.reads[input] ?? []), ...(reader.row_deciding[input] ?? [])].map((c) => c.split(".")[0] ?? c);
  return cols.length === 0 ? null : new Set(cols);
}

/**
 * Registers `table`'s inputs in `db` and returns, per Delta table read (directly or through
 * logical views), its version and the digests of the columns read.
 */
export function registerInputs(
  db: SqlRunner,
  lakeRoot: string,
  table: DesiredTable,
  byName: ReadonlyMap<string, DesiredTable>,
  caches?: { relationFor(name: string): string | null },
): Record<string, InputRecord> {
  const cached = (name: string): boolean => {
    const relation = caches?.relationFor(name) ?? null;
    if (relation !== null) db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(name)} AS SELECT * FROM ${quoteIdent(relation)}`);
    return relation !== null;
  };
  const out: Record<string, InputRecord> = {};
  const views = new Set<string>();
  const visit = (reader: DesiredTable, name: string, trail: readonly string[]): void => {
    if (trail.includes(name)) throw new NativeError("INVALID_ARGUMENT", `input cycle: ${[...trail, name].join(" → ")}`);
    const input = byName.get(name);
    if (input?.role === "view") {
      for (const inner of input.inputs) visit(input, inner, [...trail, name]);
      if (!views.has(name)) {
        if (input.sql === null) throw new NativeError("INVALID_ARGUMENT", `logical view ${name} has no SQL`, { table: name });
        if (!cached(name)) db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(name)} AS ${input.sql}`);
        views.add(name);
      }
      return;
    }
    const tablePath = path.join(path.resolve(lakeRoot), ...name.split("/"));
    const plan = registerDeltaView(db, name, tablePath);
    const snapshot = loadDeltaSnapshot(tablePath, { version: plan.version, files: "none" });
    const state = snapshotState(snapshot);
    const wanted = columnsRead(reader, name);
    const digests: Record<string, ColumnDigest> = { ...(out[name]?.digests ?? {}) };
    if (state?.digests && isCpgcCommit(snapshot.commitInfo)) Object.assign(digests, readerDigests(state.digests, wanted));
    out[name] = { version: plan.version, digests };
    cached(name);
  };
  for (const name of table.inputs) visit(table, name, [table.name]);
  return out;
}
