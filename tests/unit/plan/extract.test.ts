// Extract datasets in the plan: the desired extract (tree, table, templating, errors), full
// extraction (absent, extractor version, what the rows depend on, drift), per-file re-extraction
// (changed + added re-extracted, removed deleted: one replaceWhere), nothing changed → noop.
import { describe, expect, it } from "vitest";

import { desiredState } from "../../../compiler/src/plan/desired.js";
import type { ObservedSource, ObservedState } from "../../../compiler/src/plan/model.js";
import { CTX, dataset, drifted, emptyLake, manifest, ops, plan, sha, simulateApply, tableOf, view, withSource, withTable } from "./fixtures.js";

const VERSION = "CPython-3.11.7/0123456789abcdef";

const REPO_FILES = dataset("repo_files", ["path utf8!", "sha256 utf8!"], {
  source: { extractor: "python", options: { table: "files", root: "{{ source_root }}", include: ["**/*.py"], max_file_bytes: 1000 } },
  policy: { features: ["changeDataFeed"] },
});
const TOKENS = dataset("py_tokens", ["path utf8!", "idx int32!", "text utf8"], { source: { extractor: "python", options: { table: "tokens" } }, policy: { features: ["changeDataFeed"] } });
const TOKEN_TEXT = view("token_text", { lineage: { path: ["py_tokens.path"], text: ["py_tokens.text"] }, types: { path: "utf8", text: "utf8" } });
const FILE_LIST = view("file_list", { lineage: { path: ["repo_files.path"] }, types: { path: "utf8" } });
const PROJECT = [REPO_FILES, TOKENS, TOKEN_TEXT, FILE_LIST] as const;

const d = (vars: Record<string, string> = { source_root: "stdlib:json" }, ...tables: Parameters<typeof manifest>) =>
  desiredState(manifest(...(tables.length > 0 ? tables : PROJECT)), { ...CTX, variables: vars });

function tree(files: Record<string, string>, version = VERSION): ObservedSource {
  const list = Object.entries(files).map(([path, content]) => ({ path, size: content.length, sha256: sha(content) }));
  return { files: list, fingerprint: sha(JSON.stringify(list)), digests: null, digest_engine: null, error: null, extractor_version: version, root: "/usr/lib/python3.11/json" };
}

const TREE = { "__init__.py": "init", "decoder.py": "dec", "encoder.py": "enc" };

function withTree(lake: ObservedState, source: ObservedSource): ObservedState {
  return withSource(withSource(lake, "repo_files", source), "py_tokens", source);
}

function baseLake(desired = d()): ObservedState {
  return withTree(emptyLake(desired), tree(TREE));
}

function appliedLake(desired = d(), source = tree(TREE)): ObservedState {
  const lake = withTree(emptyLake(desired), source);
  const p = plan(desired, lake);
  expect(p.errors).toEqual([]);
  return simulateApply(desired, lake, p);
}

const acting = (p: ReturnType<typeof plan>) => Object.fromEntries(Object.entries(ops(p)).filter(([, o]) => o !== "noop"));

