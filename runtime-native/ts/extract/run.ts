/**
 * Running an extractor over files: parallel python3 worker processes, each given a share of the
 * files balanced by size, each writing newline-delimited JSON chunk files per table into the
 * staging directory as it goes (see extractors/python/cpgc_extract.py for the job and event
 * protocol). Memory stays bounded: a worker holds one file's rows at a time; the driver holds
 * only the events.
 */

import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

import { NativeError } from "../errors.js";
import { PYTHON_FLAGS, pythonCommand } from "./python.js";
import { locateExtractor } from "./registry.js";
import { extractorVersion } from "./version.js";

/** One dataset the extractor fills: its extractor table and declared columns (Arrow type strings). */
export interface ExtractTable {
  readonly dataset: string;
  readonly table: string;
  readonly columns: readonly { readonly name: string; readonly type: string; readonly nullable: boolean }[];
}

export interface ExtractRequest {
  readonly extractor: string;
  /** Absolute root of the tree (see resolveSourceRoot). */
  readonly root: string;
  /** Files to extract, relative to the root (`/`-separated). */
  readonly files: readonly string[];
  readonly tables: readonly ExtractTable[];
  /** Worker processes wanted; min(workers, files) run. */
  readonly workers: number;
  /** The driver's directory: `<stagingDir>/<dataset>/part-<worker>-<seq>.ndjson`; chunk files of an earlier run there are removed first. */
  readonly stagingDir: string;
  /** Larger files get a repo_files row and a too_large error only (default {@link DEFAULT_MAX_FILE_BYTES}). */
  readonly maxFileBytes?: number;
  /** Rows per chunk file (default {@link DEFAULT_CHUNK_ROWS}). */
  readonly chunkRows?: number;
  /** Called after each file: files done so far, total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ExtractWorkerStats {
  readonly files: number;
  readonly bytes: number;
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
}

export interface ExtractResult {
  /** Per dataset: its chunk files (sorted) and row count. Every requested dataset is present. */
  readonly tables: Record<string, { files: string[]; rows: number }>;
  /** Files without an extract_errors row. */
  readonly filesExtracted: number;
  /** Files with at least one extract_errors row (filesExtracted + filesFailed = files.length). */
  readonly filesFailed: number;
  readonly extractorVersion: string;
  readonly durationMs: number;
  /** Per worker: files, bytes, peak RSS and CPU time of its process. */
  readonly workers: readonly ExtractWorkerStats[];
}

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_CHUNK_ROWS = 200_000;
const STDERR_TAIL_BYTES = 4096;
const CHUNK_FILE = /^part-\d+-\d+\.ndjson$/;

/** Splits files over `workers` shares, largest first onto the least-loaded share; each share sorted by path. */
export function balanceBySize(files: readonly { path: string; size: number }[], workers: number): string[][] {
  const n = Math.max(1, Math.min(workers, files.length));
  const shares = Array.from({ length: n }, () => ({ bytes: 0, files: [] as string[] }));
  const order = [...files].sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of order) {
    let best = shares[0]!;
    for (const s of shares) if (s.bytes < best.bytes || (s.bytes === best.bytes && s.files.length < best.files.length)) best = s;
    best.bytes += Math.max(f.size, 1);
    best.files.push(f.path);
  }
  return shares.map((s) => s.files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).filter((s) => s.length > 0);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the worker reports it (stage read)
  }
}

interface WorkerDone {
  readonly tables: Record<string, { files: string[]; rows: number }>;
  readonly filesOk: number;
  readonly filesFailed: number;
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
}

interface WorkerEvent {
  event?: string;
  done?: number;
  tables?: Record<string, { files: string[]; rows: number }>;
  files_ok?: number;
  files_failed?: number;
  peak_rss_bytes?: number;
  cpu_seconds?: number;
  code?: string;
  dataset?: string;
  column?: string;
  file?: string;
  message?: string;
}

interface RunningWorker {
  readonly promise: Promise<WorkerDone>;
  kill(): void;
}

