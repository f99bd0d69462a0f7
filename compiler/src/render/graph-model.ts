/**
 * The project graph as data, built from a compiled manifest: one node per dataset and view, one
 * edge per table a view reads (its lineage tables). Pure; nodes in the manifest's topological
 * order (dependencies first, ties by name), edges sorted by (from, to). The renderers
 * (graph-render.ts) only format this value, so DOT, Mermaid and JSON never drift apart.
 */
import type { Manifest } from "../compile/index.js";

export type GraphNodeKind = "dataset" | "view";
export type Materialization = "view" | "table" | "incremental";

export interface ProjectGraphNode {
  readonly name: string;
  readonly kind: GraphNodeKind;
  /** Views only; null for datasets. */
  readonly materialize: Materialization | null;
  readonly columns: number;
}

export interface ProjectGraphEdge {
  /** The table read. */
  readonly from: string;
  /** The view that reads it. */
  readonly to: string;
}

export interface ProjectGraph {
  readonly project: string;
  readonly nodes: readonly ProjectGraphNode[];
  readonly edges: readonly ProjectGraphEdge[];
}

/** The graph of a manifest. Tables a view reads that the manifest does not hold are left out. */
export function projectGraph(manifest: Manifest): ProjectGraph {
  const byName = new Map<string, ProjectGraphNode>();
  for (const d of manifest.datasets) byName.set(d.name, { name: d.name, kind: "dataset", materialize: null, columns: d.columns.length });
  for (const v of manifest.views) byName.set(v.name, { name: v.name, kind: "view", materialize: v.materialize, columns: v.columns.length });
  const ordered = manifest.order.filter((n) => byName.has(n));
  const rest = [...byName.keys()].filter((n) => !ordered.includes(n)).sort();
  const nodes = [...ordered, ...rest].map((n) => byName.get(n)!);
  const edges: ProjectGraphEdge[] = [];
  for (const v of manifest.views) {
    for (const t of new Set(v.lineage.tables)) if (byName.has(t) && t !== v.name) edges.push({ from: t, to: v.name });
  }
  edges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  return { project: manifest.project, nodes, edges };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a node is, in words: `dataset`, or the view's materialization (`view`, `table`, `incremental`). */
export function nodeLabel(n: ProjectGraphNode): string {
  return n.kind === "dataset" ? "dataset" : n.materialize ?? "view";
}
