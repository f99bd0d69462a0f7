import type { Location } from "../diagnostics/index.js";
import type { SpecPath } from "./raw-document.js";
import type { DeltaFeature, PolicyBody } from "./schema/index.js";
import { COLUMN_MAPPING_MODES, COMPRESSIONS, SCHEMA_MODES, STATS_POLICIES } from "./schema/index.js";

/**
 * The Delta settings a table ends up with after resolution: every field present, sizes in bytes,
 * durations in seconds. This is what later stages (plan, apply) read; they never look at layers.
 */
export interface EffectivePolicy {
  readonly write: {
    readonly partition_by: readonly string[];
    readonly zorder_by: readonly string[];
    readonly target_file_size_bytes: number;
    readonly stats_policy: (typeof STATS_POLICIES)[number];
    readonly stats_columns: readonly string[];
    readonly stats_max_columns: number;
    readonly writer: {
      readonly compression: (typeof COMPRESSIONS)[number];
      readonly compression_level: number | null;
      readonly row_group_size: number;
      readonly dictionary: readonly string[];
      readonly bloom_filter: readonly { readonly column: string; readonly fpp: number; readonly ndv: number | null }[];
    };
  };
  readonly schema: {
    readonly mode: (typeof SCHEMA_MODES)[number];
    readonly column_mapping: (typeof COLUMN_MAPPING_MODES)[number];
  };
  readonly features: readonly DeltaFeature[];
  readonly maintenance: {
    readonly checkpoint_interval: number;
    readonly log_retention_seconds: number;
    readonly vacuum_retention_seconds: number;
  };
}

/** One source of policy settings, lowest precedence first when resolving. */
export interface PolicyLayer {
  /** e.g. `built-in defaults`, `config defaults.delta`, `policy 'cpg'`, `inline delta` */
  readonly label: string;
  readonly body: PolicyBody;
  /** Where a key of `body` is written, for diagnostics; undefined for the built-in layer. */
  readonly locate?: (path: SpecPath) => Location;
}

/** The built-in layer under every table: Delta's and the engine's own defaults, made explicit. */
export const BUILTIN_POLICY: PolicyBody = {
  write: {
    partition_by: [],
    zorder_by: [],
    target_file_size: "128MiB",
    stats_policy: "auto",
    stats_columns: [],
    stats_max_columns: 32,
    writer: { compression: "zstd", row_group_size: 122880, dictionary: [], bloom_filter: [] },
  },
  schema: { mode: "merge", column_mapping: "none" },
  features: [],
  maintenance: { checkpoint_interval: 10, log_retention: "30 days", vacuum_retention: "7 days" },
};

export const DEFAULT_BLOOM_FPP = 0.01;
