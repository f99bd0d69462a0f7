import type { Position, Range } from "./diagnostic.js";

/** Maps character offsets of one file's text to 1-based line/column positions. */
export class SourceText {
  private readonly lineStarts: number[];

  constructor(readonly file: string, readonly text: string) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.lineStarts[lo] ?? 0) + 1, offset: clamped };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offsetOf(line: number, column: number): number {
    const start = this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length) - 1)] ?? 0;
    return Math.min(start + Math.max(0, column - 1), this.text.length);
  }

  /** The text of a 1-based line, without its line break. */
  line(n: number): string {
    const start = this.lineStarts[n - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[n];
    const raw = this.text.slice(start, next === undefined ? undefined : next - 1);
    return raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
