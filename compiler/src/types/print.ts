/**
 * Canonical printer for Arrow type strings. For every valid type `t`,
 * `parseArrowType(formatArrowType(t))` yields `t` again, and printing is idempotent:
 * canonical keywords (never aliases), `, ` between items, `: ` after field names, names
 * quoted only when they are not plain identifiers, ` not null` only where non-nullable.
 */
import type { ArrowType, PrimitiveType } from "./model.js";
import { formatName, quoteName } from "./names.js";

const BARE_TIMEZONE = /^[A-Za-z0-9_/+\-:.]+$/;

export function formatArrowType(t: ArrowType): string {
  switch (t.kind) {
    case "time32":
    case "time64":
      return `${t.kind}[${t.unit}]`;
    case "timestamp":
      return t.timezone === null ? `timestamp[${t.unit}]` : `timestamp[${t.unit}, ${formatTimezone(t.timezone)}]`;
    case "decimal":
      return `decimal(${t.precision}, ${t.scale})`;
    case "struct":
      return `struct<${t.fields
        .map((f) => `${formatName(f.name)}: ${formatArrowType(f.type)}${notNull(f.nullable)}`)
        .join(", ")}>`;
    case "list":
      return `list<${formatArrowType(t.element)}${notNull(t.elementNullable)}>`;
    case "map":
      return `map<${formatArrowType(t.key)}, ${formatArrowType(t.value)}${notNull(t.valueNullable)}>`;
    default: {
      const p: PrimitiveType = t;
      return p.kind;
    }
  }
}

function notNull(nullable: boolean): string {
  return nullable ? "" : " not null";
}

function formatTimezone(tz: string): string {
  return BARE_TIMEZONE.test(tz) && tz.toLowerCase() !== "tz" ? tz : quoteName(tz);
}
