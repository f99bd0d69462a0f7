// Issue 5's acceptance scenarios on copies of examples/lake-demo (and one fixture project under
// tests/fixtures/plan-apply), through the CLI's own entry point run in-process (runCli: real
// compiler, native runtime, DuckDB, temporary lakes). What each table holds is read back
// independently: versions and data files from the Delta log's JSON commits, rows through DuckDB.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { appendToDeltaTable, openDatabase } from "../../runtime-native/index.js";
import { REPO_ROOT } from "../helpers/fixture-project.js";
import { cli, commitActions, copyProject, dataFilesOnDisk, expectExit, liveDataFiles, query, tableVersion } from "../helpers/plan-apply-lake.js";

const LAKE_DEMO = join(REPO_ROOT, "examples", "lake-demo");
const FIXTURES = join(REPO_ROOT, "tests", "fixtures", "plan-apply");
const TABLES = ["files", "symbols", "calls", "functions", "call_graph"] as const;

interface PlanJson {
  exit_code: number;
  tables: { name: string; op: string; class: string; changes: { kind: string; class: string; reason: string }[]; schema_diff: { column: string; change: string }[] }[];
  errors: { table: string; code: string; message: string; hints: string[] }[];
}

/** The lake-demo, applied: a copy with its lake at version 0 everywhere. */
async function appliedDemo(name: string): Promise<{ dir: string; lake: string }> {
  const dir = copyProject(LAKE_DEMO, name);
  expectExit(await cli(["apply", "--auto-approve"], dir), 0);
  return { dir, lake: join(dir, ".cpg", "lake") };
}

async function planJson(dir: string, ...flags: string[]): Promise<PlanJson> {
  const r = await cli(["plan", "--json", ...flags], dir);
  if (r.code !== 0 && r.code !== 1) expectExit(r, 0);
  return JSON.parse(r.stdout) as PlanJson;
}

/** op (and class) per table that acts: `{ functions: "rematerialize/non-breaking" }`. */
function acting(plan: PlanJson): Record<string, string> {
  return Object.fromEntries(plan.tables.filter((t) => t.op !== "noop").map((t) => [t.name, `${t.op}/${t.class}`]));
}

const versions = (lake: string, tables: readonly string[] = TABLES) => Object.fromEntries(tables.map((t) => [t, tableVersion(join(lake, t))]));

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

async function expectNoChanges(dir: string): Promise<void> {
  const r = expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0);
  expect(r.stdout).toContain("No changes. Your lake matches the configuration.");
}

