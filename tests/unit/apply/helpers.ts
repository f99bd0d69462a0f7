// Builders for hand-made desired states and plans, and temporary lakes, for the apply tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";

import { PLAN_FILE_FORMAT, type DeltaFieldJson, type DesiredSource, type DesiredState, type DesiredTable, type DesiredWriter, type Plan, type TablePlan, type TableState } from "../../../compiler/src/plan/model.js";
import { NativeError, type NativeErrorCode } from "../../../runtime-native/index.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary project directory (removed after the test file): `{ dir, lake }`. */
export function tempProject(): { dir: string; lake: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "cpgc-apply-"));
  dirs.push(dir);
  const lake = path.join(dir, ".cpg", "lake");
  return { dir, lake };
}

export function writeFile(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export function ndjson(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join("");
}

export const WRITER: DesiredWriter = {
  zorder_by: [],
  target_file_size_bytes: 0,
  compression: "zstd",
  compression_level: 3,
  row_group_size: 0,
  dictionary: [],
  bloom_filter: [],
};

const DELTA_TYPES: Record<string, string> = { utf8: "string", int64: "long", int32: "integer", bool: "boolean", float64: "double" };

export interface Col {
  name: string;
  type: string;
  nullable?: boolean;
  renamed_from?: string;
}

function deltaSchema(columns: readonly Col[]): DeltaFieldJson[] {
  return columns.map((c) => ({ name: c.name, type: DELTA_TYPES[c.type] ?? c.type, nullable: c.nullable !== false, metadata: {} }));
}

export function table(over: Partial<DesiredTable> & { name: string; cols: readonly Col[] }): DesiredTable {
  const { cols, ...rest } = over;
  const columns = cols.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable !== false, ...(c.renamed_from ? { renamed_from: c.renamed_from } : {}) }));
  return {
    kind: "dataset",
    role: "managed",
    defined_at: "specs/test.yaml:1",
    columns,
    delta_schema: deltaSchema(cols),
    partition_by: [],
    properties: {},
    features: [],
    schema_mode: "merge",
    column_mapping: "none",
    writer: WRITER,
    maintenance: { checkpoint_interval: 10, vacuum_retention_seconds: 604800 },
    spec_hash: `spec-${over.name}`,
    writer_hash: "writer",
    ast_fingerprint: null,
    policy_hash: null,
    sql: null,
    inputs: [],
    reads: {},
    row_deciding: {},
    lineage: {},
    source: null,
    expectations: [],
    unique_key: [],
    notes: [],
    ...rest,
  };
}

/** A source dataset read from `pattern` (relative to `dir`). */
export function sourceTable(
  dir: string,
  name: string,
  cols: readonly Col[],
  pattern: string,
  opts: { format?: DesiredSource["format"]; options?: Record<string, unknown> } & Partial<DesiredTable> = {},
): DesiredTable {
  const { format, options, ...over } = opts;
  const fmt = format ?? (pattern.endsWith(".csv") ? "csv" : pattern.endsWith(".parquet") ? "parquet" : "ndjson");
  return table({ name, cols, role: "source", source: { format: fmt, pattern, location: path.join(dir, pattern), options: options ?? {} }, ...over });
}

/** A view (materialized unless role says "view"). */
export function viewTable(name: string, cols: readonly Col[], sql: string, inputs: readonly string[], over: Partial<DesiredTable> = {}): DesiredTable {
  return table({
    name,
    cols,
    kind: "view",
    role: "table",
    sql,
    ast_fingerprint: `ast-${name}-${sql.length}`,
    policy_hash: "policy",
    inputs,
    reads: Object.fromEntries(inputs.map((i) => [i, []])),
    ...over,
  });
}

export function desiredState(lake: string, tables: readonly DesiredTable[], configHash = "config"): DesiredState {
  return { project: "test", config_hash: configHash, lake_root: lake, tables };
}

export function stateOf(t: DesiredTable): TableState {
  return {
    format: 1,
    spec_hash: t.spec_hash,
    writer_hash: t.writer_hash,
    ast_fingerprint: t.ast_fingerprint,
    policy_hash: t.policy_hash,
    sql: t.sql,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
    properties: { ...t.properties },
    inputs: {},
    source_fingerprint: null,
    digests: null,
    digest_engine: null,
  };
}

/** The TablePlan that creates (or with `pin`, rewrites) `t` from its source / SQL. */
export function writePlan(t: DesiredTable, over: Partial<TablePlan> = {}): TablePlan {
  const pin = over.pin ?? { status: "absent" as const };
  const from =
    t.role === "source" && t.source !== null
      ? ({ kind: "source", source: t.source, files: [] } as const)
      : t.sql !== null
        ? ({ kind: "sql", sql: t.sql } as const)
        : null;
  return {
    name: t.name,
    kind: t.kind,
    role: t.role,
    op: pin.status === "absent" ? "create" : "update",
    class: "non-breaking",
    changes: [],
    schema_diff: [],
    sql_diff: null,
    indirect: null,
    dirty_columns: [],
    pin,
    depends_on: [...t.inputs],
    step: {
      ...(pin.status === "absent" ? { create: { schema: t.delta_schema, partition_columns: t.partition_by, properties: t.properties, features: t.features } } : {}),
      ...(from !== null ? { write: { mode: "overwrite", from } } : {}),
    },
    state: stateOf(t),
    drift: null,
    notes: [],
    unchanged_attributes: 0,
    ...over,
  };
}

export function registerPlan(t: DesiredTable, over: Partial<TablePlan> = {}): TablePlan {
  return { ...writePlan(t), op: "register", step: { register: { sql: t.sql ?? "" } }, state: null, ...over };
}

export function plan(desired: DesiredState, tables: readonly TablePlan[], over: Partial<Plan> = {}): Plan {
  return {
    format_version: PLAN_FILE_FORMAT,
    cpgc_version: "0.0.0-test",
    plan_id: `plan-${Math.random().toString(16).slice(2)}`,
    plan_hash: "hash",
    created_at: new Date().toISOString(),
    project: desired.project,
    config_hash: desired.config_hash,
    lake_root: desired.lake_root,
    options: { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [], variables: {} },
    tables,
    views_table_pin: { status: "absent" },
    summary: { create: 0, update: 0, rematerialize: 0, destroy: 0, unchanged: 0 },
    errors: [],
    warnings: [],
    ...over,
  };
}

/** Runs `fn`, expecting a NativeError with `code`; returns it. */
export function expectCode(fn: () => unknown, code: NativeErrorCode): NativeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NativeError);
    expect((error as NativeError).code, (error as NativeError).message).toBe(code);
    return error as NativeError;
  }
  throw new Error(`expected a NativeError ${code}, nothing was thrown`);
}
