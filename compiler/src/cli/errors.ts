import { diagnostic, renderDiagnostic, type DiagnosticCode } from "../diagnostics/index.js";
import type { CommandSpec } from "./args.js";
import { EXIT, useColor, type CommandIO, type ExitCode } from "./io.js";
import { UsageError } from "./lake-root.js";

/** A failure already explained to the user (message printed): only the exit code is left. */
export class ReportedError extends Error {
  constructor(readonly exitCode: ExitCode = EXIT.error) {
    super("reported");
  }
}

/**
 * A user-facing failure that needs no usage text: printed as a diagnostic (`error[CODE]: message`
 * and hints, or `error: message` without a code), exit 1.
 */
export class MessageError extends Error {
  constructor(
    message: string,
    readonly hints: readonly string[] = [],
    readonly code?: DiagnosticCode,
  ) {
    super(message);
  }
}

/**
 * Runs a command body and turns the errors users can meet into messages: bad usage
 * (`error: …` + usage), runtime errors with a stable code (`error[CODE]: …`, one line) and
 * messages ({@link MessageError}). Anything else is a bug and propagates to the
 * internal-error handler of main.
 */
export async function guard(spec: CommandSpec, io: CommandIO, body: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await body();
  } catch (error) {
    return reportError(error, spec, io);
  }
}

export function reportError(error: unknown, spec: CommandSpec, io: CommandIO): ExitCode {
  if (error instanceof ReportedError) return error.exitCode;
  if (error instanceof UsageError) {
    io.stderr(`error: ${error.message}\n\n${spec.usage}\nRun 'cpgc ${spec.name} --help' for details.`);
    return EXIT.error;
  }
  if (error instanceof MessageError) {
    const color = useColor(io, "stderr");
    if (error.code) io.stderr(renderDiagnostic(diagnostic(error.code, error.message, { hints: error.hints }), { sources: new Map(), color }));
    else io.stderr([`error: ${error.message}`, ...error.hints.map((h) => `  = hint: ${h}`)].join("\n"));
    return EXIT.error;
  }
  const e = error as { code?: unknown; message?: unknown; name?: unknown; errno?: unknown };
  // Runtime errors carry a stable code (NativeError and the apply modules' errors); Node's system
  // errors (errno) are reported where they happen, with the path they concern.
  if (typeof e?.code === "string" && typeof e.message === "string" && e.errno === undefined && (e.name === "NativeError" || /^[A-Z][A-Z0-9_]+$/.test(e.code))) {
    io.stderr(`error[${e.code}]: ${e.message.replace(/\s*\n\s*/g, " ")}`);
    return EXIT.error;
  }
  throw error;
}
