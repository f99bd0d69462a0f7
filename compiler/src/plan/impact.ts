/**
 * Column-level impact: which columns of a table an action may change ("dirty"), and how that
 * flows to readers through the column lineage recorded in the desired state.
 *
 * A table's dirt is a set of columns plus `rows`: whether the set of rows itself may differ
 * (rows added or removed). Rows-dirt implies every column is dirty. For a reader of table T:
 * - it is hit when it reads a dirty column of T (`reads[T]`), or T's rows changed (it reads T
 *   at all — `select count(*) from T` reads no column);
 * - a hit on a row-deciding column (`row_deciding[T]`: join keys, filters, grouping…) or a
 *   rows-change of T makes every output column dirty and the reader's rows dirty too;
 * - otherwise exactly the output columns whose lineage names a dirty `T.column` are dirty.
 * A reader that is not hit is not rematerialized. Logical views pass dirt through the same way.
 *
 * What digests can prove later bounds what a plan may leave alone (compiler/src/plan/digests.ts):
 * a table without a unique key localizes a change to columns only for readers of at most one of
 * its columns — a reader of several is hit by any change (values may have moved between rows) —
 * and a change to a key column of a keyed table is a change of its rows.
 */
import type { DesiredTable } from "./model.js";

export interface Dirt {
  readonly columns: ReadonlySet<string>;
  readonly rows: boolean;
}

export const CLEAN: Dirt = { columns: new Set(), rows: false };

/** Every column dirty, rows too (a new, reloaded or restored table). */
export function allDirty(table: Pick<DesiredTable, "columns">): Dirt {
  return { columns: new Set(table.columns.map((c) => c.name)), rows: true };
}

export function isClean(d: Dirt): boolean {
  return !d.rows && d.columns.size === 0;
}

export function mergeDirt(a: Dirt, b: Dirt): Dirt {
  if (isClean(a)) return b;
  if (isClean(b)) return a;
  return { columns: new Set([...a.columns, ...b.columns]), rows: a.rows || b.rows };
}

/** Input columns that made a reader dirty; `["*"]` when only the input's row set changed. */
export interface Hit {
  readonly table: string;
  readonly columns: readonly string[];
}

export interface Impact {
  readonly dirt: Dirt;
  readonly hits: readonly Hit[];
}

/**
 * What the inputs' dirt does to `table` (a view): the inputs it hits and its own dirty columns.
 * `keyOf(name)` is an input's unique key (empty: none), see the header.
 */
export function propagate(table: DesiredTable, inputs: (name: string) => Dirt | undefined, keyOf: (name: string) => readonly string[]): Impact {
  const hits: Hit[] = [];
  const dirtySources = new Set<string>();
  let rows = false;
  for (const t of table.inputs) {
    const d = inputs(t);
    if (d === undefined || isClean(d)) continue;
    const readAll = new Set((table.reads[t] ?? []).map((c) => c.split(".")[0] ?? c));
    const key = keyOf(t);
    const moved = d.rows || (key.length === 0 ? readAll.size > 1 : key.some((k) => d.columns.has(k)));
    const read = (table.reads[t] ?? []).filter((c) => d.columns.has(c));
    if (read.length === 0 && !moved) continue;
    hits.push({ table: t, columns: read.length > 0 ? read : ["*"] });
    for (const c of read) dirtySources.add(`${t}.${c}`);
    if (moved || (table.row_deciding[t] ?? []).some((c) => d.columns.has(c))) rows = true;
  }
  if (rows) return { dirt: allDirty(table), hits };
  const columns = new Set(table.columns.map((c) => c.name).filter((c) => (table.lineage[c] ?? []).some((s) => dirtySources.has(s))));
  return { dirt: { columns, rows: false }, hits };
}

/**
 * The Delta tables a table reads, directly or through logical views, with the columns read from
 * each (top-level). Through a logical view, its own reads count: the runtime records the inputs'
 * versions and digests the same way (runtime-native/ts/apply/inputs.ts), so the catch-up check
 * compares like with like.
 */
export function deltaReads(table: DesiredTable, byName: (name: string) => DesiredTable | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (reader: DesiredTable, trail: readonly string[]) => {
    for (const t of reader.inputs) {
      if (trail.includes(t)) continue;
      const input = byName(t);
      if (input?.role === "view") {
        visit(input, [...trail, t]);
        continue;
      }
      let cols = out.get(t);
      if (!cols) out.set(t, (cols = new Set()));
      for (const c of reader.reads[t] ?? []) cols.add(c);
    }
  };
  visit(table, [table.name]);
  return out;
}

/** The ancestors of `names` (every table they read, transitively), names included. */
export function withAncestors(names: Iterable<string>, byName: (name: string) => DesiredTable | undefined): Set<string> {
  const out = new Set<string>();
  const stack = [...names];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (out.has(n)) continue;
    out.add(n);
    for (const i of byName(n)?.inputs ?? []) stack.push(i);
  }
  return out;
}
