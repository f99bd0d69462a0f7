/**
 * Name resolution data: a Relation is one FROM item as the query sees it (its alias, its columns
 * with types, nullability and lineage); a Scope is one SELECT's FROM (relations by alias, USING
 * merges, lambda parameters) chained to the enclosing scope for correlated references. Column
 * lookups are hash maps per relation (no scan over every column of every scope); a scope's few
 * relations are scanned by their folded alias (a Map per scope costs more than it saves).
 */
import { identifier, type Identifier } from "../../sql/index.js";
import { type ValueType, UNKNOWN_TYPE } from "./value-type.js";

/** A column a relation exposes. `lineage`: the base `table.column`s its values derive from (sorted). */
export interface SourceColumn {
  readonly name: string;
  readonly type: ValueType;
  readonly nullable: boolean;
  readonly lineage: readonly string[];
}

export const fold = (s: string): string => s.toLowerCase();

/** `^[a-z_][a-z0-9_]*$` without a regex call (every qualified name passes here). */
function isPlain(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c === 95 || (i > 0 && c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** An identifier for a name the binder writes: quoted when the name needs it or was quoted. */
export function nameIdent(name: string, quoted = false): Identifier {
  return identifier(name, quoted || !isPlain(name));
}

/** Column name (folded) → positions, per columns list (lists of catalog tables are shared). */
const INDEXES = new WeakMap<readonly SourceColumn[], ReadonlyMap<string, readonly number[]>>();

const NO_INDEX: ReadonlyMap<string, readonly number[]> = new Map();
const NO_POSITIONS: readonly number[] = Object.freeze([]);

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
  /** Built on the first lookup (a relation only read through a star needs none). */
  private index: ReadonlyMap<string, readonly number[]> | null = null;
  /** The alias folded. */
  readonly key: string;
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
    this.key = fold(alias.name);
  }

  /** Positions of the columns named `name`, case-insensitively. */
  find(name: string): readonly number[] {
    return this.findFolded(fold(name));
  }

  findFolded(key: string): readonly number[] {
    return (this.index ??= indexOf(this.columns)).get(key) ?? NO_POSITIONS;
  }

  column(i: number): SourceColumn {
    const c = this.columns[i]!;
    return this.outerNullable && !c.nullable ? { ...c, nullable: true } : c;
  }

  /** A column of an open relation, made up on first reference. */
  openColumn(name: string): SourceColumn {
    return { name, type: UNKNOWN_TYPE, nullable: true, lineage: [`${this.table ?? this.alias.name}.${name}`] };
  }
}

export class Scope {
  readonly relations: Relation[] = [];
  /** USING / NATURAL merged columns: folded name → the relations whose columns merged, in join order. Made by the first USING join. */
  private using: Map<string, Relation[]> | null = null;

  constructor(
    readonly parent: Scope | null,
    /** Lambda parameters (a lambda body's scope has no relations). */
    readonly lambda: ReadonlyMap<string, ValueType> | null = null,
  ) {}

  /** Adds a relation; false when its alias is taken in this scope. */
  add(rel: Relation): boolean {
    const taken = this.byKey(rel.key);
    if (taken && !taken.hidden) return false;
    this.relations.push(rel);
    return true;
  }

  relation(alias: string): Relation | undefined {
    return this.byKey(fold(alias));
  }

  /** The latest relation of that folded alias (a SEMI join's hidden side may be shadowed). */
  private byKey(key: string): Relation | undefined {
    for (let i = this.relations.length - 1; i >= 0; i--) if (this.relations[i]!.key === key) return this.relations[i];
    return undefined;
  }

  /** The relations a USING join merged the column `key` (folded) of. */
  merged(key: string): Relation[] | undefined {
    return this.using?.get(key);
  }

  merge(key: string, rels: Relation[]): void {
    (this.using ??= new Map()).set(key, rels);
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
