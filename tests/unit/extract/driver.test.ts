/**
 * The extract driver: source roots, tree scans, extractor runs per tree, workers and their
 * failures (schema mismatches, crashes, a missing python3), progress and chunking.
 */
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { FACADE_ERROR_CODES, NativeError } from "../../../runtime-native/index.js";
import {
  balanceBySize,
  extractTreeOptions,
  extractorVersion,
  resolveSourceRoot,
  runExtractor,
  scanTree,
  type ExtractTable,
} from "../../../runtime-native/ts/extract/index.js";
import { MAX_FILE_BYTES, PY_FILES, TREE } from "./fixture-tree.js";
import { REPO, makeTree, specTables, tempDir } from "./helpers.js";

const tables = specTables();

async function rejection(p: Promise<unknown>): Promise<NativeError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    return error as NativeError;
  }
  throw new Error("expected a rejection");
}

function thrown(fn: () => unknown): NativeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    return error as NativeError;
  }
  throw new Error("expected an error");
}

/** The tables with one column's type (or name) replaced. */
function withColumn(dataset: string, column: string, change: { name?: string; type?: string; nullable?: boolean }): ExtractTable[] {
  return tables.map((t) => (t.dataset !== dataset ? t : { ...t, columns: t.columns.map((c) => (c.name === column ? { ...c, ...change } : c)) }));
}

const savedPython = process.env["CPGC_PYTHON"];
afterEach(() => {
  if (savedPython === undefined) delete process.env["CPGC_PYTHON"];
  else process.env["CPGC_PYTHON"] = savedPython;
});

describe("resolveSourceRoot", () => {
  it("stdlib:json is the json package of python3's standard library; stdlib: the library itself", () => {
    const json = resolveSourceRoot("stdlib:json", "/nowhere");
    expect(path.basename(json)).toBe("json");
    expect(existsSync(path.join(json, "__init__.py"))).toBe(true);
    expect(existsSync(path.join(json, "decoder.py"))).toBe(true);
    const lib = resolveSourceRoot("stdlib:", "/nowhere");
    expect(path.dirname(json)).toBe(lib);
    expect(existsSync(path.join(lib, "os.py"))).toBe(true);
    expect(resolveSourceRoot("stdlib:email.mime", "/nowhere")).toBe(path.join(lib, "email", "mime"));
  });

  it("a path is relative to the config directory", () => {
    const root = makeTree({ "proj/src/a.py": "x = 1\n" });
    expect(resolveSourceRoot("src", path.join(root, "proj"))).toBe(path.join(root, "proj", "src"));
    expect(resolveSourceRoot(path.join(root, "proj"), "/elsewhere")).toBe(path.join(root, "proj"));
  });

  it.each([
    ["stdlib:heapq", /a module, not a package/],
    ["stdlib:no_such_package_xyz", /not a module of this python3/],
    ["stdlib:not a name", /not a module name/],
    ["missing-dir", /is not a directory/],
  ])("%s is EXTRACT_ROOT_NOT_FOUND", (value, message) => {
    const error = thrown(() => resolveSourceRoot(value, tempDir("cfg")));
    expect(error.code).toBe("EXTRACT_ROOT_NOT_FOUND");
    expect(error.message).toMatch(message);
    expect(error.details).toMatchObject({ root: value });
  });

  it("without python3 a stdlib: root is PYTHON_NOT_FOUND", () => {
    process.env["CPGC_PYTHON"] = "/nonexistent/python3";
    const error = thrown(() => resolveSourceRoot("stdlib:json", "/"));
    expect(error.code).toBe("PYTHON_NOT_FOUND");
    expect(error.details).toEqual({ python: "/nonexistent/python3" });
  });
});

