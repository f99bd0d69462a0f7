import type { Diagnostic, Location, SourceText } from "../diagnostics/index.js";
import { renderTemplate, type TemplateValue } from "../policy/sanitize.js";
import type { Query } from "../sql/ast/index.js";
import { parseQuery } from "../sql/parse.js";
import type { ViewQuery, ViewSql } from "./model.js";
import type { ViewSpec } from "./schema/index.js";
import type { LocatedSpec } from "./validate-shape.js";

/** Where characters [start, end) of a view's SQL text (as written) are, in the file holding it. */
export function locateInViewSql(view: LocatedSpec<ViewSpec>, sql: ViewSql, sources: ReadonlyMap<string, SourceText>, start: number, end: number): Location {
  if (sql.inline) return view.doc.locator.inString(["sql"], start, Math.max(1, end - start));
  const src = sources.get(sql.file);
  return src ? { file: sql.file, range: src.range(start, Math.max(start + 1, end)) } : { file: sql.file };
}

/**
 * Renders a view's template variables and parses its SQL. Every diagnostic points into the file
 * that holds the query: the YAML (or .cpg.ts) line and column inside `sql:`, or the `sql_file`.
 */
export function checkViewSql(
  view: LocatedSpec<ViewSpec>,
  sql: ViewSql,
  sources: ReadonlyMap<string, SourceText>,
  variables: Readonly<Record<string, TemplateValue>>,
  parsedBefore: (rendered: string) => boolean = () => false,
): { query?: ViewQuery; diagnostics: Diagnostic[] } {
  const locate = (start: number, end: number): Location => locateInViewSql(view, sql, sources, start, end);
  const rendered = renderTemplate(sql.text, variables);
  if (rendered.diagnostics.length > 0) {
    return { diagnostics: rendered.diagnostics.map((d) => ({ ...d.diagnostic, location: locate(d.range.start, d.range.end) })) };
  }
  if (parsedBefore(rendered.text)) return { query: lazyQuery(rendered.text, rendered.toOriginal), diagnostics: [] };
  const parsed = parseQuery(rendered.text);
  const diagnostics = parsed.diagnostics.map((d) => ({
    ...d.diagnostic,
    location: locate(rendered.toOriginal(d.range.start), rendered.toOriginal(Math.max(d.range.start, d.range.end))),
  }));
  return parsed.ok ? { query: { ast: parsed.ast, rendered: rendered.text, toOriginal: rendered.toOriginal }, diagnostics } : { diagnostics };
}

/** A query whose text is known to parse without diagnostics: parsed when first asked for. */
function lazyQuery(text: string, toOriginal: (offset: number) => number): ViewQuery {
  let ast: Query | undefined;
  return {
    rendered: text,
    toOriginal,
    get ast(): Query {
      if (!ast) {
        const r = parseQuery(text);
        if (!r.ok) throw new Error("a cached query no longer parses: clear .cpg/cache"); // parsing is deterministic; a bug
        ast = r.ast;
      }
      return ast;
    },
  };
}
