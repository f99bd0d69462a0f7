/**
 * Binding a dotted name (`c`, `t.c`, `t.c.f`, `c.f.g`): the parser leaves table qualifiers and
 * struct fields undecided; here each scope, nearest first, tries the first part as a relation
 * alias, then as a column (DuckDB's order), then lambda parameters; the rest are struct fields.
 * A bare name in several relations is ambiguous unless USING merged it (then COALESCE of the
 * sides). Unknown names get a did-you-mean over every visible column.
 */
import { closestMatch } from "../../diagnostics/index.js";
import { call, column, fieldAccess, identifier, type Column, type Expr, type Identifier } from "../../sql/index.js";
import { type Relation, type Scope, type SourceColumn, fold, nameIdent } from "./scope.js";
import type { BinderState } from "./state.js";
import { type ValueType, UNKNOWN_TYPE, commonType, describeType } from "./value-type.js";

export interface ResolvedColumn {
  readonly expr: Expr;
  readonly type: ValueType;
  readonly nullable: boolean;
  readonly lineage: readonly string[];
  /** Output name of the reference (the last part). */
  readonly name: string;
}

/** A scope's answer: the column, NONE (try the enclosing scope) or REPORTED (a diagnostic was made). */
type Attempt = ResolvedColumn | typeof NONE | typeof REPORTED;
const NONE = "none";
const REPORTED = "reported";

/** Resolves `col`; null when no scope knows its name (the caller may try projection aliases). */
export function resolveColumn(state: BinderState, col: Column, scope: Scope): ResolvedColumn | null | "error" {
  const path = col.path;
  const key = fold(path[0]!.name);
  for (let s: Scope | null = scope; s; s = s.parent) {
    const r = resolveIn(state, col, path, key, s);
    if (r === REPORTED) return "error";
    if (r !== NONE) return r;
  }
  return null;
}

/** Reports `col` as unresolved, with the closest visible name. */
export function reportUnresolved(state: BinderState, col: Column, scope: Scope): void {
  const path = col.path;
  const name = path.map((p) => p.name).join(".");
  if (path.length >= 2 && !scope.aliases().some((a) => a.toLowerCase() === path[0]!.name.toLowerCase())) {
    const guess = closestMatch(path[0]!.name, scope.aliases());
    state.error("unresolved_column", `column '${name}' could not be resolved: no table or column '${path[0]!.name}' in scope`, col.range, [guess ? `did you mean '${guess}.${path.slice(1).map((p) => p.name).join(".")}'?` : undefined]);
    return;
  }
  const last = path[path.length - 1]!.name;
  const guess = closestMatch(last, scope.visibleNames(), { maxDistance: Math.max(2, Math.floor(last.length / 3)) });
  state.error("unresolved_column", `column '${name}' could not be resolved`, col.range, [guess ? `did you mean '${guess}'?` : undefined]);
}

/** `key`: the first part of the path, folded. */
function resolveIn(state: BinderState, col: Column, path: readonly Identifier[], key: string, s: Scope): Attempt {
  const p0 = path[0]!;
  if (s.lambda) {
    const t = s.lambda.get(key);
    if (t) return fields(state, col, { expr: column(path.slice(0, 1), col.range), type: t, nullable: true, lineage: [], name: p0.name }, path, 1);
    return NONE;
  }
  if (path.length >= 2) {
    const rel = s.relation(p0.name);
    if (rel) {
      const hit = rel.find(path[1]!.name);
      if (hit.length === 1 || (hit.length > 1 && rel.open)) return fields(state, col, ref(rel, rel.column(hit[0]!), path[1]!, col), path, 2);
      if (hit.length > 1) {
        state.error("ambiguous_column", `column '${path[1]!.name}' is ambiguous in '${rel.alias.name}'`, col.range);
        return REPORTED;
      }
      if (rel.open) return fields(state, col, ref(rel, rel.openColumn(path[1]!.name), path[1]!, col), path, 2);
      // not a column of that relation: maybe a struct column named like the alias
      if (!rel.findFolded(key).length) {
        const guess = closestMatch(path[1]!.name, rel.columns.map((c) => c.name), { maxDistance: Math.max(2, Math.floor(path[1]!.name.length / 3)) });
        state.error("unknown_column", `table '${rel.alias.name}' has no column '${path[1]!.name}'`, col.range, [guess ? `did you mean '${rel.alias.name}.${guess}'?` : undefined]);
        return REPORTED;
      }
    }
  }
  // the relations that have the name: counted first (one match is the common case), listed only for the message
  let first: Relation | null = null;
  let firstAt = -1;
  let count = 0;
  let open: Relation | null = null;
  let opens = 0;
  for (const rel of s.relations) {
    if (rel.open) {
      open = rel;
      opens++;
    }
    if (rel.hidden) continue;
    const hit = rel.findFolded(key);
    if (hit.length > 0 && count === 0) {
      first = rel;
      firstAt = hit[0]!;
    }
    count += hit.length;
  }
  if (count === 1) return fields(state, col, ref(first!, first!.column(firstAt), p0, col), path, 1);
  const merged = s.merged(key);
  if (count > 1) {
    const matches: Relation[] = [];
    for (const rel of s.relations) if (!rel.hidden) for (let n = rel.findFolded(key).length; n > 0; n--) matches.push(rel);
    if (merged && matches.every((m) => merged.includes(m))) return fields(state, col, coalesced(merged, p0, col), path, 1);
    state.error("ambiguous_column", `column '${p0.name}' is ambiguous: it is in ${matches.map((m) => `'${m.alias.name}'`).join(", ")}`, col.range, [`qualify it, e.g. ${first!.alias.name}.${p0.name}`]);
    return REPORTED;
  }
  if (merged && merged.length > 0) return fields(state, col, coalesced(merged, p0, col), path, 1);
  if (path.length >= 2 && ancestorHasRelation(s.parent, p0.name)) return NONE;
  if (opens === 1) return fields(state, col, ref(open!, open!.openColumn(p0.name), p0, col), path, 1);
  return NONE;
}