describe("plan/apply acceptance on examples/lake-demo", () => {
  it("a whitespace- and comment-only edit of a view: No changes", async () => {
    const { dir } = await appliedDemo("acc-whitespace");
    const views = join(dir, "specs", "views.yaml");
    edit(
      views,
      "  select s.symbol_id, s.name, f.path, s.line_start, s.line_end\n  from symbols s\n  join files f on f.file_id = s.file_id\n",
      "  /* one row per function */\n  select s.symbol_id,\n         s.name,   f.path,\n         s.line_start, s.line_end -- the span\n\n  from symbols s   join files f\n    on f.file_id = s.file_id\n",
    );
    await expectNoChanges(dir);
  });

  it("a new output column: non-breaking, applied, the column appears; views that do not read it stay", async () => {
    const { dir, lake } = await appliedDemo("acc-new-column");
    edit(join(dir, "specs", "views.yaml"), "select s.symbol_id, s.name, f.path,", "select s.symbol_id, s.name, f.path, f.language,");
    const plan = await planJson(dir);
    expect(acting(plan)).toEqual({ functions: "rematerialize/non-breaking" });
    const functions = plan.tables.find((t) => t.name === "functions")!;
    expect(functions.schema_diff).toEqual([expect.objectContaining({ column: "language", change: "added" })]);
    expect(functions.changes.map((c) => c.reason).join("\n")).toContain("new output column language");

    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    // call_graph reads functions.symbol_id and name, not language: left alone.
    expect(versions(lake)).toEqual({ files: 0, symbols: 0, calls: 0, functions: 1, call_graph: 0 });
    const rows = await query(dir, "select symbol_id, language from functions order by symbol_id");
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r["language"] === "python")).toBe(true);
    await expectNoChanges(dir);
  });

  it("a removed column: refused (exit 1, CPG1401) without --allow-destructive and schema mode overwrite; applied with both", async () => {
    const { dir, lake } = await appliedDemo("acc-removed-column");
    const datasets = join(dir, "specs", "datasets.yaml");
    edit(datasets, "    - { name: language, type: utf8, semantic: Language }\n", "");

    const refused = expectExit(await cli(["apply", "--auto-approve"], dir), 1);
    expect(refused.stdout).toContain("Error: [CPG1401] dataset.files: column language removed: a destructive schema change");
    expect(refused.stdout).toContain("hint: set delta.schema.mode: overwrite for files (specs/datasets.yaml:3)");
    expect(refused.stderr).toContain("✗ the plan cannot be applied: 1 error (CPG1401)");
    const flagOnly = expectExit(await cli(["plan", "--allow-destructive"], dir), 1);
    expect(flagOnly.stdout).toContain("hint: set delta.schema.mode: overwrite for files");
    const json = await planJson(dir);
    expect(json.tables.find((t) => t.name === "files")?.class).toBe("destructive");
    expect(json.errors.map((e) => [e.table, e.code])).toEqual([["files", "CPG1401"]]);

    edit(datasets, "delta:\n  write:\n    stats_columns: [file_id, path]", "delta:\n  schema:\n    mode: overwrite\n  write:\n    stats_columns: [file_id, path]");
    const modeOnly = expectExit(await cli(["apply", "--auto-approve"], dir), 1);
    expect(modeOnly.stdout).toContain("hint: and run with --allow-destructive");
    expect(versions(lake)["files"]).toBe(0);
    expectExit(await cli(["plan", "--detailed-exitcode", "--allow-destructive"], dir), 3);

    const applied = expectExit(await cli(["apply", "--auto-approve", "--allow-destructive"], dir), 0);
    expect(applied.stdout).toMatch(/^ {2}-\/\+ files\s+committed\s+v1\s/m);
    const metaData = commitActions(join(lake, "files"), 1).find((a) => a["metaData"])?.["metaData"];
    expect(JSON.parse(String(metaData?.["schemaString"])).fields.map((f: { name: string }) => f.name)).toEqual(["file_id", "path", "lines"]);
    expect(await query(dir, "select * from files order by file_id")).toEqual([
      { file_id: "f1", path: "shop/__init__.py", lines: 3 },
      { file_id: "f2", path: "shop/cart.py", lines: 48 },
      { file_id: "f3", path: "shop/pricing.py", lines: 31 },
    ]);
    await expectNoChanges(dir);
  });

  it("a changed source file: the source reloads; only descendants that read changed columns rematerialize", async () => {
    const { dir, lake } = await appliedDemo("acc-source");
    // files: only `language` changes — no view reads it. calls: a new call — call_graph reads every column.
    edit(join(dir, "data", "files.ndjson"), '"language": "python", "lines": 31', '"language": "python3", "lines": 31');
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n');
    expect(acting(await planJson(dir))).toEqual({ files: "update/non-breaking", calls: "update/non-breaking", call_graph: "rematerialize/non-breaking" });
    const applied = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(applied.stdout).toMatch(/^Apply complete! Resources: 0 created, 2 updated, 1 rematerialized, 0 destroyed\.$/m);
    expect(versions(lake)).toEqual({ files: 1, symbols: 0, calls: 1, functions: 0, call_graph: 1 });
    expect(await query(dir, "select count(*) as n from call_graph")).toEqual([{ n: 7 }]);
    await expectNoChanges(dir);

    // files.lines decides which functions exist (a filter): functions and, through it, call_graph.
    edit(join(dir, "data", "files.ndjson"), '"lines": 3}', '"lines": 1}');
    const plan = await planJson(dir);
    expect(acting(plan)).toEqual({ files: "update/non-breaking", functions: "rematerialize/non-breaking", call_graph: "rematerialize/non-breaking" });
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(versions(lake)).toEqual({ files: 2, symbols: 0, calls: 1, functions: 1, call_graph: 2 });
    expect(await query(dir, "select count(*) as n from functions")).toEqual([{ n: 6 }]);
    await expectNoChanges(dir);
  });

  // Regression: column digests were sums of per-column hashes, blind to values swapped between
  // rows — the paths of f2 and f3 swapped kept every column's digest, nothing was dirty, and
  // functions kept the old paths. Keyed by files' primary key, the swap dirties `path`.
  it("values swapped between two rows of a source: the readers of that column rematerialize", async () => {
    const { dir, lake } = await appliedDemo("acc-swap");
    const files = join(dir, "data", "files.ndjson");
    const before = await query(dir, "select symbol_id, path from functions order by symbol_id");
    writeFileSync(files, readFileSync(files, "utf8").replace('"shop/cart.py"', '"@cart@"').replace('"shop/pricing.py"', '"shop/cart.py"').replace('"@cart@"', '"shop/pricing.py"'));
    const plan = await planJson(dir);
    // call_graph reads functions' symbol_id and name, not path: it stays.
    expect(acting(plan)).toEqual({ files: "update/non-breaking", functions: "rematerialize/non-breaking" });
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(versions(lake)).toMatchObject({ files: 1, functions: 1, call_graph: 0 });
    const swap = (p: unknown) => (p === "shop/cart.py" ? "shop/pricing.py" : p === "shop/pricing.py" ? "shop/cart.py" : p);
    expect(await query(dir, "select symbol_id, path from functions order by symbol_id")).toEqual(before.map((r) => ({ ...r, path: swap(r["path"]) })));
    await expectNoChanges(dir);
  });

  it("a saved plan made stale by another apply is refused, naming the table (also one planned when the table was absent)", async () => {
    const { dir, lake } = await appliedDemo("acc-stale");
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n');
    expectExit(await cli(["plan", "-out", "moved.plan"], dir), 0);
    // A view that does not exist yet, planned for creation…
    appendFileSync(join(dir, "specs", "views.yaml"), "---\nkind: View\nname: long_files\nmaterialize: table\nsql: select path, lines from files where lines > 10\n");
    expectExit(await cli(["plan", "-out", "absent.plan"], dir), 0);
    // …and another apply creates it (and reloads calls) first.
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(versions(lake, ["calls", "long_files"])).toEqual({ calls: 1, long_files: 0 });

    const absent = expectExit(await cli(["apply", "absent.plan"], dir), 1);
    expect(absent.stderr).toContain("error[CPG1411]: the saved plan absent.plan is stale: the lake or the specs changed since it was made");
    expect(absent.stderr).toMatch(/^ {2}long_files\s+the table was absent when planned and now exists \(version 0\)$/m);
    expect(absent.stderr).toMatch(/^ {2}calls\s+the table moved from version 0 to 1 since the plan$/m);
    expect(absent.stderr).toContain("nothing was changed");

    const moved = expectExit(await cli(["apply", "moved.plan"], dir), 1);
    expect(moved.stderr).toMatch(/^ {2}\(specs\)\s+the specs or config changed since the plan was made$/m);
    expect(moved.stderr).toMatch(/^ {2}calls\s+the table moved from version 0 to 1 since the plan$/m);
    expect(versions(lake, ["calls", "long_files", "call_graph"])).toEqual({ calls: 1, long_files: 0, call_graph: 1 });
    expect(existsSync(join(lake, "_cpgc_lock"))).toBe(false);
    await expectNoChanges(dir);
  });

  it("an orphan (its spec removed) is listed, left alone by apply, destroyed only with --prune", async () => {
    const { dir, lake } = await appliedDemo("acc-orphan");
    const views = join(dir, "specs", "views.yaml");
    const text = readFileSync(views, "utf8");
    const docs = text.split("---\n").filter((d) => !d.includes("name: call_graph"));
    writeFileSync(views, docs.join("---\n").replace(", count(cg.call_id) as n_calls", "").replace("  left join call_graph cg on cg.caller_id = fn.symbol_id\n", ""));
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);

    const listed = expectExit(await cli(["plan", "--detailed-exitcode"], dir), 0);
    expect(listed.stdout).toMatch(/^ {2}\? orphan\.call_graph \(not destroyed; use --prune\)$/m);
    expect(listed.stdout).toContain("No changes. Your lake matches the configuration.");
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(tableVersion(join(lake, "call_graph"))).toBe(0);

    const prune = expectExit(await cli(["plan", "--detailed-exitcode", "--prune"], dir), 3);
    expect(prune.stdout).toMatch(/^ {2}- orphan\.call_graph \[destructive\]$/m);
    const pruned = expectExit(await cli(["apply", "--auto-approve", "--prune"], dir), 0);
    expect(pruned.stdout).toMatch(/^Apply complete! Resources: 0 created, 0 updated, 0 rematerialized, 1 destroyed\.$/m);
    expect(existsSync(join(lake, "call_graph"))).toBe(false);
    const after = expectExit(await cli(["plan", "--detailed-exitcode", "--prune"], dir), 0);
    expect(after.stdout).not.toContain("orphan");
  });

  it("a failing expectation: its table stays at its previous version, descendants are skipped, the rest is applied, exit 1", async () => {
    const { dir, lake } = await appliedDemo("acc-expectation");
    appendFileSync(join(dir, "data", "symbols.ndjson"), '{"symbol_id": "s2", "file_id": "f3", "kind": "function", "name": "dup", "line_start": 1, "line_end": 2}\n');
    edit(join(dir, "data", "files.ndjson"), '"language": "python", "lines": 31', '"language": "cython", "lines": 31');
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n');
    const r = expectExit(await cli(["apply", "--auto-approve"], dir), 1);
    expect(r.stdout).toMatch(/^ {2}~ symbols\s+failed\s.*\(EXPECTATION_FAILED\)$/m);
    expect(r.stdout).toMatch(/^ {2}✗ unique\(symbol_id\): 2 offending rows$/m);
    expect(r.stdout).toContain("Skipped: functions — symbols was not applied");
    expect(r.stdout).toContain("Skipped: call_graph — functions was not applied");
    expect(r.stdout).toMatch(/^Apply incomplete! Resources: 0 created, 2 updated, 0 rematerialized, 0 destroyed\. 1 failed, 2 skipped\.$/m);
    // files and calls do not depend on symbols: committed.
    expect(versions(lake)).toEqual({ files: 1, symbols: 0, calls: 1, functions: 0, call_graph: 0 });
    expect(await query(dir, "select count(*) as n from symbols")).toEqual([{ n: 8 }]);
    expect(await query(dir, "select language from files where file_id = 'f3'")).toEqual([{ language: "cython" }]);

    // Fixed data: the next apply finishes the work.
    writeFileSync(join(dir, "data", "symbols.ndjson"), readFileSync(join(LAKE_DEMO, "data", "symbols.ndjson")));
    const fixed = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(fixed.stdout).toMatch(/^ {2}⟳ call_graph\s+committed\s+v1\s/m);
    expect(versions(lake)).toEqual({ files: 1, symbols: 0, calls: 1, functions: 0, call_graph: 1 });
    expect(await query(dir, "select count(*) as n from call_graph")).toEqual([{ n: 7 }]);
    await expectNoChanges(dir);
  });
});

