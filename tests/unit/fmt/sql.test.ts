import { describe, expect, test } from "vitest";
import { blockLiteral, formatSql } from "../../../compiler/src/fmt/index.js";

describe("formatSql", () => {
  test.each(["{{ min_lines }}", "{{min_lines}}", "{{   spaced_1   }}", "{{ _x }}"])("keeps the placeholder %s untouched", (p) => {
    const r = formatSql(`select a from t where b >= ${p} and c = ${p}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sql.split(p).length - 1).toBe(2);
    expect(r.sql).toBe(`select\n  a\nfrom\n  t\nwhere\n  b >= ${p}\n  and c = ${p}`);
  });

  test("leaves placeholders inside strings and comments alone", () => {
    const r = formatSql("select '{{ x }}' as s -- {{ y }}\nfrom t");
    expect(r.ok && r.sql).toBe("select\n  '{{ x }}' as s -- {{ y }}\nfrom\n  t");
  });

  test("preserves the case of keywords and identifiers", () => {
    const r = formatSql("SELECT Value, Year from t");
    expect(r.ok && r.sql).toBe("SELECT\n  Value,\n  Year\nfrom\n  t");
  });

  test("is stable on its own output", () => {
    const first = formatSql("with x as (select 1 as a) select a from x qualify row_number() over (order by a) = 1");
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(formatSql(first.sql)).toEqual(first);
  });

  test("fails on what sql-formatter cannot parse, with the position", () => {
    const r = formatSql("select a\nfrom t where x = {{ 1bad }}");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/^Parse error/);
    expect(r.offset).toBe("select a\nfrom t where x = {{ ".length);
  });

  test("fails on an unclosed parenthesis", () => {
    expect(formatSql("select (a from t").ok).toBe(false);
  });
});

describe("blockLiteral", () => {
  test("indents the body two spaces deeper than the key and keeps blank lines empty", () => {
    expect(blockLiteral("select\n  a\n\nfrom t", 2)).toBe("|\n    select\n      a\n\n    from t\n");
  });

  test("keeps a header comment", () => {
    expect(blockLiteral("select 1", 0, "# the query")).toBe("| # the query\n  select 1\n");
  });
});
