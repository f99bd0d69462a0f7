import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validate } from "../../helpers/validate.js";
import type { Diagnostic } from "../../../compiler/src/diagnostics/index.js";
import { invalidCases, materialize } from "../../helpers/fixture-project.js";

/** One line per diagnostic: severity, code, file:line:column, message. */
export function expectationLines(diags: readonly Diagnostic[]): string {
  return diags
    .map((d) => {
      const s = d.location?.range?.start;
      const where = d.location ? `${d.location.file}${s ? `:${s.line}:${s.column}` : ""}` : "-";
      return `${d.severity} ${d.code} ${where} ${d.message}`;
    })
    .join("\n")
    .concat("\n");
}

const UPDATE = process.env["UPDATE_FIXTURES"] === "1";
const cases = invalidCases();

describe("invalid spec fixtures", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const dir = materialize(c);
    const result = await validate("cpg.config.yaml", { cwd: dir });
    const actual = expectationLines(result.diagnostics);
    expect(result.diagnostics.some((d) => d.severity === "error"), "the fixture must be invalid").toBe(true);
    expect(result.model).toBeUndefined();
    for (const d of result.diagnostics) {
      expect(d.code).toMatch(/^CPG\d{4}$/);
      expect(d.location?.range, `${d.code} ${d.message} has a line and column`).toBeDefined();
    }
    if (UPDATE || !existsSync(c.expectedFile)) {
      if (!UPDATE) throw new Error(`missing ${c.expectedFile}; run with UPDATE_FIXTURES=1 to create it`);
      writeFileSync(c.expectedFile, actual);
      return;
    }
    expect(actual).toBe(readFileSync(c.expectedFile, "utf8"));
  });
});
