// Table-driven printer tests: each case in cases/*.cases is parsed, printed in every dialect
// and compared with the expected text; every printed form must parse back to the same tree.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseExpression, parseQuery, printSql, sameTree, type Dialect, type Node, type ParseResult } from "../../../compiler/src/sql/index.js";
import { caseFiles, DIALECT_KEYS, readCases, writeCases, type Case } from "./helpers/cases.js";

const DIR = fileURLToPath(new URL("./cases", import.meta.url));

function parse(c: Case, text: string, dialect: Dialect): ParseResult<Node> {
  return c.expression ? parseExpression(text, { dialect }) : parseQuery(text, { dialect });
}

function printed(c: Case): Record<string, string> {
  const r = parse(c, c.input, c.read as Dialect);
  if (!r.ok) return Object.fromEntries(DIALECT_KEYS.map((d) => [d, `!PARSE ${r.diagnostics.map((x) => x.diagnostic.message).join("; ")}`]));
  return Object.fromEntries(
    DIALECT_KEYS.map((d) => {
      const p = printSql(r.ast, d);
      return [d, p.diagnostics.length > 0 ? `!${p.diagnostics[0]!.diagnostic.code} ${p.diagnostics[0]!.diagnostic.message}` : p.sql];
    }),
  );
}

for (const file of caseFiles(DIR)) {
  const cases = readCases(file);
  if (process.env["UPDATE_SQL_CASES"] === "1") writeCases(file, cases, printed);
  describe(file.slice(DIR.length + 1), () => {
    it.each(cases.map((c) => [`${c.line}: ${c.input}`, c] as const))("%s", (_name, c) => {
      const got = printed(c);
      expect(got).toEqual(Object.fromEntries(DIALECT_KEYS.map((d) => [d, c.expected[d] ?? "(no expectation)"])));
      const tree = parse(c, c.input, c.read as Dialect);
      if (!tree.ok) return;
      for (const d of DIALECT_KEYS) {
        if (got[d]!.startsWith("!")) continue;
        const again = parse(c, got[d]!, d);
        expect(again.ok, `${d}: ${got[d]} does not parse`).toBe(true);
        if (again.ok) expect(sameTree(tree.ast, again.ast), `${d}: ${got[d]} reads differently`).toBe(true);
      }
    });
  });
}
