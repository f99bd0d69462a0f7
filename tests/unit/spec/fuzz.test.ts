import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parseAllDocuments, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../../compiler/src/spec/index.js";
import { SHARED_CONTRACT } from "../../helpers/fixture-project.js";
import { memoryIO } from "../../helpers/memory-io.js";
import { walkFiles } from "../../helpers/walk.js";

/**
 * Property: whatever is done to a valid project, cpgc returns diagnostics (or a model) and never
 * throws. Mutations work on the data (drop/rename/retype keys) and on the raw text (cut, splice).
 */
const ROOT = "/p";
const config = readFileSync(join(SHARED_CONTRACT, "cpg.config.yaml"), "utf8");
const specFiles = walkFiles(join(SHARED_CONTRACT, "specs")).map((f) => ({ name: f.slice(SHARED_CONTRACT.length + 1), text: readFileSync(f, "utf8") }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.string(),
  fc.constantFrom("", "struct<", "list<utf8", "map<>", "{{ x }}", "default", "cpg", "file_id", "span.bstart", "x".repeat(300)),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
);

/** Paths to every node of a value, for picking a mutation site. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

type Mutation = { op: "set" | "delete" | "rename"; pick: number; value: Json; key: string };

function mutate(doc: unknown, m: Mutation): unknown {
  const all = paths(doc).filter((p) => p.length > 0);
  if (all.length === 0) return m.value;
  const path = all[m.pick % all.length]!;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (m.op === "set") parent[last] = m.value;
  else if (m.op === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (!Array.isArray(parent)) {
    parent[`${String(last)}${m.key}`] = parent[last];
    delete parent[last];
  }
  return copy;
}

const stats = { runs: 0, invalid: 0 };

async function run(files: Record<string, string>) {
  const r = await loadProject("cpg.config.yaml", { io: memoryIO(files), cwd: ROOT });
  stats.runs++;
  if (!r.model) stats.invalid++;
  for (const d of r.diagnostics) {
    expect(d.code).toMatch(/^CPG\d{4}$/);
    expect(typeof d.message).toBe("string");
    expect(d.location?.file).toBeTruthy();
  }
  if (!r.diagnostics.some((d) => d.severity === "error")) expect(r.model).toBeDefined();
}

const baseFiles = (): Record<string, string> => ({
  [`${ROOT}/cpg.config.yaml`]: config,
  ...Object.fromEntries(specFiles.map((f) => [`${ROOT}/${f.name}`, f.text])),
});

const mutation = fc.record({ op: fc.constantFrom("set", "delete", "rename"), pick: fc.nat(), value: anyValue, key: fc.string({ maxLength: 4 }) }) as fc.Arbitrary<Mutation>;

describe("spec loader under mutation never throws", () => {
  it("survives structural mutations of spec documents", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: specFiles.length }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (fileIdx, mutations) => {
        const files = baseFiles();
        const isConfig = fileIdx === specFiles.length;
        const key = isConfig ? `${ROOT}/cpg.config.yaml` : `${ROOT}/${specFiles[fileIdx]!.name}`;
        const docs = parseAllDocuments(files[key]!).map((d) => d.toJS() as unknown);
        const di = mutations[0]!.pick % docs.length;
        docs[di] = mutations.reduce((d, m) => mutate(d, m), docs[di]);
        files[key] = docs.map((d) => stringify(d)).join("---\n");
        await run(files);
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });

  it("survives raw text damage: truncation, splices and garbage", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: specFiles.length }),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("\t", ":", "- ", "{", "]", "---\n", "&a", "*a", "!!binary", "\u0000", "\ufeff", "? ")),
        async (fileIdx, pos, cut, insert) => {
          const files = baseFiles();
          const key = fileIdx === specFiles.length ? `${ROOT}/cpg.config.yaml` : `${ROOT}/${specFiles[fileIdx]!.name}`;
          const text = files[key]!;
          const at = pos % (text.length + 1);
          files[key] = text.slice(0, at) + insert + text.slice(at + cut);
          await run(files);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("mutations actually break specs (the property is not vacuous)", () => {
    expect(stats.runs).toBe(600);
    expect(stats.invalid / stats.runs).toBeGreaterThan(0.3);
  });
});
