import { z } from "zod";
import { name, policyBodyShape } from "./index-shared.js";

export const SQL_DIALECTS = ["duckdb", "spark", "datafusion", "ansi"] as const;
export const POLICY_TRANSFORMS = ["hoist_ctes", "eliminate_qualify", "normalize_unnest", "expand_using"] as const;
export const MATERIALIZATIONS = ["view", "table", "incremental"] as const;
export const CACHE_MODES = ["none", "memory", "delta_staging"] as const;

export const engineConfig = z
  .strictObject({
    name: z.literal("duckdb").describe("Embedded engine that executes view SQL and reads/writes Parquet.").optional(),
    threads: z.number().int().positive().describe("Worker threads the engine may use.").optional(),
    memory_limit: z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/, { message: "must be a size like 2GB or 512MiB" })
      .describe("Engine memory limit, e.g. 2GB or 512MiB.")
      .optional(),
    temp_directory: z.string().describe("Directory where the engine spills to disk.").optional(),
  })
  .describe("Settings of the embedded engine.");

export const policyProfile = z
  .strictObject({
    dialect: z.enum(SQL_DIALECTS).describe("SQL dialect views are written in and printed to.").optional(),
    transforms: z.array(z.enum(POLICY_TRANSFORMS)).describe("AST transforms applied to every view, in this order.").optional(),
    normalize_predicates: z
      .strictObject({
        max_distance: z.number().int().nonnegative().describe("Largest predicate size growth allowed when converting to CNF.").optional(),
      })
      .describe("Predicate normalization (CNF) settings.")
      .optional(),
  })
  .describe("The policy profile: how view SQL is canonicalized; its hash is every view's policy_hash.");

export const configDefaults = z
  .strictObject({
    delta_policy: name("Policy used by tables that name none.").optional(),
    delta: z.strictObject(policyBodyShape).describe("Delta settings every table starts from, below any policy.").optional(),
    materialize: z.enum(MATERIALIZATIONS).describe("Materialization of views that set none.").optional(),
    cache: z.enum(CACHE_MODES).describe("Cache mode of views that set none.").optional(),
  })
  .describe("Defaults for every dataset and view.");

export const projectConfig = z
  .strictObject({
    version: z.literal(1).describe("Config format version; 1 is the only version."),
    project: name("Project name."),
    description: z.string().describe("What this project builds.").optional(),
    specs: z
      .array(z.string().min(1))
      .min(1)
      .describe("Globs, relative to this file, of spec files: *.yaml / *.yml (multi-document) and *.cpg.ts.")
      .optional(),
    lake: z
      .strictObject({
        root: z.string().min(1).describe("Directory (relative to this file) that holds the Delta tables."),
      })
      .describe("Where the lake lives.")
      .optional(),
    engine: engineConfig.optional(),
    policy: policyProfile.optional(),
    defaults: configDefaults.optional(),
    variables: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.string(), z.number(), z.boolean()]))
      .describe("Values substituted for {{ name }} in view SQL; override with -var name=value.")
      .optional(),
  })
  .describe("A cpgc project: cpg.config.yaml.");

export type ProjectConfig = z.infer<typeof projectConfig>;
