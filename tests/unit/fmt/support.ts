import { isDeepStrictEqual } from "node:util";
import { resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { renderDiagnostic, SourceText, type Diagnostic } from "../../../compiler/src/diagnostics/index.js";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");
export const FIXTURES = resolve(REPO_ROOT, "tests", "fixtures", "fmt");
export const CONTRACT = resolve(REPO_ROOT, "..", "shared", "contract");

/** The data of every document of a YAML text, with View queries reduced to their non-whitespace content. */
export function yamlData(text: string): unknown[] {
  return parseAllDocuments(text, { uniqueKeys: true, strict: true }).map((d) => {
    if (d.errors.length > 0) throw new Error(`YAML errors: ${d.errors.map((e) => e.message).join("; ")}`);
    return normalizeQueries(d.toJS({ maxAliasCount: 1000 }));
  });
}

function normalizeQueries(value: unknown): unknown {
  if (!value || typeof value !== "object" || (value as { kind?: unknown }).kind !== "View") return value;
  const v = { ...(value as Record<string, unknown>) };
  const squash = (s: unknown) => (typeof s === "string" ? s.replace(/\s+/g, "") : s);
  v["sql"] = squash(v["sql"]);
  if (Array.isArray(v["expectations"])) {
    v["expectations"] = v["expectations"].map((e: unknown) => (e && typeof e === "object" && "sql" in e ? { ...e, sql: squash((e as { sql: unknown }).sql) } : e));
  }
  return v;
}

export function sameYamlData(a: string, b: string): boolean {
  return isDeepStrictEqual(yamlData(a), yamlData(b));
}

/** Diagnostics as `cpgc` prints them (no color), for comparison with a stored file. */
export function renderAll(diags: readonly Diagnostic[], file: string, text: string): string {
  const sources = new Map([[file, new SourceText(file, text)]]);
  return diags.map((d) => renderDiagnostic(d, { sources, color: false })).join("\n\n");
}
