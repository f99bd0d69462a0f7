/**
 * Checks the invariants the parser enforces on a type built some other way (factories, Arrow
 * schemas, Delta JSON): decimal bounds, known units, non-empty timezones, non-empty structs
 * with unique (case-insensitive) non-empty field names, scalar map keys, bounded nesting.
 */
import {
  type ArrowType,
  MAX_DECIMAL_PRECISION,
  MAX_NESTING_DEPTH,
  TIME_UNITS,
  isPrimitiveKind,
  isScalar,
} from "./model.js";
import { elementPath, fieldPath, keyPath, valuePath } from "./names.js";

export interface TypeIssue {
  /** Where in the type (`span.bstart`, `tags{value}`, `items[]`; "" for the root). */
  readonly path: string;
  readonly message: string;
}

export function validateArrowType(t: ArrowType): readonly TypeIssue[] {
  const issues: TypeIssue[] = [];
  visit(t, "", 0, issues);
  return issues;
}

function visit(t: ArrowType, path: string, depth: number, issues: TypeIssue[]): void {
  const issue = (message: string): void => void issues.push({ path, message });
  if (depth > MAX_NESTING_DEPTH) return issue(`types nest deeper than ${MAX_NESTING_DEPTH} levels`);
  switch (t.kind) {
    case "time32":
      if (t.unit !== "s" && t.unit !== "ms") issue(`time32 does not take unit '${String(t.unit)}'`);
      return;
    case "time64":
      if (t.unit !== "us" && t.unit !== "ns") issue(`time64 does not take unit '${String(t.unit)}'`);
      return;
    case "timestamp":
      if (!TIME_UNITS.includes(t.unit)) issue(`unknown time unit '${String(t.unit)}'`);
      if (t.timezone !== null && (typeof t.timezone !== "string" || t.timezone.trim() === "")) {
        issue("a timezone must be a non-empty string or null");
      }
      return;
    case "decimal":
      if (!Number.isInteger(t.precision) || t.precision < 1 || t.precision > MAX_DECIMAL_PRECISION) {
        issue(`decimal precision must be 1..${MAX_DECIMAL_PRECISION}, got ${t.precision}`);
      } else if (!Number.isInteger(t.scale) || t.scale < 0 || t.scale > t.precision) {
        issue(`decimal scale must be 0..precision (0..${t.precision}), got ${t.scale}`);
      }
      return;
    case "struct": {
      if (t.fields.length === 0) issue("a struct must have at least one field");
      const seen = new Set<string>();
      for (const f of t.fields) {
        if (f.name === "") issue("a field name must not be empty");
        const folded = f.name.toLowerCase();
        if (seen.has(folded)) issue(`duplicate field name '${f.name}' (names are case-insensitive)`);
        seen.add(folded);
        visit(f.type, fieldPath(path, f.name), depth + 1, issues);
      }
      return;
    }
    case "list":
      return visit(t.element, elementPath(path), depth + 1, issues);
    case "map":
      if (!isScalar(t.key)) issues.push({ path: keyPath(path), message: "a map key must be a primitive type" });
      else visit(t.key, keyPath(path), depth + 1, issues);
      return visit(t.value, valuePath(path), depth + 1, issues);
    default:
      if (!isPrimitiveKind(t.kind)) issue(`unknown type kind '${String(t.kind)}'`);
  }
}
