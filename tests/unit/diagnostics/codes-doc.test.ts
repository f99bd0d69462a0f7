import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../../compiler/src/diagnostics/index.js";
import { REPO_ROOT } from "../../helpers/fixture-project.js";

describe("docs/diagnostics.md", () => {
  const doc = readFileSync(join(REPO_ROOT, "docs", "diagnostics.md"), "utf8");
  it.each(Object.entries(DIAGNOSTIC_CODES))("documents %s (%s)", (code, title) => {
    expect(doc).toContain(`### ${code} — ${title}`);
  });
  it("documents no code that does not exist", () => {
    const documented = [...doc.matchAll(/^### (CPG\d{4})/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
  });
});