describe("scanTree", () => {
  it("lists included files sorted, with size and sha256, skipping excluded, hidden and __pycache__", () => {
    const root = makeTree({
      "b.py": "b = 1\n",
      "a/z.py": "z = 'é'\n",
      "a/tests/t.py": "t = 1\n",
      "a/x.txt": "text\n",
      "a/__pycache__/z.cpython-311.py": "junk\n",
      ".venv/lib.py": "v = 1\n",
    });
    symlinkSync(path.join(root, "a"), path.join(root, "loop"));
    symlinkSync(path.join(root, "b.py"), path.join(root, "c.py"));
    const files = scanTree(root, ["**/*.py"], ["**/tests/**"]);
    expect(files.map((f) => f.path)).toEqual(["a/z.py", "b.py", "c.py"]);
    expect(files[0]).toEqual({ path: "a/z.py", size: 9, sha256: createHash("sha256").update("z = 'é'\n").digest("hex") });
    expect(scanTree(root, ["a/*"]).map((f) => f.path)).toEqual(["a/x.txt", "a/z.py"]);
  });

  it("a missing root is EXTRACT_ROOT_NOT_FOUND", () => {
    expect(thrown(() => scanTree("/nonexistent/root", ["**/*.py"])).code).toBe("EXTRACT_ROOT_NOT_FOUND");
  });
});

describe("extractTreeOptions", () => {
  const datasets = tables.map((t) => ({
    name: t.dataset,
    columns: t.columns,
    source: {
      format: "extractor",
      options: {
        extractor: "python",
        options: t.dataset === "repo_files" ? { table: t.table, root: "{{ source_root }}", include: ["**/*.py"], max_file_bytes: 1000 } : { table: t.table },
      },
    },
  }));

  it("finds the one tree of the root project's extract datasets and every table of the extractor", () => {
    const runs = extractTreeOptions([...datasets, { name: "a_view", columns: [], source: null }], { source_root: "stdlib:json" });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ extractor: "python", dataset: "repo_files", root: "stdlib:json", include: ["**/*.py"], exclude: [], maxFileBytes: 1000 });
    expect(runs[0]!.tables.map((t) => t.table)).toEqual(["errors", "ast_nodes", "bytecode", "imports", "scopes", "symbols", "tokens", "files"]);
  });

  it("takes the plan's resolved extract descriptors as they are", () => {
    const extract = { extractor: "python", root: "src", include: ["**/*.py"], exclude: ["t/**"], max_file_bytes: null, tree_from: "repo_files" };
    const runs = extractTreeOptions(tables.map((t) => ({ name: t.dataset, columns: t.columns, extract: { ...extract, table: t.table } })));
    expect(runs[0]).toMatchObject({ dataset: "repo_files", root: "src", exclude: ["t/**"], maxFileBytes: undefined });
  });

  it.each([
    ["no tree", datasets.map((d) => ({ ...d, source: { format: "extractor", options: { extractor: "python", options: { table: (d.source.options.options as { table: string }).table } } } })), /declares the source tree/],
    ["two trees", datasets.map((d) => ({ ...d, source: { format: "extractor", options: { extractor: "python", options: { table: (d.source.options.options as { table: string }).table, root: ".", include: ["*.py"] } } } })), /each declare a source tree/],
    ["a table twice", [...datasets, { ...datasets[1]!, name: "zz_copy" }], /both hold table/],
    ["an unknown variable", datasets, /unknown variable source_root/],
  ])("%s is EXTRACT_OPTIONS_INVALID", (_, input, message) => {
    const error = thrown(() => extractTreeOptions(input, _ === "an unknown variable" ? {} : { source_root: "x" }));
    expect(error.code).toBe("EXTRACT_OPTIONS_INVALID");
    expect(error.message).toMatch(message);
  });
});