describe("a column rename with renamed_from under column mapping name", () => {
  it("is metadata-only: one commit without data files, the same data files before and after", async () => {
    const dir = copyProject(join(FIXTURES, "rename"), "acc-rename");
    const lake = join(dir, ".cpg", "lake");
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    // Rows of a managed dataset come from other writers.
    const db = openDatabase({ threads: 1 });
    try {
      appendToDeltaTable(join(lake, "nodes"), { sql: "SELECT * FROM (VALUES ('n1', 'call', 'f()'), ('n2', 'name', 'x'), ('n3', 'call', 'g()')) AS t(node_id, kind, label)" }, { db });
    } finally {
      db.close();
    }
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(await query(dir, "select * from node_kinds order by kind")).toEqual([
      { kind: "call", n: 2 },
      { kind: "name", n: 1 },
    ]);
    const nodes = join(lake, "nodes");
    const before = { version: tableVersion(nodes)!, live: liveDataFiles(nodes), disk: dataFilesOnDisk(nodes), kinds: tableVersion(join(lake, "node_kinds")) };
    expect(before.live).toHaveLength(1);

    edit(join(dir, "specs", "graph.yaml"), "- { name: label, type: utf8 }", "- { name: text, type: utf8, renamed_from: label }");
    const plan = await planJson(dir);
    expect(acting(plan)).toEqual({ nodes: "update/metadata-only" });
    expect(plan.tables.find((t) => t.name === "nodes")?.schema_diff).toEqual([expect.objectContaining({ column: "text", change: "renamed" })]);
    const applied = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(applied.stdout).toMatch(/^ {2}~ nodes\s+committed\s/m);

    // One commit, no data written or removed; every file the table had, it still has.
    expect(tableVersion(nodes)).toBe(before.version + 1);
    const actions = commitActions(nodes, before.version + 1);
    expect(actions.filter((a) => a["add"] || a["remove"] || a["cdc"])).toEqual([]);
    expect(liveDataFiles(nodes)).toEqual(before.live);
    expect(dataFilesOnDisk(nodes)).toEqual(before.disk);
    expect(tableVersion(join(lake, "node_kinds"))).toBe(before.kinds);
    expect(await query(dir, "select node_id, text from nodes order by node_id")).toEqual([
      { node_id: "n1", text: "f()" },
      { node_id: "n2", text: "x" },
      { node_id: "n3", text: "g()" },
    ]);
    await expectNoChanges(dir);
  });

  // The file changed (the key's name), its rows did not: the digests, taken at plan time and
  // compared through the rename, prove it, so the commit records the new file and loads nothing.
  it("of a source dataset whose file renamed only the key: no reload, the same data files", async () => {
    const dir = copyProject(LAKE_DEMO, "acc-rename-source");
    const lake = join(dir, ".cpg", "lake");
    const datasets = join(dir, "specs", "datasets.yaml");
    edit(datasets, "delta:\n  write:\n    stats_columns: [file_id, path]", "delta:\n  schema:\n    column_mapping: name\n  features: [columnMapping]\n  write:\n    stats_columns: [file_id, path]");
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    const files = join(lake, "files");
    const live = liveDataFiles(files);
    edit(datasets, "{ name: language, type: utf8, semantic: Language }", "{ name: lang, type: utf8, semantic: Language, renamed_from: language }");
    writeFileSync(join(dir, "data", "files.ndjson"), readFileSync(join(dir, "data", "files.ndjson"), "utf8").replaceAll('"language"', '"lang"'));
    expect(acting(await planJson(dir))).toEqual({ files: "update/metadata-only" });
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(liveDataFiles(files)).toEqual(live);
    await expectNoChanges(dir);
  });
});

