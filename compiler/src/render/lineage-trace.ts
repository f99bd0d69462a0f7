/**
 * Column lineage over a compiled project: resolving `VIEW[.COLUMN]` against a manifest and
 * tracing a view column upstream through the views it reads down to dataset columns. Pure over
 * the manifest: each view's lineage already maps its output columns to the `table.column`s of the
 * tables it reads; the trace follows those recursively.
 */
import type { Manifest, ViewArtifact } from "../compile/index.js";
import { didYouMean } from "../diagnostics/index.js";
import { compare, type Materialization } from "./graph-model.js";

export type TraceKind = "dataset" | "view" | "unknown";

export interface LineageTraceNode {
  readonly table: string;
  readonly column: string;
  readonly kind: TraceKind;
  /** Views only; null otherwise. */
  readonly materialize: Materialization | null;
  /** The columns this one derives from (views only), sorted by table then column. */
  readonly sources: readonly LineageTraceNode[];
}

export type LineageTarget =
  | { readonly ok: true; readonly view: ViewArtifact; readonly column: string | null }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

/**
 * Resolves `VIEW` or `VIEW.COLUMN` (a view's name may itself hold dots: the longest view name that
 * prefixes the text wins). Names match exactly first, then case-insensitively.
 */
export function resolveLineageTarget(manifest: Manifest, target: string): LineageTarget {
  const views = manifest.views;
  const exact = (n: string) => views.find((v) => v.name === n) ?? views.find((v) => v.name.toLowerCase() === n.toLowerCase());
  const whole = exact(target);
  if (whole) return { ok: true, view: whole, column: null };
  const prefixes = views.filter((v) => target.toLowerCase().startsWith(`${v.name.toLowerCase()}.`)).sort((a, b) => b.name.length - a.name.length);
  const dot = target.indexOf(".");
  const view = prefixes[0] ?? (dot > 0 ? exact(target.slice(0, dot)) : undefined);
  if (!view) {
    const name = dot > 0 ? target.slice(0, dot) : target;
    if (manifest.datasets.some((d) => d.name === name)) {
      return { ok: false, message: `'${name}' is a dataset, not a view`, hint: "a dataset's columns are where lineage ends; pass a view that reads it" };
    }
    const hint = didYouMean(name, views.map((v) => v.name));
    return { ok: false, message: `unknown view '${name}'`, ...(hint ? { hint } : {}) };
  }
  const column = target.slice(view.name.length + 1);
  const col = view.columns.find((c) => c.name === column) ?? view.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
  if (!col) {
    const hint = didYouMean(column, view.columns.map((c) => c.name));
    return { ok: false, message: `view '${view.name}' has no column '${column}'`, ...(hint ? { hint } : {}) };
  }
  return { ok: true, view, column: col.name };
}

/** The upstream trace of one view column, down to dataset columns. */
export function traceColumn(manifest: Manifest, view: string, column: string): LineageTraceNode {
  const views = new Map(manifest.views.map((v) => [v.name, v]));
  const datasets = new Set(manifest.datasets.map((d) => d.name));
  const names = [...views.keys(), ...datasets].sort((a, b) => b.length - a.length);
  const split = (source: string): [string, string] => {
    const t = names.find((n) => source.startsWith(`${n}.`));
    if (t) return [t, source.slice(t.length + 1)];
    const dot = source.indexOf(".");
    return dot > 0 ? [source.slice(0, dot), source.slice(dot + 1)] : [source, ""];
  };
  const visit = (table: string, col: string, path: ReadonlySet<string>): LineageTraceNode => {
    const v = views.get(table);
    if (!v) return { table, column: col, kind: datasets.has(table) ? "dataset" : "unknown", materialize: null, sources: [] };
    const key = `${table}.${col}`;
    const entry = path.has(key) ? undefined : v.lineage.columns.find((c) => c.name === col);
    const next = new Set(path).add(key);
    const sources = (entry?.sources ?? [])
      .map(split)
      .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
      .map(([t, c]) => visit(t, c, next));
    return { table, column: col, kind: "view", materialize: v.materialize, sources };
  };
  return visit(view, column, new Set());
}
