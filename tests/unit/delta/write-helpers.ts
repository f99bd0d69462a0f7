// Helpers for the Delta write tests: commit-line validation against the protocol's action
// schema (tests/fixtures/delta-actions.schema.json), and a facade transpiled to JavaScript for
// child processes (node 20 cannot import .ts).
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "../../..");

const ajv = new Ajv({ allErrors: true, strict: false });
const validateLine = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "tests/fixtures/delta-actions.schema.json"), "utf8")) as object);

/** Every line of every JSON commit of the table; returns the lines checked. Throws on the first invalid one. */
export function validateCommitLines(table: string): number {
  const log = path.join(table, "_delta_log");
  let checked = 0;
  for (const name of readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
    const lines = readFileSync(path.join(log, name), "utf8").split("\n").filter((l) => l !== "");
    lines.forEach((text, i) => {
      const value = JSON.parse(text) as Record<string, { stats?: string }>;
      if (!validateLine(value)) {
        throw new Error(`${name}:${i + 1} does not validate: ${ajv.errorsText(validateLine.errors)}\n${text}`);
      }
      const stats = value["add"]?.stats;
      if (stats !== undefined) {
        const parsed = JSON.parse(stats) as Record<string, unknown>;
        if (typeof parsed["numRecords"] !== "number") throw new Error(`${name}:${i + 1} stats lack numRecords`);
      }
      checked++;
    });
  }
  return checked;
}

/** Transpiles runtime-native/index.ts + ts/*.ts into node_modules/.cache (inside the project, so the addon is found); returns the index.js path. */
export function transpiledFacade(): string {
  const out = path.join(ROOT, "node_modules/.cache/cpgc-delta-write-test");
  const sources = ["runtime-native/index.ts", ...readdirSync(path.join(ROOT, "runtime-native/ts")).filter((n) => n.endsWith(".ts")).map((n) => `runtime-native/ts/${n}`)];
  for (const rel of sources) {
    const js = ts.transpileModule(readFileSync(path.join(ROOT, rel), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const target = path.join(out, rel.replace(/\.ts$/, ".js"));
    mkdirSync(path.dirname(target), { recursive: true });
    // Atomically: test files running in parallel transpile into the same directory.
    const temp = `${target}.${randomUUID()}.tmp`;
    writeFileSync(temp, js);
    renameSync(temp, target);
  }
  return path.join(out, "runtime-native/index.js");
}
