import type { IToken } from "../chevrotain.js";

/** Decoding of quoted tokens: the AST holds values, never spellings. */

/** `'it''s'` → it's. */
export function decodeStandardString(image: string): string {
  return image.slice(1, -1).replace(/''/g, "'");
}

const C_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "\\": "\\", "'": "'", '"': '"' };

/** DuckDB/PostgreSQL `E'…'`: C-style escapes, `\xHH`, `\uXXXX`, octal, and `''`. */
export function decodeEString(image: string): string {
  const body = image.slice(2, -1);
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])|''/g, (m, esc: string | undefined) => {
    if (esc === undefined) return "'";
    const head = esc[0]!;
    if (head === "x") return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (head === "u" || head === "U") return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/[0-7]/.test(head)) return String.fromCodePoint(parseInt(esc, 8));
    return C_ESCAPES[head] ?? head;
  });
}

const SPARK_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", b: "\b", "0": "\0", Z: "\x1a" };

/**
 * Spark string literals ('…' or "…"): backslash escapes; `\%` and `\_` keep their backslash
 * (they escape LIKE wildcards), any other escaped character stands for itself.
 */
export function decodeSparkString(image: string): string {
  return image.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (_m, esc: string) => {
    if (esc.length === 5) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (esc === "%" || esc === "_") return `\\${esc}`;
    return SPARK_ESCAPES[esc] ?? esc;
  });
}

export function decodeString(t: IToken): string {
  switch (t.tokenType.name) {
    case "SqString":
      return decodeStandardString(t.image);
    case "EString":
      return decodeEString(t.image);
    default:
      return decodeSparkString(t.image);
  }
}

/** A name token → its text and whether it was quoted (`"a""b"` → a"b, `` `a``b` `` → a`b). */
export function decodeName(t: IToken): { readonly name: string; readonly quoted: boolean } {
  switch (t.tokenType.name) {
    case "QuotedIdent":
      return { name: t.image.slice(1, -1).replace(/""/g, '"'), quoted: true };
    case "BacktickIdent":
      return { name: t.image.slice(1, -1).replace(/``/g, "`"), quoted: true };
    default:
      return { name: t.image, quoted: false };
  }
}
