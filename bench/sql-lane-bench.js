#!/usr/bin/env node
// Benchmark: the policy lane — parse + transforms + canonicalize + CNF + fingerprint (runLane with
// every transform on) — over the TPC-H queries and the identity corpus's queries
// (../shared/corpus/sql), in queries per second (median of N in-process runs after warm-up).
// If SQLGlot is importable (python3, or Debian's /usr/bin/python3 with python3-sqlglot), the
// same inputs go through SQLGlot in the same run (bench/sql-lane-bench.py) and the ratio is
// printed. Runs against dist/ (build first: npx tsc -p .).
// Usage: node bench/sql-lane-bench.js [--runs N] [--corpus DIR] [--python PATH]
import { spawnSync } from "node:child_process";
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

const { runLane } = await import(join(root, "dist/compiler/src/policy/lane.js"));
const { resolveProfile } = await import(join(root, "dist/compiler/src/policy/profile.js"));
const { parseQuery } = await import(join(root, "dist/compiler/src/sql/index.js"));
const profile = resolveProfile({ transforms: ["hoist_ctes", "normalize_unnest", "eliminate_qualify", "expand_using"] });

const tpch = readdirSync(join(CORPUS, "tpch", "queries"))
  .filter((f) => f.endsWith(".sql"))
  .sort()
  .map((f) => readFileSync(join(CORPUS, "tpch", "queries", f), "utf8"));
const identity = readFileSync(join(CORPUS, "identity.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((e) => e.kind === "query")
  .map((e) => e.sql)
  .filter((sql) => parseQuery(sql).ok);


function measure(inputs, work) {
  const warm = performance.now();
  while (performance.now() - warm < 500) for (const i of inputs) work(i);
  const t0 = performance.now();
  for (const i of inputs) work(i);
  const reps = Math.max(1, Math.ceil(200 / Math.max(0.01, performance.now() - t0)));
  const rates = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    for (let k = 0; k < reps; k++) for (const i of inputs) work(i);
    rates.push((inputs.length * reps) / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

function sqlglot() {
  const payload = JSON.stringify({ runs: 5, sets: { tpch, identity }, schema: JSON.parse(readFileSync(join(CORPUS, "tpch", "schema.json"), "utf8")) });
  for (const py of [argValue("python", "python3"), "/usr/bin/python3"]) {
    const probe = spawnSync(py, ["-c", "import sqlglot"], { encoding: "utf8" });
    if (probe.status !== 0) continue;
    const r = spawnSync(py, [join(root, "bench", "sql-lane-bench.py")], { input: payload, encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status === 0) return JSON.parse(r.stdout);
    console.error(r.stderr);
  }
  return null;
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const ours = {
  tpch: measure(tpch, (s) => runLane(s, profile)),
  identity: measure(identity, (s) => runLane(s, profile)),
};
const glot = sqlglot();
console.log(`node ${process.version}, median of ${RUNS} runs; lane = sanitize + parse + 4 transforms + canonicalize + CNF + print + fingerprint`);
for (const set of ["tpch", "identity"]) {
  const n = set === "tpch" ? tpch.length : identity.length;
  let line = `${set.padEnd(9)} ${String(n).padStart(4)} queries  cpgc lane ${fmt(ours[set]).padStart(8)} q/s`;
  if (glot) {
    const g = glot[set];
    line += `   sqlglot ${glot.sqlglot} parse+lower+normalize ${fmt(g.lane).padStart(7)} q/s (${g.lane_ok} ok) → ${(ours[set] / g.lane).toFixed(1)}×`;
    if (g.optimize) line += `   sqlglot optimize(schema) ${fmt(g.optimize)} q/s (${g.optimize_ok} ok) → ${(ours[set] / g.optimize).toFixed(1)}×`;
  }
  console.log(line);
}
if (!glot) console.log("sqlglot: not importable (apt-get install python3-sqlglot to compare)");
