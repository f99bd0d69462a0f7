import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../../compiler/src/cli/args.js";
import { graphCommand } from "../../../compiler/src/cli/commands/graph.js";
import { lineageCommand } from "../../../compiler/src/cli/commands/lineage.js";
import type { Command, CommandIO } from "../../../compiler/src/cli/io.js";
import { SHARED_CONTRACT } from "../../helpers/fixture-project.js";

const dir = mkdtempSync(join(tmpdir(), "cpgc-graph-"));
cpSync(SHARED_CONTRACT, dir, { recursive: true });

async function run(command: Command, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: { NO_COLOR: "1" }, isTTY: false, stderrIsTTY: false };
  const parsed = parseArgs(command.spec, argv);
  if (!parsed.ok) throw new Error(parsed.error);
  const code = await command.run(parsed.args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("cpgc graph (in-process, contract project)", () => {
  it("json: datasets and views with the edges their lineage reads", async () => {
    const r = await run(graphCommand, "--format", "json");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out) as { nodes: { name: string; kind: string; materialize: string | null }[]; edges: { from: string; to: string }[] };
    expect(g.nodes.map((n) => `${n.name}:${n.materialize ?? n.kind}`)).toEqual(["ast_nodes:dataset", "files:dataset", "file_stats:view", "functions:table", "call_edges:table"]);
    expect(g.edges).toContainEqual({ from: "functions", to: "call_edges" });
    expect(g.edges).toContainEqual({ from: "files", to: "functions" });
  });

  it("dot is the default and is deterministic", async () => {
    const a = await run(graphCommand);
    expect(a.out.split("\n")[0]).toBe('digraph "contract" {');
    expect(a.out).toContain('"functions" -> "call_edges";');
    expect((await run(graphCommand)).out).toBe(a.out);
  });
});

describe("cpgc lineage (in-process, contract project)", () => {
  it("VIEW: every column with its sources", async () => {
    const r = await run(lineageCommand, "call_edges");
    expect(r.code).toBe(0);
    expect(r.out.split("\n").slice(0, 5)).toEqual([
      "call_edges (table)",
      "columns:",
      "  call_id        ← ast_nodes.node_id",
      "  function_id    ← functions.node_id",
      "  function_name  ← functions.name",
    ]);
  });

  it("VIEW.COLUMN: the trace down to dataset columns", async () => {
    expect(await run(lineageCommand, "call_edges.function_name")).toEqual({
      code: 0,
      out: ["call_edges.function_name (table)", "└── functions.name (table)", "    └── ast_nodes.name (dataset)"].join("\n"),
      err: "",
    });
    const json = JSON.parse((await run(lineageCommand, "call_edges.function_id", "--json")).out) as { base_columns: string[] };
    expect(json.base_columns).toEqual(["ast_nodes.node_id"]);
  });

  it("unknown view or column: did-you-mean, exit 1", async () => {
    expect(await run(lineageCommand, "call_edge")).toEqual({ code: 1, out: "", err: "error: unknown view 'call_edge'; did you mean 'call_edges'?" });
    expect(await run(lineageCommand, "call_edges.fuction_id")).toEqual({ code: 1, out: "", err: "error: view 'call_edges' has no column 'fuction_id'; did you mean 'function_id'?" });
  });

  it("a project that does not compile: diagnostics, exit 1", async () => {
    const r = await run(lineageCommand, "x", "-c", "missing.yaml");
    expect(r.code).toBe(1);
    expect(r.err).toContain("config file not found");
  });
});
