import { diagnostic, type Diagnostic, type Location } from "../diagnostics/index.js";
import type { Column } from "../types/model.js";
import { resolvePath } from "../types/paths.js";
import { parseArrowType, type TypeStringError } from "../types/parse.js";
import type { RawDocument, SpecPath } from "./raw-document.js";
import { columnSpec, type DatasetSpec } from "./schema/index.js";
import type { LocatedSpec } from "./validate-shape.js";

/** Parses a dataset's column types and checks its own column references (keys, ordering). */
export function checkDatasetColumns(ds: LocatedSpec<DatasetSpec>): { columns: Column[] | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const columns: Column[] = [];
  const seen = new Map<string, number>();
  let typesOk = true;
  ds.spec.schema.columns.forEach((c, i) => {
    const prev = seen.get(c.name.toLowerCase());
    if (prev !== undefined) {
      diagnostics.push(
        diagnostic("CPG0301", `duplicate column '${c.name}' in dataset '${ds.spec.name}'`, {
          location: ds.doc.locator.value(["schema", "columns", i, "name"]),
          related: [{ ...ds.doc.locator.value(["schema", "columns", prev, "name"]), message: "first defined here" }],
          hints: ["column names are compared case-insensitively, as the engine does"],
        }),
      );
    } else seen.set(c.name.toLowerCase(), i);
    const parsed = parseArrowType(c.type);
    if (!parsed.ok) {
      typesOk = false;
      diagnostics.push(typeDiagnostic(ds.doc, i, c.name, parsed.error));
      return;
    }
    columns.push({ name: c.name, type: parsed.type, nullable: c.nullable ?? true });
  });
  diagnostics.push(...checkRenames(ds));
  if (!typesOk) return { columns: undefined, diagnostics };
  const schema = ds.spec.schema;
  const refs: [SpecPath, readonly string[] | undefined][] = [
    [["schema", "primary_key"], schema.primary_key],
    [["schema", "ordering"], schema.ordering],
  ];
  for (const [path, list] of refs) {
    (list ?? []).forEach((ref, i) => {
      const d = checkColumnRef(columns, ref, () => ds.doc.locator.value([...path, i]), `dataset '${ds.spec.name}'`);
      if (d) diagnostics.push(d);
    });
  }
  return { columns, diagnostics };
}

/**
 * `renamed_from` must name a column that is gone from the spec: the plan matches it against the
 * table's existing columns, so a name still in use, or claimed by two columns, would be ambiguous.
 */
function checkRenames(ds: LocatedSpec<DatasetSpec>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const cols = ds.spec.schema.columns;
  const current = new Set(cols.map((c) => c.name.toLowerCase()));
  const claimed = new Map<string, number>();
  cols.forEach((c, i) => {
    const from = c.renamed_from;
    if (from === undefined) return;
    const location = ds.doc.locator.value(["schema", "columns", i, "renamed_from"]);
    const prev = claimed.get(from.toLowerCase());
    if (from.toLowerCase() === c.name.toLowerCase()) {
      out.push(diagnostic("CPG0303", `column '${c.name}' of dataset '${ds.spec.name}' is renamed from itself`, { location, hints: ["remove renamed_from"] }));
    } else if (current.has(from.toLowerCase())) {
      out.push(
        diagnostic("CPG0303", `column '${c.name}' of dataset '${ds.spec.name}' is renamed from '${from}', which is still a column of the dataset`, {
          location,
          hints: ["renamed_from names the column's previous name, which the spec no longer declares"],
        }),
      );
    } else if (prev !== undefined) {
      out.push(
        diagnostic("CPG0303", `columns '${cols[prev]!.name}' and '${c.name}' of dataset '${ds.spec.name}' are both renamed from '${from}'`, {
          location,
          related: [{ ...ds.doc.locator.value(["schema", "columns", prev, "renamed_from"]), message: "also renamed from it here" }],
        }),
      );
    } else claimed.set(from.toLowerCase(), i);
  });
  return out;
}

/** Checks a column reference (a column or a nested field path like `span.bstart`) against a schema. */
export function checkColumnRef(columns: readonly Column[], ref: string, locate: () => Location, owner: string): Diagnostic | undefined {
  const r = resolvePath(columns, ref);
  if (r.ok) return undefined;
  const detail = r.reason === "not-found" && r.segmentIndex === 0 ? "" : `: ${r.message}`;
  return diagnostic("CPG0300", `unknown column '${ref}' in ${owner}${detail}`, {
    location: locate(),
    hints: [r.candidate !== undefined ? `did you mean '${r.candidate}'?` : undefined, `columns: ${columns.map((c) => c.name).join(", ")}`],
  });
}

/**
 * Column-type diagnostics for a dataset document that failed shape validation: every column that
 * is itself well-formed still gets its type checked, so one run reports all of a file's mistakes.
 */
export function checkColumnsOfBrokenDataset(doc: RawDocument): Diagnostic[] {
  const columns = ((doc.value as { schema?: { columns?: unknown } }).schema ?? {}).columns;
  if (!Array.isArray(columns)) return [];
  const out: Diagnostic[] = [];
  columns.forEach((raw, i) => {
    const c = columnSpec.safeParse(raw);
    if (!c.success) return;
    const parsed = parseArrowType(c.data.type);
    if (!parsed.ok) out.push(typeDiagnostic(doc, i, c.data.name, parsed.error));
  });
  return out;
}

function typeDiagnostic(doc: RawDocument, index: number, column: string, error: TypeStringError): Diagnostic {
  return diagnostic("CPG0200", `invalid type for column '${column}': ${error.message}`, {
    location: doc.locator.inString(["schema", "columns", index, "type"], error.offset, error.length),
    hints: [error.hint],
  });
}
