/**
 * What two digest sets of one table (runtime-native/ts/apply/digest.ts) prove about its rows.
 *
 * A column digest alone is a sum of per-row hashes of that column: equal digests prove the
 * column's multiset of values unchanged, not the rows. Rows (a, 1), (b, 2) → (a, 2), (b, 1) keep
 * both columns' digests while a reader of both sees other rows. So a digest set also holds
 *
 * - `*`: the row digest (a sum of per-row hashes of all columns): equal ⇒ the same rows;
 * - `*key:k1,k2`, only for tables with a unique key (checked before every commit): then each
 *   column's digest hashes the key with the column, so an equal digest proves the function
 *   key → column unchanged, and a reader of unchanged columns sees the same rows (joined on the
 *   key, whose own set is proven by the row count and the key entry).
 *
 * Without a key, only a reader of one column (or none: `count(*)`) can be judged by column
 * digests — that column's multiset is all it sees of the table; a reader of several columns of a
 * changed table may see other rows (values moved between rows leave every column digest alone).
 * impact.ts propagates dirt by the same rule, so a plan and the digests of the next one agree.
 */
import type { ColumnDigest } from "./model.js";

export const ROW_DIGEST = "*";
export const KEY_DIGEST_PREFIX = "*key:";

/** Whether a digest entry is a column's (not the row or key entry). */
export const isColumnDigest = (name: string): boolean => !name.startsWith("*");

export type DigestComparison =
  /** No digests, another scheme, or a column without one: nothing is proven. */
  | { readonly kind: "incomparable" }
  | { readonly kind: "same" }
  /** Rows added, removed, or changed in a way no column localizes. */
  | { readonly kind: "all" }
  /** Only these columns (of those asked about) changed; the rows' keys did not. */
  | { readonly kind: "columns"; readonly columns: readonly string[] };

type Digests = Readonly<Record<string, ColumnDigest>>;

const rowsOf = (digest: ColumnDigest): string => digest.slice(0, digest.indexOf(":"));

function keyEntry(d: Digests): string | null {
  return Object.keys(d).find((k) => k.startsWith(KEY_DIGEST_PREFIX)) ?? null;
}

/**
 * Compares `before` with `after` for a reader of `columns` (each must have a digest on both
 * sides when they differ; `renamed` maps a column's name in `after` to its name in `before`).
 */
export function compareDigests(before: Digests | null, after: Digests | null, columns: readonly string[], renamed: Readonly<Record<string, string>> = {}): DigestComparison {
  if (before === null || after === null) return { kind: "incomparable" };
  const rowBefore = before[ROW_DIGEST];
  const rowAfter = after[ROW_DIGEST];
  if (rowBefore === undefined || rowAfter === undefined) return { kind: "incomparable" };
  if (rowBefore === rowAfter) return { kind: "same" };
  if (rowsOf(rowBefore) !== rowsOf(rowAfter)) return { kind: "all" };
  const key = keyEntry(after);
  const sameKeying = key !== null && keyEntry(before) === key;
  if (sameKeying && before[key] !== after[key]) return { kind: "all" };
  if (!sameKeying && columns.length > 1) return { kind: "all" };
  const changed: string[] = [];
  for (const c of columns) {
    const was = before[renamed[c] ?? c] ?? before[c];
    const now = after[c];
    if (was === undefined || now === undefined) return { kind: "incomparable" };
    if (was !== now) changed.push(c);
  }
  return { kind: "columns", columns: changed };
}

/**
 * The digests a reader records of an input: those of the columns it reads (`null`: all), plus
 * the row and key entries that make them comparable.
 */
export function readerDigests(digests: Digests | null | undefined, read: ReadonlySet<string> | readonly string[] | null): Record<string, ColumnDigest> {
  const out: Record<string, ColumnDigest> = {};
  if (!digests) return out;
  const wanted = read === null ? null : new Set(read);
  for (const [name, digest] of Object.entries(digests)) if (!isColumnDigest(name) || wanted === null || wanted.has(name)) out[name] = digest;
  return out;
}

/** Whether a reader of `columns` would see the same rows in `after` as in `before`. */
export function sameForReader(before: Digests | null, after: Digests | null, columns: readonly string[]): boolean {
  const c = compareDigests(before, after, columns);
  return c.kind === "same" || (c.kind === "columns" && c.columns.length === 0);
}

/**
 * The digests of a table after a commit that keeps its rows (metadata only): the column digests
 * through renames, of the columns that remain; the row and key entries only when the columns
 * are the same ones (an added column is NULL in every row, which the row digest would see).
 */
export function carriedDigests(previous: Digests | null | undefined, columns: readonly { readonly name: string; readonly renamed_from?: string }[]): Record<string, ColumnDigest> | null {
  if (!previous) return null;
  const out: Record<string, ColumnDigest> = {};
  for (const c of columns) {
    const digest = previous[c.name] ?? (c.renamed_from !== undefined ? previous[c.renamed_from] : undefined);
    if (digest !== undefined) out[c.name] = digest;
  }
  const before = Object.keys(previous).filter(isColumnDigest);
  const sameColumns = columns.length === before.length && columns.every((c) => previous[c.name] !== undefined || (c.renamed_from !== undefined && previous[c.renamed_from] !== undefined));
  if (sameColumns) {
    if (previous[ROW_DIGEST] !== undefined) out[ROW_DIGEST] = previous[ROW_DIGEST];
    const key = keyEntry(previous);
    // A renamed key column changes the entry's name: dropped (nothing is proven until the next write).
    if (key !== null && key.slice(KEY_DIGEST_PREFIX.length).split(",").every((k) => columns.some((c) => c.name === k))) out[key] = previous[key]!;
  }
  return out;
}
