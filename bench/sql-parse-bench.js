#!/usr/bin/env node
// Benchmark: parse + print (duckdb) over the TPC-H queries and the identity corpus's queries and
// expressions (../shared/corpus/sql), in queries per second: the median of N in-process runs,
// after warm-up. Parse-only and print-only rates are reported too. Runs against dist/ (build
// first: npx tsc -p .).
// Usage: node bench/sql-parse-bench.js [--runs N] [--corpus DIR]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const argValue = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const RUNS = Number(argValue("runs", 9));
const CORPUS = argValue("corpus", join(root, "..", "shared", "corpus", "sql"));

const startup = performance.now();
const sql = await import(join(root, "dist/compiler/src/sql/index.js"));
// The first parse builds the lexer, parser and builder (chevrotain's grammar analysis).
sql.parseQuery("select 1");
const startupMs = performance.now() - startup;

const tpch = readdirSync(join(CORPUS, "tpch", "queries"))
  .filter((f) => f.endsWith(".sql"))
  .sort()
  .map((f) => ({ text: readFileSync(join(CORPUS, "tpch", "queries", f), "utf8"), expression: false }));
const identity = readFileSync(join(CORPUS, "identity.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((e) => e.kind === "query" || e.kind === "expression")
  .map((e) => ({ text: e.sql, expression: e.kind === "expression" }));

const parse = (i) => (i.expression ? sql.parseExpression(i.text) : sql.parseQuery(i.text));

/**
 * Queries per second of `work` over `inputs`: warmed up for ~500 ms (JIT), then the median of
 * RUNS runs of at least ~200 ms each.
 */
function measure(inputs, work) {
  const warm = performance.now();
  while (performance.now() - warm < 500) for (const i of inputs) work(i);
  const t0 = performance.now();
  for (const i of inputs) work(i);
  const once = Math.max(0.01, performance.now() - t0);
  const reps = Math.max(1, Math.ceil(200 / once));
  const rates = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    for (let k = 0; k < reps; k++) for (const i of inputs) work(i);
    rates.push((inputs.length * reps) / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

function bench(name, inputs) {
  const parsed = inputs.map(parse);
  const ok = parsed.filter((r) => r.ok).length;
  const trees = parsed.filter((r) => r.ok).map((r) => r.ast);
  const both = measure(inputs, (i) => {
    const r = parse(i);
    if (r.ok) sql.printSql(r.ast, "duckdb");
  });
  const parseOnly = measure(inputs, parse);
  const printOnly = measure(trees, (t) => sql.printSql(t, "duckdb"));
  const chars = inputs.reduce((n, i) => n + i.text.length, 0) / inputs.length;
  console.log(
    `${name.padEnd(10)} ${String(inputs.length).padStart(4)} inputs (${ok} parse, avg ${chars.toFixed(0)} chars)  ` +
      `parse+print ${Math.round(both).toLocaleString("en-US").padStart(8)} q/s   parse ${Math.round(parseOnly).toLocaleString("en-US").padStart(8)} q/s   print ${Math.round(printOnly).toLocaleString("en-US").padStart(9)} q/s`,
  );
}

console.log(`node ${process.version}, median of ${RUNS} runs; start-up (import + first parse) ${startupMs.toFixed(0)} ms`);
bench("TPC-H", tpch);
bench("identity", identity);
