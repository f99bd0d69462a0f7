#!/usr/bin/env node
// Benchmark: the Python extractor over python3's standard library vs the floor of python3 running
// ast.parse alone over the same files in one process.
// Usage: node bench/extract-bench.js [--root stdlib:] [--exclude site-packages/**] [--workers 2]
//        [--runs 1] [--keep DIR]
// Needs the built CLI (npm run build). Reports JSON: files, lines, bytes; per run the extract wall
// time, files/s, lines/s, CPU seconds of the workers, their peak RSS, rows and staged MB per table;
// the floor's wall and CPU time and peak RSS; and the ratios. The machine's load average at the
// start is included: the numbers are only comparable on an otherwise idle machine.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg, median } from "./common.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = join(root, "dist/runtime-native/ts/extract/index.js");
if (!existsSync(entry)) {
  process.stderr.write("build first: npm run build\n");
  process.exit(1);
}
const { resolveSourceRoot, scanTree, runExtractor, extractorVersion } = await import(entry);
const { parseAllDocuments } = await import("yaml");

const ROOT = arg("root", "stdlib:");
const EXCLUDE = arg("exclude", "site-packages/**");
const WORKERS = Number(arg("workers", 2));
const RUNS = Number(arg("runs", 1));
const KEEP = arg("keep", null);

/** The extract datasets of specs/extract, as the driver takes them. */
function specTables() {
  const dir = join(root, "specs/extract");
  const out = [];
  for (const file of ["repo_files", "extract_errors", "py_ast_nodes", "py_tokens", "py_symbols", "py_bytecode", "py_imports"]) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, `${file}.yaml`), "utf8"))) {
      const d = doc.toJS();
      if (d.kind !== "Dataset" || d.source?.extractor === undefined) continue;
      out.push({ dataset: d.name, table: d.source.options?.table ?? d.name, columns: d.schema.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable !== false })) });
    }
  }
  return out;
}

const FLOOR = `
import ast, json, os, resource, sys, time, warnings
warnings.simplefilter("ignore")
root = sys.argv[1]
files = sys.stdin.read().split("\\n")[:-1]
t0, c0 = time.perf_counter(), time.process_time()
ok = 0
for p in files:
    with open(os.path.join(root, p), "rb") as f:
        data = f.read()
    try:
        ast.parse(data)
        ok += 1
    except Exception:
        pass
print(json.dumps({"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "parsed": ok,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

const load = loadavg()[0];
const sourceRoot = resolveSourceRoot(ROOT, root);
let t = performance.now();
const tree = scanTree(sourceRoot, ["**/*.py"], EXCLUDE === "" ? [] : [EXCLUDE]);
const scanMs = performance.now() - t;
const files = tree.map((f) => f.path);
let lines = 0;
let bytes = 0;
for (const f of tree) {
  const data = readFileSync(join(sourceRoot, f.path));
  bytes += data.length;
  for (let i = 0; i < data.length; i++) if (data[i] === 10) lines++;
}

const floorRuns = [];
for (let r = 0; r < RUNS; r++) {
  const p = spawnSync("python3", ["-I", "-B", "-c", FLOOR, sourceRoot], { input: files.join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 24 });
  if (p.status !== 0) throw new Error(p.stderr);
  floorRuns.push(JSON.parse(p.stdout));
}

const tables = specTables();
const runs = [];
for (let r = 0; r < RUNS; r++) {
  const staging = KEEP ?? mkdtempSync(join(tmpdir(), "cpgc-extract-bench-"));
  t = performance.now();
  const result = await runExtractor({ extractor: "python", root: sourceRoot, files, tables, workers: WORKERS, stagingDir: staging });
  const wallMs = performance.now() - t;
  const staged = {};
  for (const [dataset, v] of Object.entries(result.tables)) staged[dataset] = { rows: v.rows, mb: Math.round(v.files.reduce((s, f) => s + statSync(f).size, 0) / 1048576) };
  runs.push({
    wall_s: wallMs / 1000,
    files_per_s: Math.round(files.length / (wallMs / 1000)),
    lines_per_s: Math.round(lines / (wallMs / 1000)),
    cpu_s: result.workers.reduce((s, w) => s + w.cpuSeconds, 0),
    worker_peak_rss_mb: Math.round(Math.max(...result.workers.map((w) => w.peakRssBytes)) / 1048576),
    files_failed: result.filesFailed,
    staged,
  });
  if (KEEP === null) rmSync(staging, { recursive: true, force: true });
}

const ex = runs.map((r) => r.wall_s);
const floorWall = median(floorRuns.map((f) => f.wall_s));
const floorCpu = median(floorRuns.map((f) => f.cpu_s));
const exWall = median(ex);
const exCpu = median(runs.map((r) => r.cpu_s));
console.log(
  JSON.stringify(
    {
      root: sourceRoot,
      extractor_version: extractorVersion("python"),
      load_average_at_start: load,
      files: files.length,
      lines,
      mb: Math.round(bytes / 1048576),
      scan_ms: Math.round(scanMs),
      workers: WORKERS,
      extract: { wall_s: exWall, files_per_s: Math.round(files.length / exWall), lines_per_s: Math.round(lines / exWall), cpu_s: exCpu, runs },
      floor_ast_parse_one_process: {
        wall_s: floorWall,
        cpu_s: floorCpu,
        files_per_s: Math.round(files.length / floorWall),
        lines_per_s: Math.round(lines / floorWall),
        peak_rss_mb: Math.round(Math.max(...floorRuns.map((f) => f.peak_rss_mb))),
      },
      ratio_wall: Math.round((exWall / floorWall) * 100) / 100,
      ratio_cpu: Math.round((exCpu / floorCpu) * 100) / 100,
    },
    null,
    2,
  ),
);
