import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../compiler/src/policy/sanitize.js";

const vars = { min_lines: 10, name: "O'Brien", flag: true, ratio: 0.5, table_name: 'my "t"' };

describe("renderTemplate", () => {
  it.each<[string, string]>([
    ["select 1", "select 1"],
    ["where lines >= {{ min_lines }}", "where lines >= 10"],
    ["where lines >= {{min_lines}}", "where lines >= 10"],
    ["where name = {{ name }}", "where name = 'O''Brien'"],
    ["where f = {{ flag }} and r < {{ ratio }}", "where f = true and r < 0.5"],
    ["select * from {{ table_name | ident }}", 'select * from "my ""t"""'],
    ["where n = {{ name | literal }}", "where n = 'O''Brien'"],
    ["-- {{ min_lines }} in a comment is rendered too\nselect 1", "-- 10 in a comment is rendered too\nselect 1"],
  ])("%s", (input, expected) => {
    const r = renderTemplate(input, vars);
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toBe(expected);
  });

  it("lists the variables it used", () => {
    expect(renderTemplate("{{ ratio }} {{ min_lines }} {{ ratio }}", vars).used).toEqual(["min_lines", "ratio"]);
  });

  it.each<[string, string, string, number, number]>([
    ["where x > {{ min_line }}", "CPG1100", "unknown variable 'min_line' in {{ min_line }}", 10, 24],
    ["where x > {{ 1 + 1 }}", "CPG1101", "invalid placeholder {{ 1 + 1 }}: expected {{ name }} or {{ name | ident }}", 10, 21],
    ["where x > {{ name | raw }}", "CPG1101", "unknown filter 'raw' in {{ name | raw }}", 10, 26],
    ["select * from {{ min_lines | ident }}", "CPG1101", "{{ min_lines | ident }} needs a string variable, 'min_lines' is number", 14, 37],
    ["where x > {{ min_lines", "CPG1101", "unclosed template placeholder '{{'", 10, 12],
  ])("reports %s", (input, code, message, start, end) => {
    const r = renderTemplate(input, vars);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.diagnostic.code).toBe(code);
    expect(r.diagnostics[0]!.diagnostic.message).toBe(message);
    expect(r.diagnostics[0]!.range).toEqual({ start, end });
  });

  it("suggests the closest variable", () => {
    const r = renderTemplate("{{ min_line }}", vars);
    expect(r.diagnostics[0]!.diagnostic.hints[0]).toBe("did you mean 'min_lines'?");
  });

  it("maps rendered offsets back to the original text", () => {
    const input = "select {{ name }} as n, bad from t";
    const r = renderTemplate(input, vars);
    const bad = r.text.indexOf("bad");
    expect(input.slice(r.toOriginal(bad), r.toOriginal(bad) + 3)).toBe("bad");
    expect(r.toOriginal(r.text.indexOf("'O"))).toBe(input.indexOf("{{"));
    expect(r.toOriginal(0)).toBe(0);
    expect(r.toOriginal(r.text.length)).toBe(input.length);
  });
});
