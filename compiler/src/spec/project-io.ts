import { existsSync, readFileSync, statSync } from "node:fs";
import { globFiles } from "./glob.js";

/** The file system as the spec loader sees it; injected so the pipeline can run over fixtures. */
export interface ProjectIO {
  /** File text, or an Error saying why it cannot be read. */
  readText(absPath: string): string | Error;
  exists(absPath: string): boolean;
  /** Files under `root` matching `glob`, sorted, relative to root with `/` separators. */
  glob(root: string, glob: string): string[];
}

export const nodeIO: ProjectIO = {
  readText(absPath) {
    try {
      if (statSync(absPath).isDirectory()) return new Error("is a directory");
      return readFileSync(absPath, "utf8");
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return new Error(e.code === "ENOENT" ? "no such file" : e.code === "EACCES" ? "permission denied" : e.message);
    }
  },
  exists: (p) => existsSync(p),
  glob: globFiles,
};
