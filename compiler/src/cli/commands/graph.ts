import { compileProject, type Manifest } from "../../compile/index.js";
import { hasErrors } from "../../diagnostics/index.js";
import { GRAPH_FORMATS, GRAPH_RENDERERS, projectGraph, type GraphFormat } from "../../render/index.js";
import { loadProject } from "../../spec/index.js";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { shippedFunctionCatalog } from "../function-catalog.js";
import { EXIT, type Command, type CommandIO } from "../io.js";
import { countLine, printDiagnostics } from "../report.js";

const spec: CommandSpec = {
  name: "graph",
  summary: "Print the project's dependency graph (datasets and views) as DOT, Mermaid or JSON.",
  usage: "cpgc graph [-c FILE] [--format dot|mermaid|json]",
  positionals: [],
  options: [
    { name: "config", short: "c", value: "FILE", description: "Project config file (default ./cpg.config.yaml)." },
    { name: "format", short: "f", value: "FORMAT", choices: GRAPH_FORMATS, description: "Output format (default dot)." },
  ],
  details: [
    "Compiles the project (nothing is written) and prints one node per dataset and view and one edge",
    "per table a view reads (from its lineage), nodes in topological order with ties by name.",
    "Shapes: dataset = cylinder, view = dashed rounded box, table = box, incremental = 3-D box",
    "(Mermaid: [(…)], (…), […], [[…]]). JSON: {format_version, project, nodes[{name, kind,",
    "materialize, columns}], edges[{from, to}]}.",
    "",
    "Exit codes: 0 printed, 1 the project has errors (diagnostics on stderr) or bad usage.",
  ].join("\n"),
};

/** Loads and compiles the project of `-c`; prints diagnostics; null when it does not compile. */
export async function compileForCommand(args: ParsedArgs, io: CommandIO): Promise<Manifest | null> {
  const loaded = await loadProject((args.options.get("config") as string | undefined) ?? "cpg.config.yaml", { cwd: io.cwd });
  const compiled = loaded.model ? compileProject(loaded.model, shippedFunctionCatalog(), loaded.sources) : { diagnostics: [] };
  const diagnostics = [...loaded.diagnostics, ...compiled.diagnostics];
  printDiagnostics(diagnostics, loaded.sources, io);
  if (hasErrors(diagnostics) || !("manifest" in compiled) || !compiled.manifest) {
    io.stderr(`✗ compile failed: ${countLine(diagnostics)}`);
    return null;
  }
  return compiled.manifest;
}

export const graphCommand: Command = {
  spec,
  async run(args, io) {
    const format = ((args.options.get("format") as string | undefined) ?? "dot") as GraphFormat;
    const manifest = await compileForCommand(args, io);
    if (!manifest) return EXIT.error;
    io.stdout(GRAPH_RENDERERS[format](projectGraph(manifest)));
    return EXIT.ok;
  },
};
