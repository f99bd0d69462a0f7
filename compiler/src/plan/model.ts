/**
 * The plan's data model: what the specs want (DesiredState), what the lake holds (ObservedState),
 * and the Plan that turns one into the other. Plain data — msgpack-encodable, no classes, no
 * functions — so a plan file round-trips exactly and `cpgc show` needs nothing but this file.
 *
 * Who produces what:
 * - compiler/src/plan/desired.ts   Manifest → DesiredState                       (pure)
 * - runtime-native/ts/apply/observe.ts  lake + DesiredState → ObservedState       (reads the lake)
 * - compiler/src/plan/diff.ts      DesiredState × ObservedState × options → Plan  (pure)
 * - compiler/src/render/plan-*.ts  Plan → text / JSON / markdown                 (pure)
 * - runtime-native/ts/apply/execute.ts  Plan → commits + ApplyReport             (writes the lake)
 */

import type { ExpectationSpec } from "../spec/schema/index.js";
import type { DeltaDataType } from "../types/delta.js";

/** Plan file format (msgpack); a major bump breaks readers. */
export const PLAN_FILE_FORMAT = 2;
/** `--json` output version: a minor bump only adds keys, a major bump breaks (schemas/plan.schema.json). */
export const PLAN_JSON_VERSION = "1.1";
/** Version of the durable per-table state (the `cpgc` domain metadata). */
export const TABLE_STATE_FORMAT = 1;
/** The txn appId prefix of cpgc commits: `cpgc:<plan_id>` makes a resumed apply skip what committed. */
export const TXN_APP_PREFIX = "cpgc:";
/** Lake entries cpgc owns; spec names may not start with `_`, so none collide. */
export const RUNS_TABLE = "_cpgc_runs";
export const VIEWS_TABLE = "_cpgc_views";
export const LOCK_FILE = "_cpgc_lock";

// ─── Desired state ──────────────────────────────────────────────────────────────────────────────

