// Runs the qualify corpus (../shared/corpus/sql: qualify_columns.jsonl, qualify_columns_invalid.jsonl,
// tpch/expected_qualified) through bindQuery and classifies each case. Shared by the conformance
// test and its report.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { tableCatalogFromSchemaJson, type FunctionCatalog } from "../../compiler/src/catalog/index.js";
import { bindQuery, type BindErrorKind } from "../../compiler/src/policy/bind/index.js";
import { parseQuery, printSql, stripRanges, type Dialect, type Query } from "../../compiler/src/sql/index.js";
import { CORPUS_DIR } from "../unit/sql/helpers/corpus.js";

export const FUNCTIONS = JSON.parse(readFileSync(new URL("../../schemas/functions.json", import.meta.url), "utf8")) as FunctionCatalog;

/**
 * Dialects of the DuckDB / Spark / ANSI family. SQLGlot's default dialect is its generic one, read
 * here under the ANSI rules (not DuckDB's: e.g. no bare table name as the row struct).
 */
const FAMILY: Readonly<Record<string, Dialect>> = { "": "ansi", duckdb: "duckdb", spark: "spark", postgres: "duckdb" };

export type Outcome =
  | { readonly status: "pass" }
  | { readonly status: "fail"; readonly reason: string }
  | { readonly status: "skip"; readonly reason: string };

export interface CaseResult {
  readonly id: string;
  readonly outcome: Outcome;
  readonly sql: string;
}

interface QualifyCase {
  readonly id: string;
  readonly input: string;
  readonly expected: string;
  readonly schema: Record<string, Record<string, string>>;
  readonly options: Record<string, unknown>;
}

interface InvalidCase {
  readonly id: string;
  readonly input: string;
  readonly error_kind: string;
  readonly schema: Record<string, Record<string, string>>;
  readonly options: Record<string, unknown>;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(CORPUS_DIR, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

/**
 * The tree compared: ranges stripped, identifiers compared case-insensitively and without their
 * quoting (SQLGlot normalizes unquoted names to lower case and quotes per its `identify` option),
 * `DATE 'x'` read as `CAST('x' AS DATE)` (SQLGlot prints typed literals as casts).
 */
export function comparable(q: Query): unknown {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o["kind"] === "identifier") return { kind: "identifier", name: String(o["name"]).toLowerCase() };
    // NOT (x IN …) is x NOT IN …; ((query)) is (query)
    if (o["kind"] === "unary" && o["op"] === "NOT") {
      const inner = o["operand"] as Record<string, unknown>;
      if (["inList", "inSubquery", "like", "between", "isDistinctFrom", "isTest"].includes(String(inner["kind"])) && inner["negated"] === false) return norm({ ...inner, negated: true });
    }
    if (o["kind"] === "query" && o["with"] === null && (o["orderBy"] as unknown[]).length === 0 && o["limit"] === null && o["offset"] === null && (o["body"] as Record<string, unknown>)["kind"] === "query") return norm(o["body"]);
    if (o["kind"] === "typedLiteral") return norm({ kind: "cast", expr: { kind: "string", value: o["value"] }, type: o["type"], safe: false });
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = norm(x);
    return out;
  };
  return norm(stripRanges(q));
}

function dialectOf(options: Record<string, unknown>): Dialect | null {
  const d = typeof options["dialect"] === "string" ? (options["dialect"] as string) : "";
  return FAMILY[d] ?? null;
}

export function runQualifyCases(): CaseResult[] {
  return readJsonl<QualifyCase>("qualify_columns.jsonl").map((c) => ({ id: c.id, sql: c.input, outcome: qualifyCase(c) }));
}

function qualifyCase(c: QualifyCase): Outcome {
  const dialect = dialectOf(c.options);
  if (!dialect) return { status: "skip", reason: `dialect ${String(c.options["dialect"])} (outside the DuckDB / Spark / ANSI family)` };
  const input = parseQuery(c.input, { dialect });
  if (!input.ok) return { status: "skip", reason: `input outside the grammar: ${input.diagnostics[0]?.diagnostic.message ?? "?"}` };
  const expected = parseQuery(c.expected, { dialect });
  if (!expected.ok) return { status: "skip", reason: `expected output outside the grammar: ${expected.diagnostics[0]?.diagnostic.message ?? "?"}` };
  const { catalog } = tableCatalogFromSchemaJson(c.schema);
  const validate = c.options["validate_qualify_columns"] !== false;
  const r = bindQuery(input.ast, catalog, FUNCTIONS, { expandUsing: true, inferUnknownTables: true, checkFunctions: false, dialect });
  const errors = r.diagnostics.filter((d) => d.kind !== "type_mismatch" && d.kind !== "no_overload" && d.kind !== "unknown_field");
  if (validate && errors.length > 0) return { status: "fail", reason: `diagnostics: ${errors.map((d) => `${d.kind}: ${d.diagnostic.message}`).join("; ")}` };
  if (JSON.stringify(comparable(r.ast)) === JSON.stringify(comparable(expected.ast))) return { status: "pass" };
  return { status: "fail", reason: `got: ${printSql(r.ast, dialect).sql}` };
}

