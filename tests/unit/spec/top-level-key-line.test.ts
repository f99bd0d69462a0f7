// The fast line lookup of a top-level key (what `defined_at` uses instead of a full `yaml` parse)
// answers only when it is sure, and then as the syntax tree does.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { SourceText } from "../../../compiler/src/diagnostics/index.js";
import { loadYaml } from "../../../compiler/src/spec/load-yaml.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

/** (fast line, tree line) of `name` for every document of `text` that has a string name. */
function lines(text: string): [number | undefined, number | undefined][] {
  return loadYaml(new SourceText("t.yaml", text))
    .documents.filter((d) => typeof (d.value as { name?: unknown }).name === "string")
    .map((d) => [d.locator.topLevelKeyLine?.("name"), d.locator.key(["name"]).range?.start.line]);
}

describe("topLevelKeyLine", () => {
  it("agrees with the syntax tree on every spec of the repository and its examples", () => {
    const files = [...yamlFiles(path.join(ROOT, "specs")), ...yamlFiles(path.join(ROOT, "examples")), ...yamlFiles(path.join(ROOT, "tests"))];
    let fast = 0;
    for (const file of files) {
      for (const [quick, tree] of lines(readFileSync(file, "utf8"))) {
        if (quick === undefined) continue;
        fast += 1;
        expect(quick, file).toBe(tree);
      }
    }
    expect(fast).toBeGreaterThan(50);
  });

  it("finds the key per document of a stream, comments and markers included", () => {
    const text = ["# header", "---", "kind: Dataset", "name: a # note", "---", "", "kind: View", 'name: "b"', "sql: |", "  name: not a key", "---", "name: c", ""].join("\n");
    expect(lines(text)).toEqual([
      [4, 4],
      [8, 8],
      [12, 12],
    ]);
  });

  it("does not answer when it could be wrong", () => {
    // Flow mapping, a value on the next line, a tag, a document end marker, a directive.
    for (const text of ["{kind: Dataset, name: a}", "name:\n  a\n", "name: !!str a\n", "name: a\n...\n", "%YAML 1.2\n---\nname: a\n", "name: 'it''s'\n"]) {
      for (const [quick] of lines(text)) expect(quick, text).toBeUndefined();
    }
  });
});
