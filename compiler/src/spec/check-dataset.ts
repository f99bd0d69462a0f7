import { diagnostic, didYouMean, type Diagnostic } from "../diagnostics/index.js";
import { parseArrowType, type ArrowType, type Column } from "../types/index.js";
import type { RawDocument, SpecPath } from "./raw-document.js";
import { datasetSchema, type DatasetSpec } from "./schema/index.js";
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
      diagnostics.push(
        diagnostic("CPG0200", `invalid type for column '${c.name}': ${parsed.error.message}`, {
          location: ds.doc.locator.inString(["schema", "columns", i, "type"], parsed.error.offset, parsed.error.length),
          hints: [parsed.error.hint],
        }),
      );
      return;
    }
    columns.push({ name: c.name, type: parsed.type, nullable: c.nullable ?? true });
  });
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

/** Every addressable path of a table: top-level columns and nested struct fields (`span.bstart`). */
export function columnPaths(columns: readonly Column[]): Map<string, ArrowType> {
  const out = new Map<string, ArrowType>();
  const visit = (prefix: string, t: ArrowType) => {
    out.set(prefix, t);
    if (t.kind === "struct") for (const f of t.fields) visit(`${prefix}.${f.name}`, f.type);
  };
  for (const c of columns) visit(c.name, c.type);
  return out;
}

export function checkColumnRef(
  columns: readonly Column[],
  ref: string,
  locate: () => import("../diagnostics/index.js").Location,
  owner: string,
): Diagnostic | undefined {
  const paths = columnPaths(columns);
  const exact = [...paths.keys()].find((p) => p.toLowerCase() === ref.toLowerCase());
  if (exact !== undefined) return undefined;
  return diagnostic("CPG0300", `unknown column '${ref}' in ${owner}`, {
    location: locate(),
    hints: [didYouMean(ref, paths.keys()), `columns: ${columns.map((c) => c.name).join(", ")}`],
  });
}

export function typeAtPath(columns: readonly Column[], ref: string): ArrowType | undefined {
  for (const [p, t] of columnPaths(columns)) if (p.toLowerCase() === ref.toLowerCase()) return t;
  return undefined;
}

/** Column-type diagnostics for a dataset document that failed shape validation elsewhere. */
export function checkColumnsOfBrokenDataset(doc: RawDocument): Diagnostic[] {
  const value = doc.value as { name?: unknown; schema?: unknown };
  const schema = datasetSchema.safeParse(value.schema);
  if (!schema.success) return [];
  const name = typeof value.name === "string" ? value.name : "?";
  const spec = { kind: "Dataset", name, schema: schema.data } as DatasetSpec;
  return checkDatasetColumns({ spec, doc }).diagnostics;
}
