import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Case files (tests/unit/sql/cases/*.cases): blocks separated by blank lines, one `key: value`
 * per line, `#` lines are comments kept with the block.
 *   query: / expr:       the input (a query, or a bare expression)
 *   read:                its dialect (default duckdb)
 *   all:                 the expected print in every dialect
 *   duckdb: spark: ansi: the expected print in one dialect (overrides all:)
 * An expected value `!CPG1010` means the dialect reports the construct instead.
 * UPDATE_SQL_CASES=1 rewrites the expectations from the current output.
 */
export interface Case {
  readonly file: string;
  readonly line: number;
  readonly comments: readonly string[];
  readonly input: string;
  readonly expression: boolean;
  readonly read: string;
  readonly expected: Readonly<Record<string, string>>;
}

export const DIALECT_KEYS = ["duckdb", "spark", "ansi"] as const;

export function caseFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cases"))
    .sort()
    .map((f) => join(dir, f));
}

export function readCases(file: string): Case[] {
  const cases: Case[] = [];
  const lines = readFileSync(file, "utf8").split("\n");
  let block: { line: number; comments: string[]; fields: Map<string, string> } | null = null;
  const flush = () => {
    if (!block || block.fields.size === 0) return;
    const f = block.fields;
    const input = f.get("query") ?? f.get("expr");
    if (input === undefined) throw new Error(`${file}:${block.line}: a case needs query: or expr:`);
    const expected: Record<string, string> = {};
    for (const d of DIALECT_KEYS) {
      const v = f.get(d) ?? f.get("all");
      if (v !== undefined) expected[d] = v;
    }
    cases.push({ file, line: block.line, comments: block.comments, input, expression: f.has("expr"), read: f.get("read") ?? "duckdb", expected });
  };
  lines.forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === "") {
      flush();
      block = null;
      return;
    }
    block ??= { line: i + 1, comments: [], fields: new Map() };
    if (line.startsWith("#")) {
      block.comments.push(line);
      return;
    }
    const m = /^(\w+):\s?(.*)$/.exec(line);
    if (!m) throw new Error(`${file}:${i + 1}: expected 'key: value'`);
    block.fields.set(m[1]!, m[2]!);
  });
  flush();
  return cases;
}

/** Writes cases back with the given expectations (all: when every dialect agrees). */
export function writeCases(file: string, cases: readonly Case[], actual: (c: Case) => Readonly<Record<string, string>>): void {
  const blocks = cases.map((c) => {
    const out = [...c.comments, `${c.expression ? "expr" : "query"}: ${c.input}`];
    if (c.read !== "duckdb") out.push(`read: ${c.read}`);
    const got = actual(c);
    const values = DIALECT_KEYS.map((d) => got[d] ?? "");
    if (values.every((v) => v === values[0])) out.push(`all: ${values[0]}`);
    else DIALECT_KEYS.forEach((d, i) => out.push(`${d}: ${values[i]}`));
    return out.join("\n");
  });
  writeFileSync(file, `${blocks.join("\n\n")}\n`);
}
