import { didYouMean } from "../diagnostics/index.js";
import { formatHelp, parseArgs } from "./args.js";
import { EXIT, processIO, type Command, type CommandIO, type ExitCode } from "./io.js";
import { cpgcVersion } from "./version.js";

/** Every command, loaded on use: a run pays only for the modules (and dependencies) it needs. */
export const COMMANDS: readonly { readonly name: string; readonly load: () => Promise<Command> }[] = [
  { name: "validate", load: async () => (await import("./commands/validate.js")).validateCommand },
  { name: "compile", load: async () => (await import("./commands/compile.js")).compileCommand },
  { name: "plan", load: async () => (await import("./commands/plan.js")).planCommand },
  { name: "apply", load: async () => (await import("./commands/apply.js")).applyCommand },
  { name: "show", load: async () => (await import("./commands/show.js")).showCommand },
  { name: "runs", load: async () => (await import("./commands/runs.js")).runsCommand },
  { name: "force-unlock", load: async () => (await import("./commands/force-unlock.js")).forceUnlockCommand },
  { name: "fmt", load: async () => (await import("./commands/fmt.js")).fmtCommand },
  { name: "schema", load: async () => (await import("./commands/schema.js")).schemaCommand },
  { name: "init", load: async () => (await import("./commands/init.js")).initCommand },
  { name: "sql", load: async () => (await import("./commands/sql.js")).sqlCommand },
  { name: "graph", load: async () => (await import("./commands/graph.js")).graphCommand },
  { name: "lineage", load: async () => (await import("./commands/lineage.js")).lineageCommand },
  { name: "table", load: async () => (await import("./commands/table.js")).tableCommand },
  { name: "query", load: async () => (await import("./commands/query.js")).queryCommand },
  { name: "catalog", load: async () => (await import("./commands/catalog.js")).catalogCommand },
  { name: "doctor", load: async () => (await import("./commands/doctor.js")).doctorCommand },
];

async function topHelp(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return [
    "cpgc — declarative compiler and runtime for lakehouse datasets that hold a code property graph.",
    "",
    "Usage: cpgc <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    "",
    "Global options:",
    "  -h, --help     Show help (also: cpgc <command> --help, cpgc help <command>).",
    "  -V, --version  Print the cpgc version.",
    "",
    "Exit codes: 0 success, 1 error (invalid specs, bad usage, refused or failed apply); plan adds 2 (changes) and 3 (destructive or irreversible changes) with --detailed-exitcode.",
    "Environment: NO_COLOR disables colors; CPGC_DEBUG=1 prints stack traces of internal errors.",
  ].join("\n");
}

/** Runs one cpgc invocation. Never throws: unexpected failures become an internal-error message. */
export async function runCli(argv: readonly string[], io: CommandIO): Promise<ExitCode> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help" || first === "-h") {
      (first === undefined ? io.stderr : io.stdout)(await topHelp());
      return first === undefined ? EXIT.error : EXIT.ok;
    }
    if (first === "--version" || first === "-V" || first === "version") {
      io.stdout(`cpgc ${cpgcVersion()}`);
      return EXIT.ok;
    }
    if (first === "help") {
      const target = rest[0] ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      if (rest[0] && !target) return unknownCommand(rest[0], io);
      io.stdout(target ? formatHelp((await target.load()).spec) : await topHelp());
      return EXIT.ok;
    }
    const entry = COMMANDS.find((c) => c.name === first);
    if (!entry) return unknownCommand(first, io);
    const command = await entry.load();
    const parsed = parseArgs(command.spec, rest);
    if (!parsed.ok) {
      io.stderr(`error: ${parsed.error}\n\n${command.spec.usage}\nRun 'cpgc ${command.spec.name} --help' for details.`);
      return EXIT.error;
    }
    if (parsed.args.options.has("help")) {
      io.stdout(formatHelp(command.spec));
      return EXIT.ok;
    }
    return await command.run(parsed.args, io);
  } catch (err) {
    const e = err as Error;
    io.stderr(`error[CPG0999]: internal error: ${e?.message ?? String(err)}`);
    io.stderr("  = hint: this is a bug in cpgc; please report it with the command you ran");
    if (io.env["CPGC_DEBUG"]) io.stderr(String(e?.stack ?? ""));
    return EXIT.error;
  }
}

function unknownCommand(name: string, io: CommandIO): ExitCode {
  const hint = didYouMean(name, [...COMMANDS.map((c) => c.name), "help", "version"]);
  io.stderr(`error: unknown command '${name}'${hint ? `; ${hint}` : ""}\nRun 'cpgc --help' for the list of commands.`);
  return EXIT.error;
}

export async function main(): Promise<void> {
  // `cpgc ... | head` closes the pipe early; that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const code = await runCli(process.argv.slice(2), processIO());
  process.exitCode = code;
}
