/**
 * The python3 the extractors run on: `$CPGC_PYTHON` or `python3` from PATH. Facts about it
 * (version, stdlib directory) are asked once per process and cached.
 */

import { spawnSync } from "node:child_process";

import { NativeError } from "../errors.js";

/** The interpreter command: `$CPGC_PYTHON` when set, else `python3`. */
export function pythonCommand(): string {
  const fromEnv = process.env["CPGC_PYTHON"];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : "python3";
}

/** Flags of every run: isolated (no PYTHON* environment, no user site), no .pyc writes. */
export const PYTHON_FLAGS = ["-I", "-B"] as const;

/** Runs `python3 -I -B -c code args...` and returns its stdout; PYTHON_NOT_FOUND when it cannot start. */
export function runPythonSync(code: string, args: readonly string[] = []): { stdout: string; stderr: string; status: number | null } {
  const python = pythonCommand();
  const r = spawnSync(python, [...PYTHON_FLAGS, "-c", code, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error !== undefined) {
    throw new NativeError("PYTHON_NOT_FOUND", `cannot run ${python}: ${r.error.message}; install python3 or set CPGC_PYTHON`, { python }, { cause: r.error });
  }
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export interface PythonInfo {
  /** e.g. `CPython 3.11.7 final 0`: what the extractor version hashes. */
  readonly version: string;
  /** The standard library's directory (sysconfig's `stdlib` path). */
  readonly stdlib: string;
}

const INFO_CODE = `
import json, platform, sys, sysconfig
v = sys.version_info
print(json.dumps({"version": "%s %d.%d.%d %s %d" % (platform.python_implementation(), v.major, v.minor, v.micro, v.releaselevel, v.serial), "stdlib": sysconfig.get_paths()["stdlib"]}))
`;

const infoCache = new Map<string, PythonInfo>();

/** Version and stdlib directory of {@link pythonCommand} (cached per command). */
export function pythonInfo(): PythonInfo {
  const python = pythonCommand();
  const cached = infoCache.get(python);
  if (cached !== undefined) return cached;
  const r = runPythonSync(INFO_CODE);
  let info: PythonInfo;
  try {
    info = JSON.parse(r.stdout) as PythonInfo;
  } catch (cause) {
    throw new NativeError("PYTHON_NOT_FOUND", `${python} did not answer like python3 (exit ${String(r.status)}): ${r.stderr.trim().slice(-500)}`, { python }, { cause });
  }
  if (r.status !== 0 || typeof info.version !== "string" || typeof info.stdlib !== "string") {
    throw new NativeError("PYTHON_NOT_FOUND", `${python} did not answer like python3 (exit ${String(r.status)})`, { python });
  }
  infoCache.set(python, info);
  return info;
}
