// Error cases as data (errors/*.errors): exact codes, offsets, messages and hints of the
// diagnostics parseQuery / parseExpression return. Nothing throws.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseExpression, parseQuery, type Dialect } from "../../../compiler/src/sql/index.js";
import { readErrorCases, writeErrorCases, type ErrorCase, type ExpectedError } from "./helpers/error-cases.js";

const DIR = fileURLToPath(new URL("./errors", import.meta.url));

function actual(c: ErrorCase): ExpectedError[] {
  const r = c.expression ? parseExpression(c.input, { dialect: c.read as Dialect }) : parseQuery(c.input, { dialect: c.read as Dialect });
  return r.diagnostics.map((d) => ({ code: d.diagnostic.code, start: d.range.start, end: d.range.end, message: d.diagnostic.message, hints: d.diagnostic.hints }));
}

for (const name of readdirSync(DIR).filter((f) => f.endsWith(".errors")).sort()) {
  const file = join(DIR, name);
  const cases = readErrorCases(file);
  if (process.env["UPDATE_SQL_CASES"] === "1") writeErrorCases(file, cases, actual);
  describe(name, () => {
    it.each(cases.map((c) => [`${c.line}: ${c.input}`, c] as const))("%s", (_name, c) => {
      const r = c.expression ? parseExpression(c.input, { dialect: c.read as Dialect }) : parseQuery(c.input, { dialect: c.read as Dialect });
      expect(r.ok).toBe(false);
      expect(actual(c)).toEqual(c.errors);
    });
  });
}
