/**
 * The table catalog: what a query's FROM items may name — datasets, views (with schemas derived
 * in graph order) and, for bare queries, the tables of a schema file — each with its columns'
 * Arrow types and nullability. Lookups are case-insensitive (unquoted SQL names fold), exact
 * spelling first.
 *
 * Column types of a schema file are Arrow type strings (`int64`, `struct<a: int32>`) or the SQL
 * type names corpus files use (`bigint`, `int`, `string`, `varchar`, `double`, `decimal(15, 2)`,
 * `date`, `timestamp`, `STRUCT<a INT, b VARCHAR>`, `INT[]`, `MAP<STRING, INT>`, …). SQL names
 * are read with the SQL frontend's type grammar and mapped by {@link typeNodeToArrow}.
 */
import { parseExpression } from "../sql/index.js";
import type { TypeNode } from "../sql/index.js";
import type { SpecModel } from "../spec/model.js";
import { type ArrowType, type ScalarType, decimal, field, isScalar, list, map, parseArrowType, primitive, struct, time64, timestamp } from "../types/index.js";

export type TableKind = "dataset" | "view" | "table";

export interface CatalogColumn {
  readonly name: string;
  readonly type: ArrowType;
  readonly nullable: boolean;
}

export interface CatalogTable {
  readonly name: string;
  readonly kind: TableKind;
  readonly columns: readonly CatalogColumn[];
}

/**
 * An immutable name → table map. `with` returns an extended flat copy; `layer` returns a cheap
 * view over this catalog plus a few tables (what one view needs: the datasets and the views it
 * reads), so compiling N views does not copy the catalog N times.
 */
export class TableCatalog {
  private readonly exact: ReadonlyMap<string, CatalogTable>;
  private readonly folded: ReadonlyMap<string, CatalogTable | null>;

  constructor(
    tables: Iterable<CatalogTable>,
    private readonly parent?: TableCatalog,
  ) {
    const exact = new Map<string, CatalogTable>();
    const folded = new Map<string, CatalogTable | null>();
    for (const t of tables) {
      exact.set(t.name, t);
      const k = t.name.toLowerCase();
      folded.set(k, folded.has(k) && folded.get(k)?.name !== t.name ? null : t);
    }
    this.exact = exact;
    this.folded = folded;
  }

  /** The table named `name`: exact spelling, else the only one equal case-insensitively. */
  lookup(name: string): CatalogTable | undefined {
    return this.exact.get(name) ?? this.folded.get(name.toLowerCase()) ?? this.parent?.lookup(name);
  }

  names(): string[] {
    return [...new Set([...(this.parent?.names() ?? []), ...this.exact.keys()])].sort();
  }

  tables(): CatalogTable[] {
    return this.names().map((n) => this.lookup(n)!);
  }

  with(...tables: readonly CatalogTable[]): TableCatalog {
    return new TableCatalog([...this.tables(), ...tables]);
  }

  /** This catalog plus `tables` (which win on a name clash), without copying this one. */
  layer(tables: readonly CatalogTable[]): TableCatalog {
    return new TableCatalog(tables, this);
  }

  get size(): number {
    return this.names().length;
  }
}

export const EMPTY_TABLE_CATALOG = new TableCatalog([]);

/** The datasets of a validated project (views are added as their schemas are derived). */
export function tableCatalogFromModel(model: SpecModel): TableCatalog {
  const tables: CatalogTable[] = [];
  for (const [name, columns] of model.columns) {
    tables.push({ name, kind: "dataset", columns: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })) });
  }
  return new TableCatalog(tables);
}

export interface SchemaJsonIssue {
  readonly table: string;
  readonly column: string | null;
  readonly message: string;
}

/** `{table: {column: type}}` → catalog; a column whose type cannot be read is reported and skipped. */
export function tableCatalogFromSchemaJson(json: unknown): { readonly catalog: TableCatalog; readonly issues: readonly SchemaJsonIssue[] } {
  const issues: SchemaJsonIssue[] = [];
  const tables: CatalogTable[] = [];
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { catalog: EMPTY_TABLE_CATALOG, issues: [{ table: "", column: null, message: "a schema is an object {table: {column: type}}" }] };
  }
  for (const [table, cols] of Object.entries(json as Record<string, unknown>)) {
    if (cols === null || typeof cols !== "object" || Array.isArray(cols)) {
      issues.push({ table, column: null, message: `table '${table}': expected an object {column: type}` });
      continue;
    }
    const columns: CatalogColumn[] = [];
    for (const [column, type] of Object.entries(cols as Record<string, unknown>)) {
      const parsed = typeof type === "string" ? parseColumnType(type) : { ok: false as const, message: "a column type is a string" };
      if (!parsed.ok) issues.push({ table, column, message: `${table}.${column}: ${parsed.message}` });
      else columns.push({ name: column, type: parsed.type, nullable: true });
    }
    tables.push({ name: table, kind: "table", columns });
  }
  return { catalog: new TableCatalog(tables), issues };
}

