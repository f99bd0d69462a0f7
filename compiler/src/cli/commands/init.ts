import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { generateJsonSchemas } from "../../spec/json-schema.js";
import type { CommandSpec } from "../args.js";
import { initTemplate } from "../init-template.js";
import { EXIT, type Command } from "../io.js";
import { displayPath } from "../report.js";

const spec: CommandSpec = {
  name: "init",
  summary: "Create a new cpgc project: config, example specs and data, JSON Schemas and editor settings.",
  usage: "cpgc init [DIR] [--name NAME] [--force]",
  positionals: ["DIR"],
  options: [
    { name: "name", value: "NAME", description: "Project name (default: derived from the directory name)." },
    { name: "force", description: "Overwrite files that already exist." },
  ],
  details: "DIR defaults to the current directory. Existing files are never overwritten without --force.",
};

export const initCommand: Command = {
  spec,
  async run(args, io) {
    const dir = resolve(io.cwd, args.positionals[0] ?? ".");
    const requested = args.options.get("name") as string | undefined;
    const name = requested ?? projectName(basename(dir));
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      io.stderr(`error: invalid project name '${name}': must match [a-z_][a-z0-9_]*`);
      return EXIT.error;
    }
    const files: Record<string, string> = { ...initTemplate(name) };
    for (const [f, text] of Object.entries(generateJsonSchemas())) files[`schemas/${f}`] = text;
    const existing = Object.keys(files).filter((f) => existsSync(join(dir, f)));
    if (existing.length > 0 && !args.options.has("force")) {
      io.stderr(`error: ${existing.length} file(s) already exist in ${displayPath(io.cwd, dir) || "."}:`);
      for (const f of existing) io.stderr(`  ${f}`);
      io.stderr("nothing was written; use --force to overwrite them");
      return EXIT.error;
    }
    for (const [f, text] of Object.entries(files)) {
      const path = join(dir, f);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    const where = displayPath(io.cwd, dir) || ".";
    io.stdout(`Created project '${name}' in ${where} (${Object.keys(files).length} files).`);
    io.stdout(`Next:\n  cd ${where}\n  cpgc validate`);
    return EXIT.ok;
  },
};

/** A valid project name from a directory name: lower case, other characters become `_`. */
export function projectName(dirName: string): string {
  const n = dirName.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  if (!n) return "project";
  return /^[0-9]/.test(n) ? `_${n}` : n;
}
