import { diagnostic, didYouMean, type Diagnostic } from "../diagnostics/index.js";

/**
 * Pass 1 of the policy lane: renders `{{ name }}` placeholders in view SQL from config variables,
 * before parsing. Values are rendered so they cannot change the query's structure: numbers and
 * booleans as literals, strings as quoted string literals, or — with `{{ name | ident }}` — as a
 * quoted identifier. There is no raw insertion, so a variable can never inject SQL.
 */
export type TemplateValue = string | number | boolean;

export interface TemplateRange {
  readonly start: number;
  readonly end: number;
}

/** Diagnostics of this pass carry offsets into the original (unrendered) text. */
export interface TemplateDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly range: TemplateRange;
}

export interface RenderedSql {
  readonly text: string;
  readonly diagnostics: readonly TemplateDiagnostic[];
  /** Maps an offset in the rendered text back to the original text (for SQL diagnostics). */
  readonly toOriginal: (offset: number) => number;
  /** Names of the variables the text uses, sorted (they become part of the view's identity). */
  readonly used: readonly string[];
}

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;
const INNER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z_]+)\s*)?$/;
const FILTERS = ["ident", "literal"] as const;

interface Segment {
  readonly rendered: number;
  readonly original: number;
  /** Length in the rendered text; a substituted placeholder maps wholly to its start. */
  readonly length: number;
  readonly substituted: boolean;
}

export function renderTemplate(text: string, variables: Readonly<Record<string, TemplateValue>>): RenderedSql {
  // Most SQL has no placeholder: the text as it is (what the general path makes of it too).
  if (!text.includes("{{") && !text.includes("}}")) return { text, diagnostics: [], toOriginal: (offset) => Math.max(0, offset), used: [] };
  const diagnostics: TemplateDiagnostic[] = [];
  const segments: Segment[] = [];
  const used = new Set<string>();
  let out = "";
  let last = 0;
  const push = (piece: string, original: number, substituted: boolean) => {
    segments.push({ rendered: out.length, original, length: piece.length, substituted });
    out += piece;
  };
  for (const m of text.matchAll(PLACEHOLDER)) {
    const start = m.index;
    const end = start + m[0].length;
    push(text.slice(last, start), last, false);
    last = end;
    const range = { start, end };
    const inner = INNER.exec(m[1] ?? "");
    if (!inner) {
      diagnostics.push(fail("CPG1101", `invalid placeholder ${m[0]}: expected {{ name }} or {{ name | ident }}`, range));
      push(m[0], start, true);
      continue;
    }
    const name = inner[1]!;
    const filter = inner[2];
    if (filter !== undefined && !(FILTERS as readonly string[]).includes(filter)) {
      diagnostics.push(fail("CPG1101", `unknown filter '${filter}' in ${m[0]}`, range, [didYouMean(filter, FILTERS), `filters: ${FILTERS.join(", ")}`]));
      push(m[0], start, true);
      continue;
    }
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) {
      const names = Object.keys(variables);
      diagnostics.push(
        fail("CPG1100", `unknown variable '${name}' in ${m[0]}`, range, [
          didYouMean(name, names),
          names.length > 0 ? `variables: ${names.sort().join(", ")}` : "declare it under `variables:` in cpg.config.yaml, or pass -var name=value",
        ]),
      );
      push(m[0], start, true);
      continue;
    }
    used.add(name);
    if (filter === "ident") {
      if (typeof value !== "string") {
        diagnostics.push(fail("CPG1101", `{{ ${name} | ident }} needs a string variable, '${name}' is ${typeof value}`, range));
        push(m[0], start, true);
        continue;
      }
      push(quoteIdentifier(value), start, true);
    } else push(literal(value), start, true);
  }
  push(text.slice(last), last, false);
  // A `{{` or `}}` left over (e.g. an unclosed placeholder) is never valid SQL: report it here, where
  // the message can say what was meant.
  const stray = /\{\{|\}\}/.exec(text.slice(lastPlaceholderEnd(text)));
  if (stray) {
    const at = lastPlaceholderEnd(text) + stray.index;
    diagnostics.push(fail("CPG1101", `unclosed template placeholder '${stray[0]}'`, { start: at, end: at + 2 }, ["placeholders look like {{ name }}"]));
  }
  return { text: out, diagnostics, toOriginal: (offset) => toOriginal(segments, offset), used: [...used].sort() };
}

function lastPlaceholderEnd(text: string): number {
  let end = 0;
  for (const m of text.matchAll(PLACEHOLDER)) end = m.index + m[0].length;
  return end;
}

function toOriginal(segments: readonly Segment[], offset: number): number {
  for (const s of segments) {
    if (offset < s.rendered + s.length || s === segments[segments.length - 1]) {
      return s.substituted ? s.original : s.original + Math.max(0, offset - s.rendered);
    }
  }
  return offset;
}

function fail(code: "CPG1100" | "CPG1101", message: string, range: TemplateRange, hints: (string | undefined)[] = []): TemplateDiagnostic {
  return { diagnostic: diagnostic(code, message, { hints }), range };
}

/** A SQL literal that stands for exactly this value. */
export function literal(value: TemplateValue): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  return `'${value.replace(/'/g, "''")}'`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
