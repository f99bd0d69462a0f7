// The lane skips the transforms applicableTransforms leaves out: each of them must give back the
// tree as it is, with nothing to say, on the transform cases and the corpus, in every dialect.
import { describe, expect, it } from "vitest";
import { resolveProfile } from "../../../../compiler/src/policy/profile.js";
import { applicableTransforms, applies } from "../../../../compiler/src/policy/transforms/applicable.js";
import { TRANSFORMS, type TransformName } from "../../../../compiler/src/policy/transforms/index.js";
import { parseQuery } from "../../../../compiler/src/sql/index.js";
import { HAVE_CORPUS, identityEntries, tpchQueries } from "../../sql/helpers/corpus.js";
import { CASES } from "./cases.js";

const NAMES = Object.keys(TRANSFORMS) as TransformName[];
const DIALECTS = ["duckdb", "spark", "ansi"] as const;

/** How many (tree, transform, dialect) triples were skipped; fails on a skipped transform that would change the tree. */
function checkSkips(inputs: readonly string[]): number {
  let skipped = 0;
  for (const sql of inputs) {
    const parsed = parseQuery(sql);
    if (!parsed.ok) continue;
    const applicable = applicableTransforms(parsed.ast, NAMES);
    for (const name of NAMES) {
      if (applies(applicable, name)) continue;
      for (const dialect of DIALECTS) {
        const out = TRANSFORMS[name](parsed.ast, resolveProfile({ dialect, transforms: [name] }));
        expect({ sql, name, dialect, same: out.query === parsed.ast, diagnostics: out.diagnostics }).toEqual({ sql, name, dialect, same: true, diagnostics: [] });
        skipped++;
      }
    }
  }
  return skipped;
}

describe("applicableTransforms", () => {
  it("finds the transform of every case that changes its input", () => {
    let found = 0;
    for (const c of CASES) {
      const parsed = parseQuery(c.input);
      if (!parsed.ok) continue;
      const out = TRANSFORMS[c.transform](parsed.ast, resolveProfile({ transforms: [c.transform] }));
      if (out.query === parsed.ast && out.diagnostics.length === 0) continue;
      expect({ input: c.input, applies: applies(applicableTransforms(parsed.ast, [c.transform]), c.transform) }).toEqual({ input: c.input, applies: true });
      found++;
    }
    expect(found).toBeGreaterThan(20);
  });

  it("leaves out only transforms that would return the tree unchanged (transform cases)", () => {
    expect(checkSkips(CASES.map((c) => c.input))).toBeGreaterThan(100);
  });

  it("looks only for the transforms asked about", () => {
    const parsed = parseQuery("SELECT a FROM t JOIN u USING (a) QUALIFY row_number() OVER () = 1");
    if (!parsed.ok) throw new Error("parse");
    const applicable = applicableTransforms(parsed.ast, ["expand_using"]);
    expect([applies(applicable, "expand_using"), applies(applicable, "eliminate_qualify")]).toEqual([true, false]);
  });

  it.skipIf(!HAVE_CORPUS)("leaves out only transforms that would return the tree unchanged (corpus)", () => {
    const inputs = [...tpchQueries().map((q) => q.sql), ...identityEntries().filter((e) => e.kind === "query").map((e) => e.sql)];
    expect(checkSkips(inputs)).toBeGreaterThan(1000);
  });
});
