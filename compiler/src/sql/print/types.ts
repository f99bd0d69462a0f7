import { TYPE_SPELLINGS } from "../build/type-names.js";
import type { PrintTable } from "./printer.js";

type Kinds = "typeName" | "arrayType" | "mapType" | "structType" | "structTypeField";

/** Canonical type names that have no spelling in a dialect. */
const MISSING: Readonly<Record<string, ReadonlySet<string>>> = {
  spark: new Set(["HUGEINT", "UHUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT", "UUID", "TIMETZ", "JSON"]),
  ansi: new Set(["HUGEINT", "UHUGEINT"]),
};

export const TYPE_PRINTERS: Pick<PrintTable, Kinds> = {
  typeName: (n, p) => {
    if (MISSING[p.d.name]?.has(n.name)) p.unsupported(n, `the type ${n.name}`);
    // Spark's VARCHAR(n) has a length; STRING is its VARCHAR without one.
    const spelled = n.params.length > 0 && n.name === "VARCHAR" ? n.name : (TYPE_SPELLINGS[p.d.name][n.name] ?? n.name);
    return n.params.length > 0 ? `${spelled}(${n.params.join(", ")})` : spelled;
  },
  arrayType: (n, p) => {
    if (n.size !== null) p.need("fixedSizeArray", n, "a fixed-size ARRAY type");
    if (p.d.types === "duckdb") return `${p.print(n.element)}[${n.size ?? ""}]`;
    return `ARRAY<${p.print(n.element)}>`;
  },
  mapType: (n, p) => (p.d.types === "duckdb" ? `MAP(${p.print(n.key)}, ${p.print(n.value)})` : `MAP<${p.print(n.key)}, ${p.print(n.value)}>`),
  structType: (n, p) => (p.d.types === "duckdb" ? `STRUCT(${p.list(n.fields)})` : `STRUCT<${p.list(n.fields)}>`),
  structTypeField: (n, p) => `${p.ident(n.name, "label")}${p.d.name === "spark" ? ":" : ""} ${p.print(n.type)}`,
};