function startWorker(script: string, index: number, job: object, onFile: (done: number) => void): RunningWorker {
  const python = pythonCommand();
  const child = spawn(python, [...PYTHON_FLAGS, script], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  let failure: NativeError | null = null;
  let done: WorkerDone | null = null;
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  lines.on("line", (line) => {
    let e: WorkerEvent;
    try {
      e = JSON.parse(line) as WorkerEvent;
    } catch {
      return; // not an event (stray output)
    }
    if (e.event === "file" && typeof e.done === "number") onFile(e.done);
    else if (e.event === "done") {
      done = { tables: e.tables ?? {}, filesOk: e.files_ok ?? 0, filesFailed: e.files_failed ?? 0, peakRssBytes: e.peak_rss_bytes ?? 0, cpuSeconds: e.cpu_seconds ?? 0 };
    } else if (e.event === "error") {
      const code = e.code === "EXTRACT_SCHEMA_MISMATCH" ? "EXTRACT_SCHEMA_MISMATCH" : "EXTRACTOR_FAILED";
      failure = new NativeError(code, e.message ?? "the extractor reported an error", {
        dataset: e.dataset ?? "",
        column: e.column ?? "",
        file: e.file ?? "",
        worker: String(index),
      });
    }
  });
  const promise = new Promise<WorkerDone>((resolve, reject) => {
    let spawnError: Error | null = null;
    child.on("error", (err) => {
      spawnError = err;
    });
    // stdin errors (EPIPE when the process died early) surface through the exit status
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify(job));
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const settle = (): void => {
      if (exited === null) return;
      const err = spawnError as (Error & { code?: string }) | null;
      if (err !== null) {
        reject(
          err.code === "ENOENT"
            ? new NativeError("PYTHON_NOT_FOUND", `cannot run ${python}: ${err.message}; install python3 or set CPGC_PYTHON`, { python }, { cause: err })
            : new NativeError("EXTRACTOR_FAILED", `extractor worker ${index} could not start: ${err.message}`, { worker: String(index) }, { cause: err }),
        );
      } else if (failure !== null) reject(failure);
      else if (exited.code === 0 && done !== null) resolve(done);
      else {
        const how = exited.signal !== null ? `was killed by ${exited.signal}` : exited.code === 0 ? "exited without reporting its results" : `exited with status ${String(exited.code)}`;
        const tail = stderr.trim();
        reject(
          new NativeError("EXTRACTOR_FAILED", `extractor worker ${index} ${how}${tail === "" ? "" : `:\n${tail}`}`, {
            worker: String(index),
            exitCode: String(exited.code),
            signal: exited.signal ?? "",
            stderrTail: tail,
          }),
        );
      }
    };
    let closedLines = false;
    lines.on("close", () => {
      closedLines = true;
      settle();
    });
    child.on("close", (code, signal) => {
      exited = { code, signal };
      if (closedLines || spawnError !== null) settle();
    });
  });
  return {
    promise,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

function clearStaging(stagingDir: string, datasets: readonly string[]): void {
  for (const dataset of datasets) {
    const dir = path.join(stagingDir, dataset);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (CHUNK_FILE.test(name)) rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Extracts `files` into chunk files per dataset. EXTRACT_SCHEMA_MISMATCH when a row does not fit
 * a declared schema (details: dataset, column, file), EXTRACTOR_FAILED when a worker crashes (its
 * stderr tail in the message and details), PYTHON_NOT_FOUND, EXTRACTOR_NOT_FOUND. On failure the
 * other workers are killed; chunk files already written stay in the staging directory.
 */
export async function runExtractor(req: ExtractRequest): Promise<ExtractResult> {
  const started = performance.now();
  const info = locateExtractor(req.extractor);
  const version = extractorVersion(req.extractor);
  const seen = new Set<string>();
  for (const t of req.tables) {
    if (seen.has(t.dataset)) throw new NativeError("INVALID_ARGUMENT", `dataset ${t.dataset} is requested twice`, { dataset: t.dataset });
    seen.add(t.dataset);
  }
  mkdirSync(req.stagingDir, { recursive: true });
  clearStaging(req.stagingDir, req.tables.map((t) => t.dataset));
  const tables: Record<string, { files: string[]; rows: number }> = {};
  for (const t of req.tables) tables[t.dataset] = { files: [], rows: 0 };
  if (req.files.length === 0 || req.tables.length === 0) {
    return { tables, filesExtracted: 0, filesFailed: 0, extractorVersion: version, durationMs: performance.now() - started, workers: [] };
  }
  const sized = req.files.map((p) => ({ path: p, size: sizeOf(path.join(req.root, p)) }));
  const sizes = new Map(sized.map((f) => [f.path, f.size]));
  const shares = balanceBySize(sized, Math.max(1, Math.floor(req.workers)));
  const total = req.files.length;
  const doneBy = shares.map(() => 0);
  let doneAll = 0;
  const workers = shares.map((files, index) =>
    startWorker(
      info.script,
      index,
      {
        worker: index,
        root: req.root,
        files,
        staging_dir: req.stagingDir,
        tables: req.tables,
        max_file_bytes: req.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        chunk_rows: req.chunkRows ?? DEFAULT_CHUNK_ROWS,
      },
      (done) => {
        doneAll += done - (doneBy[index] ?? 0);
        doneBy[index] = done;
        req.onProgress?.(doneAll, total);
      },
    ),
  );
  let results: WorkerDone[];
  try {
    results = await Promise.all(
      workers.map((w) =>
        w.promise.catch((error: unknown) => {
          for (const other of workers) other.kill();
          throw error;
        }),
      ),
    );
  } finally {
    // a failed Promise.all leaves the others running until killed; wait for them to end
    await Promise.allSettled(workers.map((w) => w.promise));
  }
  let ok = 0;
  let failed = 0;
  for (const r of results) {
    ok += r.filesOk;
    failed += r.filesFailed;
    for (const [dataset, t] of Object.entries(r.tables)) {
      const into = tables[dataset];
      if (into === undefined) continue;
      into.files.push(...t.files);
      into.rows += t.rows;
    }
  }
  for (const t of Object.values(tables)) t.files.sort();
  return {
    tables,
    filesExtracted: ok,
    filesFailed: failed,
    extractorVersion: version,
    durationMs: performance.now() - started,
    workers: results.map((r, i) => ({
      files: shares[i]?.length ?? 0,
      bytes: (shares[i] ?? []).reduce((s, p) => s + (sizes.get(p) ?? 0), 0),
      peakRssBytes: r.peakRssBytes,
      cpuSeconds: r.cpuSeconds,
    })),
  };
}
