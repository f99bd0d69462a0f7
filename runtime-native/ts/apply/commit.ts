/**
 * One table action as ONE Delta commit: create (+ first rows), or update (schema, partitioning,
 * properties, features and a write against the result), carrying cpgc's commit options (state
 * domain, txn, provenance). A crash leaves the table at its old version or at the new one.
 */

import type { DeltaFieldJson, DesiredWriter } from "../../../compiler/src/plan/model.js";
import {
  createDeltaTable,
  deltaSchemaString,
  updateDeltaTable,
  type DeltaCommitOptions,
  type DeltaFieldSpec,
  type DeltaTableChange,
  type DeltaTableFeature,
  type DeltaWriteCallOptions,
  type DeltaWritePolicy,
  type DeltaWriteResult,
} from "../delta-write.js";

export interface CreateSpec {
  readonly schema: readonly DeltaFieldJson[];
  readonly partitionColumns: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly features: readonly string[];
}

export interface AlterSpec {
  /** The full new schema; `renames` maps new name → old name. */
  readonly schema?: { readonly fields: readonly DeltaFieldJson[]; readonly renames: Readonly<Record<string, string>> };
  readonly partitionColumns?: readonly string[];
  readonly set?: Readonly<Record<string, string>>;
  readonly unset?: readonly string[];
  readonly features?: readonly string[];
}

export interface WriteSpec {
  readonly mode: "overwrite" | "append" | "replaceWhere";
  /** DuckDB query (runs in the session of `db`). */
  readonly sql: string;
  readonly predicate?: string;
  readonly policy: DeltaWritePolicy;
}

export interface TableCommitCall {
  readonly db: NonNullable<DeltaWriteCallOptions["db"]>;
  /** txn, state domain, provenance. */
  readonly commit: DeltaCommitOptions;
}

function asFields(fields: readonly DeltaFieldJson[]): DeltaFieldSpec[] {
  return fields as unknown as DeltaFieldSpec[];
}

/**
 * The runtime's write policy from the desired writer settings. Per-column dictionary and bloom
 * filter choices are not passed (DuckDB decides per column); the bloom filters' false-positive
 * rate is the smallest one asked for.
 */
export function writePolicy(writer: DesiredWriter): DeltaWritePolicy {
  const policy: DeltaWritePolicy = {};
  if (writer.zorder_by.length > 0) policy.zorderBy = [...writer.zorder_by];
  if (writer.target_file_size_bytes > 0) policy.targetFileSize = writer.target_file_size_bytes;
  if (writer.compression !== "") policy.compression = writer.compression as NonNullable<DeltaWritePolicy["compression"]>;
  if (writer.compression === "zstd" && writer.compression_level !== null) policy.compressionLevel = writer.compression_level;
  if (writer.row_group_size > 0) policy.rowGroupSize = writer.row_group_size;
  const fpps = writer.bloom_filter.map((b) => b.fpp).filter((f) => f > 0 && f < 1);
  if (fpps.length > 0) policy.bloomFilterFpp = Math.min(...fpps);
  return policy;
}

/** Creates the table (version 0), with `data` as its first rows, in one commit. */
export function createTable(tablePath: string, spec: CreateSpec, data: WriteSpec | null, call: TableCommitCall): DeltaWriteResult {
  return createDeltaTable(
    tablePath,
    {
      schema: asFields(spec.schema),
      partitionColumns: [...spec.partitionColumns],
      configuration: { ...spec.properties },
      features: spec.features as DeltaTableFeature[],
      ...(data !== null ? { data: { source: { sql: data.sql }, policy: data.policy } } : {}),
    },
    { db: call.db, commit: call.commit },
  );
}

/** Alters an existing table and writes `data` (if any) in one commit — a commit even when both are empty (it records the state). */
export function alterTable(tablePath: string, alter: AlterSpec | null, data: WriteSpec | null, call: TableCommitCall): DeltaWriteResult {
  const change: DeltaTableChange = {};
  if (alter?.schema !== undefined) change.schema = { schemaString: deltaSchemaString(asFields(alter.schema.fields)), renames: { ...alter.schema.renames } };
  if (alter?.partitionColumns !== undefined) change.partitionColumns = [...alter.partitionColumns];
  if (alter?.set !== undefined && Object.keys(alter.set).length > 0) change.set = { ...alter.set };
  if (alter?.unset !== undefined && alter.unset.length > 0) change.unset = [...alter.unset];
  if (alter?.features !== undefined && alter.features.length > 0) change.features = alter.features as DeltaTableFeature[];
  if (data !== null) {
    change.write = { mode: data.mode, source: { sql: data.sql }, policy: data.policy, ...(data.predicate !== undefined ? { predicate: data.predicate } : {}) };
  }
  return updateDeltaTable(tablePath, change, { db: call.db, commit: call.commit });
}
