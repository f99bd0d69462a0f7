/**
 * Columns on both sides of the diff, in one comparable form: name, the Arrow type string a Delta
 * table can actually hold (the spec's type taken through Delta and back: large_utf8 → utf8,
 * timestamp[ns, UTC] → timestamp[us, UTC], …) and nullability. The spec side and the lake side
 * go through the same mapping (types/delta), so equal meaning prints equal text.
 */
import { fromDeltaSchema, fromDeltaType } from "../types/delta-parse.js";
import { toDeltaSchema, toDeltaType } from "../types/delta.js";
import { parseArrowType } from "../types/parse.js";
import { formatArrowType } from "../types/print.js";
import type { DeltaFieldJson, DesiredColumn, PlanError } from "./model.js";

export interface ComparableColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** The Delta schema of spec columns, the conversion notes, and errors for types Delta cannot store. */
export function deltaSchemaOf(table: string, columns: readonly DesiredColumn[]): { fields: DeltaFieldJson[]; notes: string[]; errors: PlanError[] } {
  const errors: PlanError[] = [];
  const parsed = columns.flatMap((c) => {
    const t = parseArrowType(c.type);
    if (t.ok) return [{ name: c.name, type: t.type, nullable: c.nullable }];
    errors.push({
      code: "CPG1406",
      message: `column ${table}.${c.name} has type ${c.type}, which a Delta table cannot store`,
      hints: ["cast the column in the view's SQL to a type with an Arrow counterpart (e.g. an INTERVAL to a number of seconds)"],
    });
    return [];
  });
  if (errors.length > 0) return { fields: [], notes: [], errors };
  const schema = toDeltaSchema(parsed);
  if (!schema.ok) {
    const column = schema.path.split(/[.[{]/)[0] ?? schema.path;
    return {
      fields: [],
      notes: [],
      errors: [{ code: "CPG1406", message: `column ${table}.${column}: ${schema.message}`, hints: schema.hint !== undefined ? [schema.hint] : [] }],
    };
  }
  return {
    fields: schema.schema.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable, metadata: {} })),
    notes: schema.notes.map((n) => `column ${n.path}: ${n.message}`),
    errors: [],
  };
}

/** A spec column as the lake will hold it (null when Delta cannot store the type). */
export function comparableDesired(c: DesiredColumn): ComparableColumn | null {
  const t = parseArrowType(c.type);
  if (!t.ok) return null;
  const d = toDeltaType(t.type);
  if (!d.ok) return null;
  const back = fromDeltaType(d.type);
  return back.ok ? { name: c.name, type: formatArrowType(back.type), nullable: c.nullable } : null;
}

/** The lake's logical columns (null when the schema is not one this version can read). */
export function comparableObserved(schema: readonly DeltaFieldJson[]): ComparableColumn[] | null {
  const r = fromDeltaSchema({ type: "struct", fields: schema });
  if (!r.ok) return null;
  return r.columns.map((c) => ({ name: c.name, type: formatArrowType(c.type), nullable: c.nullable }));
}
