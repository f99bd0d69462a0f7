/**
 * Checks on a view's output columns that plain SQL does not make: a view becomes a table (or a
 * DuckDB view), and a table holds one column per name. `SELECT a, b AS a` is a valid query, but
 * as a view its second `a` would be renamed by the engine (DuckDB) or refused by Delta Lake, so
 * the derived schema would not be the table's. A star the binder could not expand (a relation
 * with two columns of one name, outside DuckDB's renaming) leaves the schema partial.
 */
import { diagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Query, QueryBody, Select, TextRange } from "../sql/index.js";

/** A problem with a view's output columns, at a range of the bound query's text. */
export interface OutputColumnProblem {
  readonly diagnostic: Diagnostic;
  readonly range: TextRange;
}

/** The select that names a query's output columns: the leftmost one of its set operations. */
function namingSelect(body: QueryBody): Select | null {
  let b: QueryBody = body;
  for (;;) {
    if (b.kind === "select") return b;
    if (b.kind === "setOperation") b = b.left;
    else if (b.kind === "query") b = b.body;
    else return null;
  }
}

/** Repeated output names (compared case-insensitively, as Delta does) and unexpanded stars. */
export function outputColumnProblems(view: string, query: Query, columns: readonly { readonly name: string }[]): OutputColumnProblem[] {
  // a node a pass made has no source text: the whole query stands for it
  const at = (r: TextRange): TextRange => (r.start >= 0 ? r : query.range);
  const select = namingSelect(query.body);
  const items = select?.items ?? [];
  const out: OutputColumnProblem[] = [];
  for (const item of items) {
    if (item.expr.kind !== "star" && item.expr.kind !== "columns") continue;
    out.push({
      diagnostic: diagnostic("CPG1216", `view '${view}': this ${item.expr.kind === "star" ? "*" : "COLUMNS(…)"} cannot be expanded into named columns`, {
        hints: ["a relation it covers has two columns of one name: list the columns it should give, each with its own name"],
      }),
      range: at(item.range),
    });
  }
  if (out.length > 0) return out;
  const first = new Map<string, number>();
  columns.forEach((c, i) => {
    const key = c.name.toLowerCase();
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, i);
      return;
    }
    // with the stars expanded, item i is output column i
    const item = items.length === columns.length ? items[i] : undefined;
    out.push({
      diagnostic: diagnostic("CPG1216", `view '${view}' has two output columns named '${c.name}' (columns ${earlier + 1} and ${i + 1})`, {
        hints: ["a table holds one column per name (compared case-insensitively): give one of them another name with AS"],
      }),
      // the alias as written, else the item (the binder names unaliased items without a range)
      range: at(item ? (item.alias && item.alias.range.start >= 0 ? item.alias.range : item.range) : query.range),
    });
  });
  return out;
}
