/**
 * The Python extractor over a small package (tests/unit/extract/fixture-tree.ts): byte spans are
 * exact, bad files become extract_errors rows, the staged ndjson reads back with DuckDB under the
 * declared schemas, and runs are deterministic.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import type { Row } from "../../../runtime-native/index.js";
import { runExtractor, scanTree, type ExtractResult, type ExtractTable } from "../../../runtime-native/ts/extract/index.js";
import { MAX_FILE_BYTES, PY_FILES, TREE } from "./fixture-tree.js";
import { db, makeTree, readRows, relationSql, specTables, tempDir } from "./helpers.js";

const tables = specTables();
const table = (dataset: string): ExtractTable => {
  const t = tables.find((x) => x.dataset === dataset);
  if (t === undefined) throw new Error(`no dataset ${dataset} in specs/extract`);
  return t;
};

let root: string;
let staging: string;
let result: ExtractResult;
const rows = (dataset: string, orderBy: string): Row[] => readRows(table(dataset), result.tables[dataset]!.files, orderBy);

function sortedLines(r: ExtractResult, dataset: string): string[] {
  return r.tables[dataset]!.files.flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => l !== "")).sort();
}

beforeAll(async () => {
  root = makeTree(TREE);
  staging = tempDir("staging");
  const files = scanTree(root, ["**/*.py"]).map((f) => f.path);
  expect(files).toEqual(PY_FILES);
  result = await runExtractor({ extractor: "python", root, files, tables, workers: 2, stagingDir: staging, maxFileBytes: MAX_FILE_BYTES });
});

