/**
 * Line arithmetic over one text that ends with a newline. Lines are 0-based here; a "line range"
 * [a, b) covers the text from the start of line a to the start of line b, newlines included.
 */
export class TextLines {
  /** Start offset of every line, plus `text.length` as the start of the (absent) line after the last. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10 && i + 1 < text.length) this.starts.push(i + 1);
    if (text.length > 0) this.starts.push(text.length);
  }

  /** Number of lines. */
  get count(): number {
    return Math.max(0, this.starts.length - 1);
  }

  /** Offset where line `n` starts; `count` gives the end of the text. */
  start(n: number): number {
    return this.starts[Math.max(0, Math.min(n, this.starts.length - 1))] ?? 0;
  }

  /** The line that holds `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = Math.max(0, this.count - 1);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.start(mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Column (0-based) of `offset` within its line. */
  column(offset: number): number {
    return offset - this.start(this.lineOf(offset));
  }

  /** A line's text without its newline. */
  line(n: number): string {
    return this.text.slice(this.start(n), this.start(n + 1)).replace(/\n$/, "");
  }

  /** The text of lines [a, b). */
  slice(a: number, b: number): string {
    return this.text.slice(this.start(a), this.start(b));
  }

  isBlank(n: number): boolean {
    return this.line(n).trim() === "";
  }

  /** A line holding only a comment. Only meaningful between nodes (never inside a block scalar). */
  isComment(n: number): boolean {
    return this.line(n).trimStart().startsWith("#");
  }

  indent(n: number): number {
    const l = this.line(n);
    return l.length - l.trimStart().length;
  }
}

/** Splits text (which ends with a newline, or is empty) into its lines, without the newlines. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
