/**
 * A character cursor for the hand-written type-string parsers (Arrow spelling and DuckDB
 * spelling). Failures are raised as `ScanFailure` and turned into result values by each
 * parser's entry point, so no parser ever throws to its caller.
 */

/** A parse error located in the input text. `offset` is 0-based; `length` may be 0 (end of input). */
export interface TypeStringError {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly hint?: string;
}

export class ScanFailure extends Error {
  constructor(readonly error: TypeStringError) {
    super(error.message);
  }
}

export interface Span {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const WHITESPACE = /\s/;

export class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  eof(): boolean {
    return this.pos >= this.text.length;
  }

  /** The character at the cursor, or "" at end of input. */
  peek(): string {
    return this.text.charAt(this.pos);
  }

  skipWs(): void {
    while (this.pos < this.text.length && WHITESPACE.test(this.text.charAt(this.pos))) this.pos++;
  }

  /** Skips whitespace, then consumes `ch` if it is next. */
  tryChar(ch: string): boolean {
    this.skipWs();
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  /** Skips whitespace, then consumes `ch` or fails with "expected 'ch'". */
  expect(ch: string, hint?: string): void {
    if (!this.tryChar(ch)) this.failHere(`expected '${ch}', found ${this.describeHere()}`, hint);
  }

  /** Reads `[A-Za-z_][A-Za-z0-9_]*` at the cursor (no whitespace skipping). */
  readWord(): Span | undefined {
    const start = this.pos;
    if (!WORD_START.test(this.peek())) return undefined;
    while (this.pos < this.text.length && WORD_CHAR.test(this.text.charAt(this.pos))) this.pos++;
    return { text: this.text.slice(start, this.pos), start, end: this.pos };
  }

  /** Reads the next word case-insensitively equal to `word` (after whitespace); restores on mismatch. */
  tryWord(word: string): Span | undefined {
    const save = this.pos;
    this.skipWs();
    const w = this.readWord();
    if (w !== undefined && w.text.toLowerCase() === word) return w;
    this.pos = save;
    return undefined;
  }

  /** Reads a run of decimal digits at the cursor. */
  readDigits(): Span | undefined {
    const start = this.pos;
    while (this.pos < this.text.length && DIGIT.test(this.text.charAt(this.pos))) this.pos++;
    return this.pos === start ? undefined : { text: this.text.slice(start, this.pos), start, end: this.pos };
  }

  /** Reads a non-negative integer after whitespace, or fails with `what`. */
  readInteger(what: string): { value: number; span: Span } {
    this.skipWs();
    const span = this.readDigits();
    if (span === undefined) this.failHere(`expected ${what}, found ${this.describeHere()}`);
    return { value: Number(span.text), span };
  }

  /**
   * Reads a quoted string at the cursor, `quote` doubled inside meaning itself. Returns the
   * unescaped value; fails on a missing closing quote.
   */
  readQuoted(quote: string): Span | undefined {
    if (this.peek() !== quote) return undefined;
    const start = this.pos;
    let value = "";
    this.pos++;
    for (;;) {
      if (this.eof()) this.fail(start, this.pos - start, `unterminated quoted name: missing closing ${quote}`);
      const ch = this.text.charAt(this.pos);
      if (ch === quote) {
        if (this.text.charAt(this.pos + 1) === quote) {
          value += quote;
          this.pos += 2;
          continue;
        }
        this.pos++;
        return { text: value, start, end: this.pos };
      }
      value += ch;
      this.pos++;
    }
  }

  /** Reads a run of characters matching `re` (one character at a time). */
  readRun(re: RegExp): Span | undefined {
    const start = this.pos;
    while (this.pos < this.text.length && re.test(this.text.charAt(this.pos))) this.pos++;
    return this.pos === start ? undefined : { text: this.text.slice(start, this.pos), start, end: this.pos };
  }

  /** "end of input", or the word / character at the cursor in quotes. */
  describeHere(): string {
    if (this.eof()) return "end of input";
    return `'${this.text.slice(this.pos, this.pos + this.tokenLength())}'`;
  }

  /** Length of the token at the cursor (a word, else one character, 0 at end). */
  tokenLength(): number {
    if (this.eof()) return 0;
    const save = this.pos;
    const word = this.readWord() ?? this.readDigits();
    this.pos = save;
    return word === undefined ? 1 : word.end - word.start;
  }

  fail(offset: number, length: number, message: string, hint?: string): never {
    throw new ScanFailure(hint === undefined ? { offset, length, message } : { offset, length, message, hint });
  }

  /** Fails at the token under the cursor (after whitespace). */
  failHere(message: string, hint?: string): never {
    this.skipWs();
    return this.fail(this.pos, this.tokenLength(), message, hint);
  }
}

/** Runs `body` over a fresh scanner, converting a `ScanFailure` into an error result. */
export function runScanner<T>(
  text: unknown,
  body: (s: Scanner) => T,
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: TypeStringError } {
  if (typeof text !== "string") {
    return { ok: false, error: { offset: 0, length: 0, message: `expected a type string, got ${typeof text}` } };
  }
  try {
    return { ok: true, value: body(new Scanner(text)) };
  } catch (e) {
    if (e instanceof ScanFailure) return { ok: false, error: e.error };
    throw e;
  }
}
