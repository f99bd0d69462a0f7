import { keywordClass } from "../lexer/keywords.js";
import type { DialectSpec } from "./dialects.js";

/**
 * Where a name stands decides which words may appear bare there (see lexer/keywords.ts):
 * label: after AS or a dot (any word); colId: a column, table or CTE name; func: a function name.
 */
export type NamePosition = "label" | "colId" | "func";

const BARE = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*$/;

const POSITION_BIT: Readonly<Record<NamePosition, number>> = { label: 1, colId: 2, func: 4 };

/** Per name, the positions it may stand bare in (bits of POSITION_BIT): names repeat in a query. */
const BARE_POSITIONS = new Map<string, number>();

export function canBeBare(name: string, position: NamePosition): boolean {
  let bits = BARE_POSITIONS.get(name);
  if (bits === undefined) {
    bits = 0;
    if (BARE.test(name)) {
      const cls = keywordClass(name);
      bits = POSITION_BIT.label;
      if (cls !== "reserved") bits |= POSITION_BIT.func | (cls !== "typeFunc" ? POSITION_BIT.colId : 0);
    }
    if (BARE_POSITIONS.size >= 4096) BARE_POSITIONS.clear();
    BARE_POSITIONS.set(name, bits);
  }
  return (bits & POSITION_BIT[position]) !== 0;
}

export function quoteIdentifier(name: string, d: DialectSpec): string {
  const q = d.identQuote;
  return q + (name.includes(q) ? name.replaceAll(q, q + q) : name) + q;
}

const SPARK_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0", "\b": "\\b", "\x1a": "\\Z" };

const E_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f" };

export function quoteString(value: string, d: DialectSpec): string {
  if (d.strings === "standard") {
    // Control characters would break the one-line output: E'…' spells them with escapes.
    if (!/[\x00-\x1f\x7f]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
    return `E'${value.replace(/[\\'\n\t\r\b\f]|[\x00-\x1f\x7f]/g, (c) => E_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}'`;
  }
  // `\%` and `\_` were kept escaped when read (LIKE wildcards): that backslash stays single.
  return `'${value.replace(/[\\'\n\t\r\0\b\x1a]/g, (c, at: number) => (c === "\\" && /[%_]/.test(value[at + 1] ?? "") ? "\\" : (SPARK_ESCAPES[c] ?? c)))}'`;
}