describe("the desired extract", () => {
  it("templates the options, copies the tree to every dataset of the extractor, names the extractor table", () => {
    const [files, tokens] = d().tables;
    expect(files!.extract).toEqual({ extractor: "python", table: "files", root: "stdlib:json", include: ["**/*.py"], exclude: [], max_file_bytes: 1000, tree_from: "repo_files" });
    expect(tokens!.extract).toEqual({ ...files!.extract, table: "tokens" });
    expect(files!.source!.options).toEqual({ extractor: "python", options: { table: "files", root: "stdlib:json", include: ["**/*.py"], max_file_bytes: 1000 } });
    expect(files!.errors).toBeUndefined();
  });

  it("a -var changes the root, the spec hash and the config hash", () => {
    const a = d();
    const b = d({ source_root: "stdlib:email" });
    expect(b.tables[0]!.extract!.root).toBe("stdlib:email");
    expect(b.tables[0]!.spec_hash).not.toBe(a.tables[0]!.spec_hash);
    expect(b.config_hash).not.toBe(a.config_hash);
  });

  const cases: { name: string; tables: Parameters<typeof manifest>; vars?: Record<string, string>; errors: [string, RegExp][] }[] = [
    {
      name: "no path column",
      tables: [dataset("repo_files", ["file utf8"], { source: REPO_FILES.source })],
      errors: [["repo_files", /needs a `path` column/]],
    },
    {
      name: "no dataset declares the tree",
      tables: [TOKENS],
      errors: [["py_tokens", /no dataset of extractor 'python' declares the source tree/]],
    },
    {
      name: "two datasets declare a tree",
      tables: [REPO_FILES, dataset("py_tokens", ["path utf8"], { source: { extractor: "python", options: { table: "tokens", root: "x", include: ["*.py"] } } })],
      errors: [
        ["repo_files", /datasets py_tokens, repo_files of extractor 'python' each declare a source tree/],
        ["py_tokens", /datasets py_tokens, repo_files of extractor 'python' each declare a source tree/],
      ],
    },
    {
      name: "an unknown variable",
      tables: [REPO_FILES],
      vars: {},
      errors: [["repo_files", /unknown variable source_root/]],
    },
    {
      name: "a tree without include",
      tables: [dataset("repo_files", ["path utf8"], { source: { extractor: "python", options: { root: "src" } } })],
      errors: [["repo_files", /include must be a non-empty list of globs/]],
    },
    {
      name: "two datasets hold one extractor table",
      tables: [REPO_FILES, dataset("other", ["path utf8"], { source: { extractor: "python", options: { table: "files" } } })],
      errors: [
        ["repo_files", /other and repo_files both hold table 'files'/],
        ["other", /other and repo_files both hold table 'files'/],
      ],
    },
  ];
  for (const c of cases) {
    it(`CPG1404: ${c.name}`, () => {
      const desired = d(c.vars ?? { source_root: "stdlib:json" }, ...c.tables);
      const p = plan(desired, emptyLake(desired));
      expect(p.errors.map((e) => e.code)).toEqual(c.errors.map(() => "CPG1404"));
      expect(p.errors.map((e) => e.table)).toEqual(c.errors.map(([t]) => t));
      p.errors.forEach((e, i) => expect(e.message).toMatch(c.errors[i]![1]));
    });
  }
});

