// All 22 TPC-H queries (../shared/corpus/sql/tpch) parse and round-trip in every dialect, with
// nothing any dialect cannot express, and the printed text is a fixed point of print ∘ parse.
import { describe, expect, it } from "vitest";
import { formatSql } from "../../compiler/src/sql/format.js";
import { parseQuery, printSql } from "../../compiler/src/sql/index.js";
import { HAVE_CORPUS, ROUND_TRIP_DIALECTS, roundTrip, tpchQueries } from "../unit/sql/helpers/corpus.js";

const squash = (s: string) => s.replace(/\s+/g, "");

describe.skipIf(!HAVE_CORPUS)("TPC-H queries", () => {
  const queries = HAVE_CORPUS ? tpchQueries() : [];

  it("are all there", () => {
    expect(queries.map((q) => q.name)).toEqual(Array.from({ length: 22 }, (_, i) => `q${String(i + 1).padStart(2, "0")}`));
  });

  describe.each(queries)("$name", ({ sql }) => {
    const parsed = parseQuery(sql);

    it("parses", () => {
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.ok).toBe(true);
    });

    it.each(ROUND_TRIP_DIALECTS)("round-trips in %s", (dialect) => {
      if (!parsed.ok) throw new Error("does not parse");
      const out = roundTrip(parsed.ast, false, dialect);
      expect(out.status).toBe("ok");
      if (out.status !== "ok") return;
      const again = parseQuery(out.sql, { dialect });
      expect(again.ok && printSql(again.ast, dialect).sql).toBe(out.sql);
    });

    it("pretty-prints without changing the printed query", () => {
      if (!parsed.ok) throw new Error("does not parse");
      const printed = printSql(parsed.ast).sql;
      const pretty = formatSql(printed);
      expect(pretty).toContain("\n");
      expect(squash(pretty)).toBe(squash(printed));
    });
  });
});
