/**
 * Name resolution data: a Relation is one FROM item as the query sees it (its alias, its columns
 * with types, nullability and lineage); a Scope is one SELECT's FROM (relations by alias, USING
 * merges, lambda parameters) chained to the enclosing scope for correlated references. Lookups
 * are hash maps per relation (no scan over every column of every scope).
 */
import { identifier, type Identifier } from "../../sql/index.js";
import type { ValueType } from "./value-type.js";

/** A column a relation exposes. `lineage`: the base `table.column`s its values derive from (sorted). */
export interface SourceColumn {
  readonly name: string;
  readonly type: ValueType;
  readonly nullable: boolean;
  readonly lineage: readonly string[];
}

export const fold = (s: string): string => s.toLowerCase();

const PLAIN = /^[a-z_][a-z0-9_]*$/;

/** An identifier for a name the binder writes: quoted when the name needs it or was quoted. */
export function nameIdent(name: string, quoted = false): Identifier {
  return identifier(name, quoted || !PLAIN.test(name));
}

/** Column name (folded) → positions, per columns list (lists of catalog tables are shared). */
const INDEXES = new WeakMap<readonly SourceColumn[], ReadonlyMap<string, readonly number[]>>();

const NO_INDEX: ReadonlyMap<string, readonly number[]> = new Map();

function indexOf(columns: readonly SourceColumn[]): ReadonlyMap<string, readonly number[]> {
  if (columns.length === 0) return NO_INDEX;
  let index = INDEXES.get(columns);
  if (!index) {
    const m = new Map<string, number[]>();
    columns.forEach((c, i) => {
      const k = fold(c.name);
      const slot = m.get(k);
      if (slot) slot.push(i);
      else m.set(k, [i]);
    });
    index = m;
    INDEXES.set(columns, index);
  }
  return index;
}

export class Relation {
  private readonly index: ReadonlyMap<string, readonly number[]>;
  /** Set when an outer join makes this side's columns nullable. */
  outerNullable = false;
  /** The right side of a SEMI / ANTI join: filters rows, selects no column, frees its alias. */
  hidden = false;

  constructor(
    readonly alias: Identifier,
    readonly columns: readonly SourceColumn[],
    /** Unknown schema (a table inferred, read_parquet(…)): any column name resolves. */
    readonly open: boolean,
    /** The catalog table behind it, for lineage of open columns. */
    readonly table: string | null,
  ) {
    this.index = indexOf(columns);
  }

  find(name: string): readonly number[] {
    return this.index.get(fold(name)) ?? [];
  }

  column(i: number): SourceColumn {
    const c = this.columns[i]!;
    return this.outerNullable && !c.nullable ? { ...c, nullable: true } : c;
  }

  /** A column of an open relation, made up on first reference. */
  openColumn(name: string): SourceColumn {
    return { name, type: { kind: "unknown" }, nullable: true, lineage: [`${this.table ?? this.alias.name}.${name}`] };
  }
}

export class Scope {
  readonly relations: Relation[] = [];
  private readonly byAlias = new Map<string, Relation>();
  /** USING / NATURAL merged columns: name → the relations whose columns merged, in join order. */
  readonly using = new Map<string, Relation[]>();

  constructor(
    readonly parent: Scope | null,
    /** Lambda parameters (a lambda body's scope has no relations). */
    readonly lambda: ReadonlyMap<string, ValueType> | null = null,
  ) {}

  /** Adds a relation; false when its alias is taken in this scope. */
  add(rel: Relation): boolean {
    const k = fold(rel.alias.name);
    const taken = this.byAlias.get(k);
    if (taken && !taken.hidden) return false;
    this.byAlias.set(k, rel);
    this.relations.push(rel);
    return true;
  }

  relation(alias: string): Relation | undefined {
    return this.byAlias.get(fold(alias));
  }

  /** Every visible column name (for did-you-mean), nearest scope first. */
  visibleNames(): string[] {
    const out: string[] = [];
    for (let s: Scope | null = this; s; s = s.parent) {
      for (const r of s.relations) for (const c of r.columns) out.push(c.name);
      if (s.lambda) out.push(...s.lambda.keys());
    }
    return out;
  }

  aliases(): string[] {
    const out: string[] = [];
    for (let s: Scope | null = this; s; s = s.parent) for (const r of s.relations) out.push(r.alias.name);
    return out;
  }
}
