/**
 * Dotted field paths into struct columns (`span.bstart`), for checking column references in
 * policies and views. Paths descend through structs only: list elements and map values are
 * not addressable with dots. Segments that are not plain identifiers are double-quoted
 * (`attrs."weird name"`).
 *
 * Resolution matches a segment exactly first, then case-insensitively when exactly one field
 * matches that way (Delta Lake and DuckDB resolve names case-insensitively); the result spells
 * the path as declared, so callers can normalize references.
 */
import type { ArrowType, Column } from "./model.js";
import { formatName } from "./names.js";
import { type Scanner, type TypeStringError, runScanner } from "./scanner.js";
import { closestMatch } from "../diagnostics/suggest.js";

export interface TypePath {
  readonly segments: readonly string[];
  /** Dotted spelling of `segments`. */
  readonly path: string;
  readonly type: ArrowType;
  /** True when a value read here can be null: this field or an enclosing one is nullable. */
  readonly nullable: boolean;
}

export function formatFieldPath(segments: readonly string[]): string {
  return segments.map(formatName).join(".");
}

/** Parses `a.b."c d"` into segments. Never throws. */
export function parseFieldPath(
  text: string,
): { readonly ok: true; readonly segments: readonly string[] } | { readonly ok: false; readonly error: TypeStringError } {
  const r = runScanner(text, (s: Scanner) => {
    const segments: string[] = [];
    do {
      s.skipWs();
      const name = s.readWord() ?? s.readQuoted('"');
      if (name === undefined) s.failHere(`expected a field name, found ${s.describeHere()}`);
      if (name.text === "") s.fail(name.start, name.end - name.start, "a field name must not be empty");
      segments.push(name.text);
    } while (s.tryChar("."));
    s.skipWs();
    if (!s.eof()) s.failHere(`expected '.' or end of the path, found ${s.describeHere()}`);
    return segments;
  });
  return r.ok ? { ok: true, segments: r.value } : r;
}

/**
 * Every field path inside `t` (depth-first, declaration order, enclosing struct fields before
 * their children), each prefixed by `prefix` (e.g. the column name). Empty for non-structs.
 */
export function typePaths(t: ArrowType, prefix: string | readonly string[] = []): TypePath[] {
  const out: TypePath[] = [];
  collect(t, typeof prefix === "string" ? [prefix] : prefix, false, out);
  return out;
}

/** The columns themselves and every field path inside them. */
export function columnPaths(columns: readonly Column[]): TypePath[] {
  const out: TypePath[] = [];
  for (const c of columns) {
    out.push({ segments: [c.name], path: formatName(c.name), type: c.type, nullable: c.nullable });
    collect(c.type, [c.name], c.nullable, out);
  }
  return out;
}

function collect(t: ArrowType, prefix: readonly string[], nullable: boolean, out: TypePath[]): void {
  if (t.kind !== "struct") return;
  for (const f of t.fields) {
    const segments = [...prefix, f.name];
    const n = nullable || f.nullable;
    out.push({ segments, path: formatFieldPath(segments), type: f.type, nullable: n });
    collect(f.type, segments, n, out);
  }
}

export type ResolvePathResult =
  | {
      readonly ok: true;
      /** The path as declared (exact case). */
      readonly segments: readonly string[];
      readonly path: string;
      readonly type: ArrowType;
      readonly nullable: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: "syntax" | "not-found" | "not-a-struct";
      readonly message: string;
      /** Index of the segment that failed (0 for syntax errors). */
      readonly segmentIndex: number;
      /** The closest existing path, for "did you mean". */
      readonly candidate?: string;
      /** Set for syntax errors: where in the reference text. */
      readonly error?: TypeStringError;
    };

/** Resolves `span.bstart` (or its segments) against top-level columns. */
export function resolvePath(columns: readonly Column[], ref: string | readonly string[]): ResolvePathResult {
  let segments: readonly string[];
  if (typeof ref === "string") {
    const parsed = parseFieldPath(ref);
    if (!parsed.ok) {
      return { ok: false, reason: "syntax", message: parsed.error.message, segmentIndex: 0, error: parsed.error };
    }
    segments = parsed.segments;
  } else {
    segments = ref;
  }
  const refText = formatFieldPath(segments);
  const fail = (reason: "not-found" | "not-a-struct", message: string, segmentIndex: number): ResolvePathResult => {
    const candidate = closestMatch(
      refText,
      columnPaths(columns).map((p) => p.path),
      { maxDistance: Math.max(2, Math.floor(refText.length / 3)) },
    );
    return candidate === undefined
      ? { ok: false, reason, message, segmentIndex }
      : { ok: false, reason, message, segmentIndex, candidate };
  };

  let entries: readonly { name: string; type: ArrowType; nullable: boolean }[] = columns;
  const resolved: string[] = [];
  let nullable = false;
  let type: ArrowType | undefined;
  for (const [i, segment] of segments.entries()) {
    if (type !== undefined) {
      if (type.kind !== "struct") {
        return fail("not-a-struct", `'${formatFieldPath(resolved)}' is not a struct; it has no field '${segment}'`, i);
      }
      entries = type.fields;
    }
    const hit = findName(entries, segment);
    if (hit === undefined) {
      const where = resolved.length === 0 ? "no column" : `struct '${formatFieldPath(resolved)}' has no field`;
      return fail("not-found", `${where} '${segment}'`, i);
    }
    resolved.push(hit.name);
    nullable = nullable || hit.nullable;
    type = hit.type;
  }
  if (type === undefined) return fail("not-found", "empty path", 0);
  return { ok: true, segments: resolved, path: formatFieldPath(resolved), type, nullable };
}

function findName<T extends { readonly name: string }>(entries: readonly T[], name: string): T | undefined {
  const exact = entries.find((e) => e.name === name);
  if (exact !== undefined) return exact;
  const folded = name.toLowerCase();
  const loose = entries.filter((e) => e.name.toLowerCase() === folded);
  return loose.length === 1 ? loose[0] : undefined;
}
