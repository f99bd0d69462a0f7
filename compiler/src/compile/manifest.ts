import type { StatsColumnsResult } from "../artifacts/stats-columns.js";
import type { QueryLineage } from "../policy/bind/index.js";
import type { EffectivePolicy } from "../spec/effective-policy.js";

/**
 * The compiled project: what `cpgc compile` writes and what the planner diffs against the lake.
 * Plain data, sorted everywhere, so its canonical encoding (and hash) is stable.
 * Format version: a minor bump only adds keys; a major bump breaks readers.
 */
export const MANIFEST_FORMAT_VERSION = "1.1";

export interface ManifestColumn {
  readonly name: string;
  /** Arrow type string, or the binder's text (`INTERVAL`, `unknown`) when Arrow has none. */
  readonly type: string;
  readonly nullable: boolean;
}

export interface DatasetArtifact {
  readonly name: string;
  readonly columns: readonly ManifestColumn[];
  readonly source: Readonly<Record<string, unknown>> | null;
  readonly policy: EffectivePolicy;
}

export interface ViewArtifact {
  readonly name: string;
  readonly materialize: "view" | "table" | "incremental";
  readonly ast_fingerprint: string;
  readonly policy_hash: string;
  /** The canonical query as DuckDB executes it. */
  readonly sql: string;
  readonly columns: readonly ManifestColumn[];
  readonly lineage: QueryLineage;
  /** Config variables the SQL used (their values are part of the rendered SQL, hence the fingerprint). */
  readonly variables: readonly string[];
  readonly policy: EffectivePolicy;
  /** Columns whose files get min/max/null-count statistics, and why (since format 1.1). */
  readonly stats: StatsColumnsResult;
}

export interface Manifest {
  readonly format_version: string;
  readonly project: string;
  readonly policy_hash: string;
  readonly function_catalog_hash: string;
  /** Datasets and views, dependencies first, ties by name. */
  readonly order: readonly string[];
  readonly datasets: readonly DatasetArtifact[];
  readonly views: readonly ViewArtifact[];
}
