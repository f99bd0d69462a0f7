/**
 * Views with `cache: memory | delta_staging` (issue 6): within one apply, a view that tables of the
 * apply read is computed once and its readers share the result, instead of each reader computing
 * it again through its SQL.
 *
 * - Logical views (materialize: view) with readers in the apply: `step.cache` tells apply to compute
 *   the view once — memory: into an engine TEMP TABLE; delta_staging: into a Delta table under
 *   `<lake>/_cpgc_staging/` — and to point readers at it (removed after the apply). Without cache
 *   they stay engine VIEWs, recomputed by each reader.
 * - Materialized views rewritten in full by the apply, with readers in it, and `cache: memory`:
 *   the staged rows are kept in the engine for the readers instead of being read back from the
 *   lake. A staging table is not needed for them (readers read the table just written), nor does a
 *   view refreshed incrementally (its stage holds the changed keys only) keep its rows.
 * Readers count directly and through logical views. Pure: it annotates the planned tables.
 */
import type { DesiredTable, TablePlan } from "./model.js";

const acts = (t: TablePlan) => t.op !== "noop" && t.op !== "orphan";

/** Tables of the plan that read views through SQL: materialized views being written. */
const readsViews = (t: TablePlan) => acts(t) && t.step.write?.from.kind === "sql";

/** Per cached view, the acting tables that read it (directly or through logical views), in plan order. */
export function cacheReaders(tables: readonly TablePlan[], byName: (name: string) => DesiredTable | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const reader of tables) {
    if (!readsViews(reader)) continue;
    const desired = byName(reader.name);
    if (desired === undefined) continue;
    const seen = new Set<string>();
    const visit = (t: DesiredTable) => {
      for (const name of t.inputs) {
        if (seen.has(name)) continue;
        seen.add(name);
        const input = byName(name);
        if (input === undefined) continue;
        if (input.cache !== undefined) out.set(name, [...(out.get(name) ?? []), reader.name]);
        if (input.role === "view") visit(input);
      }
    };
    visit(desired);
  }
  return out;
}

const list = (names: readonly string[]) => names.join(", ");

/** The plan's tables with `step.cache` and the notes that show each cache. */
export function planCaches(tables: readonly TablePlan[], byName: (name: string) => DesiredTable | undefined): TablePlan[] {
  const readers = cacheReaders(tables, byName);
  const readerNotes = new Map<string, string[]>();
  const out = tables.map((tp) => {
    const t = byName(tp.name);
    const who = readers.get(tp.name);
    if (t?.cache === undefined || who === undefined || who.length === 0) return tp;
    const mode = t.cache;
    if (t.role === "view") {
      const note = mode === "memory" ? `cache: memory — computed once for ${list(who)}` : `cache: delta_staging — computed once into _cpgc_staging/${tp.name} for ${list(who)}`;
      if (!acts(tp)) for (const r of who) readerNotes.set(r, [...(readerNotes.get(r) ?? []), `reads ${tp.name} from this apply's cache (${mode}: computed once for ${list(who)})`]);
      return { ...tp, step: { ...tp.step, cache: { mode, readers: who } }, notes: [...tp.notes, note] };
    }
    if (!acts(tp)) return tp;
    if (tp.step.write?.mode !== "overwrite") {
      return { ...tp, notes: [...tp.notes, `cache: ${mode} — not used: the view is refreshed incrementally, so ${list(who)} read the table as committed`] };
    }
    if (mode === "delta_staging") {
      return { ...tp, notes: [...tp.notes, `cache: delta_staging — not needed: ${list(who)} read the Delta table this apply writes`] };
    }
    return { ...tp, step: { ...tp.step, cache: { mode, readers: who } }, notes: [...tp.notes, `cache: memory — computed once for ${list(who)} (the new rows are kept in the engine, not read back from the lake)`] };
  });
  return out.map((tp) => (readerNotes.has(tp.name) ? { ...tp, notes: [...tp.notes, ...readerNotes.get(tp.name)!] } : tp));
}