/**
 * Invalid cases that are valid SQL in the family, with the reason. Each one is run in DuckDB by
 * tests/conformance/sql-qualify.test.ts (over empty tables of the case's schema), which fails
 * if DuckDB rejects it: a case is only skipped while the executed engine accepts it.
 */
export const VALID_IN_FAMILY: Readonly<Record<string, string>> = {
  "qualify_columns_invalid-013":
    "valid in DuckDB and Spark: a derived table may have two columns named b (x.b and y.b from SELECT * over the cross join) and a is unique (DuckDB returns column a). DuckDB renames the second b to b_1, so even a bare b reads the first one there; in Spark a reference to b is ambiguous. SQLGlot reports 'a' as ambiguous.",
};

export interface InvalidResult extends CaseResult {
  readonly expectedKind: string;
  readonly gotKinds: readonly BindErrorKind[];
  /** The parser's messages when it rejected the input. */
  readonly parseErrors?: readonly string[];
  /** The case's schema (the DuckDB check builds empty tables from it). */
  readonly schema: Record<string, Record<string, string>>;
}

export function runInvalidCases(): InvalidResult[] {
  return readJsonl<InvalidCase>("qualify_columns_invalid.jsonl").map((c) => {
    const base = { id: c.id, sql: c.input, expectedKind: c.error_kind, schema: c.schema };
    const dialect = dialectOf(c.options);
    if (!dialect) return { ...base, gotKinds: [], outcome: { status: "skip", reason: "dialect" } };
    const input = parseQuery(c.input, { dialect });
    const skip = VALID_IN_FAMILY[c.id];
    if (!input.ok) {
      const parseErrors = input.diagnostics.map((d) => d.diagnostic.message);
      if (skip) return { ...base, gotKinds: [], parseErrors, outcome: { status: "fail", reason: `listed as valid in the family, but rejected by the parser: ${parseErrors.join("; ")}` } };
      return { ...base, gotKinds: [], parseErrors, outcome: { status: "pass" } };
    }
    const { catalog } = tableCatalogFromSchemaJson(c.schema);
    const r = bindQuery(input.ast, catalog, FUNCTIONS, { expandUsing: true, checkFunctions: false, dialect });
    const kinds = r.diagnostics.filter((d) => d.diagnostic.severity === "error").map((d) => d.kind);
    if (skip) return { ...base, gotKinds: kinds, outcome: kinds.length > 0 ? { status: "fail", reason: "listed as valid in the family, but rejected" } : { status: "skip", reason: skip } };
    return { ...base, gotKinds: kinds, outcome: kinds.length > 0 ? { status: "pass" } : { status: "fail", reason: "no error reported" } };
  });
}

export function runTpchQualified(): CaseResult[] {
  const schema = JSON.parse(readFileSync(join(CORPUS_DIR, "tpch", "schema.json"), "utf8")) as Record<string, Record<string, string>>;
  const { catalog } = tableCatalogFromSchemaJson(schema);
  const dir = join(CORPUS_DIR, "tpch", "queries");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const id = f.replace(/\.sql$/, "");
      const sql = readFileSync(join(dir, f), "utf8");
      const input = parseQuery(sql);
      const expected = parseQuery(readFileSync(join(CORPUS_DIR, "tpch", "expected_qualified", f), "utf8"));
      if (!input.ok || !expected.ok) return { id, sql, outcome: { status: "fail", reason: "does not parse" } as Outcome };
      const r = bindQuery(input.ast, catalog, FUNCTIONS, { expandUsing: true });
      if (!r.ok) return { id, sql, outcome: { status: "fail", reason: r.diagnostics.map((d) => d.diagnostic.message).join("; ") } as Outcome };
      const same = JSON.stringify(comparable(r.ast)) === JSON.stringify(comparable(expected.ast));
      return { id, sql, outcome: same ? ({ status: "pass" } as Outcome) : ({ status: "fail", reason: `got: ${printSql(r.ast).sql}` } as Outcome) };
    });
}
