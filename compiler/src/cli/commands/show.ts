import type { CommandSpec, ParsedArgs } from "../args.js";
import { guard } from "../errors.js";
import { EXIT, type Command, type CommandIO, type ExitCode } from "../io.js";
import { UsageError } from "../lake-root.js";
import { colorFor, NO_COLOR_OPTION } from "../plan-context.js";
import { planFormat, readPlanFile, renderPlan } from "./plan.js";

const spec: CommandSpec = {
  name: "show",
  summary: "Render a saved plan file (from `cpgc plan -out FILE`) without touching the lake.",
  usage: "cpgc show FILE [--json | --markdown] [--no-color]",
  positionals: ["FILE"],
  options: [
    { name: "json", description: "Print the plan as JSON (schemas/plan.schema.json), as `cpgc plan --json` does." },
    { name: "markdown", description: "Print the plan as markdown for a pull-request comment." },
    NO_COLOR_OPTION,
  ],
  details: [
    "Reads only the file: no config, no specs, no lake. The output is what `cpgc plan` printed when",
    "it saved the file. A file that is not a cpgc plan, is damaged, or was written by a newer cpgc",
    "is refused with a message saying which.",
    "Exit codes: 0 shown, 1 error.",
  ].join("\n"),
};

async function runShow(args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  const format = planFormat(args);
  const [file] = args.positionals;
  if (file === undefined) throw new UsageError("missing FILE: the plan file to show (from `cpgc plan -out FILE`)");
  io.stdout(renderPlan(readPlanFile(file, io), format, colorFor(args, io)));
  return EXIT.ok;
}

export const showCommand: Command = {
  spec,
  run: (args, io) => guard(spec, io, () => runShow(args, io)),
};
