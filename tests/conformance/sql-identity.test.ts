// The identity corpus (SQLGlot's fixtures, ../shared/corpus/sql): every query and expression in
// the supported grammar parses and round-trips in every dialect that can express it; the report
// lists what does not, and must be current (UPDATE_REPORTS=1 regenerates it).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HAVE_CORPUS } from "../unit/sql/helpers/corpus.js";
import { evaluateIdentity, renderIdentityReport } from "../unit/sql/helpers/identity-report.js";

const REPORT = fileURLToPath(new URL("./reports/sql-identity.md", import.meta.url));

describe.skipIf(!HAVE_CORPUS)("SQL identity corpus", () => {
  const results = evaluateIdentity();

  it("round-trips every entry it parses", () => {
    const broken = results.filter((r) => r.status === "round-trip-failure").map((r) => `${r.entry.sql} → ${r.reason}`);
    expect(broken).toEqual([]);
  });

  it("refuses every DDL, DML and utility statement as not a query", () => {
    const accepted = results.filter((r) => r.status === "out-of-scope" && r.reason === "parsed").map((r) => r.entry.sql);
    expect(accepted).toEqual([]);
  });

  it("keeps its pass rate", () => {
    const inScope = results.filter((r) => r.status !== "out-of-scope");
    const pass = inScope.filter((r) => r.status === "pass").length;
    expect(pass / inScope.length).toBeGreaterThan(0.88);
  });

  it("has a current report", () => {
    const report = renderIdentityReport(results);
    if (process.env["UPDATE_REPORTS"] === "1") writeFileSync(REPORT, report);
    expect(existsSync(REPORT) ? readFileSync(REPORT, "utf8") : "(missing: run with UPDATE_REPORTS=1)").toBe(report);
  });
});
