import type { FunctionCatalog } from "../catalog/index.js";
import { sortDiagnostics } from "../diagnostics/index.js";
import { loadProject, type LoadOptions, type ProjectLoad } from "../spec/load-project.js";
import type { CheckCache } from "./check-cache.js";
import { compileProject } from "./compile-project.js";

/**
 * Everything `cpgc validate` checks: the spec model, then — when it is valid — every view's SQL
 * bound against the datasets and earlier views (unknown columns, types that do not fit, cycles).
 */
export async function validateProject(configPath: string, functions: FunctionCatalog, options: LoadOptions & { readonly cache?: CheckCache } = {}): Promise<ProjectLoad> {
  const cache = options.cache;
  const loaded = await loadProject(configPath, cache ? { ...options, parsedBefore: (t) => cache.parsedBefore(t) } : options);
  if (!loaded.model) return loaded;
  const checked = compileProject(loaded.model, functions, loaded.sources, { artifacts: false, ...(cache ? { cache } : {}) });
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...checked.diagnostics]);
  const ok = !diagnostics.some((d) => d.severity === "error");
  return { ...(ok ? { model: loaded.model } : {}), diagnostics, sources: loaded.sources };
}
