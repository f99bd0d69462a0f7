import { didYouMean } from "../diagnostics/index.js";

export interface OptionSpec {
  /** Long name without dashes, e.g. `format`. */
  readonly name: string;
  readonly short?: string;
  /** Placeholder of the value (e.g. `FILE`); absent for boolean flags. */
  readonly value?: string;
  readonly description: string;
  /** For valued options: the allowed values, checked by the parser. */
  readonly choices?: readonly string[];
  readonly repeatable?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: readonly OptionSpec[];
  /** Names of positional arguments, e.g. `[DIR]`; at most this many are accepted unless `variadic`. */
  readonly positionals: readonly string[];
  /** Whether the last positional may repeat (e.g. `FILE…`). */
  readonly variadic?: boolean;
  readonly details?: string;
}

export interface ParsedArgs {
  readonly options: ReadonlyMap<string, string | true>;
  readonly repeated: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
}

export type ParseOutcome = { readonly ok: true; readonly args: ParsedArgs } | { readonly ok: false; readonly error: string };

export const HELP_OPTION: OptionSpec = { name: "help", short: "h", description: "Show this help." };

/** Parses `--name value`, `--name=value`, `-n value`, boolean flags and positionals. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParseOutcome {
  const all = [...spec.options, HELP_OPTION];
  const options = new Map<string, string | true>();
  const repeated = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const rawName = eq >= 0 ? arg.slice(0, eq) : arg;
    const opt = rawName.startsWith("--") ? all.find((o) => o.name === rawName.slice(2)) : all.find((o) => o.short === rawName.slice(1) || o.name === rawName.slice(1));
    if (!opt) {
      const hint = didYouMean(rawName.replace(/^-+/, ""), all.map((o) => o.name));
      return { ok: false, error: `unknown option '${rawName}' for '${spec.name}'${hint ? `; ${hint.replace("did you mean '", "did you mean '--")}` : ""}` };
    }
    if (!opt.value) {
      if (eq >= 0) return { ok: false, error: `option '--${opt.name}' takes no value` };
      options.set(opt.name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) return { ok: false, error: `option '--${opt.name}' needs a value (${opt.value})` };
    if (opt.choices && !opt.choices.includes(value)) {
      return { ok: false, error: `invalid value '${value}' for '--${opt.name}'; expected one of: ${opt.choices.join(", ")}` };
    }
    if (opt.repeatable) repeated.set(opt.name, [...(repeated.get(opt.name) ?? []), value]);
    options.set(opt.name, value);
  }
  if (!options.has("help") && !spec.variadic && positionals.length > spec.positionals.length) {
    return { ok: false, error: `'${spec.name}' takes ${spec.positionals.length === 0 ? "no arguments" : `at most ${spec.positionals.length} argument(s)`}, got '${positionals.join(" ")}'` };
  }
  return { ok: true, args: { options, repeated, positionals } };
}

export function formatHelp(spec: CommandSpec): string {
  const lines = [`${spec.summary}`, "", `Usage: ${spec.usage}`];
  if (spec.details) lines.push("", spec.details);
  const all = [...spec.options, HELP_OPTION];
  lines.push("", "Options:");
  const labels = all.map((o) => `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`);
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  all.forEach((o, i) => lines.push(`  ${labels[i]!.padEnd(width)}${o.description}${o.choices ? ` (${o.choices.join(" | ")})` : ""}`));
  return lines.join("\n");
}
