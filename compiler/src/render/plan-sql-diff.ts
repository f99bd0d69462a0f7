/**
 * The SQL diff of a view in a plan: both sides laid out by sql-formatter (the canonical SQL is one
 * line; a reviewer needs one clause per line to see what changed), then a line diff in which long
 * runs of unchanged lines fold into one `…` line, as in a unified diff's hunks.
 */
import { diffLines } from "../fmt/line-diff.js";
import { formatSql } from "../sql/format.js";
import type { ViewLine } from "./plan-view.js";

/** Unchanged lines kept around each change. */
const CONTEXT = 3;

/** Lines at depth 1 (under the section's `sql…:` line); `before === null` shows `after` as added. */
export function sqlDiffLines(before: string | null, after: string): ViewLine[] {
  const newLines = formatSql(after).split("\n");
  if (before === null) return newLines.map((text) => ({ depth: 1, marker: "+", text }));
  const ops = diffLines(formatSql(before).split("\n"), newLines);
  const changed = ops.map((op) => op.kind !== " ");
  if (!changed.includes(true)) return [{ depth: 1, marker: null, text: "(the queries differ only in layout)" }];
  // Keep an unchanged line when a change is within CONTEXT lines of it.
  const keep = ops.map((_, i) => changed.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).includes(true));
  const out: ViewLine[] = [];
  for (let i = 0; i < ops.length; ) {
    let j = i;
    while (j < ops.length && !keep[j]) j++;
    // A fold of one line would not save a line.
    if (j - i > 1) {
      out.push({ depth: 1, marker: "…", text: `${j - i} unchanged lines` });
      i = j;
      continue;
    }
    out.push({ depth: 1, marker: ops[i]!.kind, text: ops[i]!.line });
    i++;
  }
  return out;
}
