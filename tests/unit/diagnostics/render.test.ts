import { describe, expect, it } from "vitest";
import { diagnostic, renderDiagnostic, SourceText } from "../../../compiler/src/diagnostics/index.js";

const src = new SourceText("specs/a.yaml", "kind: Dataset\nname: files\nschema:\n\tcolumns: []\n");
const sources = new Map([[src.file, src]]);

describe("SourceText", () => {
  it.each([
    [0, 1, 1],
    [5, 1, 6],
    [14, 2, 1],
    [26, 3, 1],
    [1000, 5, 1],
  ])("offset %i is line %i column %i", (offset, line, column) => {
    expect(src.position(offset)).toMatchObject({ line, column });
  });

  it("maps line and column back to the offset", () => {
    expect(src.offsetOf(2, 7)).toBe(20);
    expect(src.line(2)).toBe("name: files");
  });
});

describe("renderDiagnostic", () => {
  it("prints header, location, a code frame with carets under the range, related places and hints", () => {
    const d = diagnostic("CPG0320", "duplicate table name 'files'", {
      location: { file: src.file, range: src.range(20, 25) },
      related: [{ file: "specs/b.yaml", message: "first defined here" }],
      hints: ["names must be unique", undefined],
    });
    expect(renderDiagnostic(d, { sources, color: false })).toBe(
      [
        "error[CPG0320]: duplicate table name 'files'",
        "  --> specs/a.yaml:2:7",
        "    |",
        "  2 | name: files",
        "    |       ^^^^^",
        "  --> specs/b.yaml (first defined here)",
        "  = hint: names must be unique",
      ].join("\n"),
    );
  });

  it("expands tabs so the caret stays under the text", () => {
    const d = diagnostic("CPG0001", "tabs", { location: { file: src.file, range: src.range(35, 42) } });
    const out = renderDiagnostic(d, { sources, color: false }).split("\n");
    expect(out[3]).toBe("  4 |     columns: []");
    expect(out[4]).toBe("    |     ^^^^^^^");
  });

  it("colors only when asked", () => {
    const d = diagnostic("CPG0100", "x", { severity: "warning" });
    expect(renderDiagnostic(d, { sources, color: true })).toContain("\x1b[1;33mwarning[CPG0100]");
    expect(renderDiagnostic(d, { sources, color: false })).not.toContain("\x1b");
  });
});
