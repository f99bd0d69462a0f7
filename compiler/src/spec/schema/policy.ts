import { z } from "zod";
import { columnPath, columnPathList, description, duration, name, size } from "./common.js";

export const COMPRESSIONS = ["zstd", "snappy", "gzip", "lz4", "lz4_raw", "brotli", "uncompressed"] as const;
export const STATS_POLICIES = ["off", "explicit", "auto"] as const;
export const SCHEMA_MODES = ["strict", "merge", "overwrite"] as const;
export const COLUMN_MAPPING_MODES = ["none", "name"] as const;

/** Delta table features a spec may opt into; names as in the Delta protocol. */
export const DELTA_FEATURES = [
  "appendOnly",
  "changeDataFeed",
  "checkConstraints",
  "columnMapping",
  "deletionVectors",
  "domainMetadata",
  "generatedColumns",
  "identityColumns",
  "inCommitTimestamp",
  "invariants",
  "rowTracking",
  "timestampNtz",
  "typeWidening",
  "v2Checkpoint",
  "vacuumProtocolCheck",
] as const;

export const bloomFilter = z
  .strictObject({
    column: columnPath("Column that gets a Parquet bloom filter."),
    fpp: z.number().gt(0).lt(1).describe("Target false-positive probability, between 0 and 1 (exclusive).").optional(),
    ndv: z.number().int().positive().describe("Expected number of distinct values per row group.").optional(),
  })
  .describe("A Parquet bloom filter on one column.");

export const writerSettings = z
  .strictObject({
    compression: z.enum(COMPRESSIONS).describe("Parquet compression codec.").optional(),
    compression_level: z.number().int().min(-131072).max(22).describe("Codec level (zstd: 1..22, gzip: 1..9, brotli: 0..11).").optional(),
    row_group_size: z.number().int().positive().describe("Rows per Parquet row group.").optional(),
    dictionary: columnPathList("Columns written with dictionary encoding.").optional(),
    bloom_filter: z.array(bloomFilter).describe("Columns that get Parquet bloom filters.").optional(),
  })
  .describe("Parquet writer properties for data files.");

export const writePolicy = z
  .strictObject({
    partition_by: columnPathList("Top-level columns to partition the table by (one directory level each).").optional(),
    zorder_by: columnPathList("Columns to cluster rows by when writing (sort-on-write).").optional(),
    target_file_size: size("Target size of each data file.").optional(),
    stats_policy: z
      .enum(STATS_POLICIES)
      .describe("Which columns get min/max/null-count statistics: off (none), explicit (only stats_columns), auto (stats_columns, else the first stats_max_columns columns).")
      .optional(),
    stats_columns: columnPathList("Columns that get file statistics (delta.dataSkippingStatsColumns).").optional(),
    stats_max_columns: z.number().int().min(-1).describe("Number of leading columns that get statistics (delta.dataSkippingNumIndexedCols); -1 means all.").optional(),
    writer: writerSettings.optional(),
  })
  .describe("How data files are laid out and written.");

export const schemaPolicy = z
  .strictObject({
    mode: z
      .enum(SCHEMA_MODES)
      .describe("Schema evolution: strict (the table schema must equal the spec), merge (additive changes are applied), overwrite (destructive changes allowed with --allow-destructive).")
      .optional(),
    column_mapping: z.enum(COLUMN_MAPPING_MODES).describe("Delta column mapping mode: none, or name (enables renames and drops without rewrites).").optional(),
  })
  .describe("Schema evolution rules.");

export const deltaFeatures = z
  .array(z.enum(DELTA_FEATURES))
  .describe("Delta table features to enable, opted into explicitly (enabling one may upgrade the table protocol).");

export const maintenancePolicy = z
  .strictObject({
    checkpoint_interval: z.number().int().positive().describe("Write a checkpoint every N commits (delta.checkpointInterval).").optional(),
    log_retention: duration("How long log entries are kept (delta.logRetentionDuration).").optional(),
    vacuum_retention: duration("How long removed data files are kept before vacuum deletes them (delta.deletedFileRetentionDuration).").optional(),
  })
  .describe("Table maintenance: checkpoints, log retention, vacuum.");

/** The settings shared by a DeltaPolicy, config defaults and inline overrides. */
export const policyBodyShape = {
  write: writePolicy.optional(),
  schema: schemaPolicy.optional(),
  features: deltaFeatures.optional(),
  maintenance: maintenancePolicy.optional(),
};

export const policyBody = z.strictObject(policyBodyShape).describe("Delta policy settings.");

export const deltaPolicySpec = z
  .strictObject({
    kind: z.literal("DeltaPolicy").describe("Spec kind: a reusable set of Delta table settings."),
    name: name("Policy name, referenced by datasets and views (delta.policy) and by other policies (extends)."),
    description: description.optional(),
    extends: name("Name of a policy whose settings this one starts from; its own settings win.").optional(),
    ...policyBodyShape,
  })
  .describe("A named, reusable set of Delta table settings.");

/** `delta:` on a dataset or view: a policy reference plus inline overrides. */
export const tableDelta = z
  .strictObject({
    policy: name("Name of the DeltaPolicy this table uses (default: defaults.delta_policy of the config).").optional(),
    ...policyBodyShape,
  })
  .describe("Delta settings of this table: a policy reference plus inline overrides, which win over the policy.");

export type WritePolicy = z.infer<typeof writePolicy>;
export type PolicyBody = z.infer<typeof policyBody>;
export type DeltaPolicySpec = z.infer<typeof deltaPolicySpec>;
export type TableDelta = z.infer<typeof tableDelta>;
export type DeltaFeature = (typeof DELTA_FEATURES)[number];
