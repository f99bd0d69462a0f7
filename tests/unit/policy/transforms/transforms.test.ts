// Each transform: input → expected SQL per dialect (cases.ts), the diagnostics it must report,
// and a parse of its output in that dialect.
import { describe, expect, it } from "vitest";
import { TRANSFORMS } from "../../../../compiler/src/policy/transforms/index.js";
import { resolveProfile } from "../../../../compiler/src/policy/profile.js";
import { parseQuery, printSql } from "../../../../compiler/src/sql/index.js";
import { CASES } from "./cases.js";

const UPDATE = process.env["UPDATE_TRANSFORM_CASES"] === "1";

describe.each(CASES.map((c, i) => ({ ...c, i })))("$transform #$i: $input", (c) => {
  it.each(Object.keys(c.expected) as ("duckdb" | "spark" | "ansi")[])("in %s", (dialect) => {
    const profile = resolveProfile({ dialect, transforms: [c.transform] });
    const parsed = parseQuery(c.input);
    if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.diagnostic.message).join("; "));
    const out = TRANSFORMS[c.transform](parsed.ast, profile);
    const sql = printSql(out.query, dialect).sql;
    if (UPDATE) console.log(`${c.transform} #${c.i} ${dialect}\n  ${c.input}\n  ${sql}  ${out.diagnostics.map((d) => d.diagnostic.code).join(",")}`);
    else expect(sql).toBe(c.expected[dialect]);
    expect(out.diagnostics.map((d) => d.diagnostic.code)).toEqual(c.codes ?? []);
    const again = parseQuery(sql, { dialect });
    expect(again.diagnostics).toEqual([]);
  });
});
