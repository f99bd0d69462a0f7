import { readFileSync, writeFileSync } from "node:fs";

/**
 * Error case files (tests/unit/sql/errors/*.errors): blocks separated by blank lines.
 *   query: / expr:  the input;  read: its dialect (default duckdb)
 *   error: CODE START-END message   one per expected diagnostic, in order
 *   hint: text                       a hint of the error above
 * UPDATE_SQL_CASES=1 rewrites the expectations from the current output.
 */
export interface ExpectedError {
  readonly code: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly hints: readonly string[];
}

export interface ErrorCase {
  readonly line: number;
  readonly comments: readonly string[];
  readonly input: string;
  readonly expression: boolean;
  readonly read: string;
  readonly errors: readonly ExpectedError[];
}

export function readErrorCases(file: string): ErrorCase[] {
  const out: ErrorCase[] = [];
  const blocks = readFileSync(file, "utf8").split(/\n\s*\n/);
  let line = 1;
  for (const block of blocks) {
    const lines = block.split("\n").filter((l) => l.trim() !== "");
    const start = line;
    line += block.split("\n").length + 1;
    if (lines.length === 0) continue;
    const comments = lines.filter((l) => l.startsWith("#"));
    let input: string | undefined;
    let expression = false;
    let read = "duckdb";
    const errors: { code: string; start: number; end: number; message: string; hints: string[] }[] = [];
    for (const l of lines.filter((x) => !x.startsWith("#"))) {
      const m = /^(\w+):\s?(.*)$/.exec(l);
      if (!m) throw new Error(`${file}:${start}: expected 'key: value', got ${l}`);
      const [, key, value] = m as unknown as [string, string, string];
      if (key === "query" || key === "expr") {
        input = value;
        expression = key === "expr";
      } else if (key === "read") read = value;
      else if (key === "error") {
        const e = /^(CPG\d{4}) (\d+)-(\d+) (.*)$/.exec(value);
        if (!e) throw new Error(`${file}:${start}: bad error line ${value}`);
        errors.push({ code: e[1]!, start: Number(e[2]), end: Number(e[3]), message: e[4]!, hints: [] });
      } else if (key === "hint") errors[errors.length - 1]?.hints.push(value);
    }
    if (input === undefined) throw new Error(`${file}:${start}: a case needs query: or expr:`);
    out.push({ line: start, comments, input, expression, read, errors });
  }
  return out;
}

export function writeErrorCases(file: string, cases: readonly ErrorCase[], actual: (c: ErrorCase) => readonly ExpectedError[]): void {
  const blocks = cases.map((c) => {
    const lines = [...c.comments, `${c.expression ? "expr" : "query"}: ${c.input}`];
    if (c.read !== "duckdb") lines.push(`read: ${c.read}`);
    for (const e of actual(c)) {
      lines.push(`error: ${e.code} ${e.start}-${e.end} ${e.message}`);
      for (const h of e.hints) lines.push(`hint: ${h}`);
    }
    return lines.join("\n");
  });
  writeFileSync(file, `${blocks.join("\n\n")}\n`);
}
