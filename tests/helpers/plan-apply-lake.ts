// What the plan/apply acceptance tests share: the CLI run in-process (runCli, the function
// bin/cpgc.js calls, with its output captured), temporary copies of projects, and independent
// looks at a lake — a table's rows through DuckDB, its version, and the data files in its
// directory against the files its Delta log names.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll } from "vitest";

import { runCli } from "../../compiler/src/cli/main.js";
import type { CommandIO } from "../../compiler/src/cli/io.js";
import type { CliResult } from "./cli.js";

const made: string[] = [];
afterAll(() => {
  if (process.env["CPGC_KEEP_TMP"]) return;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file (kept with CPGC_KEEP_TMP=1). */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cpgc-${name}-`));
  made.push(dir);
  return dir;
}

/** A temporary copy of a project directory, without its lake and caches (`.cpg`). */
export function copyProject(from: string, name: string): string {
  const dir = tempDir(name);
  cpSync(from, dir, { recursive: true, filter: (p) => !relative(from, p).split("/").includes(".cpg") });
  return dir;
}

/** Runs `cpgc <argv>` in this process (the CLI's own entry point, output captured, no terminal, no color). */
export async function cli(argv: readonly string[], cwd: string): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = {
    stdout: (t) => out.push(t.endsWith("\n") ? t : `${t}\n`),
    stderr: (t) => err.push(t.endsWith("\n") ? t : `${t}\n`),
    cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" },
    isTTY: false,
    stderrIsTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** Fails with the CLI's output in the message, so a wrong exit code explains itself. */
export function expectExit(r: CliResult, code: number, what = ""): CliResult {
  if (r.code !== code) throw new Error(`${what}expected exit ${code}, got ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

/** Rows of `sql` run by `cpgc query --format ndjson` (every table and logical view of the lake defined). */
export async function query(dir: string, sql: string): Promise<Record<string, unknown>[]> {
  const r = expectExit(await cli(["query", sql, "--format", "ndjson"], dir), 0);
  return r.stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Every row of every table and logical view of a lake, as `cpgc query` defines them (the same
 * functions, one engine session): per name, the rows as JSON lines with sorted keys, sorted — equal
 * multisets of rows compare equal. `names` limits it to those tables and views.
 */
export async function lakeRows(lakeRoot: string, names?: readonly string[]): Promise<Record<string, string[]>> {
  const native = await import("../../runtime-native/index.js");
  const { registerLake, renderQuery } = await import("../../compiler/src/cli/commands/query.js");
  const { readLogicalViews, registerLogicalViews } = await import("../../runtime-native/ts/apply/views.js");
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, canon(x)])) : v;
  const db = native.openDatabase({ threads: 1 });
  try {
    const tables = [...registerLake(native, db, lakeRoot).keys()];
    const failed = registerLogicalViews(db, lakeRoot).failed;
    if (failed.length > 0) throw new Error(`logical views that do not bind: ${failed.map((f) => `${f.name}: ${f.error.message}`).join("; ")}`);
    const views = readLogicalViews(db, lakeRoot).views.map((v) => v.name);
    const out: Record<string, string[]> = {};
    for (const name of [...tables, ...views].filter((n) => !n.startsWith("_") && (names === undefined || names.includes(n))).sort()) {
      out[name] = renderQuery(db, `SELECT * FROM "${name}"`, "ndjson")
        .map((line) => JSON.stringify(canon(JSON.parse(line))))
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** The Delta log's JSON commits of a table, newest version first. */
function commitFiles(tableDir: string): string[] {
  const log = join(tableDir, "_delta_log");
  if (!existsSync(log)) return [];
  return readdirSync(log)
    .filter((f) => /^\d{20}\.json$/.test(f))
    .sort()
    .reverse();
}

/** The table's latest version read from its log directory (null without a commit). */
export function tableVersion(tableDir: string): number | null {
  const newest = commitFiles(tableDir)[0];
  return newest === undefined ? null : Number(newest.slice(0, 20));
}

/** The actions of one JSON commit. */
export function commitActions(tableDir: string, version: number): Record<string, Record<string, unknown>>[] {
  const text = readFileSync(join(tableDir, "_delta_log", `${String(version).padStart(20, "0")}.json`), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
}

/** Data files (not the log) under a table's directory, relative, sorted; `_`/`.` entries are not data. */
export function dataFilesOnDisk(tableDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === "_delta_log" || entry.startsWith(".")) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(tableDir, full));
    }
  };
  if (existsSync(tableDir)) walk(tableDir);
  return out.sort();
}

/**
 * Paths every JSON commit of the log names (add, remove, cdc), decoded. The lake's logs keep
 * every commit (retention is days), so this is every file a version ever referenced.
 */
export function dataFilesInLog(tableDir: string): Set<string> {
  const out = new Set<string>();
  for (const f of commitFiles(tableDir)) {
    for (const action of commitActions(tableDir, Number(f.slice(0, 20)))) {
      for (const kind of ["add", "remove", "cdc"]) {
        const p = action[kind]?.["path"];
        if (typeof p === "string") out.add(decodeURIComponent(p));
      }
    }
  }
  return out;
}

/** The files the latest snapshot's live add actions name (replaying the JSON commits), sorted. */
export function liveDataFiles(tableDir: string): string[] {
  const live = new Set<string>();
  for (const f of [...commitFiles(tableDir)].reverse()) {
    for (const action of commitActions(tableDir, Number(f.slice(0, 20)))) {
      const add = action["add"]?.["path"];
      const remove = action["remove"]?.["path"];
      if (typeof add === "string") live.add(decodeURIComponent(add));
      if (typeof remove === "string") live.delete(decodeURIComponent(remove));
    }
  }
  return [...live].sort();
}

/** Data files in a table's directory that no commit of its log names (what a crashed writer leaves). */
export function untrackedFiles(tableDir: string): string[] {
  const logged = dataFilesInLog(tableDir);
  return dataFilesOnDisk(tableDir).filter((f) => !logged.has(f));
}
