import type { Location } from "../diagnostics/index.js";

export type PathSegment = string | number;
export type SpecPath = readonly PathSegment[];

/** Finds where a value or a key of one loaded document is written in its file. */
export interface DocumentLocator {
  /** Where the value at `path` is written; falls back to the nearest enclosing value that exists. */
  value(path: SpecPath): Location;
  /** Where the key that holds the value at `path` is written (or the value, for list items). */
  key(path: SpecPath): Location;
  /** Where characters [start, start+length) of the string value at `path` are written (quotes and escapes accounted for where possible). */
  inString(path: SpecPath, start: number, length: number): Location;
}

/** One spec document as loaded from a file, before shape validation. */
export interface RawDocument {
  readonly file: string;
  /** 0-based index of the document within its file. */
  readonly index: number;
  readonly value: unknown;
  readonly locator: DocumentLocator;
}

export function formatPath(path: SpecPath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}
