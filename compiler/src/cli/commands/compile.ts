import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { canonicalEncode } from "../../artifacts/index.js";
import { compileProject } from "../../compile/index.js";
import { hasErrors } from "../../diagnostics/index.js";
import { loadProject } from "../../spec/index.js";
import type { CommandSpec } from "../args.js";
import { shippedFunctionCatalog } from "../function-catalog.js";
import { EXIT, type Command } from "../io.js";
import { countLine, displayPath, printDiagnostics } from "../report.js";
import { parseVarFlags } from "../vars.js";

const spec: CommandSpec = {
  name: "compile",
  summary: "Compile the project: every view through the policy lane into a manifest of fingerprints, schemas and lineage.",
  usage: "cpgc compile [-c FILE] [--out DIR] [--json] [-var NAME=VALUE …]",
  positionals: [],
  options: [
    { name: "config", short: "c", value: "FILE", description: "Project config file (default ./cpg.config.yaml)." },
    { name: "out", short: "o", value: "DIR", description: "Where manifest.json and manifest.msgpack go (default .cpg/build next to the config)." },
    { name: "json", description: "Print the manifest as JSON instead of a summary (nothing else on stdout)." },
    { name: "var", value: "NAME=VALUE", repeatable: true, description: "Set a variable for view SQL (repeatable)." },
  ],
  details: "manifest.msgpack is the canonical encoding (sorted keys) the planner reads; manifest.json is the same data for people.\nExit codes: 0 compiled, 1 errors.",
};

export const compileCommand: Command = {
  spec,
  async run(args, io) {
    const vars = parseVarFlags(args.repeated.get("var") ?? []);
    if (!vars.ok) {
      io.stderr(`error: ${vars.error}`);
      return EXIT.error;
    }
    const loaded = await loadProject((args.options.get("config") as string | undefined) ?? "cpg.config.yaml", { cwd: io.cwd, variables: vars.variables });
    const compiled = loaded.model ? compileProject(loaded.model, shippedFunctionCatalog(), loaded.sources) : { diagnostics: [] };
    const diagnostics = [...loaded.diagnostics, ...compiled.diagnostics];
    printDiagnostics(diagnostics, loaded.sources, io);
    if (hasErrors(diagnostics) || !("manifest" in compiled) || !compiled.manifest || !loaded.model) {
      io.stderr(`✗ compile failed: ${countLine(diagnostics)}`);
      return EXIT.error;
    }
    const manifest = compiled.manifest;
    const out = resolve(io.cwd, (args.options.get("out") as string | undefined) ?? join(loaded.model.rootDir, ".cpg", "build"));
    mkdirSync(out, { recursive: true });
    const write = (name: string, data: string | Uint8Array) => {
      writeFileSync(join(out, `${name}.tmp`), data);
      renameSync(join(out, `${name}.tmp`), join(out, name));
    };
    write("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
    write("manifest.msgpack", canonicalEncode(manifest));
    if (args.options.has("json")) {
      io.stdout(JSON.stringify(manifest, null, 2));
      return EXIT.ok;
    }
    const n = (k: number, one: string) => `${k} ${one}${k === 1 ? "" : "s"}`;
    io.stdout(`compiled project '${manifest.project}': ${n(manifest.datasets.length, "dataset")}, ${n(manifest.views.length, "view")} → ${displayPath(io.cwd, out)}`);
    const width = Math.max(0, ...manifest.views.map((v) => v.name.length)) + 2;
    for (const v of manifest.views) {
      io.stdout(`  ${v.name.padEnd(width)}${v.materialize.padEnd(12)}fingerprint ${v.ast_fingerprint.slice(0, 12)}  ${v.columns.length} columns  reads ${v.lineage.tables.join(", ") || "nothing"}`);
    }
    io.stdout(`  order: ${manifest.order.join(" → ")}`);
    io.stdout(`  policy_hash ${manifest.policy_hash.slice(0, 12)}`);
    return EXIT.ok;
  },
};
