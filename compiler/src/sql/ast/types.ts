import type { Identifier } from "./identifiers.js";
import { freeze, list, NO_RANGE, type Range } from "./node.js";

/**
 * A SQL type by meaning. Names are canonical upper-case (INT and INT4 are INTEGER, STRING and
 * TEXT are VARCHAR, DATETIME is TIMESTAMP, …; Spark's TIMESTAMP is TIMESTAMPTZ): see
 * build/type-names.ts. Printers spell them per dialect. Names cpgc does not know are kept
 * upper-cased as written.
 */
export interface TypeName {
  readonly kind: "typeName";
  readonly name: string;
  /** `DECIMAL(18, 4)`, `VARCHAR(10)`. */
  readonly params: readonly number[];
  readonly range: Range;
}

/** DuckDB `T[]` / `T[3]`, Spark `ARRAY<T>`. */
export interface ArrayType {
  readonly kind: "arrayType";
  readonly element: TypeNode;
  /** Fixed size of DuckDB's ARRAY type `T[3]`; null for a list. */
  readonly size: number | null;
  readonly range: Range;
}

export interface MapType {
  readonly kind: "mapType";
  readonly key: TypeNode;
  readonly value: TypeNode;
  readonly range: Range;
}

export interface StructType {
  readonly kind: "structType";
  readonly fields: readonly StructTypeField[];
  readonly range: Range;
}

export interface StructTypeField {
  readonly kind: "structTypeField";
  readonly name: Identifier;
  readonly type: TypeNode;
  readonly range: Range;
}

export type TypeNode = TypeName | ArrayType | MapType | StructType;

export function typeName(name: string, params: readonly number[] = [], r: Range = NO_RANGE): TypeName {
  return freeze({ kind: "typeName", name, params: list(params), range: r });
}

export function arrayType(element: TypeNode, size: number | null = null, r: Range = NO_RANGE): ArrayType {
  return freeze({ kind: "arrayType", element, size, range: r });
}

export function mapType(key: TypeNode, value: TypeNode, r: Range = NO_RANGE): MapType {
  return freeze({ kind: "mapType", key, value, range: r });
}

export function structType(fields: readonly StructTypeField[], r: Range = NO_RANGE): StructType {
  return freeze({ kind: "structType", fields: list(fields), range: r });
}

export function structTypeField(name: Identifier, type: TypeNode, r: Range = NO_RANGE): StructTypeField {
  return freeze({ kind: "structTypeField", name, type, range: r });
}