/** A Delta schema field as in the log's schemaString (logical names; metadata as written). */
export interface DeltaFieldJson {
  readonly name: string;
  readonly type: DeltaDataType;
  readonly nullable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface DesiredColumn {
  readonly name: string;
  /** Arrow type string (canonical print). */
  readonly type: string;
  readonly nullable: boolean;
  /** The column's previous name: a rename, metadata-only under column mapping. */
  readonly renamed_from?: string;
}

/** How a table gets its rows. */
export type TableRole =
  /** Dataset loaded from files (ndjson, csv, parquet) or another Delta table. */
  | "source"
  /** Dataset filled by an extractor run over a source tree (issue 6). */
  | "extract"
  /** Dataset without a source: cpgc creates and evolves it; others write its rows. */
  | "managed"
  /** View written as a Delta table, recomputed in full. */
  | "table"
  /** View written as a Delta table, refreshed from its inputs' change data feed when possible. */
  | "incremental"
  /** View registered in the engine, never written (recorded in the lake's _cpgc_views table). */
  | "view";

export interface DesiredSource {
  readonly format: "ndjson" | "csv" | "parquet" | "delta" | "extractor";
  /** The pattern as written in the spec (relative to the config file). */
  readonly pattern: string;
  /** Absolute pattern/path resolved against the config file's directory. */
  readonly location: string;
  /** Format options (csv options; extractor name + options). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Parquet writer settings and layout, as the apply passes them to the runtime. */
export interface DesiredWriter {
  readonly zorder_by: readonly string[];
  readonly target_file_size_bytes: number;
  readonly compression: string;
  readonly compression_level: number | null;
  readonly row_group_size: number;
  /** Recorded and shown; the engine (DuckDB) decides per column itself (see `notes`). */
  readonly dictionary: readonly string[];
  readonly bloom_filter: readonly { readonly column: string; readonly fpp: number }[];
}

export interface DesiredTable {
  readonly name: string;
  readonly kind: "dataset" | "view";
  readonly role: TableRole;
  /** Spec file and line, for messages (`specs/views.yaml:12`). */
  readonly defined_at: string;
  readonly columns: readonly DesiredColumn[];
  /** The Delta schema the columns map to (logical names; no column-mapping metadata). */
  readonly delta_schema: readonly DeltaFieldJson[];
  readonly partition_by: readonly string[];
  /** The Delta table properties cpgc manages for this table (canonical spelling). */
  readonly properties: Readonly<Record<string, string>>;
  /** Table features the policy asks for (protocol names). */
  readonly features: readonly string[];
  readonly schema_mode: "strict" | "merge" | "overwrite";
  readonly column_mapping: "none" | "name";
  readonly writer: DesiredWriter;
  readonly maintenance: { readonly checkpoint_interval: number; readonly vacuum_retention_seconds: number };
  /** Hash of everything in the spec that the table's content or layout depends on. */
  readonly spec_hash: string;
  /** Hash of the writer settings (a change affects only files written later). */
  readonly writer_hash: string;
  /** Views only. */
  readonly ast_fingerprint: string | null;
  readonly policy_hash: string | null;
  /** Canonical DuckDB SQL (views only). */
  readonly sql: string | null;
  /** Tables this one reads (views: from lineage; datasets: none). */
  readonly inputs: readonly string[];
  /** Per input table, the columns read anywhere in the query (output lineage ∪ filters ∪ join keys). */
  readonly reads: Readonly<Record<string, readonly string[]>>;
  /** Per input table, columns that decide which rows exist (filters, join keys, grouping): a change there dirties every output column. */
  readonly row_deciding: Readonly<Record<string, readonly string[]>>;
  /** Per output column, the input `table.column`s it derives from. */
  readonly lineage: Readonly<Record<string, readonly string[]>>;
  readonly source: DesiredSource | null;
  /** Expectations checked before the commit (datasets: primary key → not_null + unique). */
  readonly expectations: readonly ExpectationSpec[];
  /** Columns every committed version is unique and not null on (empty: none); digests are keyed by it. */
  readonly unique_key: readonly string[];
  /** Things the engine cannot honour exactly (e.g. per-column dictionary encoding), shown in the plan. */
  readonly notes: readonly string[];
  /** Problems that make the table unplannable (a column type Delta cannot store); the plan reports them as errors. */
  readonly errors?: readonly PlanError[];
  /** Extract datasets (role `extract`): the extractor, its table and the source tree. */
  readonly extract?: DesiredExtract;
  /** Views: reuse within one apply when other tables of the apply read it (absent: none). */
  readonly cache?: "memory" | "delta_staging";
  /** Views with `materialize: incremental`: the output column the refresh is keyed by. */
  readonly incremental?: { readonly key: string };
}

/**
 * How an extract dataset gets its rows: one run of `extractor` over the source tree fills every
 * extract dataset of that extractor; this one holds the extractor's table `table`. The tree is
 * declared by one dataset of the extractor (`tree_from`) and copied to each of them.
 */
export interface DesiredExtract {
  readonly extractor: string;
  readonly table: string;
  /** The tree's root as the spec gives it after `{{ }}` templating (`stdlib:json`, a path relative to the config file). */
  readonly root: string;
  /** Globs of files (relative to the root) to extract, and those to leave out. */
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Files larger than this are reported in the extractor's errors instead of extracted (null: the extractor's default). */
  readonly max_file_bytes: number | null;
  readonly tree_from: string;
}

/** A plan error (also a desired table's problem): a CPG14xx code, a message and hints. */
export interface PlanError {
  readonly code: string;
  readonly message: string;
  readonly hints: readonly string[];
}

export interface DesiredState {
  readonly project: string;
  /** Hash of the manifest + variables: a saved plan is stale when it changes. */
  readonly config_hash: string;
  /** Absolute lake root. */
  readonly lake_root: string;
  /** Tables in dependency order (ties by name). */
  readonly tables: readonly DesiredTable[];
}

// ─── Durable per-table state (Delta domain metadata `cpgc`) ─────────────────────────────────────

/** A column's content digest: `<rows>:<order-independent hash sum>` computed by the engine. */
export type ColumnDigest = string;

export interface TableState {
  readonly format: typeof TABLE_STATE_FORMAT;
  readonly spec_hash: string;
  readonly writer_hash: string;
  readonly ast_fingerprint: string | null;
  readonly policy_hash: string | null;
  /** The canonical SQL applied (views), for the plan's SQL diff. */
  readonly sql: string | null;
  /** Output columns as applied (name, arrow type, nullable). */
  readonly columns: readonly { readonly name: string; readonly type: string; readonly nullable: boolean }[];
  /** Properties cpgc set (so a property removed from the spec is unset, and foreign ones are left alone). */
  readonly properties: Readonly<Record<string, string>>;
  /** Per input table: the version read and the digests of the columns read. */
  readonly inputs: Readonly<Record<string, { readonly version: number; readonly digests: Readonly<Record<string, ColumnDigest>> }>>;
  /** Source datasets: fingerprint of the source files loaded. */
  readonly source_fingerprint: string | null;
  /** Digests of this table's columns after the commit (null when not computed, e.g. managed tables). */
  readonly digests: Readonly<Record<string, ColumnDigest>> | null;
  /** Engine version that computed the digests (digests from another version are not compared). */
  readonly digest_engine: string | null;
  /** Source datasets: the files loaded (paths relative to the config directory), so the next plan names the ones that changed. */
  readonly source_files?: readonly { readonly path: string; readonly sha256: string }[];
  /** Views: output column → input `table.column`s, so the next plan can tell an additive query change from a breaking one. */
  readonly lineage?: Readonly<Record<string, readonly string[]>>;
  /** The writer settings applied, so a change shows old → new (writer_hash alone cannot). */
  readonly writer?: DesiredWriter;
  /**
   * The table version whose rows this state vouches for: the commit's own version when it wrote
   * rows, the earlier one when it only changed metadata. Readers compare it (not the version) with
   * the version they read when the table has no digests, so a metadata-only commit does not make
   * them rematerialize.
   */
  readonly rows_version?: number;
  /**
   * Extract datasets: the extractor version that produced the rows, the hash of what they depend
   * on besides the files (columns, extractor table, tree settings), and per file extracted (path
   * relative to the tree's root) the first 16 hex digits of its sha256 — compact, since it is
   * re-recorded with every commit; a changed file differs there with certainty for all practical purposes.
   */
  readonly extract?: { readonly version: string; readonly spec: string; readonly files: Readonly<Record<string, string>> };
  /**
   * Hash of the error-severity expectations the rows at rows_version passed when written, so a
   * replaceWhere need check only the rows it adds against them (runtime-native/ts/apply/expectations.ts).
   */
  readonly expectations_passed?: string;
}

// ─── Observed state ─────────────────────────────────────────────────────────────────────────────

/** A commit cpgc did not make since its own last commit. */
export interface DriftCommit {
  readonly version: number;
  readonly timestamp: number | null;
  readonly operation: string | null;
  readonly engine: string | null;
}

export type ObservedTable =
  | { readonly name: string; readonly status: "absent" }
  | {
      readonly name: string;
      readonly status: "present";
      readonly table_id: string;
      readonly version: number;
      /** Logical schema; field metadata kept (column mapping ids/physical names). */
      readonly schema: readonly DeltaFieldJson[];
      readonly partition_columns: readonly string[];
      readonly properties: Readonly<Record<string, string>>;
      /** Reader and writer features in effect (legacy protocol versions mapped to their features). */
      readonly features: readonly string[];
      readonly protocol: { readonly min_reader_version: number; readonly min_writer_version: number };
      readonly state: TableState | null;
      /** Commits after cpgc's last one; `null` when the log no longer reaches back that far. */
      readonly drift: readonly DriftCommit[] | null;
      readonly num_files: number;
      readonly num_records: number | null;
      /** The txn action of the latest commit (null when it has none): `cpgc:<plan_id>` makes a saved plan resumable rather than stale. */
      readonly latest_txn?: { readonly app_id: string; readonly version: number } | null;
    }
  | { readonly name: string; readonly status: "unreadable"; readonly error: { readonly code: string; readonly message: string } };

export interface ObservedSource {
  /** Files matched by the pattern, sorted (paths relative to the config directory). */
  readonly files: readonly { readonly path: string; readonly size: number; readonly sha256: string }[];
  readonly fingerprint: string;
  /** Digests of the source's columns, computed only when the fingerprint differs from the table's state. */
  readonly digests: Readonly<Record<string, ColumnDigest>> | null;
  readonly digest_engine: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Extract datasets: the extractor's version (`files` is then the tree, paths relative to its root). */
  readonly extractor_version?: string;
  /** Extract datasets: the tree's root resolved (absolute). */
  readonly root?: string;
}

/** A logical view recorded in `_cpgc_views`. */
export interface ObservedLogicalView {
  readonly name: string;
  readonly ast_fingerprint: string;
  readonly policy_hash: string;
  readonly sql: string;
}

export interface ObservedState {
  readonly lake_root: string;
  readonly observed_at: string;
  /** Every desired table that is a Delta table (roles other than `view`). */
  readonly tables: Readonly<Record<string, ObservedTable>>;
  readonly sources: Readonly<Record<string, ObservedSource>>;
  readonly logical_views: Readonly<Record<string, ObservedLogicalView>>;
  /** `_cpgc_views`' version (null when absent): pinned like a table. */
  readonly views_table_version: number | null;
  /** `_cpgc_views`' table id (null when absent), for its pin. */
  readonly views_table_id?: string | null;
  /** Delta tables under the lake root that no spec names (reserved `_cpgc_*` excluded). */
  readonly orphans: readonly { readonly name: string; readonly path: string; readonly version: number | null; readonly table_id: string | null }[];
  readonly engine_version: string;
}

// ─── Plan ───────────────────────────────────────────────────────────────────────────────────────

export type ChangeClass =
  | "cosmetic"
  | "metadata-only"
  | "new-files-only"
  | "non-breaking"
  | "breaking"
  | "destructive"
  | "rewrite-required"
  | "irreversible"
  | "forward-only";

/** One reason a table action exists, shown as a line of the plan. */
export interface Change {
  readonly kind:
    | "create"
    | "load"
    | "schema"
    | "properties"
    | "features"
    | "writer"
    | "materialize"
    | "refresh"
    | "register"
    | "maintenance"
    | "drift"
    | "destroy";
  readonly class: ChangeClass;
  /** Human sentence: why (e.g. "source file data/files.ndjson changed", "ast_fingerprint changed"). */
  readonly reason: string;
  /** Attribute diffs (`delta.checkpointInterval: "10" → "20"`). */
  readonly attributes?: readonly { readonly name: string; readonly before: string | null; readonly after: string | null }[];
}

export interface ColumnDiff {
  readonly column: string;
  readonly change: "added" | "removed" | "renamed" | "retyped" | "nullability";
  readonly before: string | null;
  readonly after: string | null;
}

/** The table's version the plan saw: apply refuses when it moved. */
export type Pin = { readonly status: "absent" } | { readonly status: "present"; readonly table_id: string; readonly version: number };

/** What apply executes for one table: one atomic Delta commit (or a directory removal / view registration). */
export interface TableStep {
  /** Creates the table (version 0), with data when `write` is set. */
  readonly create?: {
    readonly schema: readonly DeltaFieldJson[];
    readonly partition_columns: readonly string[];
    readonly properties: Readonly<Record<string, string>>;
    readonly features: readonly string[];
  };
  /** Changes metadata of an existing table in the same commit as `write`. */
  readonly alter?: {
    readonly schema?: { readonly fields: readonly DeltaFieldJson[]; readonly renames: Readonly<Record<string, string>> };
    readonly partition_columns?: readonly string[];
    readonly set_properties?: Readonly<Record<string, string>>;
    readonly unset_properties?: readonly string[];
    readonly features?: readonly string[];
  };
  /** Rows to write. */
  readonly write?: {
    readonly mode: "overwrite" | "append" | "replaceWhere";
    readonly from: { readonly kind: "source"; readonly source: DesiredSource; readonly files: readonly string[] } | { readonly kind: "sql"; readonly sql: string } | { readonly kind: "self" };
    readonly predicate?: string;
  };
  /** Maintenance after the commit. */
  readonly checkpoint?: boolean;
  readonly vacuum?: boolean;
  /** Removes the table directory (orphans with --prune). */
  readonly destroy?: boolean;
  /** Registers / records a logical view in _cpgc_views (no table commit). */
  readonly register?: { readonly sql: string };
  /**
   * Extract datasets (`write.from` is the extractor source): the files to extract (paths relative
   * to the tree's root) and, for `replaceWhere`, the files whose rows are only deleted. The write's
   * predicate is `path IN (extract ∪ remove)`.
   */
  readonly extract?: { readonly files: readonly string[]; readonly remove: readonly string[]; readonly full: boolean };
  /**
   * Incremental views (`write.mode: replaceWhere`): the key, and per input whose change data feed
   * names the changed keys, the input column the key comes from and the version after which to
   * read its feed (-1: the version this apply's write of that input starts from). `pushdown`:
   * the Delta tables the refresh may read filtered on the changed keys (`column IN (keys)`), as
   * proved from the query by key-pushdown.ts (absent: none). `difference` (a `materialize: table`
   * view with a key; `inputs` empty): the view is recomputed in full and the changed keys are those
   * whose rows differ from the table's — only their rows are replaced.
   */
  readonly incremental?: {
    readonly key: string;
    readonly inputs: readonly { readonly table: string; readonly column: string; readonly after_version: number }[];
    readonly pushdown?: readonly { readonly table: string; readonly column: string }[];
    readonly difference?: boolean;
  };
  /** Views read by other tables of this apply: computed once (memory: a temp table; delta_staging: a staging Delta table). */
  readonly cache?: { readonly mode: "memory" | "delta_staging"; readonly readers: readonly string[] };
}

export type TableOp = "create" | "update" | "replace" | "rematerialize" | "register" | "destroy" | "orphan" | "noop";

export interface TablePlan {
  readonly name: string;
  readonly kind: "dataset" | "view" | "orphan";
  readonly role: TableRole | "orphan";
  readonly op: TableOp;
  /** The strongest class among `changes` (order: irreversible > destructive > rewrite-required > breaking > forward-only > non-breaking > new-files-only > metadata-only > cosmetic). */
  readonly class: ChangeClass;
  readonly changes: readonly Change[];
  readonly schema_diff: readonly ColumnDiff[];
  /** Canonical SQL before / after (views whose query changed). */
  readonly sql_diff: { readonly before: string | null; readonly after: string } | null;
  /** Rematerialized only because inputs changed: which input columns made it dirty. */
  readonly indirect: readonly { readonly table: string; readonly columns: readonly string[] }[] | null;
  /** Output columns this action may change (propagated to descendants). */
  readonly dirty_columns: readonly string[];
  readonly pin: Pin;
  readonly depends_on: readonly string[];
  readonly step: TableStep;
  /** The durable state the commit records (inputs/digests are completed by apply). */
  readonly state: TableState | null;
  readonly drift: readonly DriftCommit[] | null;
  readonly notes: readonly string[];
  /** Number of unchanged attributes not shown. */
  readonly unchanged_attributes: number;
  /** The key values whose rows this action changes, when the plan knows them (extract datasets: the paths re-extracted or removed). */
  readonly changed_keys?: { readonly column: string; readonly values: readonly string[] };
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly rematerialize: number;
  readonly destroy: number;
  readonly unchanged: number;
}

/** A `-var` value, typed as YAML would type it. */
export type VariableValue = string | number | boolean;

export interface PlanOptions {
  readonly allow_destructive: boolean;
  readonly prune: boolean;
  readonly refresh_only: boolean;
  readonly targets: readonly string[];
  readonly excludes: readonly string[];
  /**
   * The `-var` values given to `plan` (the config's own variables are in config_hash): applying
   * the saved plan compiles the specs with them again, as terraform's saved plans do.
   */
  readonly variables: Readonly<Record<string, VariableValue>>;
}

export interface Plan {
  readonly format_version: typeof PLAN_FILE_FORMAT;
  readonly cpgc_version: string;
  /** Random id of this plan (uuid). */
  readonly plan_id: string;
  /** sha256 of the canonical encoding of every field except plan_id, plan_hash and created_at. */
  readonly plan_hash: string;
  readonly created_at: string;
  readonly project: string;
  readonly config_hash: string;
  readonly lake_root: string;
  readonly options: PlanOptions;
  /** Every desired table (noop included) then orphans, in dependency order. */
  readonly tables: readonly TablePlan[];
  /** `_cpgc_views`' version seen (apply refuses when logical views changed meanwhile). */
  readonly views_table_pin: Pin;
  readonly summary: PlanSummary;
  /** Errors that make the plan unappliable (e.g. a removed column without --allow-destructive). */
  readonly errors: readonly { readonly table: string; readonly code: string; readonly message: string; readonly hints: readonly string[] }[];
  readonly warnings: readonly string[];
}

// ─── Apply ──────────────────────────────────────────────────────────────────────────────────────

export type ActionOutcome =
  | "committed"
  /** The txn of this plan was already in the table: a resumed apply. */
  | "already-applied"
  | "registered"
  | "destroyed"
  /** Expectation or engine failure: the table stays at its previous version. */
  | "failed"
  /** An ancestor failed. */
  | "skipped"
  /** Rematerialization found after the fact that no column it reads changed. */
  | "unchanged";

export interface ExpectationResult {
  readonly expectation: string;
  readonly passed: boolean;
  readonly severity: "error" | "warn";
  /** Offending rows (or the row count for row_count). */
  readonly failing: number;
  /** Up to 5 offending rows, as JSON objects. */
  readonly sample: readonly Readonly<Record<string, unknown>>[];
  /** Answered from file statistics without scanning rows. */
  readonly from_stats: boolean;
}

export interface ActionResult {
  readonly table: string;
  readonly op: TableOp;
  readonly outcome: ActionOutcome;
  readonly version: number | null;
  readonly rows_written: number | null;
  readonly inputs: Readonly<Record<string, number>>;
  readonly expectations: readonly ExpectationResult[];
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly duration_ms: number;
  /** Extract datasets: the files whose rows this commit (re)wrote. */
  readonly files_extracted?: number;
  /** Incremental views: how the rows were refreshed (`incremental` with the number of keys, or `full` and why). */
  readonly refresh?: { readonly mode: "incremental"; readonly keys: number } | { readonly mode: "full"; readonly reason: string };
  /** Incremental refreshes: the inputs read filtered on the changed keys (key pushdown), when any. */
  readonly filtered_inputs?: readonly string[];
}

export interface ApplyReport {
  readonly run_id: string;
  readonly plan_id: string;
  readonly started_at: string;
  readonly ended_at: string;
  /** success: every action done; partial: some failed or were skipped; failed: nothing committed and an error stopped the run. */
  readonly status: "success" | "partial" | "failed";
  readonly actions: readonly ActionResult[];
  /** Files of interrupted runs removed by this one. */
  readonly cleaned_files: number;
}
