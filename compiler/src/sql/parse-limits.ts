import { forEachChild } from "./ast/children.js";
import type { Node } from "./ast/nodes.js";
import type { IToken } from "./chevrotain.js";
import { sqlDiagnostic, type SqlDiagnostic } from "./diagnostics.js";

/**
 * How deep brackets and CASE may nest. Parsing recurses per level; the limit keeps a
 * pathological input a diagnostic instead of a stack overflow, far above what queries use.
 */
export const MAX_NESTING = 128;

/**
 * How deep the tree may be. Long operator chains (`a OR b OR …`) nest without brackets; passes
 * and printers recurse over the tree, so the depth is bounded too.
 */
export const MAX_TREE_DEPTH = 1000;

export function tooDeep(tokens: readonly IToken[], diags: SqlDiagnostic[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (name === "LParen" || name === "LBracket" || name === "LBrace" || name === "CASE") depth++;
    else if (name === "RParen" || name === "RBracket" || name === "RBrace" || name === "END") depth--;
    if (depth > MAX_NESTING) {
      diags.push(sqlDiagnostic("CPG1006", `the query nests more than ${MAX_NESTING} levels deep`, { start: t.startOffset, end: t.startOffset + t.image.length }, ["split it with WITH (common table expressions)"]));
      return true;
    }
  }
  return false;
}

/**
 * Measured without recursion, so the check itself cannot overflow. A tree is at most a few levels
 * deeper than its query has tokens, so short queries skip the walk.
 */
export function tooDeepTree(root: Node, tokenCount: number, diags: SqlDiagnostic[]): boolean {
  if (tokenCount * 4 < MAX_TREE_DEPTH) return false;
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) {
      diags.push(sqlDiagnostic("CPG1006", `the query's expressions nest more than ${MAX_TREE_DEPTH} levels deep`, node.range, ["use IN (…) for long lists of alternatives, or split the query with WITH"]));
      return true;
    }
    forEachChild(node, (child) => stack.push([child, depth + 1]));
  }
  return false;
}
