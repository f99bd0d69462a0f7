/**
 * Views computed once per apply (`step.cache`, compiler/src/plan/cache.ts) and shared by the
 * tables of the apply that read them.
 *
 * - A logical view with cache is computed when its first reader registers its inputs (the
 *   view's own inputs are final by then: they come before it in dependency order): memory → a
 *   TEMP TABLE `__cpgc_cache_<name>`; delta_staging → a Delta table `<lake>/_cpgc_staging/<name>`
 *   read through a view (a staging write that fails falls back to memory, with a warning). Readers
 *   see the view's name as a view over it.
 * - A materialized view with cache memory keeps its staged rows after its commit; readers see its
 *   name as a view over them instead of the Delta table (the input version they record is the
 *   version just committed, whose rows these are).
 * - A cache is dropped when its last reader is done; the staging directory when the apply ends.
 */

import { rmSync } from "node:fs";
import path from "node:path";

import type { DesiredTable, Plan } from "../../../compiler/src/plan/model.js";
import { createDeltaTable, type DeltaFieldSpec } from "../delta-write.js";
import { registerDeltaView } from "../scan.js";
import { pruneStaging, STAGING_DIR } from "./staging.js";
import { quoteIdent, type Session } from "./sql.js";
import { STAGE_TABLE } from "./stage.js";

export const cacheTable = (name: string) => `__cpgc_cache_${name.replace(/\//g, "__")}`;

interface Entry {
  readonly mode: "memory" | "delta_staging";
  readonly readers: Set<string>;
  /** The relation readers read (a temp table or a view over the staging table), once computed. */
  relation: string | null;
  /** Materialized views: their committed rows are kept (set after the commit). */
  readonly materialized: boolean;
}

export interface ApplyCaches {
  /** The relation to read `name` from, computing a logical view's cache on first use (null: no cache). */
  relationFor(name: string): string | null;
  /** After a materialized view's commit: keep its stage as the cache (when it has one). */
  keepStage(name: string): boolean;
  /** A reader is done: drops the caches nobody else reads. */
  readerDone(reader: string): void;
  /** Drops every cache and removes the staging directory. */
  close(): void;
}

export function applyCaches(plan: Plan, byName: ReadonlyMap<string, DesiredTable>, options: { db: Session; lakeRoot: string; warn: (table: string, message: string) => void }): ApplyCaches {
  const { db } = options;
  const entries = new Map<string, Entry>();
  for (const tp of plan.tables) {
    const cache = tp.step.cache;
    if (cache === undefined) continue;
    entries.set(tp.name, { mode: cache.mode, readers: new Set(cache.readers), relation: null, materialized: byName.get(tp.name)?.role !== "view" });
  }
  const staging = path.join(path.resolve(options.lakeRoot), STAGING_DIR);
  const stagingTables: string[] = [];

  /** Drops the session object `name` whether it is a table or a view (a DROP of the other kind fails). */
  const dropRelation = (name: string) => {
    for (const kind of ["TABLE", "VIEW"]) {
      try {
        db.query(`DROP ${kind} IF EXISTS ${quoteIdent(name)}`);
      } catch {
        // of the other kind, or the session is going away
      }
    }
  };
  const drop = (name: string, entry: Entry) => {
    dropRelation(cacheTable(name));
    entry.relation = null;
    entries.delete(name);
  };

  const compute = (name: string, entry: Entry, view: DesiredTable): string => {
    const table = cacheTable(name);
    if (entry.mode === "delta_staging") {
      const dir = path.join(staging, ...name.split("/"));
      try {
        rmSync(dir, { recursive: true, force: true });
        dropRelation(table);
        createDeltaTable(dir, { schema: view.delta_schema as unknown as DeltaFieldSpec[], data: { source: { sql: view.sql ?? "" } } }, { db });
        stagingTables.push(dir);
        registerDeltaView(db, table, dir);
        return table;
      } catch (error) {
        options.warn(name, `cache delta_staging failed (${error instanceof Error ? error.message : String(error)}); the view is cached in memory instead`);
      }
    }
    dropRelation(table);
    db.query(`CREATE TEMPORARY TABLE ${quoteIdent(table)} AS ${view.sql ?? ""}`);
    return table;
  };

  return {
    relationFor(name) {
      const entry = entries.get(name);
      if (entry === undefined) return null;
      if (entry.relation !== null) return entry.relation;
      if (entry.materialized) return null; // not committed (yet): readers read the Delta table
      const view = byName.get(name);
      if (view === undefined || view.sql === null) return null;
      entry.relation = compute(name, entry, view);
      return entry.relation;
    },
    keepStage(name) {
      const entry = entries.get(name);
      if (entry === undefined || !entry.materialized || entry.readers.size === 0) return false;
      const table = cacheTable(name);
      try {
        dropRelation(table);
        db.query(`ALTER TABLE ${quoteIdent(STAGE_TABLE)} RENAME TO ${quoteIdent(table)}`);
      } catch (error) {
        // the commit is done: readers read the Delta table instead
        options.warn(name, `its rows were not kept for its readers (${error instanceof Error ? error.message : String(error)}); they read the table`);
        return false;
      }
      entry.relation = table;
      return true;
    },
    readerDone(reader) {
      for (const [name, entry] of [...entries]) {
        if (!entry.readers.delete(reader)) continue;
        if (entry.readers.size === 0) drop(name, entry);
      }
    },
    close() {
      for (const [name, entry] of [...entries]) drop(name, entry);
      for (const dir of stagingTables) pruneStaging(options.lakeRoot, dir);
    },
  };
}
