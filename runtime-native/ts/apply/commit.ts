/**
 * One table action as Delta commits: create (+ first rows), alter (schema, partitioning,
 * properties, features) and write, with cpgc's commit options (state domain, txn, provenance)
 * on the commit that completes the action.
 *
 * The commit that carries the txn and the state is always the last one, so a crash in between
 * leaves a table whose state still says what was applied before: a fresh plan redoes the rest.
 */

import type { DeltaFieldJson, DesiredWriter } from "../../../compiler/src/plan/model.js";
import {
  addDeltaTableColumns,
  appendToDeltaTable,
  createDeltaTable,
  enableDeltaTableFeatures,
  overwriteDeltaTable,
  replaceWhereDeltaTable,
  setDeltaDomainMetadata,
  setDeltaTableProperties,
  type CreateDeltaTableSpec,
  type DeltaCommitOptions,
  type DeltaFieldSpec,
  type DeltaWriteCallOptions,
  type DeltaWritePolicy,
  type DeltaWriteResult,
} from "../delta-write.js";
import { NativeError } from "../errors.js";

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
  /** Options of the commit that completes the action (txn, state, provenance). */
  readonly commit: DeltaCommitOptions;
  /** The table's current schema (for alter). */
  readonly currentSchema?: readonly { readonly name: string }[];
  readonly currentPartitionColumns?: readonly string[];
}

type Feature = NonNullable<CreateDeltaTableSpec["features"]>[number];

function asFields(fields: readonly DeltaFieldJson[]): DeltaFieldSpec[] {
  return fields as unknown as DeltaFieldSpec[];
}

/** The runtime's write policy from the desired writer settings (per-column dictionary / bloom choices are not passed). */
export function writePolicy(writer: DesiredWriter): DeltaWritePolicy {
  const policy: DeltaWritePolicy = {};
  if (writer.zorder_by.length > 0) policy.zorderBy = [...writer.zorder_by];
  if (writer.target_file_size_bytes > 0) policy.targetFileSize = writer.target_file_size_bytes;
  if (writer.compression !== "") policy.compression = writer.compression as NonNullable<DeltaWritePolicy["compression"]>;
  if (writer.compression === "zstd" && writer.compression_level !== null) policy.compressionLevel = writer.compression_level;
  if (writer.row_group_size > 0) policy.rowGroupSize = writer.row_group_size;
  return policy;
}

function write(tablePath: string, spec: WriteSpec, options: DeltaWriteCallOptions & { policy?: DeltaWritePolicy }): DeltaWriteResult {
  const source = { sql: spec.sql };
  switch (spec.mode) {
    case "overwrite":
      return overwriteDeltaTable(tablePath, source, options);
    case "append":
      return appendToDeltaTable(tablePath, source, options);
    case "replaceWhere":
      if (spec.predicate === undefined) throw new NativeError("INVALID_ARGUMENT", "a replaceWhere write needs a predicate", { option: "predicate" });
      return replaceWhereDeltaTable(tablePath, spec.predicate, source, options);
  }
}

/** Creates the table; with `data`, its first rows. The last commit carries `call.commit`. */
export function createTable(tablePath: string, spec: CreateSpec, data: WriteSpec | null, call: TableCommitCall): DeltaWriteResult {
  const create: CreateDeltaTableSpec = {
    schema: asFields(spec.schema),
    partitionColumns: [...spec.partitionColumns],
    configuration: { ...spec.properties },
    features: spec.features as Feature[],
  };
  const provenance = { metadata: call.commit.metadata ?? {} };
  if (data === null) return createDeltaTable(tablePath, create, { db: call.db, commit: call.commit });
  createDeltaTable(tablePath, create, { db: call.db, commit: provenance });
  return write(tablePath, data, { db: call.db, commit: call.commit, policy: data.policy });
}

/** Alters an existing table, then writes `data` (if any); the last commit carries `call.commit`. */
export function alterTable(tablePath: string, alter: AlterSpec | null, data: WriteSpec | null, call: TableCommitCall): DeltaWriteResult {
  const provenance: DeltaWriteCallOptions = { db: call.db, commit: { metadata: call.commit.metadata ?? {} } };
  if (alter !== null) {
    if (alter.partitionColumns !== undefined && call.currentPartitionColumns !== undefined && alter.partitionColumns.join("\u0000") !== call.currentPartitionColumns.join("\u0000")) {
      throw new NativeError("DELTA_OPERATION_NOT_ALLOWED", `changing the partition columns of ${tablePath} needs the runtime's updateDeltaTable`, { reason: "partitionColumns" });
    }
    if (alter.schema !== undefined) {
      if (Object.keys(alter.schema.renames).length > 0) {
        throw new NativeError("DELTA_OPERATION_NOT_ALLOWED", `renaming columns of ${tablePath} needs the runtime's updateDeltaTable`, { reason: "columnMapping" });
      }
      const current = new Set((call.currentSchema ?? []).map((f) => f.name));
      const added = alter.schema.fields.filter((f) => !current.has(f.name));
      if (added.length > 0) addDeltaTableColumns(tablePath, asFields(added), provenance);
    }
    if (alter.features !== undefined && alter.features.length > 0) enableDeltaTableFeatures(tablePath, alter.features as Feature[], provenance);
    if (Object.keys(alter.set ?? {}).length > 0 || (alter.unset ?? []).length > 0) {
      setDeltaTableProperties(tablePath, { set: { ...(alter.set ?? {}) }, unset: [...(alter.unset ?? [])] }, provenance);
    }
  }
  if (data !== null) return write(tablePath, data, { db: call.db, commit: call.commit, policy: data.policy });
  return setDeltaDomainMetadata(tablePath, [], { db: call.db, commit: call.commit });
}
