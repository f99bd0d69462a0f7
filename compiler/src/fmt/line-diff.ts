import { splitLines } from "./text-lines.js";

export interface DiffOptions {
  readonly oldLabel: string;
  readonly newLabel: string;
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
}

type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

/**
 * A unified diff (`--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks) of two texts, line by line, from a
 * longest common subsequence. Empty when the texts are equal.
 */
export function unifiedDiff(oldText: string, newText: string, opts: DiffOptions): string {
  if (oldText === newText) return "";
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const context = opts.context ?? 3;
  const out = [`--- ${opts.oldLabel}`, `+++ ${opts.newLabel}`];
  // Positions (1-based) in the old and new text before each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== "+") o++;
    if (op.kind !== "-") n++;
  }
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === " ") {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is no more than 2 * context unchanged lines away from the previous one.
    const start = Math.max(0, i - context);
    let end = i;
    let j = i;
    while (j < ops.length) {
      if (ops[j]!.kind !== " ") {
        end = j;
        j++;
        continue;
      }
      let k = j;
      while (k < ops.length && ops[k]!.kind === " ") k++;
      if (k < ops.length && k - j <= 2 * context) {
        j = k;
        continue;
      }
      break;
    }
    const stop = Math.min(ops.length, end + 1 + context);
    const slice = ops.slice(start, stop);
    const oldCount = slice.filter((op) => op.kind !== "+").length;
    const newCount = slice.filter((op) => op.kind !== "-").length;
    const oldStart = oldCount === 0 ? oldAt[start]! - 1 : oldAt[start]!;
    const newStart = newCount === 0 ? newAt[start]! - 1 : newAt[start]!;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
    i = stop;
  }
  return `${out.join("\n")}\n`;
}

/** Edit script from `a` to `b`: common prefix and suffix, then an LCS table over the middle. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const ops: Op[] = a.slice(0, pre).map((line) => ({ kind: " ", line }));
  if (am.length * bm.length > 16_000_000) {
    // Too large for a table: everything in the middle is replaced.
    ops.push(...am.map((line): Op => ({ kind: "-", line })), ...bm.map((line): Op => ({ kind: "+", line })));
  } else {
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let x = am.length - 1; x >= 0; x--) {
      for (let y = bm.length - 1; y >= 0; y--) {
        lcs[x * w + y] = am[x] === bm[y] ? lcs[(x + 1) * w + y + 1]! + 1 : Math.max(lcs[(x + 1) * w + y]!, lcs[x * w + y + 1]!);
      }
    }
    let x = 0;
    let y = 0;
    while (x < am.length || y < bm.length) {
      if (x < am.length && y < bm.length && am[x] === bm[y]) {
        ops.push({ kind: " ", line: am[x]! });
        x++;
        y++;
      } else if (x < am.length && (y >= bm.length || lcs[(x + 1) * w + y]! >= lcs[x * w + y + 1]!)) {
        ops.push({ kind: "-", line: am[x]! });
        x++;
      } else {
        ops.push({ kind: "+", line: bm[y]! });
        y++;
      }
    }
  }
  ops.push(...a.slice(a.length - suf).map((line): Op => ({ kind: " ", line })));
  return ops;
}
