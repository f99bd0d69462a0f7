import { randomBytes } from "node:crypto";
import { renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { diagnostic, hasErrors, SourceText, sortDiagnostics, type Diagnostic } from "../../diagnostics/index.js";
import { formatSpecYaml, unifiedDiff, type FileKind } from "../../fmt/index.js";
import { findSpecFiles } from "../../spec/load-project.js";
import { loadYaml } from "../../spec/load-yaml.js";
import { nodeIO } from "../../spec/project-io.js";
import { validateConfigShape } from "../../spec/validate-shape.js";
import type { CommandSpec } from "../args.js";
import { EXIT, useColor, type Command, type CommandIO, type ExitCode } from "../io.js";
import { displayPath, printDiagnostics } from "../report.js";

const spec: CommandSpec = {
  name: "fmt",
  summary: "Format cpg.config.yaml and the YAML spec files: canonical key order, pretty-printed SQL.",
  usage: "cpgc fmt [-c FILE] [--check] [--diff]",
  positionals: [],
  options: [
    { name: "config", short: "c", value: "FILE", description: "Project config file (default ./cpg.config.yaml)." },
    { name: "check", description: "Write nothing; list the files that are not formatted and exit 1 if there are any." },
    { name: "diff", description: "Write nothing; print a diff of every change fmt would make and exit 1 if there is any." },
  ],
  details: [
    "Formats the config and every *.yaml / *.yml spec file it selects (*.cpg.ts files are left to your",
    "TypeScript formatter). Keys are put in the order the schemas declare them (kind, name, description",
    "first); keys cpgc does not know keep their order after the known ones. View queries are",
    "pretty-printed with sql-formatter as `sql: |` blocks; {{ name }} placeholders are kept. Comments,",
    "blank lines, quoting and flow style ({ ... }, [ ... ]) are kept as written. Files are only written",
    "when they change, atomically.",
    "",
    "Exit codes: 0 formatted (or, with --check/--diff, nothing to format), 1 errors, or files that",
    "--check/--diff found unformatted.",
  ].join("\n"),
};

interface FileOutcome {
  readonly display: string;
  readonly changed: boolean;
  readonly failed: boolean;
  /** With --diff: the changes, as a unified diff. */
  readonly diff?: string;
}

export const fmtCommand: Command = {
  spec,
  async run(args, io) {
    const configPath = (args.options.get("config") as string | undefined) ?? "cpg.config.yaml";
    const diff = args.options.has("diff");
    const dryRun = diff || args.options.has("check");
    const sources = new Map<string, SourceText>();
    const diagnostics: Diagnostic[] = [];
    const report = (code: ExitCode): ExitCode => {
      printDiagnostics(sortDiagnostics(diagnostics), sources, io);
      return code;
    };

    // The config: it must be valid, since it says which files are specs.
    const configAbs = resolve(io.cwd, configPath);
    const configDisplay = displayPath(io.cwd, configAbs);
    const configText = nodeIO.readText(configAbs);
    if (configText instanceof Error) {
      const missing = !nodeIO.exists(configAbs);
      diagnostics.push(
        diagnostic(missing ? "CPG0003" : "CPG0002", missing ? `config file not found: ${configDisplay}` : `cannot read ${configDisplay}: ${configText.message}`, {
          location: { file: configDisplay },
          hints: [missing ? "run cpgc in a project directory, or pass -c PATH" : undefined],
        }),
      );
      return report(EXIT.error);
    }
    const configSrc = new SourceText(configDisplay, configText);
    sources.set(configDisplay, configSrc);
    const loaded = loadYaml(configSrc);
    diagnostics.push(...loaded.diagnostics);
    const configDoc = loaded.documents[0];
    if (hasErrors(loaded.diagnostics) || !configDoc || loaded.documents.length !== 1) {
      if (!hasErrors(loaded.diagnostics)) {
        diagnostics.push(diagnostic("CPG0104", `${configDisplay} must hold exactly one YAML document, found ${loaded.documents.length}`, { location: { file: configDisplay } }));
      }
      return report(EXIT.error);
    }
    const shape = validateConfigShape(configDoc);
    diagnostics.push(...shape.diagnostics);
    if (!shape.ok) return report(EXIT.error);
    const found = findSpecFiles(shape.value, configDoc, dirname(configAbs), nodeIO);
    diagnostics.push(...found.diagnostics);

    const targets: { abs: string; kind: FileKind }[] = [{ abs: configAbs, kind: "config" }];
    for (const f of found.files) if (/\.ya?ml$/i.test(f) && f !== configAbs) targets.push({ abs: f, kind: "specs" });

    const outcomes: FileOutcome[] = [];
    const color = useColor(io);
    for (const target of targets) {
      const outcome = formatFile(target.abs, target.kind, { io, dryRun, diff, sources, diagnostics, configText: target.abs === configAbs ? configText : undefined });
      outcomes.push(outcome);
      if (outcome.changed) io.stdout(`${dryRun ? "would format" : "formatted"} ${outcome.display}`);
      if (outcome.diff) io.stdout(paintDiff(outcome.diff, color).replace(/\n$/, ""));
    }

    const changed = outcomes.filter((o) => o.changed).length;
    const failed = outcomes.filter((o) => o.failed).length;
    const unchanged = outcomes.length - changed - failed;
    const parts = [`${plural(changed, "file")} ${dryRun ? "would be formatted" : "formatted"}`, `${unchanged} unchanged`];
    if (failed > 0) parts.push(`${failed} not formatted (errors)`);
    io.stdout(parts.join(", "));
    return report(failed > 0 || (dryRun && changed > 0) ? EXIT.error : EXIT.ok);
  },
};

interface FormatContext {
  readonly io: CommandIO;
  readonly dryRun: boolean;
  readonly diff: boolean;
  readonly sources: Map<string, SourceText>;
  readonly diagnostics: Diagnostic[];
  /** The config's text, already read. */
  readonly configText: string | undefined;
}

function formatFile(abs: string, kind: FileKind, ctx: FormatContext): FileOutcome {
  const display = displayPath(ctx.io.cwd, abs);
  const text = ctx.configText ?? nodeIO.readText(abs);
  if (text instanceof Error) {
    ctx.diagnostics.push(diagnostic("CPG0002", `cannot read ${display}: ${text.message}`, { location: { file: display } }));
    return { display, changed: false, failed: true };
  }
  ctx.sources.set(display, new SourceText(display, text));
  const result = formatSpecYaml(text, kind, { file: display });
  ctx.diagnostics.push(...result.diagnostics);
  if (hasErrors(result.diagnostics)) return { display, changed: false, failed: true };
  if (!result.changed) return { display, changed: false, failed: false };
  if (ctx.dryRun) {
    const diff = ctx.diff ? unifiedDiff(text, result.text, { oldLabel: `a/${display}`, newLabel: `b/${display}` }) : undefined;
    return { display, changed: true, failed: false, ...(diff ? { diff } : {}) };
  }
  try {
    writeAtomically(abs, result.text);
  } catch (err) {
    ctx.diagnostics.push(diagnostic("CPG0008", `cannot write ${display}: ${(err as Error).message}`, { location: { file: display } }));
    return { display, changed: false, failed: true };
  }
  return { display, changed: true, failed: false };
}

/** Writes a temporary file beside the target, then renames it over the target (same mode). */
export function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(tmp, text, mode === undefined ? {} : { mode });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
}

function paintDiff(diff: string, color: boolean): string {
  if (!color) return diff;
  return diff
    .split("\n")
    .map((l) => (l.startsWith("@@") ? `\x1b[36m${l}\x1b[0m` : l.startsWith("---") || l.startsWith("+++") ? `\x1b[1m${l}\x1b[0m` : l.startsWith("-") ? `\x1b[31m${l}\x1b[0m` : l.startsWith("+") ? `\x1b[32m${l}\x1b[0m` : l))
    .join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
