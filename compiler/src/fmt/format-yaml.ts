import { isDeepStrictEqual } from "node:util";
import { isMap, isPair, isScalar, parseAllDocuments, type Document, type Scalar } from "yaml";
import { diagnostic, sortDiagnostics, SourceText, type Diagnostic, type Location } from "../diagnostics/index.js";
import { loadYaml, scalarOffset } from "../spec/load-yaml.js";
import { formatPath, type SpecPath } from "../spec/raw-document.js";
import { projectConfig, SPEC_KINDS } from "../spec/schema/index.js";
import type { z } from "zod";
import { rootSchemas } from "./key-order.js";
import { Layout, type LayoutHooks } from "./layout.js";
import { formatSql } from "./sql-block.js";
import { TextLines } from "./text-lines.js";

export type FileKind = "config" | "specs";

export interface FormatOptions {
  /** File name used in diagnostics (default: `cpg.config.yaml` or `spec.yaml`). */
  readonly file?: string;
}

export interface FormatResult {
  readonly text: string;
  readonly changed: boolean;
  readonly diagnostics: Diagnostic[];
}

/** Same parse options as the spec loader, so fmt refuses exactly what validation refuses. */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;
const TO_JS = { maxAliasCount: 1000 } as const;

const ANY_INDEX = Symbol("any index");
type PathPattern = readonly (string | typeof ANY_INDEX)[];

/**
 * String values that hold SQL queries, per kind. Dataset check `expr`s are expressions, usually a
 * line long, which sql-formatter would only spread over lines; they are left as written.
 */
const SQL_PATHS: Readonly<Record<string, readonly PathPattern[]>> = {
  View: [["sql"], ["expectations", ANY_INDEX, "sql"]],
};

/**
 * Formats one YAML file (`cpg.config.yaml` or a multi-document spec file): the pairs of every
 * mapping in canonical key order (declaration order of the zod schemas; keys a schema does not
 * know keep their relative order after the known ones), View queries pretty-printed as block
 * literals. Everything else — comments, blank lines, quoting, flow style, indentation — is kept as
 * written. Pure: text in, text out. Never fails the file: a YAML syntax error returns the text
 * unchanged with error diagnostics; a query sql-formatter cannot handle stays as written with a
 * warning; a document whose data would not survive (e.g. an alias moved above its anchor) stays as
 * written with a warning.
 */
export function formatSpecYaml(text: string, kindOf: FileKind, options: FormatOptions = {}): FormatResult {
  const file = options.file ?? (kindOf === "config" ? "cpg.config.yaml" : "spec.yaml");
  const unchanged = (diagnostics: Diagnostic[]): FormatResult => ({ text, changed: false, diagnostics: sortDiagnostics(diagnostics) });
  if (text.trim() === "") return unchanged([]);

  // Work on LF text ending with a newline; restore a BOM and CRLF line ends afterwards.
  const bom = text.startsWith("\uFEFF");
  const crlf = /\r\n/.test(text);
  let body = bom ? text.slice(1) : text;
  if (crlf) body = body.replace(/\r\n/g, "\n");
  if (!body.endsWith("\n")) body += "\n";

  const docs = parseAllDocuments(body, PARSE_OPTIONS);
  if (docs.some((d) => d.errors.length > 0)) {
    const diags = loadYaml(new SourceText(file, body)).diagnostics.filter((d) => d.severity === "error");
    return unchanged(diags.length > 0 ? diags : [diagnostic("CPG0001", "YAML syntax error", { location: { file } })]);
  }

  if (docs.length === 0) return unchanged([]);
  const lines = new TextLines(body);
  const source = new SourceText(file, body);
  const diagnostics: Diagnostic[] = [];
  const parts: string[] = [];
  const starts = docs.map((d, i) => (i === 0 ? 0 : lines.lineOf(d.range[0])));
  if (starts.some((s, i) => i > 0 && s <= (starts[i - 1] ?? 0))) return unchanged([]);
  docs.forEach((doc, i) => {
    const a = starts[i] ?? 0;
    const b = starts[i + 1] ?? lines.count;
    const original = lines.slice(a, b);
    const kind = kindOf === "config" ? undefined : kindOfDocument(doc);
    const schema: z.ZodType | null = kindOf === "config" ? projectConfig : kind && kind in SPEC_KINDS ? SPEC_KINDS[kind as keyof typeof SPEC_KINDS] : null;
    if (!schema || doc.contents === null) {
      parts.push(original);
      return;
    }
    const edits: SqlEdit[] = [];
    const hooks = sqlHooks(kind, documentName(doc), body, source, diagnostics, edits);
    const formatted = new Layout(lines, hooks).document(doc.contents, a, b, { path: [], schemas: rootSchemas(schema) });
    if (formatted !== original && !sameData(doc, formatted, edits)) {
      diagnostics.push(
        diagnostic("CPG0801", `cpgc fmt left document ${i + 1} of ${file} as written: reordering it would change its data`, {
          severity: "warning",
          location: { file, range: source.range(lines.start(a), lines.start(a)) },
          hints: ["this happens when an alias (*name) would move above its anchor (&name); otherwise it is a bug in cpgc fmt, please report it"],
        }),
      );
      parts.push(original);
      return;
    }
    parts.push(formatted);
  });

  let out = parts.join("");
  if (crlf) out = out.replace(/\n/g, "\r\n");
  if (bom) out = `\uFEFF${out}`;
  return { text: out, changed: out !== text, diagnostics: sortDiagnostics(diagnostics) };
}

