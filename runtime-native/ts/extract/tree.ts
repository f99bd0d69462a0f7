/** The files of an extract tree, with their content hashes (what incremental extraction compares). */

import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

import { globToRegExp } from "../../../compiler/src/spec/glob.js";
import { NativeError } from "../errors.js";

export interface TreeFile {
  /** `/`-separated, relative to the root. */
  readonly path: string;
  readonly size: number;
  /** Hex sha256 of the bytes. */
  readonly sha256: string;
}

const BUFFER_BYTES = 1 << 20;

/** Hex sha256 of a file read in 1 MiB chunks (never the whole file in memory). */
export function sha256File(file: string, buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES)): string {
  const h = createHash("sha256");
  const fd = openSync(file, "r");
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      h.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest("hex");
}

/**
 * Files under `root` whose relative path matches one of `include` and none of `exclude` (globs:
 * `**`, `*`, `?`, `{a,b}`, `[abc]`), sorted by path, each hashed. Directories whose name starts with
 * `.` (.git, .venv, .tox, ...), `__pycache__` and those an exclude `<dir glob>/**` names are not
 * entered; symbolic links to files are followed, symbolic links to directories are not (no cycles).
 */
export function scanTree(root: string, include: readonly string[], exclude: readonly string[] = []): TreeFile[] {
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch {
    throw new NativeError("EXTRACT_ROOT_NOT_FOUND", `source root ${root} does not exist`, { root });
  }
  if (!rootStat.isDirectory()) throw new NativeError("EXTRACT_ROOT_NOT_FOUND", `source root ${root} is not a directory`, { root });
  const includes = include.map((g) => globToRegExp(g.replace(/^\.\//, "")));
  const excludes = exclude.map((g) => globToRegExp(g.replace(/^\.\//, "")));
  // `dir/**` excludes everything under a directory: such directories are not entered at all
  // (a whole Lib/'s site-packages can hold more files than the library).
  const excludedDirs = exclude.filter((g) => g.endsWith("/**")).map((g) => globToRegExp(g.replace(/^\.\//, "").slice(0, -3)));
  const paths: string[] = [];
  const walk = (rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(rel === "" ? root : path.join(root, rel), { withFileTypes: true });
    } catch {
      return; // unreadable directory: nothing to extract there
    }
    for (const e of entries) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      let isFile = e.isFile();
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && e.name !== "__pycache__" && !excludedDirs.some((r) => r.test(p))) walk(p);
        continue;
      }
      if (e.isSymbolicLink()) {
        try {
          isFile = statSync(path.join(root, p)).isFile();
        } catch {
          isFile = false; // dangling link
        }
      }
      if (isFile && includes.some((r) => r.test(p)) && !excludes.some((r) => r.test(p))) paths.push(p);
    }
  };
  walk("");
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  return paths.map((p) => {
    const full = path.join(root, p);
    return { path: p, size: statSync(full).size, sha256: sha256File(full, buffer) };
  });
}
