/**
 * The schema part of a table's diff: the lake's logical columns against the spec's, matched by
 * name (then by `renamed_from`), column order ignored (a reorder alone is not a change).
 *
 * | change                              | class                                   | needs                       |
 * |-------------------------------------|-----------------------------------------|-----------------------------|
 * | column added                        | non-breaking                            | a managed table with rows: nullable |
 * | renamed (renamed_from)              | metadata-only                           | column mapping name (spec or table) |
 * | widened (int8→…→int64, f32→f64)     | non-breaking with typeWidening, else rewrite-required | —               |
 * | nested struct field added / NOT NULL relaxed | non-breaking                   | —                           |
 * | removed, narrowed, retyped, NOT NULL added | destructive (dataset) / breaking (view) | mode overwrite + --allow-destructive |
 * | partitioning changed                | rewrite-required                        | —                           |
 * Schema mode strict refuses every change. Errors carry both fixes in their hints.
 */
import { comparableDesired, comparableObserved, type ComparableColumn } from "./columns.js";
import type { Change, ChangeClass, ColumnDiff, DesiredTable, ObservedTable, PlanError, PlanOptions } from "./model.js";
import { P } from "./properties.js";
import { typeChange } from "./type-change.js";

type Present = Extract<ObservedTable, { status: "present" }>;

export interface SchemaOutcome {
  readonly diffs: readonly ColumnDiff[];
  readonly changes: readonly Change[];
  readonly errors: readonly PlanError[];
  /** new name → old name */
  readonly renames: Readonly<Record<string, string>>;
  /** The table's files must be rewritten for the new schema / layout to hold. */
  readonly rewrite: boolean;
  /** Columns dropped, narrowed or tightened (the op becomes a replace). */
  readonly destructive: boolean;
  readonly partitionChanged: boolean;
  /** Columns whose values change (added, retyped). */
  readonly dirty: readonly string[];
  readonly unchanged: number;
}

const fmt = (c: ComparableColumn) => `${c.type}${c.nullable ? "" : " not null"}`;

