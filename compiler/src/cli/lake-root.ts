import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

import { parse as parseYaml } from "yaml";

/** A user error (bad arguments or configuration): commands print `error: message` + usage, exit 1. */
export class UsageError extends Error {}

export const DEFAULT_CONFIG = "cpg.config.yaml";

/**
 * The lake root of a project: `lake.root` of the config, relative to the config file. Reads only
 * that key (no spec loading), for commands that touch the lake without planning (query, runs,
 * force-unlock). Throws {@link UsageError} when the config is missing or names no lake.
 */
export function lakeRootFromConfig(configPath: string, cwd: string): string {
  const config = resolve(cwd, configPath);
  if (!existsSync(config)) {
    throw new UsageError(`config file not found: ${configPath} (run in a project directory or pass -c FILE)`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(config, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read ${configPath}: ${(error as Error).message.split("\n")[0]} (run 'cpgc validate' for details)`);
  }
  const root = (parsed as { lake?: { root?: unknown } } | null)?.lake?.root;
  if (typeof root !== "string" || root === "") throw new UsageError(`${configPath} sets no lake.root; add \`lake: { root: .cpg/lake }\``);
  return resolve(dirname(config), root);
}
