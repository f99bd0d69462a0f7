import { posix } from "node:path";
import { globToRegExp } from "../../compiler/src/spec/glob.js";
import type { ProjectIO } from "../../compiler/src/spec/index.js";

/** An in-memory file system for the spec loader: absolute POSIX paths → file text. */
export function memoryIO(files: Record<string, string>): ProjectIO {
  return {
    readText: (p) => files[p] ?? new Error("no such file"),
    exists: (p) => p in files || Object.keys(files).some((f) => f.startsWith(`${p}/`)),
    glob: (root, glob) => {
      const re = globToRegExp(glob);
      return Object.keys(files)
        .filter((f) => f.startsWith(`${root}/`))
        .map((f) => posix.relative(root, f))
        .filter((f) => re.test(f))
        .sort();
    },
  };
}
