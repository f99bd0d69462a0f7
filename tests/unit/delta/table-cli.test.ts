// `cpgc table show|history` run in-process through tableCommand with a captured CommandIO
// (the command is registered in compiler/src/cli/main.ts by the lead).
import { utimesSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { parseArgs } from "../../../compiler/src/cli/args.js";
import { tableCommand } from "../../../compiler/src/cli/commands/table.js";
import type { CommandIO } from "../../../compiler/src/cli/io.js";
import { CORPUS, copyTable, logFile } from "./helpers.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: readonly string[], cwd = CORPUS): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTTY: false, stderrIsTTY: false };
  const parsed = parseArgs(tableCommand.spec, argv);
  if (!parsed.ok) throw new Error(parsed.error);
  const code = await tableCommand.run(parsed.args, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("cpgc table show", () => {
  it("prints the snapshot as text", async () => {
    const table = copyTable("dv-small");
    utimesSync(logFile(table, 1), new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    const r = await run(["show", "."], table);
    expect(r).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        `Delta table ${table}`,
        "  version            1 (2024-01-02T03:04:05.000Z)",
        "  protocol           reader 3, writer 7",
        "  reader features    deletionVectors",
        "  writer features    deletionVectors",
        "  partition columns  (none)",
        "  files              1 (635 B)",
        "  records            8",
        "",
        "schema (1 column)",
        "  value  integer",
        "",
        "configuration",
        "  delta.columnMapping.mode = none",
        "  delta.enableDeletionVectors = true",
      ].join("\n"),
    });
  });

  it("prints JSON with format_version, physical names and the record count", async () => {
    const r = await run(["show", "column-mapping-name-partitioned/delta", "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      format_version: "1.0",
      table: `${CORPUS}/column-mapping-name-partitioned/delta`,
      version: 0,
      protocol: { min_reader_version: 2, min_writer_version: 5, reader_features: [], writer_features: [] },
      column_mapping: "name",
      schema: [
        { name: "Company Very Short", type: "string", nullable: true, physical_name: "col-173b4db9-b5ad-427f-9e75-516aae37fbbb", field_id: 1 },
        { name: "Super Name", type: "string", nullable: true, physical_name: "col-3877fd94-0973-4941-ac6b-646849a1ff65", field_id: 2 },
      ],
      partition_columns: ["Company Very Short"],
      num_files: 2,
      num_records: 5,
      warnings: [],
    });
    expect(Object.keys(json)).toEqual([
      "format_version", "table", "version", "timestamp", "timestamp_ms", "protocol", "column_mapping", "schema",
      "partition_columns", "configuration", "num_files", "num_records", "size_bytes", "warnings",
    ]);
  });

  it("time-travels by version (counting rows from Parquet footers without stats) and by timestamp", async () => {
    const v2 = JSON.parse((await run(["show", "versions-with-removes-no-stats/delta", "--version", "2", "--json"])).stdout);
    expect([v2.version, v2.num_records]).toEqual([2, 5]);
    const byTime = JSON.parse((await run(["show", "cdf-in-commit-timestamps/delta", "--timestamp", "2026-07-12T16:36:52.175Z", "--json"])).stdout);
    expect([byTime.version, byTime.timestamp]).toEqual([2, "2026-07-12T16:36:52.175Z"]);
  });
});

describe("cpgc table history", () => {
  it("lists commits newest first", async () => {
    const r = await run(["history", "cdf-in-commit-timestamps/delta"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Delta table ${CORPUS}/cdf-in-commit-timestamps/delta: 4 commits`,
        "  version  timestamp                 operation                parameters",
        "  3        2026-07-12T16:36:53.881Z  UPDATE",
        '  2        2026-07-12T16:36:52.175Z  DELETE                   predicate=["((birthyear#132 = 1995) AND (age#133 < 30))"]',
        "  1        2023-05-12T06:50:06.883Z  WRITE                    mode=Append",
        '  0        2026-07-12T16:36:43.271Z  CREATE OR REPLACE TABLE  isManaged=false, partitionBy=["birthyear"], properties={"delta.enableChangeDataFeed":"true","delta.…',
      ].join("\n"),
    );
  });

  it("prints JSON and honours --limit", async () => {
    const json = JSON.parse((await run(["history", "log-unknown-fields/delta", "--json", "--limit", "2"])).stdout);
    expect(json.format_version).toBe("1.0");
    expect(json.entries.map((e: { version: number; operation: string | null }) => [e.version, e.operation])).toEqual([
      [5, "WRITE"],
      [4, null],
    ]);
  });
});

describe("cpgc table errors", () => {
  it("a native error is one line with its code, exit 1", async () => {
    const r = await run(["show", "reject-variant/delta"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: "error[DELTA_UNSUPPORTED_FEATURE]: the table needs reader feature variantType-preview that cpgc does not support",
    });
    const missing = await run(["history", "no-such-table"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error[DELTA_TABLE_NOT_FOUND]: ${CORPUS}/no-such-table is not a Delta table: no such directory`);
    const version = await run(["show", "dv-small/delta", "--version", "7"]);
    expect(version.stderr).toBe("error[DELTA_VERSION_NOT_FOUND]: version 7 of " + `${CORPUS}/dv-small/delta does not exist; the latest version is 1`);
  });

  it("usage errors explain themselves", async () => {
    const cases: [string[], string][] = [
      [[], "error: missing subcommand: show, history, scan, changes or vacuum"],
      [["shw", "x"], "error: unknown subcommand 'shw' for 'table'; did you mean 'show'?"],
      [["show"], "error: 'table show' needs the PATH of a Delta table"],
      [["show", "dv-small/delta", "--version", "1", "--timestamp", "0"], "error: give --version or --timestamp, not both"],
      [["show", "dv-small/delta", "--version", "x"], "error: --version needs a non-negative integer, got 'x'"],
      [["history", "dv-small/delta", "--version", "1"], "error: --version and --timestamp apply to 'table show'"],
      [["show", "dv-small/delta", "--timestamp", "soon"], "error[INVALID_ARGUMENT]: invalid timestamp \"soon\""],
    ];
    for (const [argv, first] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.split("\n")[0]).toContain(first);
    }
  });
});
