/**
 * How a column's type changes, on canonical Arrow type strings:
 * - `widen`: every old value fits the new type unchanged — int8 → int16 → int32 → int64,
 *   float32 → float64, also inside structs, lists and maps. Delta's type widening can record it
 *   without rewriting files; without that feature the files must be rewritten.
 * - `additive`: only new nullable struct fields (possibly with widening elsewhere counted as
 *   widen): Delta schema evolution adds them; old rows read them as null.
 * - `incompatible`: anything else (narrowing, another kind of type, a new NOT NULL field,
 *   a nested field removed): existing data may not fit.
 */
import type { ArrowType } from "../types/model.js";
import { parseArrowType } from "../types/parse.js";

export type TypeChange = "equal" | "widen" | "additive" | "incompatible";

const INTS = ["int8", "int16", "int32", "int64"];

export function typeChange(before: string, after: string): TypeChange {
  if (before === after) return "equal";
  const a = parseArrowType(before);
  const b = parseArrowType(after);
  if (!a.ok || !b.ok) return "incompatible";
  return compare(a.type, b.type);
}

const RANK: Record<TypeChange, number> = { equal: 0, additive: 1, widen: 2, incompatible: 3 };
const worst = (xs: readonly TypeChange[]): TypeChange => xs.reduce<TypeChange>((acc, x) => (RANK[x] > RANK[acc] ? x : acc), "equal");

/** A nested nullability: relaxing (NOT NULL → nullable) is additive, tightening incompatible. */
const nullability = (before: boolean, after: boolean): TypeChange => (before === after ? "equal" : after ? "additive" : "incompatible");

function compare(a: ArrowType, b: ArrowType): TypeChange {
  if (a.kind === "struct" && b.kind === "struct") {
    const out: TypeChange[] = [];
    const after = new Map(b.fields.map((f) => [f.name, f]));
    for (const f of a.fields) {
      const g = after.get(f.name);
      if (!g) return "incompatible";
      out.push(compare(f.type, g.type), nullability(f.nullable, g.nullable));
    }
    const known = new Set(a.fields.map((f) => f.name));
    for (const g of b.fields) if (!known.has(g.name)) out.push(g.nullable ? "additive" : "incompatible");
    return worst(out);
  }
  if (a.kind === "list" && b.kind === "list") return worst([compare(a.element, b.element), nullability(a.elementNullable, b.elementNullable)]);
  if (a.kind === "map" && b.kind === "map") return worst([compare(a.key, b.key) === "equal" ? "equal" : "incompatible", compare(a.value, b.value), nullability(a.valueNullable, b.valueNullable)]);
  if (JSON.stringify(a) === JSON.stringify(b)) return "equal";
  const ia = INTS.indexOf(a.kind);
  const ib = INTS.indexOf(b.kind);
  if (ia >= 0 && ib > ia) return "widen";
  if (a.kind === "float32" && b.kind === "float64") return "widen";
  return "incompatible";
}
