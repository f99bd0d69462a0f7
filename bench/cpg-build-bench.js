#!/usr/bin/env node
// Benchmark: the end-to-end CPG build of the root project (extract → normalize → CPG views, every
// table committed to Delta) over python3's standard library, through the real CLI:
//
//   node bench/cpg-build-bench.js [--only email,json] [--root stdlib:] [--memory-limit 10GB]
//                                 [--keep DIR] [--no-incremental]
//
// The tree is a copy of the library's *.py files (site-packages and __pycache__ left out; --only
// keeps those top-level entries of it) in a temporary directory, so a file can be touched; the
// project is a copy of cpg.config.yaml + specs/ applied with -var source_root=<copy>
// -var root_package='' (module names are paths under Lib/); --memory-limit overrides the config's
// engine.memory_limit in that copy. Measures, as JSON:
//   full         `cpgc apply --auto-approve --json` into a fresh lake: wall time, files/s, lines/s,
//                peak RSS (VmHWM) of the cpgc process and of the largest python worker (polled from
//                /proc every 50 ms), CPU seconds of the process tree (utime+stime+children's, at
//                the last poll), extraction time, and time per layer (sum of the tables' durations)
//   floor        python3 running ast.parse alone over the same files in one process (wall, CPU)
//   incremental  after appending a function to one file: the same apply again (1 file re-extracted,
//                per-file views refreshed by path); and a no-op `cpgc plan` afterwards
// Needs the built CLI (npm run build). The load average at the start is included: the numbers
// are comparable only on an otherwise idle machine.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { arg } from "./common.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const CPGC = join(REPO, "bin", "cpgc.js");
if (!existsSync(join(REPO, "dist", "compiler", "src", "cli", "main.js"))) {
  process.stderr.write("build first: npm run build\n");
  process.exit(1);
}

const ROOT = arg("root", "stdlib:");
const ONLY = arg("only", "");
const KEEP = arg("keep", null);
const MEMORY_LIMIT = arg("memory-limit", null);
const INCREMENTAL = !process.argv.includes("--no-incremental");
const PAGE_KB = 4;
const TICKS = 100; // USER_HZ

function stdlibDir() {
  const r = spawnSync("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

/** *.py files under `from` (site-packages and __pycache__ skipped), copied into `to`; their paths. */
function copyPyTree(from, to, only) {
  const files = [];
  const walk = (rel) => {
    for (const e of readdirSync(join(from, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (rel === "" && only.length > 0 && !only.includes(e.name.replace(/\.py$/, ""))) continue;
      if (e.isDirectory()) {
        if (e.name === "site-packages" || e.name === "__pycache__" || e.name.startsWith(".")) continue;
        walk(p);
      } else if (e.isFile() && e.name.endsWith(".py")) {
        mkdirSync(dirname(join(to, p)), { recursive: true });
        cpSync(join(from, p), join(to, p));
        files.push(p);
      }
    }
  };
  walk("");
  return files;
}

function countLines(dir, files) {
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    const data = readFileSync(join(dir, f));
    bytes += data.length;
    for (let i = 0; i < data.length; i++) if (data[i] === 10) lines++;
  }
  return { lines, bytes };
}

/** /proc facts of a process: peak RSS (kB), CPU ticks of itself and of its reaped children, parent. */
function procInfo(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // after the comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), hwmKb: hwm, ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]), name: /^Name:\s+(\S+)/m.exec(status)?.[1] ?? "" };
  } catch {
    return null;
  }
}

function descendants(pid) {
  const out = [];
  const byParent = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const info = procInfo(Number(d));
    if (info === null) continue;
    const list = byParent.get(info.ppid) ?? [];
    list.push(Number(d));
    byParent.set(info.ppid, list);
  }
  const stack = [...(byParent.get(pid) ?? [])];
  while (stack.length > 0) {
    const p = stack.pop();
    out.push(p);
    stack.push(...(byParent.get(p) ?? []));
  }
  return out;
}

/** Runs `cpgc ARGS` in `cwd`, polling its memory and CPU; returns the output and the measurements. */
function measured(args, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CPGC, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    let cpgcHwm = 0;
    let workerHwm = 0;
    let workers = 0;
    let cpuTicks = 0;
    const seen = new Set();
    const poll = () => {
      const self = procInfo(child.pid);
      if (self === null) return;
      cpgcHwm = Math.max(cpgcHwm, self.hwmKb);
      cpuTicks = Math.max(cpuTicks, self.ticks + self.childTicks);
      for (const p of descendants(child.pid)) {
        const info = procInfo(p);
        if (info === null || !info.name.startsWith("python")) continue;
        if (!seen.has(p)) {
          seen.add(p);
          workers++;
        }
        workerHwm = Math.max(workerHwm, info.hwmKb);
      }
    };
    const timer = setInterval(poll, 50);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        wall_s: (performance.now() - t0) / 1000,
        cpgc_peak_rss_mb: Math.round(cpgcHwm / 1024),
        worker_peak_rss_mb: Math.round(workerHwm / 1024),
        python_workers: workers,
        cpu_s_approx: Math.round((cpuTicks / TICKS) * 10) / 10,
      });
    });
  });
}

const FLOOR = `
import ast, json, os, sys, time, warnings
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
print(json.dumps({"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "parsed": ok}))
`;

/** Per layer, the sum of its tables' apply durations (ms), from the --json report. */
function layers(report) {
  const layer = (t) => (t.startsWith("py_") || t === "repo_files" || t === "extract_errors" ? "extract" : t.startsWith("norm_") ? "normalize" : "cpg");
  const out = { extract: 0, normalize: 0, cpg: 0 };
  for (const a of report.actions) out[layer(a.table)] += a.duration_ms;
  return out;
}