describe("an append-only table", () => {
  // Delta refuses removing files from an append-only table, so a reload of one is a plan error
  // (CPG1413), never a failure halfway through apply; lifting the feature first lets it through.
  it("whose source changed: the plan is refused at plan time; without the feature it reloads", async () => {
    const dir = copyProject(LAKE_DEMO, "acc-append-only");
    const datasets = join(dir, "specs", "datasets.yaml");
    edit(datasets, "  primary_key: [call_id]\n", "  primary_key: [call_id]\ndelta:\n  features: [appendOnly]\n");
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    const calls = join(dir, ".cpg", "lake", "calls");
    const version = tableVersion(calls)!;
    appendFileSync(join(dir, "data", "calls.ndjson"), '{"call_id": "c7", "caller_id": "s2", "callee": "total", "line": 16}\n');
    const plan = expectExit(await cli(["plan", "--detailed-exitcode"], dir), 1);
    expect(plan.stdout + plan.stderr).toMatch(/CPG1413.*calls is append-only \(delta\.appendOnly = true\), and the plan would rewrite its rows/);
    const apply = expectExit(await cli(["apply", "--auto-approve"], dir), 1);
    expect(apply.stdout + apply.stderr).toContain("CPG1413");
    expect(tableVersion(calls)).toBe(version);

    // The hint's way out: drop the feature. The first apply only lifts the property (the version
    // read governs: not even the lifting commit may remove files) and says so; the next reloads.
    edit(datasets, "delta:\n  features: [appendOnly]\n", "");
    const lift = expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(lift.stdout).toContain("is planned after this apply: it lifts delta.appendOnly first");
    expect(tableVersion(calls)).toBe(version + 1);
    expect(commitActions(calls, version + 1).filter((a) => a["add"] || a["remove"])).toEqual([]);
    expect(await query(dir, "select count(*) as n from calls")).toEqual([{ n: 6 }]);
    const reload = expectExit(await cli(["plan", "--detailed-exitcode"], dir), 2);
    expect(reload.stdout).toMatch(/source changed/);
    expectExit(await cli(["apply", "--auto-approve"], dir), 0);
    expect(await query(dir, "select count(*) as n from calls")).toEqual([{ n: 7 }]);
    expect(await query(dir, "select count(*) as n from call_graph")).toEqual([{ n: 7 }]);
    await expectNoChanges(dir);
  });
});
