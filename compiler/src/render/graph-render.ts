/**
 * Renderers of a ProjectGraph: DOT (Graphviz), Mermaid (flowchart) and JSON. Each is a pure
 * function graph → text; all three share the node order and edge order of the graph.
 *
 * Shapes by kind and materialization:
 *   dataset      DOT cylinder              Mermaid [(…)]  (database)
 *   view         DOT box, rounded+dashed   Mermaid (…)    (rounded)
 *   table        DOT box                   Mermaid […]    (rectangle)
 *   incremental  DOT box3d                 Mermaid [[…]]  (subroutine)
 *
 * JSON carries `format_version` (GRAPH_FORMAT_VERSION): a minor bump only adds keys, a major bump
 * breaks readers.
 */
import { nodeLabel, type ProjectGraph, type ProjectGraphNode } from "./graph-model.js";

export const GRAPH_FORMATS = ["dot", "mermaid", "json"] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export const GRAPH_FORMAT_VERSION = "1.0";

export type GraphRenderer = (graph: ProjectGraph) => string;

const dotEscape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
const dotString = (s: string) => `"${dotEscape(s)}"`;

const DOT_ATTRS: Record<string, string> = {
  dataset: "shape=cylinder",
  view: 'shape=box, style="rounded,dashed"',
  table: "shape=box",
  incremental: "shape=box3d",
};

export function renderDot(graph: ProjectGraph): string {
  const lines = [`digraph ${dotString(graph.project)} {`, "  rankdir=LR;"];
  for (const n of graph.nodes) {
    lines.push(`  ${dotString(n.name)} [${DOT_ATTRS[nodeLabel(n)]}, label="${dotEscape(n.name)}\\n${nodeLabel(n)}"];`);
  }
  for (const e of graph.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)};`);
  lines.push("}");
  return lines.join("\n");
}

const MERMAID_SHAPES: Record<string, readonly [string, string]> = {
  dataset: ["[(", ")]"],
  view: ["(", ")"],
  table: ["[", "]"],
  incremental: ["[[", "]]"],
};

/** Mermaid ids are n0, n1, … in node order (names may hold characters Mermaid ids cannot). */
export function renderMermaid(graph: ProjectGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.name, `n${i}`]));
  const text = (n: ProjectGraphNode) => `"${`${n.name}<br/>${nodeLabel(n)}`.replace(/"/g, "#quot;")}"`;
  const lines = ["flowchart LR"];
  for (const n of graph.nodes) {
    const [open, close] = MERMAID_SHAPES[nodeLabel(n)]!;
    lines.push(`  ${ids.get(n.name)}${open}${text(n)}${close}`);
  }
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  return lines.join("\n");
}

export function renderGraphJson(graph: ProjectGraph): string {
  return JSON.stringify(
    {
      format_version: GRAPH_FORMAT_VERSION,
      project: graph.project,
      nodes: graph.nodes.map((n) => ({ name: n.name, kind: n.kind, materialize: n.materialize, columns: n.columns })),
      edges: graph.edges.map((e) => ({ from: e.from, to: e.to })),
    },
    null,
    2,
  );
}

export const GRAPH_RENDERERS: Readonly<Record<GraphFormat, GraphRenderer>> = {
  dot: renderDot,
  mermaid: renderMermaid,
  json: renderGraphJson,
};
