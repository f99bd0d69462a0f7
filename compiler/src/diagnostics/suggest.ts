/**
 * "Did you mean" support: a plain Levenshtein distance and a closest-candidate picker with a
 * deterministic tie-break. Pure and dependency-free so any module can reuse it.
 */

/** Levenshtein edit distance (insert, delete, substitute; each costs 1). Case-sensitive. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

export interface ClosestOptions {
  /** Largest distance still suggested; default max(1, floor(input.length / 3)). */
  readonly maxDistance?: number;
  /** Compare lower-cased (default true). */
  readonly caseInsensitive?: boolean;
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The candidate nearest to `input`, or undefined when none is within `maxDistance`.
 * Ties go to the longest common prefix (so `int6` → `int64`, not `int8`), then to the
 * earlier candidate.
 */
export function closestMatch(
  input: string,
  candidates: Iterable<string>,
  options: ClosestOptions = {},
): string | undefined {
  const fold = options.caseInsensitive ?? true;
  const needle = fold ? input.toLowerCase() : input;
  const limit = options.maxDistance ?? Math.max(1, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  let bestPrefix = -1;
  for (const candidate of candidates) {
    const hay = fold ? candidate.toLowerCase() : candidate;
    if (Math.abs(hay.length - needle.length) > limit) continue;
    const distance = levenshtein(needle, hay);
    if (distance > limit) continue;
    const prefix = commonPrefixLength(needle, hay);
    if (distance < bestDistance || (distance === bestDistance && prefix > bestPrefix)) {
      best = candidate;
      bestDistance = distance;
      bestPrefix = prefix;
    }
  }
  return best;
}

/** `did you mean 'x'?` for the closest candidate, or undefined. */
export function didYouMean(input: string, candidates: Iterable<string>, options?: ClosestOptions): string | undefined {
  const match = closestMatch(input, candidates, options);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
