import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionCatalog } from "../catalog/index.js";
import { FUNCTION_CATALOG_FORMAT } from "../catalog/index.js";
import { packageRoot } from "./version.js";

let cached: FunctionCatalog | undefined;

/** The function catalog snapshot shipped with cpgc (schemas/functions.json), read once. */
export function shippedFunctionCatalog(): FunctionCatalog {
  if (cached) return cached;
  const path = join(packageRoot(), "schemas", "functions.json");
  const catalog = JSON.parse(readFileSync(path, "utf8")) as FunctionCatalog;
  if (catalog.format_version.split(".")[0] !== FUNCTION_CATALOG_FORMAT.split(".")[0]) {
    throw new Error(`${path} has format ${catalog.format_version}; this cpgc reads ${FUNCTION_CATALOG_FORMAT}`);
  }
  cached = catalog;
  return catalog;
}
