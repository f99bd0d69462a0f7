// `cpgc table scan|changes` and `cpgc query` run in-process with a captured CommandIO
// (both commands are registered in compiler/src/cli/main.ts by the lead).
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { parseArgs } from "../../../compiler/src/cli/args.js";
import { queryCommand } from "../../../compiler/src/cli/commands/query.js";
import { tableCommand } from "../../../compiler/src/cli/commands/table.js";
import type { Command, CommandIO } from "../../../compiler/src/cli/io.js";
import { copyTable, CORPUS, corpusTable, tempDir } from "./helpers.js";

async function run(command: Command, argv: readonly string[], cwd = CORPUS) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTTY: false, stderrIsTTY: false };
  const parsed = parseArgs(command.spec, argv);
  if (!parsed.ok) throw new Error(parsed.error);
  const code = await command.run(parsed.args, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("cpgc table scan", () => {
  it("prints rows as ndjson with deletion vectors applied and reports files on stderr", async () => {
    const r = await run(tableCommand, ["scan", "dv-small/delta"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((value) => ({ value })).sort());
    expect(r.stderr).toBe("scanned 1 of 1 file (0 pruned) at version 1; 2 row(s) deleted by deletion vectors");
  });

  it("prunes files with --where and projects --columns in csv and table formats", async () => {
    const r = await run(tableCommand, ["scan", "partition-type-primitives/delta", "--where", "category = 'A' AND id < 100", "--columns", "id,category", "--format", "csv"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("id,category");
    expect(lines.slice(1).every((l) => l.endsWith(",A"))).toBe(true);
    expect(r.stderr).toMatch(/^scanned (\d+) of (\d+) files \((\d+) pruned\)/);
    const [, scanned, total, pruned] = /scanned (\d+) of (\d+) files \((\d+) pruned\)/.exec(r.stderr) ?? [];
    expect(Number(pruned)).toBeGreaterThan(0);
    expect(Number(scanned) + Number(pruned)).toBe(Number(total));

    const t = await run(tableCommand, ["scan", "column-mapping-name-partitioned/delta", "--format", "table", "--limit", "2", "--columns", "Super Name"]);
    expect(t.code).toBe(0);
    expect(t.stdout.split("\n")[0]).toBe("Super Name");
    expect(t.stdout.split("\n").at(-1)).toBe("(2 rows)");
  });

  it("--json reports the scan with its rows; time travel by --version", async () => {
    const r = await run(tableCommand, ["scan", "dv-small/delta", "--version", "0", "--json"]);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ format_version: "1.0", version: 0, files_total: 1, files_scanned: 1, files_pruned: 0, files_with_deletion_vectors: 0 });
    expect((json["rows"] as unknown[]).length).toBe(10);
  });

  it("errors are one line with the code, usage errors name the option", async () => {
    const r = await run(tableCommand, ["scan", "no-such-table"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: expect.stringMatching(/^error\[DELTA_TABLE_NOT_FOUND\]: [^\n]+$/) as unknown as string });
    const bad = await run(tableCommand, ["scan", "dv-small/delta", "--columns", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error\[INVALID_ARGUMENT\]: no column "nope"/);
    const sqlError = await run(tableCommand, ["scan", "dv-small/delta", "--where", "missing_col = 1"]);
    expect(sqlError.stderr).toMatch(/^error\[DUCKDB_QUERY_FAILED\]: /);
    const usage = await run(tableCommand, ["scan", "dv-small/delta", "--from", "1"]);
    expect(usage.stderr).toMatch(/^error: --from does not apply to 'table scan'/);
  });
});

describe("cpgc table changes", () => {
  it("reads cdc files and derives changes of commits without them", async () => {
    const r = await run(tableCommand, ["changes", "cdf-partitioned/delta", "--from", "0"]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.filter((row) => row["_commit_version"] === 0).every((row) => row["_change_type"] === "insert")).toBe(true);
    expect(new Set(rows.map((row) => row["_change_type"]))).toContain("delete");
    expect(Object.keys(rows[0] ?? {})).toEqual(["id", "name", "birthday", "_change_type", "_commit_version", "_commit_timestamp"]);
    expect(r.stderr).toMatch(/^changes of versions 0\.\.3: /);
    const missing = await run(tableCommand, ["changes", "cdf-partitioned/delta"]);
    expect(missing.stderr).toMatch(/^error: 'table changes' needs --from V/);
  });

  it("derives deletes from a deletion vector that changed in a commit", async () => {
    const r = await run(tableCommand, ["changes", "dv-small/delta", "--from", "1"]);
    const rows = r.stdout.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((row) => [row["value"], row["_change_type"]]).sort()).toEqual([
      [0, "delete"],
      [9, "delete"],
    ]);
  });
});

describe("cpgc table vacuum", () => {
  it("--dry-run lists files and deletes nothing; errors keep the one-line form", async () => {
    const table = copyTable("versions-with-removes-no-stats");
    const r = await run(tableCommand, ["vacuum", ".", "--dry-run", "--json"], table);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format_version: "1.0", dry_run: true });
    const bad = await run(tableCommand, ["vacuum", ".", "--retention-hours", "soon"], table);
    expect(bad.stderr).toMatch(/^error: --retention-hours needs a non-negative number/);
  });
});

describe("cpgc query", () => {
  it("sees every table of the lake by its directory name", async () => {
    const lake = tempDir();
    for (const name of ["dv-small", "column-mapping-name-partitioned"]) {
      mkdirSync(path.join(lake, "tables"), { recursive: true });
      cpSync(corpusTable(name), path.join(lake, "tables", name.replace(/-/g, "_")), { recursive: true });
    }
    const r = await run(queryCommand, ['SELECT count(*) AS n, sum(value) AS s FROM dv_small', "--lake", lake, "--format", "ndjson"]);
    expect(r).toEqual({ code: 0, stdout: '{"n":8,"s":36}', stderr: "" });
    const j = await run(queryCommand, ['SELECT "Company Very Short" AS c, count(*) AS n FROM column_mapping_name_partitioned GROUP BY ALL ORDER BY c', "--lake", lake, "--format", "csv"]);
    expect(j.code).toBe(0);
    expect(j.stdout.split("\n")[0]).toBe("c,n");
    const e = await run(queryCommand, ["SELECT * FROM nope", "--lake", lake]);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/^error\[DUCKDB_QUERY_FAILED\]: [^\n]+$/);
    const noLake = await run(queryCommand, ["SELECT 1"], tempDir());
    expect(noLake.stderr).toMatch(/^error: no lake/);
  });
});