export function schemaDiff(t: DesiredTable, obs: Present, options: PlanOptions): SchemaOutcome {
  const observed = comparableObserved(obs.schema);
  if (observed === null) {
    const error = { code: "CPG1400", message: `the table's schema cannot be read as Arrow types`, hints: ["inspect it with `cpgc table show`"] };
    return { diffs: [], changes: [], errors: [error], renames: {}, rewrite: false, destructive: false, partitionChanged: false, dirty: [], unchanged: 0 };
  }
  const byName = new Map(observed.map((c) => [c.name, c]));
  const desiredNames = new Set(t.columns.map((c) => c.name));
  const matched = new Set<string>();
  const diffs: ColumnDiff[] = [];
  const changes: Change[] = [];
  const errors: PlanError[] = [];
  const renames: Record<string, string> = {};
  const dirty: string[] = [];
  let unchanged = 0;
  let rewrite = false;
  let destructive = false;
  const isView = t.kind === "view";
  const mapping = t.column_mapping === "name" || obs.properties[P.columnMapping]?.trim().toLowerCase() === "name";
  const widening = t.features.includes("typeWidening") || obs.features.includes("typeWidening");
  const breaking: { diff: ColumnDiff; reason: string }[] = [];

  for (const col of t.columns) {
    const d = comparableDesired(col);
    if (d === null) continue; // reported by desiredState (CPG1406)
    let o = byName.get(col.name);
    if (!o && col.renamed_from !== undefined && !desiredNames.has(col.renamed_from)) {
      const old = byName.get(col.renamed_from);
      if (old) {
        o = old;
        renames[col.name] = col.renamed_from;
        diffs.push({ column: col.name, change: "renamed", before: col.renamed_from, after: col.name });
        if (mapping) changes.push({ kind: "schema", class: "metadata-only", reason: `column ${col.renamed_from} renamed to ${col.name} (column mapping: name; no data rewritten)` });
        else {
          changes.push({ kind: "schema", class: "metadata-only", reason: `column ${col.renamed_from} renamed to ${col.name} (needs column mapping: name)` });
          errors.push({
            code: "CPG1403",
            message: `renaming column ${col.renamed_from} to ${col.name} needs Delta column mapping`,
            hints: [`set delta.schema.column_mapping: name (with features: [columnMapping]) in ${t.defined_at}`, "or drop renamed_from: the old column is then removed and a new one added (destructive)"],
          });
        }
      }
    }
    if (!o) {
      diffs.push({ column: col.name, change: "added", before: null, after: fmt(d) });
      changes.push({ kind: "schema", class: "non-breaking", reason: `column ${col.name} added (${fmt(d)})` });
      dirty.push(col.name);
      if (t.role === "managed" && !d.nullable && obs.num_records !== 0) {
        errors.push({
          code: "CPG1409",
          message: `column ${col.name} is added NOT NULL, but the table holds ${obs.num_records === null ? "rows" : `${obs.num_records} rows`} without a value for it`,
          hints: ["add it nullable first, fill it, then declare it nullable: false"],
        });
      }
      continue;
    }
    matched.add(o.name);
    let same = true;
    const kind = typeChange(o.type, d.type);
    if (kind !== "equal") {
      same = false;
      dirty.push(col.name);
      const diff: ColumnDiff = { column: col.name, change: "retyped", before: o.type, after: d.type };
      diffs.push(diff);
      if (kind === "widen") {
        if (widening) changes.push({ kind: "schema", class: "non-breaking", reason: `column ${col.name} widened ${o.type} → ${d.type} (type widening: no rewrite)` });
        else {
          rewrite = true;
          changes.push({ kind: "schema", class: "rewrite-required", reason: `column ${col.name} widened ${o.type} → ${d.type}: files are rewritten (enable typeWidening to avoid it)` });
        }
      } else if (kind === "additive") changes.push({ kind: "schema", class: "non-breaking", reason: `column ${col.name}: ${o.type} → ${d.type} (nested fields added)` });
      else breaking.push({ diff, reason: `column ${col.name} retyped ${o.type} → ${d.type}` });
    }
    if (o.nullable !== d.nullable) {
      same = false;
      const diff: ColumnDiff = { column: col.name, change: "nullability", before: o.nullable ? "nullable" : "not null", after: d.nullable ? "nullable" : "not null" };
      diffs.push(diff);
      if (d.nullable) changes.push({ kind: "schema", class: "non-breaking", reason: `column ${col.name} may now hold nulls` });
      else breaking.push({ diff, reason: `column ${col.name} becomes NOT NULL` });
    }
    if (same) unchanged++;
  }
  for (const o of observed) {
    if (matched.has(o.name)) continue;
    const diff: ColumnDiff = { column: o.name, change: "removed", before: fmt(o), after: null };
    diffs.push(diff);
    breaking.push({ diff, reason: `column ${o.name} removed` });
  }

  if (breaking.length > 0) {
    destructive = true;
    const cls: ChangeClass = isView ? "breaking" : "destructive";
    const loss = isView ? "readers of the view lose or see changed columns" : "existing data is lost or must fit the new type";
    for (const b of breaking) changes.push({ kind: "schema", class: cls, reason: `${b.reason} (${loss})` });
    // Without column mapping a drop rewrites the files; narrowing and NOT NULL always do (the rows are checked on the way).
    if (breaking.some((b) => b.diff.change !== "removed") || !mapping) rewrite = true;
    const allowed = t.schema_mode === "overwrite" && options.allow_destructive;
    if (!allowed && t.schema_mode !== "strict") {
      errors.push({
        code: "CPG1401",
        message: `${breaking.map((b) => b.reason).join("; ")}: a destructive schema change`,
        hints: [
          ...(t.schema_mode === "overwrite" ? [] : [`set delta.schema.mode: overwrite for ${t.name} (${t.defined_at})`]),
          ...(options.allow_destructive ? [] : ["and run with --allow-destructive"]),
        ],
      });
    }
  }

  const partitionChanged = t.partition_by.join("\u0000") !== obs.partition_columns.join("\u0000");
  if (partitionChanged) {
    rewrite = true;
    changes.push({
      kind: "schema",
      class: "rewrite-required",
      reason: `partitioning changes: every file is rewritten`,
      attributes: [{ name: "partition_by", before: `[${obs.partition_columns.join(", ")}]`, after: `[${t.partition_by.join(", ")}]` }],
    });
  }

  if (t.schema_mode === "strict" && (diffs.length > 0 || partitionChanged)) {
    errors.push({
      code: "CPG1402",
      message: `schema mode strict: the table's schema must equal the spec, but ${diffs.map((d) => `${d.column} is ${d.change}`).join(", ") || "its partitioning changes"}`,
      hints: [`set delta.schema.mode: merge (additive changes) or overwrite (destructive ones) for ${t.name} (${t.defined_at})`],
    });
  }
  return { diffs, changes, errors, renames, rewrite, destructive, partitionChanged, dirty, unchanged };
}
