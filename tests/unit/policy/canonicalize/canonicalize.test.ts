// canonicalize + normalizePredicates: input → expected canonical duckdb SQL; pairs that must
// (or must not) share a fingerprint; idempotence.
import { describe, expect, it } from "vitest";
import { canonicalize, canonicalNumberText, compareNodes, sortKey } from "../../../../compiler/src/policy/canonicalize/index.js";
import { normalizationDistance, normalizePredicates } from "../../../../compiler/src/policy/cnf.js";
import { runLane } from "../../../../compiler/src/policy/lane.js";
import { resolveProfile } from "../../../../compiler/src/policy/profile.js";
import { parseExpression, parseQuery, printSql, walk, type Dialect, type Node } from "../../../../compiler/src/sql/index.js";
import { HAVE_CORPUS, identityEntries, tpchQueries } from "../../sql/helpers/corpus.js";

const canon = (sql: string, dialect: Dialect = "duckdb", maxDistance = 128) => {
  const p = parseQuery(sql, { dialect });
  if (!p.ok) throw new Error(p.diagnostics.map((d) => d.diagnostic.message).join("; "));
  return printSql(normalizePredicates(canonicalize(p.ast, { dialect }), { maxDistance })).sql;
};

const CASES: readonly [string, string][] = [
  ["SELECT A AS Total FROM T", "SELECT a AS total FROM t"],
  ['SELECT "A" AS "Total", "b" FROM "t"', 'SELECT "A" AS "Total", b FROM t'],
  ["SELECT COUNT(*) FROM t", "SELECT count(*) FROM t"],
  ["SELECT 007, 1e0, 1E+2, 100e0, 1.0, 1.00, .5 FROM t", "SELECT 7, 1e0, 1e2, 1e2, 1.0, 1.00, .5 FROM t"],
  ["SELECT * FROM t WHERE b > a", "SELECT * FROM t WHERE a < b"],
  ["SELECT * FROM t WHERE 5 < x", "SELECT * FROM t WHERE x > 5"],
  ["SELECT * FROM t WHERE c AND b AND a", "SELECT * FROM t WHERE a AND b AND c"],
  ["SELECT * FROM t WHERE NOT NOT a", "SELECT * FROM t WHERE a"],
  ["SELECT * FROM t WHERE NOT a = b", "SELECT * FROM t WHERE a <> b"],
  ["SELECT * FROM t WHERE NOT a IN (3, 1, 3)", "SELECT * FROM t WHERE a NOT IN (1, 3)"],
  ["SELECT * FROM t WHERE a IN (2)", "SELECT * FROM t WHERE a = 2"],
  ["SELECT * FROM t WHERE NOT a IS NULL", "SELECT * FROM t WHERE a IS NOT NULL"],
  ["SELECT CAST(CAST(x AS INT) AS INTEGER), CAST('2020-01-01' AS DATE), CAST(DATE '2020-01-01' AS DATE), CAST('1' AS VARCHAR) FROM t",
    "SELECT CAST(x AS INTEGER), DATE '2020-01-01', DATE '2020-01-01', CAST('1' AS VARCHAR) FROM t"],
  ["SELECT b * a, b - a, b || a FROM t", "SELECT a * b, b - a, b || a FROM t"],
  ["SELECT a FROM t ORDER BY a, b DESC", "SELECT a FROM t ORDER BY a ASC NULLS LAST, b DESC NULLS LAST"],
  ["SELECT a, b, count(*) FROM t GROUP BY b, a", "SELECT a, b, count(*) FROM t GROUP BY a, b"],
  // CNF
  ["SELECT * FROM t WHERE (a AND b) OR c", "SELECT * FROM t WHERE (a OR c) AND (b OR c)"],
  ["SELECT * FROM t WHERE (a OR a) AND (b OR a)", "SELECT * FROM t WHERE (a OR a) AND (a OR b)"],
  ["SELECT * FROM t WHERE (a AND b) OR a", "SELECT * FROM t WHERE (a OR b) AND a"],
  ["SELECT * FROM t JOIN u ON (t.x = u.x AND t.y = 1) OR t.z = 2", "SELECT * FROM t JOIN u ON (t.x = u.x OR t.z = 2) AND (t.y = 1 OR t.z = 2)"],
  // every predicate slot, at any depth (normalizePredicates first looks for one not in CNF)
  ["SELECT a FROM t GROUP BY a HAVING (count(*) > 1 AND a = 1) OR a = 2", "SELECT a FROM t GROUP BY a HAVING (count(*) > 1 OR a = 2) AND (a = 1 OR a = 2)"],
  ["SELECT a FROM t QUALIFY (row_number() OVER () = 1 AND a) OR b", "SELECT a FROM t QUALIFY (row_number() OVER () = 1 OR b) AND (a OR b)"],
  ["SELECT * FROM t WHERE x IN (SELECT y FROM u WHERE (a AND b) OR c)", "SELECT * FROM t WHERE x IN (SELECT y FROM u WHERE (a OR c) AND (b OR c))"],
  ["WITH w AS (SELECT * FROM t WHERE (a AND b) OR c) SELECT * FROM w", "WITH w AS (SELECT * FROM t WHERE (a OR c) AND (b OR c)) SELECT * FROM w"],
];

