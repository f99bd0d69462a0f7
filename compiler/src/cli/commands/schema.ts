import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateJsonSchemas } from "../../spec/json-schema.js";
import type { CommandSpec } from "../args.js";
import { EXIT, type Command } from "../io.js";
import { displayPath } from "../report.js";

const spec: CommandSpec = {
  name: "schema",
  summary: "Write the JSON Schemas of the config and every spec kind, for editor autocomplete and validation.",
  usage: "cpgc schema [--out DIR] [--check]",
  positionals: [],
  options: [
    { name: "out", short: "o", value: "DIR", description: "Directory to write the schemas to (default ./schemas)." },
    { name: "check", description: "Write nothing; exit 1 if any schema in DIR is missing or differs from the generated one." },
  ],
  details:
    "Files: config.schema.json (cpg.config.yaml), dataset/view/deltapolicy.schema.json (one kind each) and\nspec.schema.json (any kind, selected by `kind`). Point editors at them with a modeline:\n  # yaml-language-server: $schema=../schemas/spec.schema.json",
};

export const schemaCommand: Command = {
  spec,
  async run(args, io) {
    const dir = resolve(io.cwd, (args.options.get("out") as string | undefined) ?? "schemas");
    const files = generateJsonSchemas();
    if (args.options.has("check")) {
      const stale = Object.entries(files).filter(([name, text]) => {
        try {
          return readFileSync(join(dir, name), "utf8") !== text;
        } catch {
          return true;
        }
      });
      if (stale.length === 0) {
        io.stdout(`schemas in ${displayPath(io.cwd, dir)} are up to date (${Object.keys(files).length} files)`);
        return EXIT.ok;
      }
      for (const [name] of stale) io.stderr(`stale: ${displayPath(io.cwd, join(dir, name))}`);
      io.stderr(`${stale.length} schema file(s) out of date; run: cpgc schema --out ${displayPath(io.cwd, dir)}`);
      return EXIT.error;
    }
    mkdirSync(dir, { recursive: true });
    let written = 0;
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      let current: string | undefined;
      try {
        current = readFileSync(path, "utf8");
      } catch {
        current = undefined;
      }
      if (current === text) continue;
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
      written++;
      io.stdout(`wrote ${displayPath(io.cwd, path)}`);
    }
    io.stdout(`${written} schema file(s) written, ${Object.keys(files).length - written} unchanged`);
    return EXIT.ok;
  },
};
