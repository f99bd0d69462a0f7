import type { CommandSpec, ParsedArgs } from "../args.js";
import { guard } from "../errors.js";
import { EXIT, type Command, type CommandIO, type ExitCode } from "../io.js";
import { asLockInfo, lockLines } from "../lake-lock.js";
import { DEFAULT_CONFIG, lakeRootFromConfig, UsageError } from "../lake-root.js";
import { CONFIG_OPTION } from "../plan-context.js";
import { ask, canPrompt } from "../prompt.js";

const spec: CommandSpec = {
  name: "force-unlock",
  summary: "Remove the lake lock left by a run that died, after checking its ID.",
  usage: "cpgc force-unlock ID [-c FILE] [--force]",
  positionals: ["ID"],
  options: [CONFIG_OPTION, { name: "force", description: "Do not ask for confirmation on a terminal." }],
  details: [
    "ID is the lock ID an apply printed when it found the lake locked. The lock is removed only when",
    "it is still that lock (a newer run's lock is never removed by an old ID); a lock file that is",
    "not a valid cpgc lock is removed with the ID `garbled`. On a terminal cpgc",
    "shows the lock and asks first (only 'yes' is accepted); --force skips the question.",
    "A dead run's lease also expires by itself; force-unlock is for not waiting. Removing the lock",
    "of a run that is still alive lets two applies run at once: per-table commits stay safe, but",
    "the runs may undo each other's work.",
    "The lake is lake.root of the config (relative to the config file).",
    "Exit codes: 0 unlocked, 1 error (not locked, another ID, cancelled).",
  ].join("\n"),
};

async function runForceUnlock(args: ParsedArgs, io: CommandIO): Promise<ExitCode> {
  const [id] = args.positionals;
  if (id === undefined || id.trim() === "") throw new UsageError("missing ID: the lock ID printed by the apply that found the lake locked");
  const lakeRoot = lakeRootFromConfig((args.options.get("config") as string | undefined) ?? DEFAULT_CONFIG, io.cwd);
  const lock = await import("../../../../runtime-native/ts/apply/lock.js");
  const current = asLockInfo(lock.readLakeLock(lakeRoot));
  // The runtime checks the id (and says whose lock it is when it differs); ask only about the lock it would remove.
  if (current?.id === id && !args.options.has("force") && canPrompt(io)) {
    io.stdout(["The lake is locked by:", ...lockLines(current), "", "Do you really want to force-unlock the lake?", "  Make sure that run is not still going.", "  Only 'yes' will be accepted to confirm.", ""].join("\n"));
    if ((await ask("  Enter a value: ")) !== "yes") {
      io.stderr("Unlock cancelled: the lock is kept.");
      return EXIT.error;
    }
  }
  const removed = asLockInfo(lock.forceUnlock(lakeRoot, id));
  io.stdout([`The lake at ${lakeRoot} is unlocked; removed the lock:`, ...(removed ? lockLines(removed) : [`  ID:       ${id}`]), "Another run can take the lock now."].join("\n"));
  return EXIT.ok;
}

export const forceUnlockCommand: Command = {
  spec,
  run: (args, io) => guard(spec, io, () => runForceUnlock(args, io)),
};