export type ColumnTypeResult = { readonly ok: true; readonly type: ArrowType } | { readonly ok: false; readonly message: string };

/** An Arrow type string, else a SQL type name. */
export function parseColumnType(text: string): ColumnTypeResult {
  const arrow = parseArrowType(text);
  if (arrow.ok) return { ok: true, type: arrow.type };
  const sql = parseExpression(`CAST(NULL AS ${text})`);
  if (!sql.ok || sql.ast.kind !== "cast") return { ok: false, message: `unknown type '${text}' (neither an Arrow type string nor a SQL type name)` };
  const t = typeNodeToArrow(sql.ast.type);
  return t ? { ok: true, type: t } : { ok: false, message: `type '${text}' has no Arrow counterpart` };
}

const SQL_NAMES: ReadonlyMap<string, ArrowType> = new Map<string, ArrowType>([
  ["BOOLEAN", primitive("bool")],
  ["BOOL", primitive("bool")],
  ["TINYINT", primitive("int8")],
  ["BYTE", primitive("int8")],
  ["SMALLINT", primitive("int16")],
  ["SHORT", primitive("int16")],
  ["INTEGER", primitive("int32")],
  ["INT", primitive("int32")],
  ["BIGINT", primitive("int64")],
  ["LONG", primitive("int64")],
  ["HUGEINT", decimal(38, 0)],
  ["UTINYINT", primitive("uint8")],
  ["USMALLINT", primitive("uint16")],
  ["UINTEGER", primitive("uint32")],
  ["UBIGINT", primitive("uint64")],
  ["FLOAT", primitive("float32")],
  ["REAL", primitive("float32")],
  ["DOUBLE", primitive("float64")],
  ["DOUBLE PRECISION", primitive("float64")],
  ["VARCHAR", primitive("utf8")],
  ["STRING", primitive("utf8")],
  ["TEXT", primitive("utf8")],
  ["CHAR", primitive("utf8")],
  ["CHARACTER VARYING", primitive("utf8")],
  ["CHAR VARYING", primitive("utf8")],
  ["UUID", primitive("utf8")],
  ["JSON", primitive("utf8")],
  ["BLOB", primitive("binary")],
  ["BINARY", primitive("binary")],
  ["BYTEA", primitive("binary")],
  ["VARBINARY", primitive("binary")],
  ["DATE", primitive("date32")],
  ["TIME", time64("us")],
  ["TIME WITHOUT TIME ZONE", time64("us")],
  ["TIME_NS", time64("ns")],
  ["TIMESTAMP", timestamp("us")],
  ["DATETIME", timestamp("us")],
  ["TIMESTAMP WITHOUT TIME ZONE", timestamp("us")],
  ["TIMESTAMP_NTZ", timestamp("us")],
  ["TIMESTAMP_S", timestamp("s")],
  ["TIMESTAMP_MS", timestamp("ms")],
  ["TIMESTAMP_NS", timestamp("ns")],
  ["TIMESTAMPTZ", timestamp("us", "UTC")],
  ["TIMESTAMP WITH TIME ZONE", timestamp("us", "UTC")],
]);

/** A SQL type (as the SQL frontend reads it) → Arrow; null when Arrow has no counterpart (INTERVAL, …). */
export function typeNodeToArrow(t: TypeNode): ArrowType | null {
  switch (t.kind) {
    case "typeName": {
      if (t.name === "DECIMAL" || t.name === "NUMERIC") {
        const p = Math.min(38, Math.max(1, t.params[0] ?? 18));
        const s = Math.min(p, Math.max(0, t.params[1] ?? (t.params.length === 0 ? 3 : 0)));
        return decimal(p, s);
      }
      return SQL_NAMES.get(t.name) ?? null;
    }
    case "arrayType": {
      const e = typeNodeToArrow(t.element);
      return e ? list(e) : null;
    }
    case "mapType": {
      const k = typeNodeToArrow(t.key);
      const v = typeNodeToArrow(t.value);
      return k && v && isScalar(k) ? map(k as ScalarType, v) : null;
    }
    case "structType": {
      const fields = [];
      for (const f of t.fields) {
        const ft = typeNodeToArrow(f.type);
        if (!ft) return null;
        fields.push(field(f.name.name, ft));
      }
      return fields.length > 0 ? struct(fields) : null;
    }
  }
}
