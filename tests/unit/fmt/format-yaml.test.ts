/** Edge cases of formatSpecYaml that fixture files cannot express well (line ends, BOM, empty input). */
import { describe, expect, test } from "vitest";
import { formatSpecYaml } from "../../../compiler/src/fmt/index.js";
import { sameYamlData } from "./support.js";

const SCRAMBLED = "name: files\nkind: Dataset\nschema:\n  primary_key: [id]\n  columns:\n    - { type: utf8, name: id }\n";
const CANONICAL = "kind: Dataset\nname: files\nschema:\n  columns:\n    - { name: id, type: utf8 }\n  primary_key: [id]\n";

describe("formatSpecYaml", () => {
  test("reorders keys at every level", () => {
    const r = formatSpecYaml(SCRAMBLED, "specs");
    expect(r.text).toBe(CANONICAL);
    expect(r.changed).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  test("keeps CRLF line ends", () => {
    const r = formatSpecYaml(SCRAMBLED.replace(/\n/g, "\r\n"), "specs");
    expect(r.text).toBe(CANONICAL.replace(/\n/g, "\r\n"));
  });

  test("keeps a byte order mark", () => {
    expect(formatSpecYaml(`\uFEFF${SCRAMBLED}`, "specs").text).toBe(`\uFEFF${CANONICAL}`);
  });

  test("ends the file with a newline", () => {
    const r = formatSpecYaml("kind: DeltaPolicy\nname: p", "specs");
    expect(r.text).toBe("kind: DeltaPolicy\nname: p\n");
    expect(r.changed).toBe(true);
  });

  test.each([
    ["empty", ""],
    ["blank", "\n\n"],
    ["comments only", "# nothing here yet\n"],
    ["a scalar document", "just a string\n"],
    ["a sequence document", "- b: 1\n  a: 2\n"],
  ])("leaves %s input alone", (_, text) => {
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe(text);
    expect(r.changed).toBe(false);
    expect(r.diagnostics).toEqual([]);
  });

  test("a YAML syntax error leaves the text unchanged, with a located error", () => {
    const text = "kind: View\nname: [unclosed\nsql: select 1\n";
    const r = formatSpecYaml(text, "specs", { file: "specs/v.yaml" });
    expect(r.text).toBe(text);
    expect(r.changed).toBe(false);
    const [d] = r.diagnostics;
    expect(d?.severity).toBe("error");
    expect(d?.code).toBe("CPG0001");
    expect(d?.location?.file).toBe("specs/v.yaml");
    expect(d?.location?.range?.start.line).toBeGreaterThan(1);
  });

  test("a duplicate key is reported like validate does, and nothing moves", () => {
    const text = "name: a\nkind: View\nname: b\n";
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe(text);
    expect(r.diagnostics.map((d) => [d.code, d.location?.range?.start.line, d.location?.range?.start.column])).toEqual([["CPG0007", 3, 1]]);
  });

  test("a syntax error in one document leaves every document as written", () => {
    const text = "name: a\nkind: View\n---\nname: b\nkind: [\n";
    expect(formatSpecYaml(text, "specs").text).toBe(text);
  });

  test("a flow-style document is reordered in place, its SQL left alone", () => {
    const text = "{ sql: select 1, name: v, kind: View }\n";
    expect(formatSpecYaml(text, "specs").text).toBe("{ kind: View, name: v, sql: select 1 }\n");
  });

  test("a flow mapping with a comment inside keeps its order", () => {
    const text = "kind: Dataset\nname: d\nschema:\n  columns:\n    - {\n        type: utf8, # the type\n        name: a\n      }\n";
    expect(formatSpecYaml(text, "specs").text).toBe(text);
  });

  test("folded and stripped SQL blocks become literal blocks", () => {
    const text = "kind: View\nname: v\nsql: >-\n  select a\n  from t\n";
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe("kind: View\nname: v\nsql: |\n  select\n    a\n  from\n    t\n");
    expect(sameYamlData(text, r.text)).toBe(true);
  });

  test("quoted SQL with a trailing comment becomes a block that keeps the comment", () => {
    const text = 'kind: View\nname: v\nsql: "select 1 from t" # q\nmaterialize: view\n';
    expect(formatSpecYaml(text, "specs").text).toBe("kind: View\nname: v\nmaterialize: view\nsql: | # q\n  select\n    1\n  from\n    t\n");
  });

  test("SQL is only formatted where a query is expected", () => {
    const text = "kind: Dataset\nname: d\nschema:\n  columns:\n    - { name: a, type: utf8 }\n  checks:\n    - name: c\n      expr: a   is not null\nsql: select 1\n";
    expect(formatSpecYaml(text, "specs").text).toBe(text);
    const policy = "kind: DeltaPolicy\nname: p\nsql: select 1\n";
    expect(formatSpecYaml(policy, "specs").text).toBe(policy);
  });

  test("the config is ordered by the config schema, its variables keep their order", () => {
    const text = "project: p\nvariables:\n  b: 1\n  a: 2\nversion: 1\n";
    expect(formatSpecYaml(text, "config").text).toBe("version: 1\nproject: p\nvariables:\n  b: 1\n  a: 2\n");
  });

  test("a kind the schemas do not know is left as written, SQL included", () => {
    const text = "sql: select 1\nkind: Macro\nname: m\n";
    expect(formatSpecYaml(text, "specs").text).toBe(text);
  });

  test("an alias that would move above its anchor leaves the document as written, with a warning", () => {
    const text = "kind: Dataset\nname: d\nschema:\n  columns:\n    - { name: a, type: utf8, description: &d the a }\ndescription: *d\n";
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe(text);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["CPG0801", "warning"]]);
  });

  test("an anchor and alias that keep their order are fine", () => {
    const text = "name: d\nkind: Dataset\nschema:\n  columns:\n    - &col { name: a, type: utf8 }\n  primary_key: [a]\n";
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe("kind: Dataset\nname: d\nschema:\n  columns:\n    - &col { name: a, type: utf8 }\n  primary_key: [a]\n");
    expect(r.diagnostics).toEqual([]);
  });

  test("sequences written without indentation under their key are handled", () => {
    const text = "kind: Dataset\nname: d\nschema:\n  columns:\n  - type: utf8\n    name: a\n  - name: b\n    type: int64\n";
    expect(formatSpecYaml(text, "specs").text).toBe("kind: Dataset\nname: d\nschema:\n  columns:\n  - name: a\n    type: utf8\n  - name: b\n    type: int64\n");
  });

  test("four-space indentation is kept", () => {
    const text = "kind: Dataset\nname: d\nschema:\n    primary_key: [a]\n    columns:\n        -   name: a\n            type: utf8\n";
    expect(formatSpecYaml(text, "specs").text).toBe("kind: Dataset\nname: d\nschema:\n    columns:\n        -   name: a\n            type: utf8\n    primary_key: [a]\n");
  });

  test("a comment above a key that moves to the front of a list item goes above the dash", () => {
    const text = "kind: Dataset\nname: d\nschema:\n  columns:\n    - type: utf8\n      # the name\n      name: a\n";
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe("kind: Dataset\nname: d\nschema:\n  columns:\n      # the name\n    - name: a\n      type: utf8\n");
    expect(formatSpecYaml(r.text, "specs").text).toBe(r.text);
  });

  test("expectations follow the order of the member they match", () => {
    const text = "kind: View\nname: v\nsql: |\n  select\n    1\nexpectations:\n  - severity: warn\n    unique: [a]\n";
    expect(formatSpecYaml(text, "specs").text).toBe("kind: View\nname: v\nsql: |\n  select\n    1\nexpectations:\n  - unique: [a]\n    severity: warn\n");
  });

  test("an extractor source keeps its options in the author's order", () => {
    const text = "kind: Dataset\nname: d\nsource:\n  options:\n    header: 1\n    alpha: 2\n  extractor: python_ast\nschema:\n  columns:\n    - { name: a, type: utf8 }\n";
    expect(formatSpecYaml(text, "specs").text).toBe(
      "kind: Dataset\nname: d\nsource:\n  extractor: python_ast\n  options:\n    header: 1\n    alpha: 2\nschema:\n  columns:\n    - { name: a, type: utf8 }\n",
    );
  });
});

describe("blank lines", () => {
  test("a blank line at the top of a nested mapping stays there and is not duplicated", () => {
    const text = "kind: Dataset\nname: d\nschema:\n\n  primary_key: [a]\n  columns:\n    - { name: a, type: utf8 }\n";
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe("kind: Dataset\nname: d\nschema:\n\n  columns:\n    - { name: a, type: utf8 }\n  primary_key: [a]\n");
    expect(formatSpecYaml(r.text, "specs").text).toBe(r.text);
  });

  test("a pair that moves to the top leaves its blank lines behind", () => {
    expect(formatSpecYaml("name: x\n\nkind: View\n\ndescription: d\n", "specs").text).toBe("kind: View\nname: x\n\ndescription: d\n");
  });

  test("an empty query is left alone", () => {
    const text = 'kind: View\nname: v\nsql: ""\n';
    const r = formatSpecYaml(text, "specs");
    expect(r.text).toBe(text);
    expect(r.diagnostics).toEqual([]);
  });
});
