import { isAbsolute, relative, resolve, sep } from "node:path";
import type { SourceText } from "../diagnostics/index.js";
import type { SpecModel } from "../spec/model.js";
import type { LocatedSpec } from "../spec/validate-shape.js";

/**
 * `defined_at` of a spec: its file relative to the config's directory and the line of its
 * `name`, e.g. `specs/files.yaml:2` — the same whatever directory cpgc ran in, so the manifest
 * stays deterministic. Locations carry display paths (relative to the loader's working directory
 * when under it); that directory is recovered from the config file's display name in `sources`.
 */
export function definedAtResolver(model: SpecModel, sources: ReadonlyMap<string, SourceText>): (spec: LocatedSpec) => string {
  const configKey = [...sources.keys()].find((k) => k === model.configFile || (!isAbsolute(k) && model.configFile.endsWith(sep + k)));
  const cwd = configKey === undefined || isAbsolute(configKey) ? model.rootDir : model.configFile.slice(0, model.configFile.length - configKey.length - 1);
  return (spec) => {
    const abs = isAbsolute(spec.doc.file) ? spec.doc.file : resolve(cwd, spec.doc.file);
    const file = relative(model.rootDir, abs).split(sep).join("/");
    // The line of `name` without a full syntax tree when it can be told (most specs).
    const line = spec.doc.locator.topLevelKeyLine?.("name") ?? spec.doc.locator.key(["name"]).range?.start.line;
    return line === undefined ? file : `${file}:${line}`;
  };
}
