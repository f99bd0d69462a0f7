/** The extractor version: a change means every file must be extracted again. */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

import { pythonCommand, pythonInfo } from "./python.js";
import { extractorCodeFiles, locateExtractor } from "./registry.js";

const cache = new Map<string, string>();

/**
 * `<interpreter version>/<16 hex>`: the hex is a sha256 over the extractor's code files (path and
 * bytes of each `.py`, sorted) and the interpreter version, e.g. `CPython-3.11.7/3f9c0a…`. Python's
 * ast, tokenize, symtable and dis change between versions, so a new python3 re-extracts too.
 */
export function extractorVersion(extractor: string): string {
  const key = `${extractor}\0${pythonCommand()}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const info = locateExtractor(extractor);
  const python = pythonInfo();
  const h = createHash("sha256");
  h.update(`cpgc-extractor-v1\0${extractor}\0${python.version}\0`);
  for (const file of extractorCodeFiles(info)) {
    const bytes = readFileSync(path.join(info.dir, file));
    h.update(`${file}\0${bytes.length}\0`);
    h.update(bytes);
  }
  const [impl, ver] = python.version.split(" ");
  const version = `${impl ?? "python"}-${ver ?? "?"}/${h.digest("hex").slice(0, 16)}`;
  cache.set(key, version);
  return version;
}
