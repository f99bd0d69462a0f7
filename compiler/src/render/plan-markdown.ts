/**
 * `cpgc plan --markdown`: the plan as a pull-request comment. The summary line as title, the
 * plan's hash and id (to match the comment with the plan file apply will run), errors and warnings
 * as GitHub alerts, a table of actions, one collapsed `<details>` per table with the text
 * renderer's lines (SQL in a ```diff block), and a Mermaid graph of the affected part of the DAG.
 */
import type { Plan } from "../plan/model.js";
import { cell, fenced, html, mdCode, mdText } from "./plan-md.js";
import { affectedGraphMermaid } from "./plan-mermaid.js";
import { plainPaint, sectionLines } from "./plan-text.js";
import { clean, ORPHAN_LABEL, planView, type TableView } from "./plan-view.js";

/** The short form of the plan hash (git's habit: 12 hex digits identify it among many). */
export const shortHash = (hash: string): string => hash.replace(/^sha256:/, "").slice(0, 12);

export function renderPlanMarkdown(plan: Plan): string {
  const view = planView(plan);
  const out: string[] = [`### ${mdText(view.summary)}`, ""];
  out.push(
    [
      `Plan ${mdCode(clean(shortHash(plan.plan_hash)))}`,
      `id ${mdCode(clean(plan.plan_id))}`,
      `project ${mdCode(clean(plan.project))}`,
      `cpgc ${mdCode(clean(plan.cpgc_version))}`,
      `created ${mdCode(clean(plan.created_at))}`,
    ].join(" · "),
    "",
  );
  for (const s of view.scope) out.push(`- ${mdText(s)}`);
  if (view.scope.length > 0) out.push("");

  if (view.errors.length > 0) {
    const n = view.errors.length;
    out.push("> [!CAUTION]", `> **${n} error${n === 1 ? "" : "s"}**: apply refuses this plan until ${n === 1 ? "it is" : "they are"} resolved.`);
    for (const e of view.errors) {
      out.push(`> - **${mdCode(e.code)}** ${e.address === null ? "" : `${mdCode(e.address)}: `}${mdText(e.message)}`);
      for (const h of e.hints) out.push(`>   - hint: ${mdText(h)}`);
    }
    out.push("");
  }
  if (view.warnings.length > 0) {
    out.push("> [!WARNING]", ...view.warnings.map((w) => `> - ${mdText(w)}`), "");
  }

  if (view.tables.length > 0) {
    out.push("| | Table | Action | Class |", "| :-: | --- | --- | --- |");
    for (const t of view.tables) {
      const action = t.op === "orphan" ? `orphan ${ORPHAN_LABEL}` : t.op;
      out.push(`| ${cell(mdCode(t.symbol))} | ${cell(mdCode(t.address))} | ${cell(mdText(action))} | ${t.op === "orphan" ? "—" : cell(mdText(t.class))} |`);
    }
    out.push("");
    for (const t of view.tables) out.push(...details(t), "");
    const graph = affectedGraphMermaid(plan);
    if (graph !== null) out.push("#### Affected tables", "", ...fenced("mermaid", graph.split("\n")), "");
  }
  return `${out.join("\n").replace(/\n+$/, "")}\n`;
}

/** One table: its sections in order, runs of non-SQL sections in one text block, SQL as a diff. */
function details(t: TableView): string[] {
  const out = [`<details><summary><code>${html(`${t.symbol} ${t.address}`)}</code> ${html(t.label)}</summary>`, ""];
  let text: string[] = [];
  const flush = () => {
    if (text.length > 0) out.push(...fenced("text", text), "");
    text = [];
  };
  for (const s of t.sections) {
    if (s.kind !== "sql") {
      text.push(...sectionLines(s, plainPaint));
      continue;
    }
    flush();
    // The section's title line as a caption; the diff lines with their marker in column 0.
    const [title, ...lines] = s.lines;
    out.push(mdText(title!.text), "", ...fenced("diff", sectionLines({ kind: s.kind, lines: lines.map((l) => ({ ...l, depth: 0 })) }, plainPaint)), "");
  }
  flush();
  if (t.sections.length === 0) out.push("_Nothing more to show._", "");
  out.push("</details>");
  return out;
}