function applyFacts(run, files, lines) {
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`cpgc apply exited ${run.code} without a report\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  }
  const extracted = /extracted (\d+) files? with python(?: \((\d+) failed[^)]*\))? in (\d+) ms/.exec(run.stderr);
  const byTable = Object.fromEntries(report.actions.map((a) => [a.table, a]));
  return {
    status: report.status,
    failed: report.actions.filter((a) => a.outcome === "failed").map((a) => `${a.table}: ${String(a.error?.message ?? "").split("\n")[0]}`),
    wall_s: Math.round(run.wall_s * 100) / 100,
    files_per_s: files === undefined ? undefined : Math.round(files / run.wall_s),
    lines_per_s: lines === undefined ? undefined : Math.round(lines / run.wall_s),
    files_extracted: extracted ? Number(extracted[1]) : 0,
    files_failed: extracted?.[2] ? Number(extracted[2]) : 0,
    extract_ms: extracted ? Number(extracted[3]) : 0,
    table_ms_by_layer: layers(report),
    table_ms: Object.fromEntries(report.actions.filter((a) => a.outcome !== "registered").map((a) => [a.table, a.duration_ms])),
    cpgc_peak_rss_mb: run.cpgc_peak_rss_mb,
    worker_peak_rss_mb: run.worker_peak_rss_mb,
    python_workers: run.python_workers,
    cpu_s_approx: run.cpu_s_approx,
    rows: { cpg_nodes: byTable.cpg_nodes?.rows_written, cpg_edges: byTable.cpg_edges?.rows_written, cpg_props: byTable.cpg_props?.rows_written },
    refresh: Object.fromEntries(report.actions.filter((a) => a.refresh).map((a) => [a.table, a.refresh.mode === "incremental" ? `incremental (${a.refresh.keys})` : "full"])),
  };
}

async function main() {
  const work = KEEP ?? mkdtempSync(join(tmpdir(), "cpgc-cpg-bench-"));
  try {
    await measure(work);
  } finally {
    if (KEEP === null) rmSync(work, { recursive: true, force: true });
  }
}

async function measure(work) {
  const load = loadavg()[0];
  const from = ROOT === "stdlib:" ? stdlibDir() : ROOT;
  const src = join(work, "Lib");
  const project = join(work, "project");
  rmSync(src, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
  const only = ONLY === "" ? [] : ONLY.split(",");
  const files = copyPyTree(from, src, only);
  const { lines, bytes } = countLines(src, files);
  mkdirSync(project, { recursive: true });
  const config = readFileSync(join(REPO, "cpg.config.yaml"), "utf8");
  writeFileSync(join(project, "cpg.config.yaml"), MEMORY_LIMIT === null ? config : config.replace(/^( {2}memory_limit:).*$/m, `$1 ${MEMORY_LIMIT}`));
  cpSync(join(REPO, "specs"), join(project, "specs"), { recursive: true });
  const vars = ["-var", `source_root=${src}`, "-var", "root_package="];

  const floorRun = spawnSync("python3", ["-I", "-B", "-c", FLOOR, src], { input: files.join("\n") + "\n", encoding: "utf8", maxBuffer: 1 << 24 });
  if (floorRun.status !== 0) throw new Error(floorRun.stderr);
  const floor = JSON.parse(floorRun.stdout);

  const full = applyFacts(await measured(["apply", "--auto-approve", "--json", ...vars], project), files.length, lines);
  const result = {
    root: relative(REPO, from).startsWith("..") ? from : relative(REPO, from),
    only: only.length > 0 ? only : "all (site-packages left out)",
    memory_limit: /^ {2}memory_limit: *(.*)$/m.exec(readFileSync(join(project, "cpg.config.yaml"), "utf8"))?.[1] ?? null,
    load_average_at_start: load,
    files: files.length,
    lines,
    mb: Math.round((bytes / 1048576) * 10) / 10,
    full,
    floor_ast_parse_one_process: {
      wall_s: Math.round(floor.wall_s * 100) / 100,
      cpu_s: Math.round(floor.cpu_s * 100) / 100,
      files_per_s: Math.round(files.length / floor.wall_s),
      lines_per_s: Math.round(lines / floor.wall_s),
      parsed: floor.parsed,
    },
    ratio_wall_to_floor: Math.round((full.wall_s / floor.wall_s) * 10) / 10,
    ratio_cpu_to_floor: Math.round((full.cpu_s_approx / floor.cpu_s) * 10) / 10,
  };

  if (INCREMENTAL) {
    // touch one file: a new function calling an existing one, appended to a mid-sized module
    const target = files.includes("json/decoder.py") ? "json/decoder.py" : files[Math.floor(files.length / 2)];
    appendFileSync(join(src, target), "\n\ndef _cpgc_bench_probe(x):\n    return _cpgc_bench_probe(x - 1) if x else len(str(x))\n");
    const inc = applyFacts(await measured(["apply", "--auto-approve", "--json", ...vars], project));
    const noop = await measured(["plan", "--detailed-exitcode", ...vars], project);
    result.incremental = {
      touched: target,
      ...inc,
      speedup_vs_full: Math.round((full.wall_s / inc.wall_s) * 10) / 10,
      noop_plan_s: Math.round(noop.wall_s * 100) / 100,
      noop_plan_exit: noop.code,
    };
  }
  result.lake_mb = Math.round(dirSize(join(project, ".cpg", "lake")) / 1048576);
  console.log(JSON.stringify(result, null, 2));
}

function dirSize(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}

await main();
