import type { Query } from "../sql/ast/index.js";
import type { Column } from "../types/index.js";
import type { ResolvedPolicy } from "./resolve-policy.js";
import type { DatasetSpec, DeltaPolicySpec, ProjectConfig, ViewSpec } from "./schema/index.js";
import type { LocatedSpec } from "./validate-shape.js";

/** A view's query text and where it is written (the spec file for `sql`, the .sql file for `sql_file`). */
export interface ViewSql {
  readonly text: string;
  readonly file: string;
  /** True for `sql:` in the spec, false for a `sql_file`. */
  readonly inline: boolean;
}

/** A view's query after template rendering, parsed (on first use when a cache vouched for it). */
export interface ViewQuery {
  readonly rendered: string;
  /** The parsed query; parsed lazily when the loader skipped parsing text known to parse cleanly. */
  readonly ast: Query;
  /** Maps an offset of `rendered` back to the SQL as written (for diagnostics). */
  readonly toOriginal: (offset: number) => number;
}

/**
 * A validated project. Specs stay as written; what resolution derived lives in side tables
 * (columns, effective policies, view SQL), so later stages never mutate the parsed specs.
 */
export interface SpecModel {
  readonly configFile: string;
  /** Directory of the config file; relative paths in specs are resolved against it. */
  readonly rootDir: string;
  readonly config: ProjectConfig;
  readonly specFiles: readonly string[];
  readonly datasets: ReadonlyMap<string, LocatedSpec<DatasetSpec>>;
  readonly views: ReadonlyMap<string, LocatedSpec<ViewSpec>>;
  readonly policies: ReadonlyMap<string, LocatedSpec<DeltaPolicySpec>>;
  /** Parsed schema of each dataset. */
  readonly columns: ReadonlyMap<string, readonly Column[]>;
  /** Effective Delta policy of each dataset and view. */
  readonly effectivePolicies: ReadonlyMap<string, ResolvedPolicy>;
  readonly viewSql: ReadonlyMap<string, ViewSql>;
  /** Each view's rendered and parsed query. */
  readonly viewQueries: ReadonlyMap<string, ViewQuery>;
  /** Config variables with -var overrides applied: what view SQL was rendered with. */
  readonly variables: Readonly<Record<string, string | number | boolean>>;
}
