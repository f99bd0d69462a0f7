/**
 * The extractors cpgc ships. Each is code run by an interpreter, found under the installation's
 * `extractors/` directory (next to package.json; the package's "files" list includes it).
 */

import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import { NativeError } from "../errors.js";
import { findProjectRoot } from "../locate.js";

export interface ExtractorInfo {
  readonly name: string;
  /** Directory of the extractor's code (everything in it is hashed into its version). */
  readonly dir: string;
  /** The worker script, run as `python3 -I -B script < job.json`. */
  readonly script: string;
}

const EXTRACTORS: Readonly<Record<string, { readonly dir: string; readonly script: string }>> = {
  python: { dir: "extractors/python", script: "cpgc_extract.py" },
};

/** Names of the built-in extractors. */
export function extractorNames(): string[] {
  return Object.keys(EXTRACTORS).sort();
}

/** The extractor's code location; EXTRACTOR_NOT_FOUND for an unknown name or a missing script. */
export function locateExtractor(name: string, fromUrl: string = import.meta.url): ExtractorInfo {
  const entry = Object.hasOwn(EXTRACTORS, name) ? EXTRACTORS[name] : undefined;
  if (entry === undefined) {
    throw new NativeError("EXTRACTOR_NOT_FOUND", `no extractor named '${name}' (cpgc has: ${extractorNames().join(", ")})`, { extractor: name });
  }
  const root = findProjectRoot(fromUrl);
  const dir = root === undefined ? entry.dir : path.join(root, entry.dir);
  const script = path.join(dir, entry.script);
  if (!existsSync(script)) {
    throw new NativeError("EXTRACTOR_NOT_FOUND", `the ${name} extractor's code is missing: ${script} (a broken installation?)`, { extractor: name, path: script });
  }
  return { name, dir, script };
}

/** The extractor's code files (`.py`), as sorted paths relative to its directory. */
export function extractorCodeFiles(info: ExtractorInfo): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(info.dir, rel), { withFileTypes: true })) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== "__pycache__") walk(p);
      } else if (e.name.endsWith(".py") && statSync(path.join(info.dir, p)).isFile()) out.push(p);
    }
  };
  walk("");
  return out.sort();
}
