#!/usr/bin/env node
// Benchmark: validate a generated project of 2,000 datasets + views spread over 200 files.
// Usage: node bench/validate-bench.js [--runs N] [--files F] [--per-file K] [--keep DIR]
// (--keep generates the project into DIR and leaves it there, e.g. for profiling.)
// Reports medians of N warm in-process runs of the spec stage (read, parse YAML, validate shapes,
// check types and references, resolve policies, render and parse view SQL) and of the spec stage
// plus binding every view's SQL (qualify + types, what `validate` adds), and median wall times of
// the CLI (`cpgc validate -q`: process start and a cold JIT included), from scratch (--no-cache)
// and with the check cache a previous valid run left (nothing changed in between); for the
// from-scratch run also its CPU time (Linux), and the load average before and after the CLI runs.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(arg("runs", 7));
const FILES = Number(arg("files", 200));
const PER_FILE = Number(arg("per-file", 10));

const { loadProject } = await import(join(root, "dist/compiler/src/spec/index.js"));
const { compileProject } = await import(join(root, "dist/compiler/src/compile/index.js"));
const { shippedFunctionCatalog } = await import(join(root, "dist/compiler/src/cli/function-catalog.js"));

function generate(dir) {
  writeFileSync(
    join(dir, "cpg.config.yaml"),
    "version: 1\nproject: bench\nspecs:\n  - specs/**/*.yaml\ndefaults:\n  delta_policy: base\nvariables:\n  min_lines: 10\n",
  );
  mkdirSync(join(dir, "specs", "generated"), { recursive: true });
  mkdirSync(join(dir, "data"), { recursive: true });
  const policies = ["kind: DeltaPolicy\nname: base\nwrite:\n  target_file_size: 64MiB\n  writer:\n    compression: zstd\n    compression_level: 3\nmaintenance:\n  checkpoint_interval: 10\n"];
  for (let p = 0; p < 10; p++) {
    policies.push(`kind: DeltaPolicy\nname: p${p}\nextends: ${p === 0 ? "base" : `p${p - 1}`}\nwrite:\n  stats_max_columns: ${8 + p}\nfeatures: [changeDataFeed]\n`);
  }
  writeFileSync(join(dir, "specs", "policies.yaml"), policies.join("---\n"));
  let n = 0;
  for (let f = 0; f < FILES; f++) {
    const docs = [];
    for (let k = 0; k < PER_FILE; k++, n++) {
      if (k % 2 === 0) {
        writeFileSync(join(dir, "data", `ds_${n}.ndjson`), "");
        docs.push(`kind: Dataset
name: ds_${n}
description: Generated dataset ${n}.
source:
  ndjson: data/ds_${n}.ndjson
schema:
  columns:
    - { name: node_id, type: utf8, nullable: false, semantic: NodeId }
    - { name: file_id, type: utf8, nullable: false, semantic: FileId }
    - { name: parent_id, type: utf8, semantic: NodeId }
    - { name: kind, type: utf8, nullable: false, semantic: Kind }
    - { name: name, type: utf8 }
    - name: span
      type: "struct<bstart: int64, bend: int64, line: int32, col: int32>"
      semantic: Span
    - { name: attrs, type: "map<utf8, list<utf8>>" }
    - { name: score, type: "decimal(18, 4)" }
    - { name: seen_at, type: "timestamp[us, UTC]" }
  primary_key: [node_id]
  ordering: [file_id, span.bstart]
delta:
  policy: p${n % 10}
  write:
    zorder_by: [file_id]
    stats_columns: [node_id, file_id, kind]
    writer:
      dictionary: [kind]
      bloom_filter:
        - { column: node_id, fpp: 0.01 }
`);
      } else {
        docs.push(`kind: View
name: view_${n}
description: Generated view ${n}.
materialize: table
sql: |
  select n.node_id, n.name, n.span.bstart as bstart
  from ds_${n - 1} n
  where n.kind in ('FunctionDef', 'ClassDef') and n.span.line >= {{ min_lines }}
expectations:
  - not_null: [node_id]
  - unique: [node_id]
delta:
  policy: p${n % 10}
`);
      }
    }
    writeFileSync(join(dir, "specs", "generated", `f${String(f).padStart(3, "0")}.yaml`), docs.join("---\n"));
  }
  return n;
}


const keepIdx = process.argv.indexOf("--keep");
const keep = keepIdx >= 0 ? process.argv[keepIdx + 1] : undefined;
if (keep) mkdirSync(keep, { recursive: true });
const dir = keep ?? mkdtempSync(join(tmpdir(), "cpgc-bench-"));
try {
  const specs = generate(dir);
  const inProcess = [];
  const withSql = [];
  let result;
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    result = await loadProject("cpg.config.yaml", { cwd: dir });
    const t1 = performance.now();
    const checked = compileProject(result.model, shippedFunctionCatalog(), result.sources, { artifacts: false });
    const t2 = performance.now();
    if (checked.diagnostics.length > 0) throw new Error(`generated project has SQL diagnostics: ${checked.diagnostics[0].message}`);
    if (i > 0) {
      // the first run warms the JIT
      inProcess.push(t1 - t0);
      withSql.push(t2 - t0);
    }
  }
  if (result.diagnostics.length > 0) throw new Error(`generated project has diagnostics: ${result.diagnostics[0].message}`);
  // CLI: from scratch (--no-cache: every view parsed and bound) and with the check cache that
  // a previous valid run left in .cpg/cache (unchanged views are not re-checked).
  // CPU time of the child (user + system), where Linux tells it: the waited-for children's
  // times in /proc/self/stat (clock ticks), which machine load does not inflate as it does wall time.
  const childCpuMs = () => {
    try {
      const fields = readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
      return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
    } catch {
      return NaN;
    }
  };
  const cliRun = (extra, cpu) => {
    const t0 = performance.now();
    const c0 = childCpuMs();
    const r = spawnSync(process.execPath, [join(root, "bin/cpgc.js"), "validate", "-q", ...extra], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cpgc validate failed: ${r.stderr}`);
    cpu?.push(childCpuMs() - c0);
    return performance.now() - t0;
  };
  const cli = [];
  const cliCpu = [];
  const cliCached = [];
  const load0 = loadavg();
  cliRun([]); // leaves the cache
  for (let i = 0; i < RUNS; i++) {
    cli.push(cliRun(["--no-cache"], cliCpu));
    cliCached.push(cliRun([]));
  }
  const report = {
    benchmark: "validate",
    specs,
    files: FILES + 1,
    runs: RUNS,
    in_process_specs_median_ms: Math.round(median(inProcess)),
    in_process_specs_and_sql_median_ms: Math.round(median(withSql)),
    cli_no_cache_median_ms: Math.round(median(cli)),
    cli_no_cache_cpu_median_ms: Math.round(median(cliCpu)),
    cli_cached_median_ms: Math.round(median(cliCached)),
    load_average: [...load0, ...loadavg()].map((x) => Math.round(x * 100) / 100),
    node: process.version,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
