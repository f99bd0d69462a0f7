/**
 * The shapes of Delta snapshots and histories as the addon returns them (msgpack, decoded with
 * the rules of ./wire.ts: integers are numbers up to 2^53, `null` where Rust has `None`).
 * The Rust side is runtime-native/src/delta/snapshot_wire.rs and delta/history.rs.
 *
 * `formatVersion` is 1; additions keep it, breaking changes bump it (the facade refuses
 * versions it does not know).
 */

/** A Delta type: a primitive name (`long`, `decimal(10,2)`, `timestamp_ntz`, ...) or a nested type. */
export type DeltaDataType = string | DeltaStructType | DeltaArrayType | DeltaMapType;

export interface DeltaStructType {
  readonly type: "struct";
  readonly fields: readonly DeltaField[];
}

export interface DeltaArrayType {
  readonly type: "array";
  readonly elementType: DeltaDataType;
  readonly containsNull: boolean;
}

export interface DeltaMapType {
  readonly type: "map";
  readonly keyType: DeltaDataType;
  readonly valueType: DeltaDataType;
  readonly valueContainsNull: boolean;
}

/** A (possibly nested) column, with its logical name. */
export interface DeltaField {
  readonly name: string;
  readonly type: DeltaDataType;
  readonly nullable: boolean;
  /** Column metadata as in the schema (column mapping, identity, type changes, ...). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Name in data files, stats and partition values; present when column mapping is active. */
  readonly physicalName?: string;
  /** Parquet field id (column mapping); present when column mapping is active and the id is set. */
  readonly fieldId?: number;
}

export interface DeltaProtocol {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[];
  readonly writerFeatures?: readonly string[];
}

export interface DeltaMetadata {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly format: { readonly provider: string; readonly options: Readonly<Record<string, string>> };
  readonly schemaString: string;
  /** Logical column names. */
  readonly partitionColumns: readonly string[];
  readonly createdTime?: number;
  readonly configuration: Readonly<Record<string, string>>;
}

/** Per-file statistics, re-keyed to logical column names. */
export interface DeltaFileStats {
  /** Physical rows in the data file (rows deleted by a deletion vector still count). */
  readonly numRecords?: number;
  readonly tightBounds?: boolean;
  readonly minValues?: Readonly<Record<string, unknown>>;
  readonly maxValues?: Readonly<Record<string, unknown>>;
  readonly nullCount?: Readonly<Record<string, unknown>>;
}

export interface DeltaDeletionVector {
  readonly storageType: "u" | "i" | "p";
  readonly pathOrInlineDv: string;
  readonly offset?: number;
  readonly sizeInBytes: number;
  /** Rows of the data file this DV deletes. */
  readonly cardinality: number;
  /** `<storageType><pathOrInlineDv>[@offset]`: with the path, the logical file's identity. */
  readonly uniqueId: string;
  /** The DV file (relative to the table root for `u`, absolute for `p`); absent when inline. */
  readonly path?: string;
}

/** An active logical file of the snapshot. */
export interface DeltaFile {
  /** The `add.path`, URI-decoded once: relative to the table root, or absolute. */
  readonly path: string;
  /** Where the file is on the local file system (null for remote URIs). */
  readonly absolutePath: string | null;
  /** Logical partition column → value as serialized in the log; `null` is a null partition. */
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size: number;
  readonly modificationTime: number | null;
  readonly dataChange: boolean;
  readonly stats: DeltaFileStats | null;
  readonly deletionVector: DeltaDeletionVector | null;
  readonly baseRowId?: number;
  readonly defaultRowCommitVersion?: number;
  readonly clusteringProvider?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Which active files `DeltaSnapshot.files` lists (see `DeltaSnapshotOptions.files`). */
export type DeltaFileSelection = "all" | "none" | "withoutNumRecords";

/** Totals over every active file, whatever the selection. */
export interface DeltaSnapshotSummary {
  readonly numFiles: number;
  readonly sizeBytes: number;
  /** Sum of `numRecords` over the files that have the statistic (physical rows). */
  readonly numRecords: number;
  /** Files whose row count is unknown without reading their Parquet footer. */
  readonly filesWithoutNumRecords: number;
  readonly deletedByDeletionVectors: number;
}

/** How the snapshot was rebuilt. */
export interface DeltaLogSegment {
  readonly checkpointVersion: number | null;
  readonly checkpointKind: "classic" | "multi-part" | "v2-json" | "v2-parquet" | null;
  readonly checkpointFiles: readonly string[];
  readonly firstCommit: number | null;
  readonly lastCommit: number | null;
}

export interface DeltaSnapshot {
  readonly formatVersion: 1;
  /** Absolute path of the table root. */
  readonly tableRoot: string;
  readonly version: number;
  /** Commit timestamp, ms since the epoch: the in-commit timestamp, else the commit file's mtime. */
  readonly timestamp: number | null;
  readonly protocol: DeltaProtocol;
  readonly metadata: DeltaMetadata;
  /** Top-level columns. */
  readonly schema: readonly DeltaField[];
  readonly columnMapping: "none" | "name" | "id";
  readonly fileSelection: DeltaFileSelection;
  /** Active files (those of `fileSelection`), sorted by path. */
  readonly files: readonly DeltaFile[];
  readonly summary: DeltaSnapshotSummary;
  readonly appTransactions: readonly DeltaAppTransaction[];
  readonly domainMetadata: readonly { readonly domain: string; readonly configuration: string }[];
  /** The commitInfo of the commit at this version (null when absent or only a checkpoint remains). */
  readonly commitInfo: Readonly<Record<string, unknown>> | null;
  readonly logSegment: DeltaLogSegment;
  /** Things the reader worked around (stale _last_checkpoint, incomplete checkpoints, bad stats, ...). */
  readonly warnings: readonly string[];
}

/** A `txn` action: the latest version an application recorded. */
export interface DeltaAppTransaction {
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number;
}

/**
 * A table's latest state for observing it (`observeDeltaTables`): a snapshot's metadata and
 * totals without the parsed schema and, of the app transactions, only those its newest commit
 * recorded (the checkpoint's `txn` rows are not read).
 */
export interface DeltaTableSummary {
  readonly formatVersion: 1;
  readonly tableRoot: string;
  readonly version: number;
  readonly timestamp: number | null;
  readonly protocol: DeltaProtocol;
  readonly metadata: DeltaMetadata;
  /** `none`, or `withoutNumRecords`: `files` lists the files without a numRecords statistic. */
  readonly fileSelection: Exclude<DeltaFileSelection, "all">;
  readonly files: readonly DeltaFile[];
  readonly summary: DeltaSnapshotSummary;
  readonly domainMetadata: readonly { readonly domain: string; readonly configuration: string }[];
  /** The commitInfo of the commit at this version (null when absent or only a checkpoint remains). */
  readonly commitInfo: Readonly<Record<string, unknown>> | null;
  /** The `txn` actions of the commit at this version; null when its commit file is gone. */
  readonly commitTxns: readonly DeltaAppTransaction[] | null;
  readonly logSegment: DeltaLogSegment;
  readonly warnings: readonly string[];
}

export interface DeltaHistoryEntry {
  readonly version: number;
  /** Commit timestamp, ms since the epoch (in-commit timestamp, or file time made monotonic). */
  readonly timestamp: number;
  readonly inCommitTimestamp: boolean;
  readonly commitInfo: Readonly<Record<string, unknown>> | null;
}

export interface DeltaHistory {
  readonly formatVersion: 1;
  readonly tableRoot: string;
  /** Newest first. */
  readonly entries: readonly DeltaHistoryEntry[];
}
