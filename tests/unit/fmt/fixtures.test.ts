/**
 * Table-driven fmt cases: tests/fixtures/fmt/<case>/input.yaml → expected.yaml, plus
 * diagnostics.txt when formatting reports something. Cases named `config-*` are formatted as
 * cpg.config.yaml. Run with UPDATE_FIXTURES=1 to rewrite the expected files from the output.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatSpecYaml } from "../../../compiler/src/fmt/index.js";
import { FIXTURES, renderAll, sameYamlData } from "./support.js";

const UPDATE = process.env["UPDATE_FIXTURES"] === "1";
const FILE = "input.yaml";

const cases = readdirSync(FIXTURES)
  .filter((f) => statSync(join(FIXTURES, f)).isDirectory())
  .sort();

test("the fixture table has the cases the formatter promises", () => {
  expect(cases.length).toBeGreaterThanOrEqual(12);
});

describe.each(cases)("%s", (name) => {
  const dir = join(FIXTURES, name);
  const input = readFileSync(join(dir, "input.yaml"), "utf8");
  const kind = name.startsWith("config-") ? "config" : "specs";
  const result = formatSpecYaml(input, kind, { file: FILE });
  const rendered = renderAll(result.diagnostics, FILE, input);
  const expectedFile = join(dir, "expected.yaml");
  const diagnosticsFile = join(dir, "diagnostics.txt");

  if (UPDATE) {
    writeFileSync(expectedFile, result.text);
    if (rendered) writeFileSync(diagnosticsFile, `${rendered}\n`);
    else if (existsSync(diagnosticsFile)) rmSync(diagnosticsFile);
  }

  test("output matches expected.yaml", () => {
    expect(result.text).toBe(readFileSync(expectedFile, "utf8"));
  });

  test("diagnostics match diagnostics.txt", () => {
    const expected = existsSync(diagnosticsFile) ? readFileSync(diagnosticsFile, "utf8").replace(/\n$/, "") : "";
    expect(rendered).toBe(expected);
  });

  test("changed says whether the text changed", () => {
    expect(result.changed).toBe(result.text !== input);
  });

  test("is idempotent", () => {
    const again = formatSpecYaml(result.text, kind, { file: FILE });
    expect(again.text).toBe(result.text);
    expect(again.changed).toBe(false);
  });

  test("re-parses to the same data (View queries compared without whitespace)", () => {
    if (result.diagnostics.some((d) => d.severity === "error")) {
      expect(result.text).toBe(input);
      return;
    }
    expect(sameYamlData(input, result.text)).toBe(true);
  });
});
