import { createHash } from "node:crypto";
import { CPGC_UDFS, cpgcUdfDoc } from "./cpgc-udfs.js";

/**
 * The function catalog: every function view SQL may call — the engine's built-ins and cpgc's own
 * UDFs — with signatures, return types and docs. The compiler reads only the snapshot in
 * schemas/functions.json (so compiling never needs the engine); `cpgc catalog snapshot --check`
 * and a test keep the snapshot equal to what the engine really provides.
 */
export const FUNCTION_CATALOG_FORMAT = "1.1";

/** Who provides a function: the engine itself, or cpgc (a UDF registered by runtime-native). */
export type FunctionOrigin = "duckdb" | "cpgc";

export type FunctionKind = "scalar" | "aggregate" | "window" | "macro" | "table" | "table_macro";

export interface FunctionOverload {
  readonly parameters: readonly { readonly name: string; readonly type: string }[];
  /** Type of extra arguments when the function takes any number of them. */
  readonly varargs: string | null;
  /** Engine type string (DuckDB spelling), e.g. `VARCHAR`, `BIGINT`, `ANY[]`. */
  readonly return_type: string | null;
}

export interface FunctionEntry {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly description: string | null;
  /** Another name for the same function, when this entry is an alias. */
  readonly alias_of: string | null;
  /** `cpgc` for cpgc's own UDFs (documented in cpgc-udfs.ts); `duckdb` for the engine's built-ins. Since format 1.1. */
  readonly origin: FunctionOrigin;
  readonly overloads: readonly FunctionOverload[];
}

export interface FunctionCatalog {
  readonly format_version: string;
  readonly engine: { readonly name: "duckdb"; readonly version: string };
  readonly functions: readonly FunctionEntry[];
}

/** One row of the engine's function listing (DuckDB's duckdb_functions()). */
export interface EngineFunctionRow {
  readonly function_name: string;
  readonly function_type: string;
  readonly description: string | null;
  readonly alias_of: string | null;
  readonly return_type: string | null;
  readonly parameters: readonly string[] | null;
  readonly parameter_types: readonly string[] | null;
  readonly varargs: string | null;
}

/**
 * Functions that exist only as window functions (they need OVER). DuckDB lists them among the
 * aggregates without docs; the catalog marks them `window` and documents them.
 */
const WINDOW_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ["row_number", "Number of the current row within its partition, from 1."],
  ["rank", "Rank of the current row with gaps (rows that tie share a rank)."],
  ["dense_rank", "Rank of the current row without gaps."],
  ["percent_rank", "Relative rank: (rank - 1) / (rows in partition - 1)."],
  ["cume_dist", "Cumulative distribution: rows up to and tied with this one / rows in partition."],
  ["ntile", "Bucket number from 1 to num_buckets, dividing the partition as evenly as possible."],
  ["lag", "Value of expr at the row offset rows before the current one (default when there is none)."],
  ["lead", "Value of expr at the row offset rows after the current one (default when there is none)."],
  ["first_value", "Value of expr at the first row of the window frame."],
  ["last_value", "Value of expr at the last row of the window frame."],
  ["nth_value", "Value of expr at the nth row of the window frame."],
]);

const KINDS: Record<string, FunctionKind> = { scalar: "scalar", aggregate: "aggregate", macro: "macro", table: "table", table_macro: "table_macro" };

/**
 * Builds the catalog from the engine's listing: grouped by name and kind, overloads deduplicated, all sorted.
 * cpgc's UDFs (a scalar function named in cpgc-udfs.ts) get `origin: "cpgc"` and their docs and parameter
 * names from there; a UDF whose engine signature has another arity than its docs is an error (a bug).
 */
export function buildFunctionCatalog(engineVersion: string, rows: readonly EngineFunctionRow[]): FunctionCatalog {
  const byKey = new Map<string, { entry: Omit<FunctionEntry, "overloads">; overloads: Map<string, FunctionOverload> }>();
  for (const r of rows) {
    const listed = KINDS[r.function_type];
    if (!listed) continue; // pragmas are not callable from a query
    const windowDoc = listed === "aggregate" ? WINDOW_FUNCTIONS.get(r.function_name) : undefined;
    const kind: FunctionKind = windowDoc !== undefined ? "window" : listed;
    const udf = kind === "scalar" ? cpgcUdfDoc(r.function_name) : undefined;
    const key = `${r.function_name}\u0000${kind}`;
    let slot = byKey.get(key);
    if (!slot) {
      const description = udf?.description ?? r.description ?? windowDoc ?? null;
      slot = { entry: { name: r.function_name, kind, description, alias_of: r.alias_of ?? null, origin: udf ? "cpgc" : "duckdb" }, overloads: new Map() };
      byKey.set(key, slot);
    }
    if (udf && (r.parameters ?? []).length !== udf.parameters.length) {
      throw new Error(`the engine's ${r.function_name} takes ${(r.parameters ?? []).length} arguments; compiler/src/catalog/cpgc-udfs.ts documents ${udf.parameters.length}`);
    }
    const names = udf?.parameters ?? r.parameters ?? [];
    const params = names.map((name, i) => ({ name, type: r.parameter_types?.[i] ?? "ANY" }));
    const overload: FunctionOverload = { parameters: params, varargs: r.varargs ?? null, return_type: r.return_type ?? null };
    slot.overloads.set(JSON.stringify(overload), overload);
  }
  const functions: FunctionEntry[] = [...byKey.values()].map(({ entry, overloads }) => ({
    ...entry,
    overloads: [...overloads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o),
  }));
  functions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { format_version: FUNCTION_CATALOG_FORMAT, engine: { name: "duckdb", version: engineVersion }, functions };
}

/** The documented cpgc UDFs the catalog lacks (the engine did not register them): empty when all are there. */
export function missingCpgcUdfs(c: FunctionCatalog): string[] {
  return CPGC_UDFS.filter((u) => !c.functions.some((f) => f.name === u.name && f.origin === "cpgc")).map((u) => u.name);
}

/** The snapshot file's text: stable JSON, one function per line, so diffs show what changed. */
export function formatFunctionCatalog(c: FunctionCatalog): string {
  const head = JSON.stringify({ format_version: c.format_version, engine: c.engine });
  const lines = c.functions.map((f) => `    ${JSON.stringify(f)}`);
  return `${head.slice(0, -1)},\n  "functions": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/** Hash of the catalog, part of every view's policy_hash: a new engine function set changes it. */
export function functionCatalogHash(c: FunctionCatalog): string {
  return createHash("sha256").update(formatFunctionCatalog(c)).digest("hex");
}

/** Looks functions up by name, case-insensitively, as the engine does. */
export class FunctionIndex {
  private readonly byName = new Map<string, FunctionEntry[]>();

  constructor(readonly catalog: FunctionCatalog) {
    for (const f of catalog.functions) {
      const k = f.name.toLowerCase();
      this.byName.set(k, [...(this.byName.get(k) ?? []), f]);
    }
  }

  lookup(name: string): readonly FunctionEntry[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }
}