function ancestorHasRelation(s: Scope | null, alias: string): boolean {
  for (let x = s; x; x = x.parent) if (x.relation(alias)) return true;
  return false;
}

function ref(rel: Relation, c: SourceColumn, written: Identifier, col: Column): ResolvedColumn {
  const name = nameIdent(c.name, written.quoted && written.name === c.name);
  return { expr: column([rel.alias, name], col.range), type: c.type, nullable: c.nullable, lineage: c.lineage, name: c.name };
}

/** The value of a USING-merged column: COALESCE over the sides that have it. */
export function coalesced(rels: readonly Relation[], written: Identifier, col: { readonly range: Column["range"] }): ResolvedColumn {
  const parts = rels.map((r) => {
    const i = r.find(written.name)[0];
    const c = i === undefined ? r.openColumn(written.name) : r.column(i);
    return { r, c };
  });
  const first = parts[0]!;
  if (parts.length === 1) return ref(first.r, first.c, written, col as Column);
  let type: ValueType = first.c.type;
  for (const p of parts.slice(1)) type = commonType(type, p.c.type) ?? type;
  const lineage = [...new Set(parts.flatMap((p) => p.c.lineage))].sort();
  return {
    expr: call([identifier("COALESCE")], parts.map((p) => column([p.r.alias, nameIdent(p.c.name)], col.range)), {}, col.range),
    type,
    nullable: parts.every((p) => p.c.nullable),
    lineage,
    name: first.c.name,
  };
}

/** `base` with the struct fields `path[from…]` read. */
function fields(state: BinderState, col: Column, base: ResolvedColumn, path: readonly Identifier[], from: number): Attempt {
  if (from >= path.length) return base;
  let type = base.type;
  let nullable = base.nullable;
  const out: Identifier[] = [];
  for (let i = from; i < path.length; i++) {
    const f = path[i]!;
    if (type.kind === "struct") {
      const hit = type.fields.find((x) => x.name === f.name) ?? type.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (!hit) {
        const guess = closestMatch(f.name, type.fields.map((x) => x.name));
        state.error("unknown_field", `struct '${base.name}' has no field '${f.name}'`, col.range, [guess ? `did you mean '${guess}'?` : undefined]);
        return REPORTED;
      }
      out.push(nameIdent(hit.name, f.quoted && f.name === hit.name));
      type = hit.type;
      nullable ||= hit.nullable;
    } else if (type.kind === "unknown" || type.kind === "null") {
      out.push(f);
      type = UNKNOWN_TYPE;
      nullable = true;
    } else {
      state.error("type_mismatch", `cannot read field '${f.name}' of '${base.name}': it is ${describeType(type)}, not a struct`, col.range);
      return REPORTED;
    }
  }
  const expr = base.expr.kind === "column" ? column([...base.expr.path, ...out], col.range) : out.reduce<Expr>((e, f) => fieldAccess(e, f, col.range), base.expr);
  return { expr, type, nullable, lineage: base.lineage, name: path[path.length - 1]!.name };
}
