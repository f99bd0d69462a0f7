#!/usr/bin/env node
// Benchmark: the whole policy lane — sanitize + parse + transforms + bind (qualify, stars, types)
// + canonicalize + CNF + duckdb print + ast_fingerprint + policy_hash — over the TPC-H queries
// (bound against the TPC-H schema) and the identity corpus's queries (no schema: unknown tables
// are inferred, as `cpgc sql` does without --schema), in queries per second, against the same
// work done by SQLGlot (bench/sql-lane-bench.py; see bench/README.md, sql-lane, for which
// SQLGlot functions and why). Both sides run the same inputs: those that go through both lanes
// without an error. The runs alternate (cpgc, SQLGlot, cpgc, …) so load on the machine hits both
// alike; the ratio is the median of the per-pair ratios, in wall and in CPU time; each side's
// fastest 0.2 s stretch of passes (CPU time), the least disturbed by other jobs, is reported too.
// Runs against dist/ (npx tsc -p .).
// Usage: node bench/sql-lane-bench.js [--runs N] [--seconds S] [--corpus DIR] [--python PATH] [--only tpch|identity] [--no-sqlglot]
import { spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(arg("runs", 9));
const SECONDS = Number(arg("seconds", 0.5));
const CORPUS = arg("corpus", join(root, "..", "shared", "corpus", "sql"));
const ONLY = arg("only", null);
const dist = (p) => join(root, "dist", "compiler", "src", p);

const { runLane } = await import(dist("policy/lane.js"));
const { resolveProfile } = await import(dist("policy/profile.js"));
const { bindQuery, functionIndexOf } = await import(dist("policy/bind/index.js"));
const { EMPTY_TABLE_CATALOG, functionCatalogHash, tableCatalogFromSchemaJson } = await import(dist("catalog/index.js"));

// The profile `cpgc sql` uses without -c: every transform, duckdb, CNF distance 128.
const profile = resolveProfile({ transforms: ["hoist_ctes", "eliminate_qualify", "normalize_unnest", "expand_using"] });
const functions = JSON.parse(readFileSync(join(root, "schemas", "functions.json"), "utf8"));
const catalogHash = functionCatalogHash(functions);
const functionIndex = functionIndexOf(functions);

/** One query through the whole lane, as `cpgc sql fingerprint` runs it (ok = no error). */
function lane(sql, tables, inferUnknownTables) {
  let bound;
  const r = runLane(sql, profile, {}, {
    functionCatalogHash: catalogHash,
    bind: (q, p) => {
      bound = bindQuery(q, tables, functionIndex, { inferUnknownTables, dialect: p.dialect });
      return { query: bound.ast, diagnostics: bound.diagnostics };
    },
  });
  return r.ok && bound !== undefined && bound.ok && r.astFingerprint !== null;
}

const tpchSchema = JSON.parse(readFileSync(join(CORPUS, "tpch", "schema.json"), "utf8"));
const sets = {
  tpch: {
    sql: readdirSync(join(CORPUS, "tpch", "queries"))
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .map((f) => readFileSync(join(CORPUS, "tpch", "queries", f), "utf8")),
    schema: tpchSchema,
    catalog: tableCatalogFromSchemaJson(tpchSchema).catalog,
    infer: false,
    works: ["full", "optimize"],
  },
  identity: {
    sql: readFileSync(join(CORPUS, "identity.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((e) => e.kind === "query")
      .map((e) => e.sql),
    schema: null,
    catalog: EMPTY_TABLE_CATALOG,
    infer: true,
    works: ["full"],
  },
};
const names = Object.keys(sets).filter((n) => ONLY === null || n === ONLY);

/** SQLGlot as a line-oriented server, or null when it does not import. */
async function startSqlglot() {
  if (process.argv.includes("--no-sqlglot")) return null;
  for (const py of [arg("python", "python3"), "/usr/bin/python3"]) {
    if (spawnSync(py, ["-c", "import sqlglot"], { encoding: "utf8" }).status !== 0) continue;
    const child = spawn(py, [join(root, "bench", "sql-lane-bench.py")], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ask = async (msg) => {
      child.stdin.write(`${JSON.stringify(msg)}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error("sqlglot side exited");
      return JSON.parse(value);
    };
    return { ask, close: () => child.stdin.end(), python: py };
  }
  return null;
}

/** Queries per second (wall, and per CPU second of the process) of `work` over `inputs`, for about `seconds` (at least one pass). */
function rate(inputs, work, seconds) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  let fastest = 0;
  let chunk = { t: performance.now(), c: process.cpuUsage(), n: 0 };
  const chunkRate = () => {
    const c = process.cpuUsage(chunk.c);
    return chunk.n / Math.max(1e-9, (c.user + c.system) / 1e6);
  };
  while (n === 0 || performance.now() - t0 < seconds * 1000) {
    for (const i of inputs) work(i);
    n += inputs.length;
    chunk.n += inputs.length;
    if (performance.now() - chunk.t >= CHUNK_MS) {
      fastest = Math.max(fastest, chunkRate());
      chunk = { t: performance.now(), c: process.cpuUsage(), n: 0 };
    }
  }
  if (fastest === 0) fastest = chunkRate();
  const cpu = process.cpuUsage(c0);
  return {
    rate: n / ((performance.now() - t0) / 1000),
    cpu_rate: n / Math.max(1e-9, (cpu.user + cpu.system) / 1e6),
    fastest_chunk_rate: fastest,
  };
}

/** Passes are timed in stretches of at least this long (SQLGlot's side uses the same). */
const CHUNK_MS = 200;

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const load0 = loadavg();
const glot = await startSqlglot();
const loaded = glot ? await glot.ask({ cmd: "load", sets: Object.fromEntries(names.map((n) => [n, { sql: sets[n].sql, schema: sets[n].schema, works: sets[n].works }])) }) : null;

console.log(`node ${process.version}${loaded ? `, SQLGlot ${loaded.sqlglot} (${glot.python})` : ""}; ${RUNS} alternating runs of ~${SECONDS} s per side; load average ${load0.map((x) => x.toFixed(2)).join(" ")}`);
const results = {};
for (const name of names) {
  const set = sets[name];
  const work = (sql) => lane(sql, set.catalog, set.infer);
  const oursOk = set.sql.map((s) => work(s));
  const both = set.sql.map((_, i) => i).filter((i) => oursOk[i] && (!loaded || set.works.every((w) => loaded.ok[name][w][i])));
  const inputs = both.map((i) => set.sql[i]);
  if (glot) await glot.ask({ cmd: "select", set: name, indices: both });
  // warm-up: the JIT on our side, SQLGlot's caches on its side
  rate(inputs, work, 1);
  if (glot) await glot.ask({ cmd: "run", set: name, work: "full", seconds: 1 });
  const ours = { rate: [], cpu_rate: [], fastest_chunk_rate: [] };
  const theirs = { rate: [], cpu_rate: [], fastest_chunk_rate: [] };
  const ratios = { rate: [], cpu_rate: [] };
  for (let r = 0; r < RUNS; r++) {
    const o = rate(inputs, work, SECONDS);
    const g = glot ? await glot.ask({ cmd: "run", set: name, work: "full", seconds: SECONDS }) : null;
    for (const k of ["rate", "cpu_rate"]) {
      ours[k].push(o[k]);
      if (g) {
        theirs[k].push(g[k]);
        ratios[k].push(o[k] / g[k]);
      }
    }
    ours.fastest_chunk_rate.push(o.fastest_chunk_rate);
    if (g) theirs.fastest_chunk_rate.push(g.fastest_chunk_rate);
  }
  let optimize = null;
  if (glot && set.works.includes("optimize")) {
    const rs = [];
    for (let r = 0; r < Math.min(RUNS, 5); r++) rs.push((await glot.ask({ cmd: "run", set: name, work: "optimize", seconds: SECONDS })).rate);
    optimize = median(rs);
  }
  const med = (xs) => (xs.length > 0 ? median(xs) : null);
  results[name] = {
    queries: inputs.length,
    of: set.sql.length,
    oursOk: oursOk.filter(Boolean).length,
    glotOk: loaded ? loaded.ok[name].full.filter(Boolean).length : null,
    ours: med(ours.rate),
    sqlglot: med(theirs.rate),
    ratio: med(ratios.rate),
    oursCpu: med(ours.cpu_rate),
    sqlglotCpu: med(theirs.cpu_rate),
    ratioCpu: med(ratios.cpu_rate),
    // the fastest stretch of passes (>= 0.2 s) in any run: the least disturbed by other jobs
    oursFastest: Math.max(...ours.fastest_chunk_rate),
    sqlglotFastest: glot ? Math.max(...theirs.fastest_chunk_rate) : null,
    optimize,
  };
  const x = results[name];
  console.log(`${name.padEnd(9)} ${String(x.queries).padStart(3)} queries (cpgc ok ${x.oursOk}/${x.of}${loaded ? `, sqlglot ok ${x.glotOk}/${x.of}` : ""})`);
  let line = `  wall: cpgc lane ${fmt(x.ours).padStart(6)} q/s`;
  if (glot) line += `   sqlglot lane-equivalent ${fmt(x.sqlglot).padStart(5)} q/s → ${x.ratio.toFixed(1)}×`;
  if (optimize !== null) line += `   (sqlglot optimize(schema) ${fmt(optimize)} q/s → ${(x.ours / optimize).toFixed(1)}×)`;
  console.log(line);
  line = `  cpu:  cpgc lane ${fmt(x.oursCpu).padStart(6)} q/cpu-s`;
  if (glot) line += ` sqlglot lane-equivalent ${fmt(x.sqlglotCpu).padStart(5)} q/cpu-s → ${x.ratioCpu.toFixed(1)}×`;
  console.log(line);
  line = `  fastest 0.2 s stretch (cpu): cpgc ${fmt(x.oursFastest)} q/cpu-s`;
  if (glot) line += `   sqlglot ${fmt(x.sqlglotFastest)} q/cpu-s → ${(x.oursFastest / x.sqlglotFastest).toFixed(1)}×`;
  console.log(line);
}
glot?.close();
if (!glot) console.log("sqlglot: not importable or --no-sqlglot (apt-get install python3-sqlglot to compare)");
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
if (process.argv.includes("--json")) console.log(JSON.stringify(results));
