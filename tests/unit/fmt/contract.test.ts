/** Formatting the shared contract project (read only) is idempotent and keeps every value. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatSpecYaml } from "../../../compiler/src/fmt/index.js";
import { parseAllDocuments } from "yaml";
import { SPEC_KINDS, projectConfig, type SpecKind } from "../../../compiler/src/spec/schema/index.js";
import { knownKeysAt } from "../../../compiler/src/spec/zod-walk.js";
import { CONTRACT, sameYamlData } from "./support.js";

const files: { name: string; kind: "config" | "specs" }[] = [
  { name: "cpg.config.yaml", kind: "config" },
  ...readdirSync(join(CONTRACT, "specs"))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ name: `specs/${f}`, kind: "specs" as const })),
];

test("the contract has a config and spec files", () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

describe.each(files)("$name", ({ name, kind }) => {
  const text = readFileSync(join(CONTRACT, name), "utf8");
  const once = formatSpecYaml(text, kind, { file: name });

  test("formats without diagnostics", () => {
    expect(once.diagnostics).toEqual([]);
  });

  test("is idempotent", () => {
    const twice = formatSpecYaml(once.text, kind, { file: name });
    expect(twice.text).toBe(once.text);
    expect(twice.changed).toBe(false);
  });

  test("keeps the data (View queries compared without whitespace)", () => {
    expect(sameYamlData(text, once.text)).toBe(true);
  });

  test("puts top-level keys in schema order", () => {
    for (const doc of parseAllDocuments(once.text)) {
      const value = doc.toJS() as Record<string, unknown>;
      const schema = kind === "config" ? projectConfig : SPEC_KINDS[value["kind"] as SpecKind];
      const canonical = knownKeysAt(schema, []);
      const positions = Object.keys(value).map((k) => canonical.indexOf(k));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  test("keeps every comment line", () => {
    const comments = (s: string) => s.split("\n").filter((l) => l.trim().startsWith("#")).map((l) => l.trim()).sort();
    expect(comments(once.text)).toEqual(comments(text));
  });
});
