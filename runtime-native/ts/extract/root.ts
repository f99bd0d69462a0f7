/** Where an extract tree's files are: a directory, or a package of python3's standard library. */

import { statSync } from "node:fs";
import path from "node:path";

import { NativeError } from "../errors.js";
import { pythonInfo, runPythonSync } from "./python.js";

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const FIND_PACKAGE = `
import importlib.util, json, sys
try:
    spec = importlib.util.find_spec(sys.argv[1])
except Exception as e:
    print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)})); sys.exit(0)
if spec is None:
    print(json.dumps({"error": "no such module"}))
elif not spec.submodule_search_locations:
    print(json.dumps({"error": "a module, not a package", "origin": spec.origin}))
else:
    print(json.dumps({"dir": list(spec.submodule_search_locations)[0]}))
`;

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function notFound(value: string, why: string, hint: string): NativeError {
  return new NativeError("EXTRACT_ROOT_NOT_FOUND", `source root ${value}: ${why}; ${hint}`, { root: value });
}

/**
 * The absolute directory of an extract tree's root:
 * - `stdlib:` → python3's standard library directory (e.g. /usr/lib/python3.11);
 * - `stdlib:NAME` → the directory of the standard-library package NAME (`stdlib:json`,
 *   `stdlib:email.mime`); a plain module (`stdlib:heapq`) or a package outside the standard
 *   library is refused;
 * - anything else → a directory, relative to `configDir` unless absolute.
 * EXTRACT_ROOT_NOT_FOUND when it does not exist; PYTHON_NOT_FOUND when python3 is needed and absent.
 */
export function resolveSourceRoot(value: string, configDir: string): string {
  if (value.startsWith("stdlib:")) {
    const name = value.slice("stdlib:".length).trim();
    const { stdlib } = pythonInfo();
    if (name === "") {
      if (!isDirectory(stdlib)) throw notFound(value, `python3's standard library directory ${stdlib} does not exist`, "is python3 installed completely?");
      return stdlib;
    }
    if (!MODULE_NAME.test(name)) throw notFound(value, `'${name}' is not a module name`, "write stdlib:PACKAGE, e.g. stdlib:json");
    const r = runPythonSync(FIND_PACKAGE, [name]);
    let answer: { dir?: string; error?: string; origin?: string };
    try {
      answer = JSON.parse(r.stdout) as typeof answer;
    } catch {
      throw notFound(value, `python3 could not look up '${name}': ${r.stderr.trim().slice(-300)}`, "check the name");
    }
    if (answer.dir === undefined) {
      const what = answer.error ?? "not found";
      throw notFound(value, `'${name}' is ${what === "no such module" ? "not a module of this python3" : what}`, "name a package of the standard library, e.g. stdlib:json or stdlib:email; stdlib: alone is the whole library");
    }
    const rel = path.relative(path.resolve(stdlib), path.resolve(answer.dir));
    if (rel.startsWith("..") || path.isAbsolute(rel)) {
      throw notFound(value, `'${name}' is installed at ${answer.dir}, outside the standard library ${stdlib}`, "point root at that directory instead of using stdlib:");
    }
    if (!isDirectory(answer.dir)) throw notFound(value, `${answer.dir} is not a directory`, "check the name");
    return answer.dir;
  }
  const dir = path.resolve(configDir, value);
  if (!isDirectory(dir)) {
    throw notFound(value, `${dir} is not a directory`, "give a directory relative to the config file (or absolute), or stdlib:PACKAGE; override it with -var source_root=PATH");
  }
  return dir;
}