describe("runExtractor", () => {
  const root = makeTree(TREE);

  it("balances files over workers by size, each share sorted", () => {
    const shares = balanceBySize(
      [
        { path: "a", size: 100 },
        { path: "b", size: 60 },
        { path: "c", size: 50 },
        { path: "d", size: 10 },
      ],
      2,
    );
    expect(shares).toEqual([["a", "d"], ["b", "c"]]);
    expect(balanceBySize([{ path: "a", size: 1 }], 8)).toEqual([["a"]]);
  });

  it("reports progress per file up to the total, and chunks every chunkRows rows", async () => {
    const seen: [number, number][] = [];
    const r = await runExtractor({ extractor: "python", root, files: PY_FILES, tables, workers: 3, stagingDir: tempDir("progress"), maxFileBytes: MAX_FILE_BYTES, chunkRows: 50, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toHaveLength(PY_FILES.length);
    expect(seen.map(([d]) => d)).toEqual(PY_FILES.map((_, i) => i + 1));
    expect(seen.every(([, t]) => t === PY_FILES.length)).toBe(true);
    expect(r.workers).toHaveLength(3);
    expect(r.workers.reduce((s, w) => s + w.files, 0)).toBe(PY_FILES.length);
    expect(r.workers.every((w) => w.peakRssBytes > 1_000_000)).toBe(true);
    expect(r.tables["py_tokens"]!.files.length).toBeGreaterThanOrEqual(Math.ceil(r.tables["py_tokens"]!.rows / 50));
    expect(r.tables["py_tokens"]!.files.every((f) => /py_tokens\/part-\d{3}-\d{5}\.ndjson$/.test(f))).toBe(true);
  });

  it("no files: no workers, every dataset empty", async () => {
    const r = await runExtractor({ extractor: "python", root, files: [], tables, workers: 2, stagingDir: tempDir("empty") });
    expect(r.workers).toEqual([]);
    expect(Object.values(r.tables)).toEqual(tables.map(() => ({ files: [], rows: 0 })));
    expect(r.filesExtracted + r.filesFailed).toBe(0);
  });

  it("a value that does not fit is EXTRACT_SCHEMA_MISMATCH naming dataset, column and file", async () => {
    const wrongType = await rejection(runExtractor({ extractor: "python", root, files: PY_FILES, tables: withColumn("py_ast_nodes", "idx", { type: "utf8" }), workers: 1, stagingDir: tempDir("mm1") }));
    expect(wrongType.code).toBe("EXTRACT_SCHEMA_MISMATCH");
    expect(wrongType.details).toMatchObject({ dataset: "py_ast_nodes", column: "idx", file: "pkg/__init__.py" });
    expect(wrongType.message).toMatch(/py_ast_nodes.*pkg\/__init__\.py.*column idx: expected utf8, got int 0/);

    const overflow = await rejection(
      runExtractor({
        extractor: "python",
        root,
        files: ["pkg/empty.py", "pkg/mod.py"],
        tables: withColumn("py_tokens", "span", { type: "struct<bstart: int8, bend: int64, line: int32, col: int32, end_line: int32, end_col: int32>" }),
        workers: 1,
        stagingDir: tempDir("mm2"),
      }),
    );
    expect(overflow.details).toMatchObject({ dataset: "py_tokens", column: "span.bstart", file: "pkg/mod.py" });

    const notNull = await rejection(runExtractor({ extractor: "python", root, files: PY_FILES, tables: withColumn("py_ast_nodes", "parent_idx", { nullable: false }), workers: 2, stagingDir: tempDir("mm3") }));
    expect(notNull.details).toMatchObject({ dataset: "py_ast_nodes", column: "parent_idx" });
    expect(notNull.message).toMatch(/null in a non-nullable int32/);
  });

  it("a declared column or field the extractor lacks is EXTRACT_SCHEMA_MISMATCH", async () => {
    const column = await rejection(runExtractor({ extractor: "python", root, files: PY_FILES, tables: withColumn("py_imports", "alias", { name: "nickname" }), workers: 1, stagingDir: tempDir("mm4") }));
    expect(column.code).toBe("EXTRACT_SCHEMA_MISMATCH");
    expect(column.details).toMatchObject({ dataset: "py_imports", column: "nickname" });
    expect(column.message).toMatch(/no column 'nickname'/);
    const field = await rejection(
      runExtractor({ extractor: "python", root, files: PY_FILES, tables: withColumn("py_symbols", "flags", { type: "struct<is_local: bool, is_weird: bool>" }), workers: 1, stagingDir: tempDir("mm5") }),
    );
    expect(field.details).toMatchObject({ dataset: "py_symbols", column: "flags.is_weird" });
    const table = await rejection(runExtractor({ extractor: "python", root, files: PY_FILES, tables: [{ dataset: "x", table: "nope", columns: [] }], workers: 1, stagingDir: tempDir("mm6") }));
    expect(table.code).toBe("EXTRACT_SCHEMA_MISMATCH");
    expect(table.message).toMatch(/no table 'nope'/);
  });

  it("a worker that crashes is EXTRACTOR_FAILED with its stderr tail", async () => {
    const dir = tempDir("fakepy");
    const fake = path.join(dir, "python3");
    // answers -c (version, stdlib) like python3; crashes as a worker
    writeFileSync(fake, `#!/bin/sh\nfor a in "$@"; do [ "$a" = "-c" ] && exec python3 "$@"; done\necho "Traceback: boom in the worker" >&2\nexit 7\n`);
    chmodSync(fake, 0o755);
    process.env["CPGC_PYTHON"] = fake;
    const error = await rejection(runExtractor({ extractor: "python", root, files: PY_FILES, tables, workers: 2, stagingDir: tempDir("crash") }));
    expect(error.code).toBe("EXTRACTOR_FAILED");
    expect(error.message).toMatch(/exited with status 7:\nTraceback: boom in the worker/);
    expect(error.details).toMatchObject({ exitCode: "7", stderrTail: "Traceback: boom in the worker" });
  });

  it("an unknown extractor is EXTRACTOR_NOT_FOUND; a missing python3 PYTHON_NOT_FOUND", async () => {
    const unknown = await rejection(runExtractor({ extractor: "cobol", root, files: PY_FILES, tables, workers: 1, stagingDir: tempDir("nf") }));
    expect(unknown.code).toBe("EXTRACTOR_NOT_FOUND");
    expect(unknown.message).toMatch(/cpgc has: python/);
    process.env["CPGC_PYTHON"] = "/nonexistent/python3";
    expect((await rejection(runExtractor({ extractor: "python", root, files: PY_FILES, tables, workers: 1, stagingDir: tempDir("np") }))).code).toBe("PYTHON_NOT_FOUND");
  });

  it("staging: chunk files of an earlier run are replaced", async () => {
    const staging = tempDir("restage");
    mkdirSync(path.join(staging, "py_tokens"), { recursive: true });
    writeFileSync(path.join(staging, "py_tokens", "part-009-00000.ndjson"), "{}\n");
    writeFileSync(path.join(staging, "py_tokens", "keep.txt"), "mine\n");
    const r = await runExtractor({ extractor: "python", root, files: ["pkg/crlf.py"], tables, workers: 1, stagingDir: staging });
    expect(existsSync(path.join(staging, "py_tokens", "part-009-00000.ndjson"))).toBe(false);
    expect(existsSync(path.join(staging, "py_tokens", "keep.txt"))).toBe(true);
    expect(r.tables["py_tokens"]!.files).toEqual([path.join(staging, "py_tokens", "part-000-00000.ndjson")]);
  });
});

describe("extractorVersion and error codes", () => {
  it("is the interpreter version and a hash of the extractor's code, stable within a process", () => {
    const v = extractorVersion("python");
    expect(v).toMatch(/^CPython-\d+\.\d+\.\d+\/[0-9a-f]{16}$/);
    expect(extractorVersion("python")).toBe(v);
    expect(thrown(() => extractorVersion("cobol")).code).toBe("EXTRACTOR_NOT_FOUND");
  });

  it("the extract codes are facade codes, documented in runtime-native/README.md", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(path.join(REPO, "runtime-native", "README.md"), "utf8");
    for (const code of ["PYTHON_NOT_FOUND", "EXTRACTOR_NOT_FOUND", "EXTRACTOR_FAILED", "EXTRACT_SCHEMA_MISMATCH", "EXTRACT_ROOT_NOT_FOUND", "EXTRACT_OPTIONS_INVALID"]) {
      expect(Object.hasOwn(FACADE_ERROR_CODES, code), code).toBe(true);
      expect(readme, code).toContain(`| \`${code}\` |`);
    }
  });
});
