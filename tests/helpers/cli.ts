import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./fixture-project.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `cpgc` binary (bin/cpgc.js → dist/) in `cwd`; no color unless asked. */
export function cpgc(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "bin", "cpgc.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "", CPGC_DEBUG: "", ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
