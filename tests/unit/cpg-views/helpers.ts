// Builds the root project's CPG in an engine database without a lake: the extractor runs over a
// tree (runtime-native/ts/extract), its rows are read into tables named after the extract
// datasets, and every view of the compiled manifest is created from its canonical SQL in graph
// order (logical views as engine views, the others as tables) — what apply computes, minus Delta.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

import { compileProject, type Manifest } from "../../../compiler/src/compile/index.js";
import { loadProject } from "../../../compiler/src/spec/index.js";
import { openDatabase, type Database, type Row } from "../../../runtime-native/index.js";
import { duckDbType, quoteIdent, sqlString, sqlStringList } from "../../../runtime-native/ts/apply/sql.js";
import { runExtractor, type ExtractTable } from "../../../runtime-native/ts/extract/index.js";
import { REPO_ROOT } from "../../helpers/fixture-project.js";
import { FUNCTIONS } from "../../helpers/validate.js";

export const FIXTURE_PKG = path.join(REPO_ROOT, "tests", "unit", "cpg-views", "fixture", "pkg");
const EXPECTED_PY = path.join(REPO_ROOT, "tests", "unit", "cpg-views", "expected.py");

/** The root project (cpg.config.yaml) compiled, with config variables overridden. */
export async function compileRoot(variables: Readonly<Record<string, string>> = {}): Promise<Manifest> {
  const loaded = await loadProject(path.join(REPO_ROOT, "cpg.config.yaml"), { cwd: REPO_ROOT, variables });
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (loaded.model === undefined || errors.length > 0) throw new Error(`root project does not load: ${JSON.stringify(errors)}`);
  const { manifest, diagnostics } = compileProject(loaded.model, FUNCTIONS, loaded.sources);
  if (manifest === undefined || manifest === null) throw new Error(`root project does not compile: ${JSON.stringify(diagnostics)}`);
  return manifest;
}

/** Python files under root, relative and '/'-separated, sorted. */
export function pythonFiles(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir)).sort()) {
    const rel = dir === "" ? e : `${dir}/${e}`;
    if (e === "__pycache__") continue;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...pythonFiles(root, rel));
    else if (e.endsWith(".py")) out.push(rel);
  }
  return out.sort();
}

export interface BuiltCpg {
  readonly db: Database;
  readonly manifest: Manifest;
  readonly files: readonly string[];
  /** Rows of a query, bigints as numbers. */
  rows(sql: string): Row[];
}

/** Extracts `root` into `stagingDir` and builds every table and view of the root project over it. */
export async function buildCpg(root: string, stagingDir: string, variables: Readonly<Record<string, string>> = {}): Promise<BuiltCpg> {
  const manifest = await compileRoot(variables);
  const files = pythonFiles(root);
  const extractDatasets = manifest.datasets.filter((d) => (d.source as { extractor?: string } | null)?.extractor === "python");
  const tables: ExtractTable[] = extractDatasets.map((d) => ({
    dataset: d.name,
    table: String((d.source as { options: { table: string } }).options.table),
    columns: d.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
  }));
  const extracted = await runExtractor({ extractor: "python", root, files, tables, workers: 2, stagingDir });
  const db = openDatabase({ threads: 2 });
  for (const d of manifest.datasets) {
    const chunks = extracted.tables[d.name]?.files ?? [];
    const types = d.columns.map((c) => [c.name, duckDbType(c.type, `${d.name}.${c.name}`)] as const);
    const select =
      chunks.length === 0
        ? `SELECT ${types.map(([n, t]) => `CAST(NULL AS ${t}) AS ${quoteIdent(n)}`).join(", ")} WHERE FALSE`
        : `SELECT * FROM read_json(${sqlStringList(chunks)}, columns={${types.map(([n, t]) => `${sqlString(n)}: ${sqlString(t)}`).join(", ")}}, format='newline_delimited', records=true)`;
    db.query(`CREATE TABLE ${quoteIdent(d.name)} AS ${select}`);
  }
  for (const name of manifest.order) {
    const v = manifest.views.find((x) => x.name === name);
    if (v === undefined) continue;
    db.query(`CREATE ${v.materialize === "view" ? "VIEW" : "TABLE"} ${quoteIdent(name)} AS ${v.sql}`);
  }
  return {
    db,
    manifest,
    files,
    rows: (sql) => db.query(sql).rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))),
  };
}

export interface ExpectedDef {
  path: string;
  name: string;
  line: number;
  col: number;
  bstart: number;
  bend: number;
  qualname: string;
}
export interface ExpectedCall {
  path: string;
  line: number;
  col: number;
  bstart: number;
  rule: "name" | "self" | "import";
  callee_path: string;
  callee: string;
}
export interface Expected {
  defs: ExpectedDef[];
  methods: { path: string; class: string; method: string }[];
  calls: ExpectedCall[];
}

/** The defs, methods and certain call sites of the tree according to python3's ast (expected.py). */
export function expectedFromAst(root: string, files: readonly string[]): Expected {
  const r = spawnSync("python3", ["-I", EXPECTED_PY, root, ...files], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`expected.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Expected;
}

/** The directory of a package of python3's standard library (e.g. json). */
export function stdlibPackage(name: string): string {
  const r = spawnSync("python3", ["-I", "-c", `import ${name}, os; print(os.path.dirname(${name}.__file__))`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 cannot import ${name}: ${r.stderr}`);
  return r.stdout.trim();
}

/** `a` minus `b`, as JSON strings (readable diffs in failures). */
export function missing(a: readonly object[], b: readonly object[]): string[] {
  const have = new Set(b.map((x) => JSON.stringify(x)));
  return a.map((x) => JSON.stringify(x)).filter((x) => !have.has(x));
}
