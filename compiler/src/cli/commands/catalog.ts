import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildFunctionCatalog, formatFunctionCatalog, missingCpgcUdfs, type EngineFunctionRow } from "../../catalog/index.js";
import type { CommandSpec } from "../args.js";
import { EXIT, type Command } from "../io.js";
import { displayPath } from "../report.js";
import { packageRoot } from "../version.js";

const spec: CommandSpec = {
  name: "catalog",
  summary: "Snapshot the engine's function catalog (built-ins and cpgc's UDFs: names, signatures, return types, docs) for the compiler.",
  usage: "cpgc catalog snapshot [--out FILE] [--check]",
  positionals: ["snapshot"],
  options: [
    { name: "out", short: "o", value: "FILE", description: "Where the snapshot goes (default: schemas/functions.json of the cpgc package)." },
    { name: "check", description: "Write nothing; exit 1 if FILE differs from what the engine provides now." },
  ],
  details:
    "The compiler types view SQL from this snapshot, never from a live engine; --check (and a test) keep the\nsnapshot equal to the engine cpgc embeds. cpgc's own UDFs (cpg_id, cpg_key_id, ...: registered by the\nnative runtime on every database it opens) are listed with \"origin\": \"cpgc\" and documented in\ncompiler/src/catalog/cpgc-udfs.ts.",
};

/** What the engine provides now (cpgc's UDFs included), in the snapshot's exact text. */
export async function engineFunctionCatalogText(): Promise<string> {
  const native = await import("../../../../runtime-native/index.js");
  const db = native.openDatabase({ threads: 1 });
  try {
    const rows = db.query(
      "select function_name, function_type, description, alias_of, return_type, parameters, parameter_types, varargs from duckdb_functions() where schema_name in ('main', 'pg_catalog') and not function_name like '\\_\\_%' escape '\\'",
    ).rows as unknown as EngineFunctionRow[];
    const catalog = buildFunctionCatalog(native.duckdbVersion(), rows);
    const missing = missingCpgcUdfs(catalog);
    if (missing.length > 0) throw new Error(`the engine lacks the cpgc UDFs ${missing.join(", ")}: rebuild the native addon (bash scripts/setup-native.sh)`);
    return formatFunctionCatalog(catalog);
  } finally {
    db.close();
  }
}

export const catalogCommand: Command = {
  spec,
  async run(args, io) {
    if (args.positionals[0] !== "snapshot") {
      io.stderr(`error: expected a subcommand: snapshot\n\n${spec.usage}`);
      return EXIT.error;
    }
    const out = resolve(io.cwd, (args.options.get("out") as string | undefined) ?? join(packageRoot(), "schemas", "functions.json"));
    const text = await engineFunctionCatalogText();
    let current: string | undefined;
    try {
      current = readFileSync(out, "utf8");
    } catch {
      current = undefined;
    }
    const shown = displayPath(io.cwd, out);
    if (args.options.has("check")) {
      if (current === text) {
        io.stdout(`${shown} matches the engine`);
        return EXIT.ok;
      }
      io.stderr(`${shown} is ${current === undefined ? "missing" : "stale"}; run: cpgc catalog snapshot --out ${shown}`);
      return EXIT.error;
    }
    if (current !== text) {
      writeFileSync(`${out}.tmp`, text);
      renameSync(`${out}.tmp`, out);
    }
    const n = (text.match(/^ {4}\{/gm) ?? []).length;
    io.stdout(`${current === text ? "unchanged" : "wrote"} ${shown} (${n} functions)`);
    return EXIT.ok;
  },
};
