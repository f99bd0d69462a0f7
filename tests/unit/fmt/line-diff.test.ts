import { describe, expect, test } from "vitest";
import { diffLines, unifiedDiff } from "../../../compiler/src/fmt/index.js";

const opts = { oldLabel: "a/x.yaml", newLabel: "b/x.yaml" };

describe("unifiedDiff", () => {
  test("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", opts)).toBe("");
  });

  test("shows a moved line as a removal and an addition with context", () => {
    expect(unifiedDiff("name: x\nkind: View\nsql: s\n", "kind: View\nname: x\nsql: s\n", opts)).toBe(
      ["--- a/x.yaml", "+++ b/x.yaml", "@@ -1,3 +1,3 @@", "-name: x", " kind: View", "+name: x", " sql: s", ""].join("\n"),
    );
  });

  test("splits distant changes into separate hunks", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const after = [...before];
    after[1] = "changed1";
    after[18] = "changed18";
    const d = unifiedDiff(`${before.join("\n")}\n`, `${after.join("\n")}\n`, opts);
    expect(d.match(/^@@/gm)).toHaveLength(2);
    expect(d).toContain("@@ -1,5 +1,5 @@");
    expect(d).toContain("@@ -16,5 +16,5 @@");
  });

  test("counts an empty old side from line 0", () => {
    expect(unifiedDiff("", "a\n", opts)).toContain("@@ -0,0 +1,1 @@");
  });
});

describe("diffLines", () => {
  test("is a minimal edit script", () => {
    const ops = diffLines(["a", "b", "c", "d"], ["a", "c", "d", "e"]);
    expect(ops.map((o) => `${o.kind}${o.line}`)).toEqual([" a", "-b", " c", " d", "+e"]);
  });
});
