import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Ajv } from "ajv";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { generateJsonSchemas } from "../../../compiler/src/spec/json-schema.js";
import { loadProject } from "../../../compiler/src/spec/index.js";
import { invalidCases, materialize, REPO_ROOT, SHARED_CONTRACT } from "../../helpers/fixture-project.js";
import { walkFiles } from "../../helpers/walk.js";

/**
 * The editor (JSON Schema) and the CLI (zod) must agree: every valid spec passes the generated
 * schema, every fixture that fails on shape fails it too, and fixtures that fail only semantic
 * checks (types, references) pass it — checked by an independent validator, ajv.
 */
const SHAPE_CODES = new Set(["CPG0100", "CPG0101", "CPG0102", "CPG0103", "CPG0104", "CPG0105", "CPG0106", "CPG0107", "CPG0108"]);
const YAML_CODES = new Set(["CPG0001", "CPG0007"]);

const schemas = Object.fromEntries(Object.entries(generateJsonSchemas()).map(([k, v]) => [k, JSON.parse(v) as object]));
const ajv = new Ajv({ allErrors: true, strict: false });
/** Schemas of outputs (not specs), written by hand next to their renderers' tests. */
const HAND_WRITTEN = new Set(["plan.schema.json"]);
const validateSpec = ajv.compile(schemas["spec.schema.json"]!);
const validateConfig = ajv.compile(schemas["config.schema.json"]!);

function yamlDocs(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .filter((d) => d.contents !== null)
    .map((d) => d.toJS());
}

function validSpecFiles(): string[] {
  const roots = [SHARED_CONTRACT, join(REPO_ROOT, "specs"), join(REPO_ROOT, "examples")];
  return roots.flatMap((r) => walkFiles(r).filter((f) => /\.ya?ml$/.test(f) && !f.endsWith("cpg.config.yaml")));
}

describe("generated JSON Schema", () => {
  it("schemas/ is up to date with the zod schemas (run `cpgc schema` to refresh)", () => {
    const dir = join(REPO_ROOT, "schemas");
    for (const [name, text] of Object.entries(generateJsonSchemas())) {
      expect(readFileSync(join(dir, name), "utf8"), `schemas/${name} is stale`).toBe(text);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".schema.json") && !HAND_WRITTEN.has(f)).sort()).toEqual(Object.keys(generateJsonSchemas()).sort());
  });

  it("describes every property, so editors show docs on hover", () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (node === null || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (n["properties"] && typeof n["properties"] === "object" && !path.endsWith("/if")) {
        for (const [k, v] of Object.entries(n["properties"] as Record<string, Record<string, unknown>>)) {
          if (typeof v["description"] !== "string" && !v["$ref"]) undocumented.push(`${path}.${k}`);
        }
      }
      for (const [k, v] of Object.entries(n)) visit(v, `${path}/${k}`);
    };
    for (const [name, s] of Object.entries(schemas)) visit(s, name);
    expect(undocumented).toEqual([]);
  });

  const workspace = join(REPO_ROOT, "..");
  it.each(validSpecFiles().map((f) => [relative(workspace, f)]))("accepts valid spec file %s", (rel) => {
    const docs = yamlDocs(join(workspace, rel));
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) expect(validateSpec(doc), JSON.stringify(validateSpec.errors)).toBe(true);
  });

  it("every YAML file in specs/ and examples/ carries a yaml-language-server modeline that resolves", () => {
    const files = [...walkFiles(join(REPO_ROOT, "specs")), ...walkFiles(join(REPO_ROOT, "examples")), join(REPO_ROOT, "cpg.config.yaml")].filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const m = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(f, "utf8").split("\n").slice(0, 3).join("\n"));
      expect(m, `${f} has no modeline`).not.toBeNull();
      const target = join(dirname(f), m![1]!);
      const want = f.endsWith("cpg.config.yaml") ? "config.schema.json" : "spec.schema.json";
      expect(target, f).toBe(join(REPO_ROOT, "schemas", want));
    }
  });

  it("accepts the valid configs", () => {
    for (const f of [join(SHARED_CONTRACT, "cpg.config.yaml"), join(REPO_ROOT, "cpg.config.yaml"), ...walkFiles(join(REPO_ROOT, "examples")).filter((f) => f.endsWith("cpg.config.yaml"))]) {
      expect(validateConfig(yamlDocs(f)[0]), `${f}: ${JSON.stringify(validateConfig.errors)}`).toBe(true);
    }
  });

  const yamlCases = invalidCases().filter((c) => c.form !== "project" || walkFiles(c.source).every((f) => !f.endsWith(".ts")));
  it.each(yamlCases.map((c) => [c.name, c] as const))("agrees with the CLI on invalid fixture %s", async (_n, c) => {
    const dir = materialize(c);
    const result = await loadProject("cpg.config.yaml", { cwd: dir });
    const codes = new Set(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code));
    if ([...codes].some((code) => YAML_CODES.has(code))) return; // not YAML: nothing for a schema to judge
    const shapeLevel = [...codes].some((code) => SHAPE_CODES.has(code));
    const files = walkFiles(dir).filter((f) => /\.ya?ml$/.test(f));
    let rejected = 0;
    for (const f of files) {
      const validate = f.endsWith("cpg.config.yaml") ? validateConfig : validateSpec;
      for (const doc of yamlDocs(f)) if (!validate(doc)) rejected++;
    }
    if (shapeLevel) expect(rejected, "the schema must reject a shape error the CLI reports").toBeGreaterThan(0);
    else expect(rejected, "the schema must accept what only semantic checks reject").toBe(0);
  });
});
