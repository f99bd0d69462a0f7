/**
 * Renderers of column lineage: a view's per-column sources (also what `cpgc sql lineage` prints
 * for a bare query) and the upstream trace of one column, each as text and as JSON. Pure.
 * JSON carries `format_version` (LINEAGE_FORMAT_VERSION): a minor bump only adds keys, a major
 * bump breaks readers.
 */
import type { QueryLineage } from "../policy/bind/index.js";
import type { LineageTraceNode } from "./lineage-trace.js";

export const LINEAGE_FORMAT_VERSION = "1.0";

const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(", ") : "(none)");

/**
 * Text: one line per output column (`name  ← sources`), then the tables read, join keys and filter
 * columns. `title` (a view's name and kind) heads the block when given.
 */
export function renderQueryLineageText(lineage: QueryLineage, title?: string): string {
  const width = Math.max(0, ...lineage.columns.map((c) => c.name.length)) + 2;
  const lines = title ? [title] : [];
  lines.push("columns:");
  for (const c of lineage.columns) lines.push(`  ${c.name.padEnd(width)}← ${c.sources.length > 0 ? c.sources.join(", ") : "(no source columns)"}`);
  lines.push(`tables:         ${list(lineage.tables)}`);
  lines.push(`join keys:      ${list(lineage.joinKeys)}`);
  lines.push(`filter columns: ${list(lineage.filterColumns)}`);
  return lines.join("\n");
}

/** Lineage as a JSON-ready object (snake_case keys, as in every cpgc JSON output). */
export function queryLineageJson(lineage: QueryLineage): Record<string, unknown> {
  return {
    columns: lineage.columns.map((c) => ({ name: c.name, sources: c.sources })),
    tables: lineage.tables,
    join_keys: lineage.joinKeys,
    filter_columns: lineage.filterColumns,
    functions: lineage.functions,
  };
}

export function renderViewLineageJson(view: string, materialize: string, lineage: QueryLineage): string {
  return JSON.stringify({ format_version: LINEAGE_FORMAT_VERSION, view, materialize, ...queryLineageJson(lineage) }, null, 2);
}

const kindText = (n: LineageTraceNode) => (n.kind === "view" ? (n.materialize ?? "view") : n.kind);

/** The trace as an indented tree, the traced column at the root. */
export function renderTraceText(root: LineageTraceNode): string {
  const lines = [`${root.table}.${root.column} (${kindText(root)})`];
  const walk = (n: LineageTraceNode, prefix: string) => {
    n.sources.forEach((s, i) => {
      const last = i === n.sources.length - 1;
      lines.push(`${prefix}${last ? "└── " : "├── "}${s.table}.${s.column} (${kindText(s)})`);
      walk(s, `${prefix}${last ? "    " : "│   "}`);
    });
  };
  walk(root, "");
  if (root.sources.length === 0) lines.push("└── (no source columns)");
  return lines.join("\n");
}

const traceJson = (n: LineageTraceNode): Record<string, unknown> => ({
  table: n.table,
  column: n.column,
  kind: n.kind,
  materialize: n.materialize,
  sources: n.sources.map(traceJson),
});

/** The trace as JSON, plus the dataset columns it ends at (sorted, unique). */
export function renderTraceJson(root: LineageTraceNode): string {
  const leaves = new Set<string>();
  const walk = (n: LineageTraceNode) => {
    if (n.kind !== "view") leaves.add(`${n.table}.${n.column}`);
    n.sources.forEach(walk);
  };
  root.sources.forEach(walk);
  return JSON.stringify({ format_version: LINEAGE_FORMAT_VERSION, view: root.table, column: root.column, base_columns: [...leaves].sort(), trace: traceJson(root) }, null, 2);
}
