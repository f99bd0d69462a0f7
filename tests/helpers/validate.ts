import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionCatalog } from "../../compiler/src/catalog/index.js";
import { validateProject } from "../../compiler/src/compile/index.js";
import type { LoadOptions } from "../../compiler/src/spec/index.js";
import { REPO_ROOT } from "./fixture-project.js";

export const FUNCTIONS = JSON.parse(readFileSync(join(REPO_ROOT, "schemas", "functions.json"), "utf8")) as FunctionCatalog;

/** What `cpgc validate` runs, in-process. */
export function validate(configPath: string, options: LoadOptions = {}) {
  return validateProject(configPath, FUNCTIONS, options);
}