describe("python extractor over a small package", () => {
  it("fills every dataset; DuckDB reads the chunks with the declared columns and counts match", () => {
    expect(Object.keys(result.tables).sort()).toEqual(tables.map((t) => t.dataset).sort());
    for (const t of tables) {
      const { files, rows: n } = result.tables[t.dataset]!;
      const counted = files.length === 0 ? 0 : Number(db().query(`SELECT count(*) AS n FROM (${relationSql(t, files)})`).rows[0]!["n"]);
      expect(counted, t.dataset).toBe(n);
    }
    expect(result.tables["repo_files"]!.rows).toBe(PY_FILES.length);
    expect(result.tables["py_ast_nodes"]!.rows).toBeGreaterThan(250);
    expect(result.tables["py_tokens"]!.rows).toBeGreaterThan(400);
    expect(result.tables["py_bytecode"]!.rows).toBeGreaterThan(200);
    expect(result.filesExtracted + result.filesFailed).toBe(PY_FILES.length);
    expect(result.filesFailed).toBe(4);
    expect(result.extractorVersion).toMatch(/^CPython-3\.\d+\.\d+\/[0-9a-f]{16}$/);
    expect(result.workers).toHaveLength(2);
  });

  it("byte spans are exact: bytes[bstart:bend] is the source segment of every node, token and instruction", () => {
    const check = spawnSync("python3", [path.join(import.meta.dirname, "check_spans.py"), root, staging], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    const report = JSON.parse(check.stdout) as { counts: Record<string, number>; mismatches: string[] };
    expect(report.mismatches).toEqual([]);
    // every file that parsed was checked (bad_syntax, latin1_nocookie and big did not)
    expect(report.counts["files"]).toBe(PY_FILES.length - 3);
    expect(report.counts["ast_spans"]).toBeGreaterThan(200);
    expect(report.counts["token_spans"]).toBeGreaterThan(400);
    expect(report.counts["bytecode_spans"]).toBeGreaterThan(200);
  });

  it("spans are byte offsets, columns are UTF-8 bytes in the line (BOM, latin-1 cookie, CRLF, CR, 4-byte chars)", () => {
    const nodes = rows("py_ast_nodes", "path, idx");
    const find = (p: string, kind: string, pred: (r: Row) => boolean = () => true) => nodes.find((r) => r["path"] === p && r["kind"] === kind && pred(r))!;
    const bytes = (p: string) => Buffer.from(TREE[p]!);
    const seg = (p: string, r: Row, enc: BufferEncoding = "utf8") => {
      const s = r["span"] as { bstart: number; bend: number };
      return bytes(p).subarray(Number(s.bstart), Number(s.bend)).toString(enc);
    };
    // BOM: line 1 starts after the 3 BOM bytes
    expect(seg("pkg/bom.py", find("pkg/bom.py", "Assign"))).toBe("s = 'ß'");
    expect((find("pkg/bom.py", "Assign")["span"] as { bstart: number }).bstart).toBe(3);
    // latin-1 cookie: offsets count latin-1 bytes ('é' is one byte), columns UTF-8 bytes
    const tuple = find("pkg/latin_cookie.py", "Tuple");
    expect(seg("pkg/latin_cookie.py", tuple, "latin1")).toBe("(s,\n     'naïve')");
    const cafe = find("pkg/latin_cookie.py", "Constant", (r) => (r["attrs"] as { key: string; value: string }[]).some((a) => a.value === "'café'"));
    expect(cafe["span"]).toMatchObject({ line: 2, col: 4, end_line: 2, end_col: 11 });
    expect(Number((cafe["span"] as { bend: number }).bend) - Number((cafe["span"] as { bstart: number }).bstart)).toBe(6);
    // CRLF and lone CR end lines
    expect(seg("pkg/crlf.py", find("pkg/crlf.py", "List"))).toBe("[\r\n        1,\r\n    ]");
    expect(find("pkg/cr_only.py", "Return")["span"]).toMatchObject({ line: 4, col: 4 });
    expect(seg("pkg/cr_only.py", find("pkg/cr_only.py", "FunctionDef"))).toBe("def f():\r    return 2");
    // 4-byte characters and tabs
    const fn = find("pkg/mod.py", "FunctionDef", (r) => (r["attrs"] as { key: string; value: string }[]).some((a) => a.key === "name" && a.value === "grüße"));
    expect(seg("pkg/mod.py", fn)).toMatch(/^def grüße\(名前, \*args/);
    const files = rows("repo_files", "path");
    expect(files.find((f) => f["path"] === "pkg/bom.py")).toMatchObject({ encoding: "utf-8-sig", line_count: 2, language: "python" });
    expect(files.find((f) => f["path"] === "pkg/latin_cookie.py")).toMatchObject({ encoding: "iso-8859-1", line_count: 4 });
    expect(files.find((f) => f["path"] === "pkg/cr_only.py")).toMatchObject({ line_count: 4 });
    expect(files.find((f) => f["path"] === "pkg/no_newline.py")).toMatchObject({ line_count: 2 });
    expect(files.find((f) => f["path"] === "pkg/empty.py")).toMatchObject({ line_count: 0, size_bytes: 0 });
  });

  it("bad files are extract_errors rows, never a crash", () => {
    const errors = rows("extract_errors", "path, stage").map((r) => ({ path: r["path"], stage: r["stage"], error_type: r["error_type"], line: r["line"] }));
    expect(errors).toEqual([
      { path: "pkg/bad_syntax.py", stage: "parse", error_type: "SyntaxError", line: 4 },
      { path: "pkg/big.py", stage: "too_large", error_type: "FileTooLarge", line: null },
      { path: "pkg/latin1_nocookie.py", stage: "decode", error_type: "UnicodeDecodeError", line: 2 },
      { path: "pkg/outside.py", stage: "compile", error_type: "SyntaxError", line: 2 },
    ]);
    const nodesByPath = new Set(rows("py_ast_nodes", "path").map((r) => r["path"]));
    // a parse or decode failure leaves no rows; a compile failure only loses the bytecode
    expect(nodesByPath.has("pkg/bad_syntax.py")).toBe(false);
    expect(nodesByPath.has("pkg/latin1_nocookie.py")).toBe(false);
    expect(nodesByPath.has("pkg/outside.py")).toBe(true);
    expect(rows("py_bytecode", "path").some((r) => r["path"] === "pkg/outside.py")).toBe(false);
    // every file has its repo_files row, with the hash of its bytes
    const big = rows("repo_files", "path").find((f) => f["path"] === "pkg/big.py")!;
    expect(big).toMatchObject({ size_bytes: 12000, line_count: 2000, encoding: null });
  });

  it("ast rows: preorder, parents, subtrees, fields, folded operators and attributes", () => {
    const nodes = rows("py_ast_nodes", "path, idx").filter((r) => r["path"] === "pkg/mod.py");
    const attrs = (r: Row) => Object.fromEntries((r["attrs"] as { key: string; value: string }[]).map((a) => [a.key, a.value]));
    expect(nodes[0]).toMatchObject({ idx: 0, parent_idx: null, kind: "Module", field: null, depth: 0, span: null, last_idx: nodes.length - 1 });
    for (const n of nodes.slice(1)) {
      const parent = nodes[n["parent_idx"] as number]!;
      expect(parent["idx"]).toBeLessThan(n["idx"] as number);
      expect(n["last_idx"] as number).toBeLessThanOrEqual(parent["last_idx"] as number);
      expect(n["depth"]).toBe((parent["depth"] as number) + 1);
    }
    expect(nodes.some((n) => ["Load", "Store", "Add", "Eq", "Not"].includes(n["kind"] as string))).toBe(false);
    const compares = nodes.filter((n) => n["kind"] === "Compare").map((n) => attrs(n)["ops"]);
    expect(compares).toEqual(["NotEq", "Gt", "Is", "Lt,LtE,NotEq"]);
    const big = nodes.find((n) => n["kind"] === "Constant" && attrs(n)["value_type"] === "int" && attrs(n)["value"]!.length > 20)!;
    expect(attrs(big)["value"]).toBe("123456789012345678901234567890");
    const long = nodes.find((n) => n["kind"] === "Constant" && attrs(n)["value"]!.startsWith("'ααα"))!;
    expect(attrs(long)["value"]).toHaveLength(200);
    expect(nodes.find((n) => n["kind"] === "Constant" && attrs(n)["value_type"] === "NoneType")).toBeDefined();
    const nonlocal = nodes.find((n) => n["kind"] === "Nonlocal")!;
    expect(attrs(nonlocal)).toEqual({ names: "count" });
    const aug = nodes.find((n) => n["kind"] === "AugAssign")!;
    expect(attrs(aug)).toEqual({ op: "Add" });
    const name = nodes.find((n) => n["kind"] === "Name" && attrs(n)["id"] === "count" && attrs(n)["ctx"] === "Store")!;
    expect(name["field"]).toBe("targets");
    const args = nodes.filter((n) => n["kind"] === "arg").map((n) => attrs(n)["arg"]);
    expect(args.slice(0, 4)).toEqual(["名前", "args", "flag", "kw"]);
    const body = nodes.filter((n) => n["parent_idx"] === 0).map((n) => [n["field"], n["field_index"]]);
    expect(body.slice(0, 3)).toEqual([["body", 0], ["body", 1], ["body", 2]]);
  });

  it("imports, scopes with their AST node, symbols with flags, bytecode per code object", () => {
    const imports = rows("py_imports", "path, node_idx, alias_index").filter((r) => r["path"] === "pkg/__init__.py");
    expect(imports.map((r) => [r["module"], r["name"], r["alias"], r["level"]])).toEqual([
      ["mod", "grüße", "hello", 1],
      ["mod", "Thing", null, 1],
      ["os.path", null, "osp", 0],
      ["sys", null, null, 0],
      [null, "mod", null, 1],
      [null, "*", null, 2],
    ]);
    const nodes = rows("py_ast_nodes", "path, idx").filter((r) => r["path"] === "pkg/mod.py");
    const scopes = rows("py_scopes", "path, scope_idx").filter((r) => r["path"] === "pkg/mod.py");
    expect(scopes[0]).toMatchObject({ scope_idx: 0, parent_scope_idx: null, kind: "module", name: "top", node_idx: 0 });
    for (const s of scopes) {
      expect(s["node_idx"], `scope ${String(s["name"])}`).not.toBeNull();
      const node = nodes[s["node_idx"] as number]!;
      expect(node["span"] === null ? null : (node["span"] as { line: number }).line).toBe(s["line"] ?? null);
    }
    expect(scopes.map((s) => s["name"])).toEqual(expect.arrayContaining(["grüße", "inner", "listcomp", "decorated", "lambda", "dictcomp", "Thing", "método", "_Thing__private", "co"].filter((n) => n !== "_Thing__private")));
    const inner = scopes.find((s) => s["name"] === "inner")!;
    const symbols = rows("py_symbols", "path, scope_idx, name").filter((r) => r["path"] === "pkg/mod.py");
    const count = symbols.find((s) => s["scope_idx"] === inner["scope_idx"] && s["name"] === "count")!;
    expect(count["flags"]).toMatchObject({ is_free: true, is_nonlocal: true, is_local: false, is_assigned: true });
    const grusse = scopes.find((s) => s["name"] === "grüße")!;
    const param = symbols.find((s) => s["scope_idx"] === grusse["scope_idx"] && s["name"] === "名前")!;
    expect(param["flags"]).toMatchObject({ is_parameter: true, is_local: true, is_referenced: true });
    const code = rows("py_bytecode", "path, code_idx, \"offset\"").filter((r) => r["path"] === "pkg/mod.py");
    const names = [...new Set(code.map((r) => r["code_name"]))];
    expect(names).toEqual(expect.arrayContaining(["<module>", "grüße", "inner", "<listcomp>", "<lambda>", "método", "co"]));
    expect(code.find((r) => r["code_name"] === "inner")).toMatchObject({ qualname: "grüße.<locals>.inner", parent_code_idx: code.find((r) => r["code_name"] === "grüße")!["code_idx"] });
    expect(code.filter((r) => r["code_idx"] === 0)[0]).toMatchObject({ parent_code_idx: null, code_name: "<module>", first_line: 1 });
  });

  it("is deterministic: the same rows from another run, whatever the number of workers", async () => {
    const files = scanTree(root, ["**/*.py"]).map((f) => f.path);
    const again = await runExtractor({ extractor: "python", root, files, tables, workers: 2, stagingDir: tempDir("again"), maxFileBytes: MAX_FILE_BYTES });
    const one = await runExtractor({ extractor: "python", root, files, tables, workers: 1, stagingDir: tempDir("one"), maxFileBytes: MAX_FILE_BYTES, chunkRows: 100 });
    for (const t of tables) {
      const a = result.tables[t.dataset]!.files.map((f) => readFileSync(f, "utf8"));
      const b = again.tables[t.dataset]!.files.map((f) => readFileSync(f, "utf8"));
      expect(b, t.dataset).toEqual(a);
      expect(sortedLines(one, t.dataset), t.dataset).toEqual(sortedLines(result, t.dataset));
    }
    expect(one.tables["py_tokens"]!.files.length).toBeGreaterThan(5); // chunked every 100 rows
  });
});
