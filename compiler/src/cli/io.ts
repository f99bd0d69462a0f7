/** Where a command writes; injected so tests can run commands in-process. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colors, prompts). */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (colors of diagnostics). */
  readonly stderrIsTTY: boolean;
}

export function processIO(): CommandIO {
  return {
    stdout: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
    stderr: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** Colors only on a terminal, never with NO_COLOR (https://no-color.org), forced with FORCE_COLOR. */
export function useColor(io: CommandIO, stream: "stdout" | "stderr" = "stdout"): boolean {
  if (io.env["NO_COLOR"] !== undefined && io.env["NO_COLOR"] !== "") return false;
  if (io.env["FORCE_COLOR"] !== undefined && io.env["FORCE_COLOR"] !== "" && io.env["FORCE_COLOR"] !== "0") return true;
  return stream === "stdout" ? io.isTTY : io.stderrIsTTY;
}

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, error: 1, changes: 2, destructiveChanges: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Command {
  readonly spec: import("./args.js").CommandSpec;
  run(args: import("./args.js").ParsedArgs, io: CommandIO): Promise<ExitCode>;
}