describe("canonical SQL", () => {
  it.each(CASES)("%s", (input, expected) => {
    expect(canon(input)).toBe(expected);
    expect(canon(canon(input))).toBe(expected);
  });

  it("writes out the source dialect's NULLS default", () => {
    expect(canon("SELECT a FROM t ORDER BY a, b DESC", "spark")).toBe("SELECT a FROM t ORDER BY a ASC NULLS FIRST, b DESC NULLS LAST");
  });

  it("keeps a predicate whose CNF exceeds the distance limit", () => {
    const wide = "SELECT * FROM t WHERE (a AND b AND c) OR (d AND e AND f) OR (g AND h AND i)";
    expect(canon(wide, "duckdb", 4)).toBe(wide.replace(/\(|\)/g, ""));
    expect(canon(wide, "duckdb", 128)).toContain("(a OR d OR g) AND");
  });
});

describe("canonical integer literals", () => {
  it.each([
    ["0", "0"], ["7", "7"], ["10", "10"], ["100", "100"], ["00", "0"], ["007", "7"], ["0_1", "1"], ["1_000", "1000"], ["_1", "_1"],
  ])("%s is %s", (text, expected) => {
    expect(canonicalNumberText(text)).toBe(expected);
  });
});

describe("normalization distance (SQLGlot's)", () => {
  it.each([
    ["a AND b", 0],
    ["(a AND b) OR c", 1],
    ["(a AND b) OR (c AND d)", 4],
    ["a OR b", 0],
  ] as const)("%s = %d", (sql, d) => {
    const e = parseExpression(sql);
    if (!e.ok) throw new Error("parse");
    expect(normalizationDistance(e.ast, 1000)).toBe(d);
  });
});

describe("fingerprints", () => {
  const profile = resolveProfile(undefined);
  const fp = (sql: string) => runLane(sql, profile).astFingerprint;
  it.each([
    ["select a as X from t where b > 1 and c = 2", "SELECT A AS x\nFROM T -- c\nWHERE 2 = C AND 1 < B"],
    ["SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a ASC NULLS LAST"],
    ['SELECT "a" FROM t', "SELECT a FROM t"],
  ])("same: %s ~ %s", (a, b) => expect(fp(a)).toBe(fp(b)));
  it.each([
    ["SELECT a FROM t", 'SELECT "A" FROM t'],
    ["SELECT 1.0", "SELECT 1.00"],
    ["SELECT a - b FROM t", "SELECT b - a FROM t"],
    ["SELECT a || b FROM t", "SELECT b || a FROM t"],
    ["SELECT a FROM t ORDER BY a", "SELECT a FROM t ORDER BY a DESC"],
  ])("different: %s ≠ %s", (a, b) => expect(fp(a)).not.toBe(fp(b)));

  it("carries policy_hash when given the function catalog hash, and maps diagnostics to the template text", () => {
    const r = runLane("SELECT {{ n }} FROM t WHERE", profile, { n: 1 }, { functionCatalogHash: "abc" });
    expect(r.ok).toBe(false);
    expect(r.policyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.diagnostics[0]!.range.start).toBeGreaterThan(10);
  });
});

describe("compareNodes (streamed) orders as the sortKey strings do", () => {
  it.skipIf(!HAVE_CORPUS)("on pairs of subtrees from every corpus query", () => {
    const subtrees = (sql: string): Node[] => {
      const p = parseQuery(sql);
      const out: Node[] = [];
      if (p.ok) walk(p.ast, (n) => void out.push(n));
      return out;
    };
    const queries = [...tpchQueries().map((q) => q.sql), ...identityEntries().filter((e) => e.kind === "query").map((e) => e.sql)];
    let pairs = 0;
    let equal = 0;
    for (let qi = 0; qi < queries.length; qi++) {
      // fresh trees (no cached key), the same query parsed twice (equal subtrees that are not ===) and a neighbour
      const a = subtrees(queries[qi]!);
      const b = [...subtrees(queries[qi]!), ...subtrees(queries[(qi + 1) % queries.length]!)];
      const signs: number[] = [];
      for (let i = 0; i < a.length; i++) for (let j = i; j < b.length; j += 7) signs.push(Math.sign(compareNodes(a[i]!, b[j]!)));
      let k = 0;
      for (let i = 0; i < a.length; i++) {
        for (let j = i; j < b.length; j += 7) {
          const ka = sortKey(a[i]!);
          const kb = sortKey(b[j]!);
          expect(signs[k++]).toBe(ka < kb ? -1 : ka > kb ? 1 : 0);
          if (ka === kb) equal++;
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(50_000);
    expect(equal).toBeGreaterThan(1000);
  });
});
