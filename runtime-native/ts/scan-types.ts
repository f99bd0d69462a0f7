/**
 * Shapes of scan and change-feed plans as the addon returns them (msgpack; Rust side:
 * runtime-native/src/scan/plan.rs and scan/changes.rs). `formatVersion` is 1; additions keep it.
 */

/** A column of a scan's relation. */
export interface DeltaScanColumn {
  readonly name: string;
  /** Delta type: `long`, `decimal(10,2)`, `struct<a:string>`, ... */
  readonly type: string;
  /** DuckDB type of the column in the relation. */
  readonly duckdbType: string;
  readonly partition: boolean;
}

export interface DeltaScanStats {
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly filesPruned: number;
  readonly filesWithDeletionVectors: number;
  readonly rowsDeletedByDeletionVectors: number;
  readonly bytesScanned: number;
  /** Conjuncts of the predicate used by pruning / not understood by it (still applied by DuckDB). */
  readonly conjunctsUsed: number;
  readonly conjunctsIgnored: number;
}

export interface DeltaScanPlan {
  readonly formatVersion: 1;
  readonly tableRoot: string;
  readonly version: number;
  readonly columns: readonly DeltaScanColumn[];
  /** A DuckDB query returning exactly the table's rows (filtered by the predicate, if any). */
  readonly sql: string;
  readonly stats: DeltaScanStats;
}

export interface DeltaChangesPlan {
  readonly formatVersion: 1;
  readonly tableRoot: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  /** The table's columns, then `_change_type`, `_commit_version`, `_commit_timestamp`. */
  readonly columns: readonly DeltaScanColumn[];
  readonly sql: string;
  readonly commitsFromCdcFiles: number;
  readonly commitsFromFileActions: number;
  readonly filesRead: number;
}
