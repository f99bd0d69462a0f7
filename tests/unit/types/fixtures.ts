/** Loaders for the type-string fixture files (tests as data: extend the .txt files). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function fixtureLines(name: string): string[] {
  const path = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return readFileSync(path, "utf8").split(/\r?\n/);
}

const isSkipped = (line: string): boolean => line.trim() === "" || line.startsWith("#");

export interface ValidCase {
  readonly input: string;
  readonly canonical: string;
}

/** `valid-types.txt`; a case may continue over lines until the one holding ` => `. */
export function validCases(): ValidCase[] {
  const cases: ValidCase[] = [];
  let pending: string[] = [];
  for (const line of fixtureLines("valid-types.txt")) {
    if (pending.length === 0 && isSkipped(line)) continue;
    const arrow = line.indexOf(" => ");
    if (arrow >= 0) {
      cases.push({ input: [...pending, line.slice(0, arrow)].join("\n"), canonical: line.slice(arrow + 4) });
      pending = [];
    } else if (pending.length > 0 || /[<(,]\s*$/.test(line)) {
      pending.push(line);
    } else {
      cases.push({ input: line, canonical: line });
    }
  }
  return cases;
}

export interface InvalidCase {
  readonly input: string;
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly hint?: string;
}

/** `invalid-types.txt`: input line + caret line. */
export function invalidCases(): InvalidCase[] {
  const lines = fixtureLines("invalid-types.txt").filter((l) => !isSkipped(l));
  const cases: InvalidCase[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const input = lines[i]!;
    const caret = lines[i + 1]!;
    const m = /^( *)(\^+|~) (.*)$/.exec(caret);
    if (m === null) throw new Error(`bad caret line after ${JSON.stringify(input)}: ${JSON.stringify(caret)}`);
    const [message, hint] = m[3]!.split(" | hint: ");
    cases.push({
      input,
      offset: m[1]!.length,
      length: m[2] === "~" ? 0 : m[2]!.length,
      message: message!,
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return cases;
}
