// Mutated corpus SQL never makes the parser throw or hang: every input yields an AST or
// diagnostics, quickly; and whatever parses still prints and re-parses to the same tree.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NESTING, parseQuery, printSql, sameTree, tokenize } from "../../../compiler/src/sql/index.js";
import { HAVE_CORPUS, identityEntries, tpchQueries } from "./helpers/corpus.js";

const SEEDS: string[] = [
  "select a, b + 1 as c from t where x in (1, 2) and y between 1 and 2 order by a desc limit 3",
  "with t as (select * exclude (a) from u) select count(*) filter (where b) over (partition by c) from t left join v using (k)",
  "select {'a': [1, 2][1:2]}, map {'k': 1}, l[1], list_transform(l, x -> x + 1), cast(x as struct(a int)) from t",
  "select case when a then 1 else 2 end, extract(year from d), substring(s from 1 for 2) from t group by rollup (a, b) qualify x",
  ...(HAVE_CORPUS ? [...tpchQueries().map((q) => q.sql), ...identityEntries().filter((e) => e.kind === "query").map((e) => e.sql)] : []),
];

const WORDS = ["select", "from", "(", ")", ",", "'", '"', "case", "end", "join", "on", "over", "{{", "[", "]", "::", "->", "*", "--", "/*", "union", "with", "as"];

/** Token boundaries of a seed, for token-level mutations. */
function pieces(sql: string): string[] {
  const { tokens } = tokenize(sql, "duckdb");
  const out: string[] = [];
  let at = 0;
  for (const t of tokens) {
    out.push(sql.slice(at, t.startOffset + t.image.length));
    at = t.startOffset + t.image.length;
  }
  out.push(sql.slice(at));
  return out;
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 3 })) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
);

interface Mutation {
  readonly op: string;
  readonly at: number;
  readonly with?: number;
  readonly text?: string;
}

function mutate(sql: string, ops: readonly Mutation[]): string {
  let parts = pieces(sql);
  for (const m of ops) {
    const i = m.at % Math.max(1, parts.length);
    if (m.op === "delete") parts.splice(i, 1);
    else if (m.op === "duplicate") parts.splice(i, 0, parts[i] ?? "");
    else if (m.op === "swap") {
      const j = (m.with ?? 0) % Math.max(1, parts.length);
      [parts[i], parts[j]] = [parts[j] ?? "", parts[i] ?? ""];
    } else if (m.op === "insert") parts.splice(i, 0, ` ${m.text ?? ""} `);
    else parts = parts.slice(0, i);
  }
  return parts.join("");
}

function check(sql: string): void {
  const started = performance.now();
  const r = parseQuery(sql);
  const elapsed = performance.now() - started;
  expect(elapsed).toBeLessThan(2_000);
  if (!r.ok) {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.range.start).toBeGreaterThanOrEqual(0);
      expect(d.range.end).toBeLessThanOrEqual(sql.length);
      expect(d.range.start).toBeLessThanOrEqual(d.range.end);
    }
    return;
  }
  const printed = printSql(r.ast, "duckdb");
  if (printed.diagnostics.length > 0) return;
  const again = parseQuery(printed.sql);
  expect(again.ok, `${sql}\n→ ${printed.sql}`).toBe(true);
  if (again.ok) expect(sameTree(r.ast, again.ast), `${sql}\n→ ${printed.sql}`).toBe(true);
}

describe("parser fuzz", () => {
  it("mutated corpus queries: AST or diagnostics, never an exception", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (seed, ops) => check(mutate(seed, ops))),
      { numRuns: 1500, seed: 20261121 },
    );
  });

  it("random text: AST or diagnostics, never an exception", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => check(s)), { numRuns: 500, seed: 7 });
    fc.assert(fc.property(fc.array(fc.constantFrom(...WORDS, "a", "1", "+", "=", "and", "not", "in"), { maxLength: 30 }), (ws) => check(ws.join(" "))), {
      numRuns: 1000,
      seed: 11,
    });
  });

  it("pathological nesting is a diagnostic, not a stack overflow", () => {
    for (const open of ["(", "[", "{'a': ", "case when ", "(select "]) {
      const sql = `select ${open.repeat(5000)}1`;
      const r = parseQuery(sql);
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => d.diagnostic.code)).toContain("CPG1006");
    }
    expect(parseQuery(`select ${"(".repeat(MAX_NESTING)}1${")".repeat(MAX_NESTING)}`).ok).toBe(true);
    const chain = parseQuery(`select ${Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(" or ")}`);
    expect(chain.ok).toBe(false);
    expect(chain.diagnostics[0]!.diagnostic.code).toBe("CPG1006");
  });

  it("long inputs stay fast", () => {
    const list = `select x from t where x in (${Array.from({ length: 20_000 }, (_, i) => i).join(", ")})`;
    const started = performance.now();
    expect(parseQuery(list).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(3_000);
    const broken = `select ${"a, ".repeat(5_000)} from from from`;
    expect(parseQuery(broken).ok).toBe(false);
  });
});
