import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES, SourceText, renderDiagnostic } from "../../../compiler/src/diagnostics/index.js";
import { locateSqlDiagnostics, parseQuery } from "../../../compiler/src/sql/index.js";

describe("SQL diagnostics", () => {
  it("every diagnostic the parser gives uses a registered CPG10xx code", () => {
    const bad = ["select", "select 1; select 2", "create table t (a int)", "select {{ x }}", "", "select 'unterminated"];
    for (const sql of bad) {
      for (const d of parseQuery(sql).diagnostics) {
        expect(d.diagnostic.code).toMatch(/^CPG10\d\d$/);
        expect(DIAGNOSTIC_CODES[d.diagnostic.code]).toBeTruthy();
      }
    }
  });

  it("are located in the file that holds the query, through an offset mapper", () => {
    // A view in YAML: the query starts on line 3, indented by 4 spaces.
    const yaml = "kind: View\nsql: |\n    select a,\n    from t\n";
    const sql = "select a,\nfrom t\n";
    const r = parseQuery(sql);
    expect(r.ok).toBe(false);
    const lineStarts = [yaml.indexOf("select"), yaml.indexOf("from")];
    const toFile = (offset: number) => {
      const line = sql.slice(0, offset).split("\n").length - 1;
      const col = offset - (sql.lastIndexOf("\n", offset - 1) + 1);
      return (lineStarts[line] ?? yaml.length) + col;
    };
    const source = new SourceText("views.yaml", yaml);
    const [d] = locateSqlDiagnostics(r.diagnostics, source, toFile);
    expect(d!.location).toEqual({ file: "views.yaml", range: source.range(yaml.indexOf("from"), yaml.indexOf("from") + 4) });
    expect(d!.location!.range!.start).toMatchObject({ line: 4, column: 5 });
    const text = renderDiagnostic(d!, { sources: new Map([["views.yaml", source]]), color: false });
    expect(text).toBe(
      [
        "error[CPG1000]: expected an expression, found 'from'",
        "  --> views.yaml:4:5",
        "    |",
        "  4 |     from t",
        "    |     ^^^^",
        "  = hint: remove the ',' before 'from'",
      ].join("\n"),
    );
  });

  it("identity mapping for a .sql file", () => {
    const sql = "select 1;\nselect 2";
    const r = parseQuery(sql);
    const [d] = locateSqlDiagnostics(r.diagnostics, new SourceText("q.sql", sql));
    expect(d!.code).toBe("CPG1002");
    expect(d!.location!.range!.start).toMatchObject({ line: 2, column: 1 });
  });

  it("placeholders inside strings and comments are not placeholders", () => {
    expect(parseQuery("select '{{ x }}' as a -- {{ y }}\nfrom t /* {{ z }} */").ok).toBe(true);
  });
});
