import { renderQueryLineageText, renderTraceJson, renderTraceText, renderViewLineageJson, resolveLineageTarget, traceColumn } from "../../render/index.js";
import type { CommandSpec } from "../args.js";
import { EXIT, type Command } from "../io.js";
import { compileForCommand } from "./graph.js";

const spec: CommandSpec = {
  name: "lineage",
  summary: "Show column lineage in the project: a view's columns and their sources, or one column traced to datasets.",
  usage: "cpgc lineage VIEW[.COLUMN] [-c FILE] [--json]",
  positionals: ["VIEW[.COLUMN]"],
  options: [
    { name: "config", short: "c", value: "FILE", description: "Project config file (default ./cpg.config.yaml)." },
    { name: "json", description: "Print JSON (with format_version) instead of text." },
  ],
  details: [
    "Compiles the project (nothing is written), then:",
    "  VIEW         every output column with the table.columns it derives from, then the tables the",
    "               view reads, its join keys and filter columns",
    "  VIEW.COLUMN  the column's full upstream trace, through the views it reads down to dataset",
    "               columns, as an indented tree (JSON: the tree plus base_columns, the dataset",
    "               columns it ends at)",
    "",
    "Exit codes: 0 printed, 1 unknown view or column (with a suggestion), project errors or bad usage.",
  ].join("\n"),
};

export const lineageCommand: Command = {
  spec,
  async run(args, io) {
    const target = args.positionals[0];
    if (!target) {
      io.stderr(`error: missing VIEW[.COLUMN]\n\n${spec.usage}`);
      return EXIT.error;
    }
    const manifest = await compileForCommand(args, io);
    if (!manifest) return EXIT.error;
    const resolved = resolveLineageTarget(manifest, target);
    if (!resolved.ok) {
      io.stderr(`error: ${resolved.message}${resolved.hint ? `; ${resolved.hint}` : ""}`);
      return EXIT.error;
    }
    const json = args.options.has("json");
    const { view, column } = resolved;
    if (column === null) {
      io.stdout(json ? renderViewLineageJson(view.name, view.materialize, view.lineage) : renderQueryLineageText(view.lineage, `${view.name} (${view.materialize})`));
      return EXIT.ok;
    }
    const trace = traceColumn(manifest, view.name, column);
    io.stdout(json ? renderTraceJson(trace) : renderTraceText(trace));
    return EXIT.ok;
  },
};
