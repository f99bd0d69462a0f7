/**
 * Unusual but valid YAML: whatever fmt does with it, the data survives (View queries up to
 * whitespace), a second run changes nothing, and nothing is reported as an error.
 */
import { describe, expect, test } from "vitest";
import { formatSpecYaml } from "../../../compiler/src/fmt/index.js";
import { sameYamlData } from "./support.js";

const CASES: Record<string, string> = {
  "keep-chomped block scalar with trailing blank lines": "kind: Dataset\ndescription: |+\n  keep\n\n  \nname: d\nschema:\n  columns: [{name: a, type: utf8}]\n",
  "multi-line plain scalar": "kind: Dataset\ndescription: a long\n  plain scalar over\n  three lines\nname: d\n",
  "comments between sequence items at several depths": "kind: Dataset\nschema:\n  columns:\n  # before first\n  - name: a\n    type: utf8\n# shallow comment between items\n  - type: utf8\n    name: b\n    # deep trailing\nname: d\n",
  "explicit keys": "? name\n: x\nkind: Dataset\n",
  "a %YAML directive": "%YAML 1.2\n---\nname: x\nkind: Dataset\n",
  "a comment on the --- line": "--- # doc comment\nname: x\nkind: Dataset\n",
  "a flow sequence over several lines": "kind: Dataset\nschema:\n  columns: [\n    { type: utf8,\n      name: a },\n    {name: b, type: utf8}\n  ]\nname: d\n",
  "quoted keys": "\"name\": d\n'kind': Dataset\n",
  "empty values": "kind: Dataset\ndescription:\nname: d\nsource:\n",
  "nested sequences": "kind: Dataset\nname: d\nschema:\n  columns:\n    - name: a\n      type: utf8\n      metadata:\n        z: 1\n        a: 2\n    - - nested\n      - seq\n",
  "block scalar with an indentation indicator": "name: v\nkind: View\nsql: |2\n    indented first line\n  select 1\n",
  "queries in every scalar style": 'name: v\nkind: View\nsql: "select 1\\n from t"\nexpectations:\n- sql: select 1\n  name: e\n- severity: warn\n  sql: >\n    select 2\n',
  "flow mappings all the way down": "name: x\nkind: Dataset\nschema: {columns: [{name: a, type: utf8}], primary_key: [a]}\ndelta:\n  write: {zorder_by: [a], partition_by: [a]}\n",
  "a tab before a comment": "kind: Dataset\nname: x\t# tab before comment\nschema:\n  columns:\n    - name: a\n      type: utf8\n",
  "comments everywhere around the first keys": "name: x # c1\n# c2\n\n# c3\nkind: Dataset # c4\n# end\n",
  "tags": "name: x\nkind: !!str Dataset\ndescription: !!str d\n",
  "anchors and aliases in order": "kind: DeltaPolicy\nname: p\nwrite:\n  zorder_by: &cols [a, b]\n  stats_columns: *cols\n",
  "a map value on the line after a comment-only key line": "kind: Dataset\nname: d\nschema: # the schema\n# a comment at column 0 inside schema\n  primary_key: [a]\n  columns:\n    - { name: a, type: utf8 }\n",
  "a sequence item that starts with a comment": "kind: Dataset\nname: d\nschema:\n  columns:\n    - # the id\n      type: utf8\n      name: id\n",
  "blank lines at the end": "name: p\nkind: DeltaPolicy\n\n\n",
  "a document end marker and comments after it": "name: p\nkind: DeltaPolicy\n...\n# after the end\n---\nname: q\nkind: DeltaPolicy\n",
  "a key that needs quoting and an unknown kind before a known one": "kind: Thing\n\"a b\": 1\nname: t\n---\nname: p\nkind: DeltaPolicy\n",
};

describe.each(Object.entries(CASES))("%s", (_, text) => {
  const r = formatSpecYaml(text, "specs");

  test("keeps the data", () => {
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(sameYamlData(text, r.text)).toBe(true);
  });

  test("is idempotent", () => {
    expect(formatSpecYaml(r.text, "specs").text).toBe(r.text);
  });
});

test("a keep-chomped scalar keeps its trailing blank lines when its pair moves", () => {
  const r = formatSpecYaml(CASES["keep-chomped block scalar with trailing blank lines"]!, "specs");
  expect(r.text).toBe("kind: Dataset\nname: d\ndescription: |+\n  keep\n\n  \nschema:\n  columns: [{name: a, type: utf8}]\n");
});

test("explicit keys are left as written", () => {
  const text = CASES["explicit keys"]!;
  expect(formatSpecYaml(text, "specs").text).toBe(text);
});

test("comments on the --- line and directives stay at the top", () => {
  expect(formatSpecYaml(CASES["a %YAML directive"]!, "specs").text).toBe("%YAML 1.2\n---\nkind: Dataset\nname: x\n");
  expect(formatSpecYaml(CASES["a comment on the --- line"]!, "specs").text).toBe("--- # doc comment\nkind: Dataset\nname: x\n");
});

test("an anchor defined in another document is not formatted (and not reported as a YAML error)", () => {
  const text = "name: x\nkind: Dataset\nschema: &s\n  columns:\n    - { name: a, type: utf8 }\n---\nname: y\nkind: Dataset\nschema: *s\n";
  const r = formatSpecYaml(text, "specs");
  expect(r.text).toBe("kind: Dataset\nname: x\nschema: &s\n  columns:\n    - { name: a, type: utf8 }\n---\nname: y\nkind: Dataset\nschema: *s\n");
  expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["CPG0801", "warning"]]);
});
