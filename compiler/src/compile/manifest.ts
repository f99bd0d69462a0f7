import type { StatsColumnsResult } from "../artifacts/stats-columns.js";
import type { QueryLineage } from "../policy/bind/index.js";
import type { EffectivePolicy } from "../spec/effective-policy.js";
import type { ExpectationSpec } from "../spec/schema/index.js";

/**
 * The compiled project: what `cpgc compile` writes and what the planner diffs against the lake.
 * Plain data, sorted everywhere, so its canonical encoding (and hash) is stable.
 * Format version: a minor bump only adds keys; a major bump breaks readers.
 */
export const MANIFEST_FORMAT_VERSION = "1.3";

export interface ManifestColumn {
  readonly name: string;
  /** Arrow type string, or the binder's text (`INTERVAL`, `unknown`) when Arrow has none. */
  readonly type: string;
  readonly nullable: boolean;
  /** Datasets: the column's previous name, when the spec renames it (since format 1.2). */
  readonly renamed_from?: string;
}

/** A dataset's row-level check (since format 1.2). */
export interface ManifestCheck {
  readonly name: string;
  /** SQL boolean expression every row must satisfy. */
  readonly expr: string;
}

export interface DatasetArtifact {
  readonly name: string;
  readonly columns: readonly ManifestColumn[];
  readonly source: Readonly<Record<string, unknown>> | null;
  readonly policy: EffectivePolicy;
  /** Columns that identify a row (since format 1.2; empty when none). */
  readonly primary_key: readonly string[];
  /** Row-level checks (since format 1.2). */
  readonly checks: readonly ManifestCheck[];
  /** Spec file (relative to the config's directory) and line of the name, e.g. `specs/files.yaml:2` (since format 1.2). */
  readonly defined_at: string;
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
  /** Data expectations checked before each commit (since format 1.2). */
  readonly expectations: readonly ExpectationSpec[];
  /**
   * Base `table.column`s that decide which rows the view holds: join keys, filters, grouping,
   * DISTINCT, ordering under LIMIT. null when the query shapes rows in ways not attributable to
   * columns (windows, nested grouping, recursion, UNNEST…): every input column may (since 1.2).
   */
  readonly row_deciding: readonly string[] | null;
  /** Spec file (relative to the config's directory) and line of the name (since format 1.2). */
  readonly defined_at: string;
  /** Reuse within one apply (the view's `cache`, else `defaults.cache`); absent for none (since format 1.3). */
  readonly cache?: "memory" | "delta_staging";
  /** How `materialize: incremental` refreshes the view: the output column it is keyed by (since format 1.3). */
  readonly incremental?: { readonly key: string };
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