describe("extraction in the plan", () => {
  it("absent: create with a full extraction, the file count in the reason", () => {
    const p = plan(d(), baseLake());
    expect(p.errors).toEqual([]);
    expect(acting(p)).toEqual({ repo_files: "create", py_tokens: "create", token_text: "create", file_list: "create" });
    const t = tableOf(p, "py_tokens");
    expect(t.changes.map((c) => [c.kind, c.reason])).toEqual([
      ["create", "the table does not exist"],
      ["load", `extract 3 files of stdlib:json (python extractor ${VERSION}, table tokens)`],
    ]);
    expect(t.step.write).toEqual({ mode: "overwrite", from: { kind: "source", source: d().tables[1]!.source, files: ["__init__.py", "decoder.py", "encoder.py"] } });
    expect(t.step.extract).toEqual({ files: ["__init__.py", "decoder.py", "encoder.py"], remove: [], full: true });
    expect(t.state!.extract).toEqual({ version: VERSION, spec: expect.any(String), files: { "__init__.py": sha("init").slice(0, 16), "decoder.py": sha("dec").slice(0, 16), "encoder.py": sha("enc").slice(0, 16) } });
  });

  it("a plan right after the apply is empty", () => {
    expect(acting(plan(d(), appliedLake()))).toEqual({});
  });

  it("changed, added and removed files: one replaceWhere per table; readers rematerialize", () => {
    const lake = withTree(appliedLake(), tree({ "__init__.py": "init", "decoder.py": "dec v2", "scanner.py": "scan" }));
    const p = plan(d(), lake);
    expect(acting(p)).toEqual({ repo_files: "update", py_tokens: "update", token_text: "rematerialize", file_list: "rematerialize" });
    const t = tableOf(p, "py_tokens");
    expect(t.changes.map((c) => [c.kind, c.class, c.reason])).toEqual([["load", "non-breaking", "re-extract 2 files (1 changed, 1 added: decoder.py, scanner.py), remove 1 file (encoder.py) of 3 in stdlib:json"]]);
    expect(t.step.write).toEqual({ mode: "replaceWhere", from: { kind: "source", source: d().tables[1]!.source, files: ["decoder.py", "scanner.py"] }, predicate: `"path" IN ('decoder.py', 'encoder.py', 'scanner.py')` });
    expect(t.step.extract).toEqual({ files: ["decoder.py", "scanner.py"], remove: ["encoder.py"], full: false });
    expect(t.changed_keys).toEqual({ column: "path", values: ["decoder.py", "encoder.py", "scanner.py"] });
    expect(t.dirty_columns).toEqual(["path", "idx", "text"]);
    expect(t.step.vacuum).toBe(true);
    expect(Object.keys(t.state!.extract!.files)).toEqual(["__init__.py", "decoder.py", "scanner.py"]);
    // and the lake that apply leaves plans nothing
    expect(acting(plan(d(), simulateApply(d(), lake, p)))).toEqual({});
  });

  it("many changed files are named up to five, with the count of the rest", () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`m${i}.py`, `m${i}`]));
    const lake = withTree(appliedLake(), tree({ ...TREE, ...many }));
    expect(tableOf(plan(d(), lake), "repo_files").changes[0]!.reason).toBe("re-extract 8 files (8 added: m0.py, m1.py, m2.py, m3.py, m4.py, … 3 more) of 11 in stdlib:json");
  });

  const full: { name: string; lake: () => ObservedState; desired?: () => ReturnType<typeof d>; reason: RegExp }[] = [
    { name: "the extractor version changed", lake: () => withTree(appliedLake(), tree(TREE, "CPython-3.12.1/fedcba9876543210")), reason: /^the python extractor changed \(CPython-3\.11\.7\/0123456789abcdef → CPython-3\.12\.1\/fedcba9876543210\): extract all 3 files of stdlib:json \(table tokens\)$/ },
    {
      name: "a column was added",
      desired: () => d(undefined, REPO_FILES, dataset("py_tokens", ["path utf8!", "idx int32!", "text utf8", "kind utf8"], { source: TOKENS.source, policy: { features: ["changeDataFeed"] } })),
      lake: () => appliedLake(),
      reason: /^the columns, extractor table or source tree changed: extract all 3 files/,
    },
    { name: "the root moved (-var)", desired: () => d({ source_root: "stdlib:email" }), lake: () => appliedLake(), reason: /^the columns, extractor table or source tree changed: extract all 3 files of stdlib:email/ },
    { name: "another writer committed", lake: () => drifted(appliedLake(), "py_tokens"), reason: /^others' commits are undone: extract 3 files .* again$/ },
    { name: "no extraction recorded", lake: () => withTable(appliedLake(), "py_tokens", (t) => ({ ...t, state: { ...t.state!, extract: undefined } })), reason: /^no extraction is recorded: extract 3 files/ },
  ];
  for (const c of full) {
    it(`full extraction (overwrite) when ${c.name}`, () => {
      const desired = c.desired?.() ?? d();
      const p = plan(desired, c.lake());
      expect(p.errors).toEqual([]);
      const t = tableOf(p, "py_tokens");
      expect(t.op).toBe("update");
      expect(t.step.write?.mode).toBe("overwrite");
      expect(t.step.extract).toEqual({ files: ["__init__.py", "decoder.py", "encoder.py"], remove: [], full: true });
      expect(t.changes.find((x) => x.kind === "load")!.reason).toMatch(c.reason);
    });
  }

  it("a property-only change commits metadata without extracting", () => {
    const desired = d(undefined, REPO_FILES, dataset("py_tokens", ["path utf8!", "idx int32!", "text utf8"], { source: TOKENS.source, policy: { features: ["changeDataFeed"], maintenance: { checkpoint_interval: 50 } } }));
    const p = plan(desired, appliedLake());
    const t = tableOf(p, "py_tokens");
    expect(t.op).toBe("update");
    expect(t.step.write).toBeUndefined();
    expect(t.step.extract).toBeUndefined();
    expect(t.changes.map((c) => c.kind)).toEqual(["properties"]);
    expect(t.state!.extract).toEqual(appliedLake().tables["py_tokens"]!.status === "present" ? (appliedLake().tables["py_tokens"] as { state: { extract: unknown } }).state.extract : null);
  });

  it("a tree that cannot be read is CPG1405", () => {
    const lake = withTree(emptyLake(d()), { files: [], fingerprint: "", digests: null, digest_engine: null, error: { code: "EXTRACT_ROOT_NOT_FOUND", message: "source root stdlib:nope: no such module" } });
    const p = plan(d(), lake);
    expect(p.errors.map((e) => [e.table, e.code])).toEqual([["repo_files", "CPG1405"], ["py_tokens", "CPG1405"]]);
    expect(p.errors[0]!.message).toBe("the source tree stdlib:json of extractor 'python' cannot be read: source root stdlib:nope: no such module (EXTRACT_ROOT_NOT_FOUND)");
  });
});
