// Fingerprint stability over the corpus (issue 3, step 6): for every TPC-H query and every
// identity-corpus query that parses, cosmetic variants (reformatted, re-cased keywords, comments,
// identifier / alias case, AND / OR terms and comparison operands reordered) share one
// ast_fingerprint, and single-token semantic mutations (a literal, an operator, a column name,
// ASC↔DESC, ALL↔DISTINCT, a join type, LIMIT n) never do. Variants are generated from the token
// stream (`tokenize`) and from the AST. A summary is written to reports/sql-fingerprint.md.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runLane } from "../../compiler/src/policy/lane.js";
import { resolveProfile } from "../../compiler/src/policy/profile.js";
import { binary, createTransformer, parseQuery, printSql, tokenize, type Query } from "../../compiler/src/sql/index.js";
import { HAVE_CORPUS, identityEntries, tpchQueries } from "../unit/sql/helpers/corpus.js";

const PROFILE = resolveProfile(undefined);
const fp = (sql: string): string | null => {
  const r = runLane(sql, PROFILE);
  return r.ok ? r.astFingerprint : null;
};

interface Tok {
  readonly image: string;
  readonly type: string;
}

function tokens(sql: string): Tok[] {
  return tokenize(sql, "duckdb").tokens.map((t) => ({ image: t.image, type: t.tokenType.name }));
}

const isKeyword = (t: Tok) => t.type !== "Identifier" && /^[A-Za-z_]+$/.test(t.image) && t.type.toUpperCase() === t.image.toUpperCase();
const join = (ts: readonly Tok[], sep: (i: number) => string) => ts.map((t, i) => (i === 0 ? "" : sep(i)) + t.image).join("");

/** Cosmetic variants of a query: each must keep the fingerprint. */
function cosmetic(sql: string, ast: Query): Record<string, string> {
  const ts = tokens(sql);
  const swapConnectors = createTransformer({
    binary: (n, ctx) => {
      const v = ctx.visitChildren(n);
      if (v.op === "AND" || v.op === "OR" || v.op === "=" || v.op === "<>") return binary(v.op, v.right, v.left, v.range);
      const mirror: Record<string, "<" | ">" | "<=" | ">="> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" };
      const m = mirror[v.op];
      return m ? binary(m, v.right, v.left, v.range) : v;
    },
  });
  return {
    reformatted: join(ts, (i) => (i % 3 === 0 ? "\n    " : "  ")),
    keywordCase: join(
      ts.map((t, i) => (isKeyword(t) ? { ...t, image: i % 2 ? t.image.toLowerCase() : t.image.toUpperCase() } : t)),
      () => " ",
    ),
    comments: join(ts, (i) => (i % 4 === 0 ? " -- note\n" : i % 4 === 2 ? " /* c */ " : " ")),
    identifierCase: join(
      ts.map((t) => (t.type === "Identifier" ? { ...t, image: t.image.toUpperCase() } : t)),
      () => " ",
    ),
    reordered: printSql(swapConnectors(ast) as Query).sql,
  };
}

const OPS: Readonly<Record<string, string>> = { "<": "<=", "<=": "<", ">": ">=", ">=": ">", "=": "<>", "<>": "=", "+": "-", "-": "+", "*": "/", "/": "*", AND: "OR", OR: "AND" };
const WORDS: Readonly<Record<string, string>> = { ASC: "DESC", DESC: "ASC", ALL: "DISTINCT", DISTINCT: "ALL", LEFT: "RIGHT", RIGHT: "LEFT", INNER: "LEFT", FULL: "LEFT", UNION: "INTERSECT", INTERSECT: "UNION", EXCEPT: "UNION" };

/** Single-token semantic mutations: [kind, text]. */
function mutations(sql: string, cap = 12): [string, string][] {
  const ts = tokens(sql);
  const out: [string, string][] = [];
  const counts: Record<string, number> = {};
  const add = (kind: string, i: number, image: string) => {
    if ((counts[kind] = (counts[kind] ?? 0) + 1) > cap) return;
    out.push([kind, join(ts.map((t, j) => (j === i ? { ...t, image } : t)), () => " ")]);
  };
  ts.forEach((t, i) => {
    const prev = ts[i - 1]?.image.toUpperCase();
    if (t.type === "NumberLit") {
      const last = t.image.search(/\d(?=[^\d]*$)/);
      const bumped = t.image.slice(0, last) + String((Number(t.image[last]) + 1) % 10) + t.image.slice(last + 1);
      add(prev === "LIMIT" ? "limit" : "literal", i, bumped);
    } else if (t.type === "SqString") add("literal", i, `${t.image.slice(0, -1)}x'`);
    else if (t.type === "Identifier") add("column", i, `${t.image}_x`);
    else if (OPS[t.image.toUpperCase()]) add("operator", i, OPS[t.image.toUpperCase()]!);
    else if (WORDS[t.image.toUpperCase()]) add(/ASC|DESC/i.test(t.image) ? "direction" : /ALL|DISTINCT|UNION|INTERSECT|EXCEPT/i.test(t.image) ? "setQuantifier" : "joinType", i, WORDS[t.image.toUpperCase()]!);
  });
  return out;
}

describe.skipIf(!HAVE_CORPUS)("ast_fingerprint stability over the corpus", () => {
  const inputs = [
    ...tpchQueries().map((q) => ({ name: `tpch ${q.name}`, sql: q.sql })),
    ...identityEntries()
      .filter((e) => e.kind === "query")
      .map((e) => ({ name: `identity #${e.index}`, sql: e.sql })),
  ];

  it("cosmetic variants share the fingerprint; semantic mutations never do", () => {
    const stats = { queries: 0, variants: 0, variantsParsed: 0, mutations: 0, mutationsParsed: 0 };
    const byKind: Record<string, number> = {};
    const unstable: string[] = [];
    const collisions: string[] = [];
    for (const { name, sql } of inputs) {
      const parsed = parseQuery(sql);
      if (!parsed.ok) continue;
      const base = fp(sql);
      if (base === null) continue;
      stats.queries++;
      for (const [kind, text] of Object.entries(cosmetic(sql, parsed.ast))) {
        stats.variants++;
        const f = fp(text);
        if (f === null) continue;
        stats.variantsParsed++;
        if (f !== base) unstable.push(`${name} [${kind}]\n  ${sql}\n  ${text}`);
      }
      for (const [kind, text] of mutations(sql)) {
        stats.mutations++;
        const f = fp(text);
        if (f === null) continue;
        stats.mutationsParsed++;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        if (f === base) collisions.push(`${name} [${kind}]\n  ${sql}\n  ${text}`);
      }
    }
    const report = [
      "# ast_fingerprint stability (generated by tests/conformance/sql-fingerprint.test.ts)",
      "",
      `- queries: ${stats.queries} (TPC-H 22 + identity-corpus queries that parse)`,
      `- cosmetic variants: ${stats.variants} generated, ${stats.variantsParsed} parsed, ${unstable.length} changed the fingerprint`,
      `- semantic mutations: ${stats.mutations} generated, ${stats.mutationsParsed} parsed, ${collisions.length} kept the fingerprint`,
      `- mutations by kind (parsed): ${Object.entries(byKind).sort().map(([k, n]) => `${k} ${n}`).join(", ")}`,
      "",
    ].join("\n");
    writeFileSync(new URL("./reports/sql-fingerprint.md", import.meta.url), report);
    expect(unstable).toEqual([]);
    expect(collisions).toEqual([]);
    expect(stats.queries).toBeGreaterThan(400);
  });
});