interface SqlEdit {
  readonly path: SpecPath;
  readonly value: string;
}

function sqlHooks(kind: string | undefined, name: string | undefined, body: string, source: SourceText, diagnostics: Diagnostic[], edits: SqlEdit[]): LayoutHooks {
  const patterns = (kind && SQL_PATHS[kind]) || [];
  return {
    isSql: (path) => patterns.some((p) => matches(path, p)),
    formatSql(path, node: Scalar<string>) {
      if (node.value.trim() === "") return undefined;
      const r = formatSql(node.value);
      if (r.ok) {
        edits.push({ path, value: `${r.sql}\n` });
        return r.sql;
      }
      const [start, end] = node.range ?? [0, 0];
      const at = r.offset === undefined ? undefined : scalarOffset(body, start, end, String(node.type), r.offset);
      const location: Location = { file: source.file, range: at === undefined ? source.range(start, end) : source.range(at, at + 1) };
      const owner = `${kind === "View" ? "view" : (kind ?? "document").toLowerCase()}${name ? ` '${name}'` : ""}`;
      diagnostics.push(
        diagnostic("CPG0800", `cannot pretty-print ${formatPath(path)} of ${owner}: ${r.reason}; left as written`, {
          severity: "warning",
          location,
          hints: ["cpgc fmt formats SQL with sql-formatter (duckdb dialect); this does not mean the query is invalid for the engine"],
        }),
      );
      return undefined;
    },
  };
}

function matches(path: SpecPath, pattern: PathPattern): boolean {
  return path.length === pattern.length && pattern.every((p, i) => (p === ANY_INDEX ? typeof path[i] === "number" : p === path[i]));
}

/** The re-parsed document holds the same data as the original, with the queries that were pretty-printed. */
function sameData(doc: Document, formatted: string, edits: readonly SqlEdit[]): boolean {
  try {
    const again = parseAllDocuments(formatted, PARSE_OPTIONS);
    const [only, ...rest] = again;
    if (!only || rest.length > 0 || only.errors.length > 0) return false;
    const expected = structuredClone(doc.toJS(TO_JS) as unknown);
    for (const e of edits) setAt(expected, e.path, e.value);
    return isDeepStrictEqual(only.toJS(TO_JS), expected);
  } catch {
    return false;
  }
}

function setAt(root: unknown, path: SpecPath, value: unknown): void {
  let node = root as Record<string | number, unknown> | null;
  path.forEach((seg, i) => {
    if (node === null || typeof node !== "object") return;
    if (i === path.length - 1) node[seg] = value;
    else node = node[seg] as Record<string | number, unknown> | null;
  });
}

function rootValue(doc: Document, key: string): unknown {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.value) ? pair.value.value : undefined;
}

function kindOfDocument(doc: Document): string | undefined {
  const k = rootValue(doc, "kind");
  return typeof k === "string" ? k : undefined;
}

function documentName(doc: Document): string | undefined {
  const n = rootValue(doc, "name");
  return typeof n === "string" ? n : undefined;
}
