/**
 * The affected part of the DAG for a markdown plan: every table with something to do, the tables
 * they read (drawn as unchanged context so a reviewer sees where the change comes from), and the
 * depends_on edges into the changed tables. Nodes styled per op.
 */
import type { Plan, TablePlan } from "../plan/model.js";
import { mermaidText } from "./plan-md.js";
import { clean, OP_SYMBOLS, type ShownOp } from "./plan-view.js";

/** Mermaid class per op; `op_` prefixed because words such as `end` or `class` are flowchart keywords. */
const CLASS_DEFS: Readonly<Record<ShownOp | "unchanged", string>> = {
  create: "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
  update: "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
  replace: "fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-dasharray:6 3",
  rematerialize: "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
  register: "fill:#fbefff,stroke:#8250df,color:#1f2328",
  destroy: "fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-width:2px",
  orphan: "fill:#f6f8fa,stroke:#9a6700,color:#1f2328,stroke-dasharray:3 3",
  unchanged: "fill:#f6f8fa,stroke:#8c959f,color:#59636e",
};

type Node = { readonly name: string; readonly table: TablePlan | undefined; readonly cls: ShownOp | "unchanged" };

/** Cylinders hold data (datasets, orphans); logical views are rounded; materialized views are boxes. */
function shape(t: TablePlan | undefined): readonly [string, string] {
  if (t === undefined) return ["[", "]"];
  if (t.kind === "dataset" || t.kind === "orphan") return ["[(", ")]"];
  return t.role === "view" ? ["(", ")"] : ["[", "]"];
}

/** `null` when no table has anything to do. */
export function affectedGraphMermaid(plan: Plan): string | null {
  const shown = plan.tables.filter((t): t is TablePlan & { op: ShownOp } => t.op !== "noop");
  if (shown.length === 0) return null;
  const byName = new Map(plan.tables.map((t) => [t.name, t]));
  const inputs = new Set(shown.flatMap((t) => t.depends_on));
  const nodes: Node[] = [];
  const seen = new Set<string>();
  const add = (n: Node) => {
    if (seen.has(n.name)) return;
    seen.add(n.name);
    nodes.push(n);
  };
  // Plan order (dependency order) for every node; inputs the plan does not list go last.
  for (const t of plan.tables) {
    if (t.op !== "noop") add({ name: t.name, table: t, cls: t.op });
    else if (inputs.has(t.name)) add({ name: t.name, table: t, cls: "unchanged" });
  }
  for (const s of shown) for (const d of s.depends_on) add({ name: d, table: byName.get(d), cls: "unchanged" });

  const ids = new Map(nodes.map((n, i) => [n.name, `n${i}`]));
  const lines = ["flowchart LR"];
  for (const n of nodes) {
    const [open, close] = shape(n.table);
    const address = n.table ? `${n.table.kind}.${n.name}` : n.name;
    const label = n.cls === "unchanged" ? address : `${OP_SYMBOLS[n.cls].symbol} ${address}`;
    lines.push(`  ${ids.get(n.name)}${open}"${mermaidText(clean(label))}"${close}:::op_${n.cls}`);
  }
  for (const s of shown) for (const d of s.depends_on) lines.push(`  ${ids.get(d)} --> ${ids.get(s.name)}`);
  const used = new Set(nodes.map((n) => n.cls));
  for (const [cls, style] of Object.entries(CLASS_DEFS)) if (used.has(cls as ShownOp)) lines.push(`  classDef op_${cls} ${style}`);
  return lines.join("\n");
}
