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
  /**
   * The 1-based line of the top-level key `key` when it can be told without a full syntax tree
   * (undefined otherwise: use `key([key])`). Must agree with `key([key])` whenever it answers.
   */
  topLevelKeyLine?(key: string): number | undefined;
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

/** How far a path got into a syntax tree: the deepest node reached and the key node holding it. */
export interface PathWalk<N> {
  readonly node: N;
  readonly key: N | undefined;
  /** Whether every segment of the path exists. */
  readonly complete: boolean;
}

/**
 * A locator over any syntax tree (YAML, TypeScript), given how to walk a path, where a node is,
 * and where characters of a string node are (undefined when the node is no string).
 */
export function treeLocator<N>(
  walk: (path: SpecPath) => PathWalk<N>,
  where: (node: N) => Location,
  inString: (node: N, start: number, length: number) => Location | undefined,
): DocumentLocator {
  return {
    value: (path) => where(walk(path).node),
    key: (path) => {
      const w = walk(path);
      return where(w.complete ? (w.key ?? w.node) : w.node);
    },
    inString: (path, start, length) => {
      const w = walk(path);
      return (w.complete ? inString(w.node, start, length) : undefined) ?? where(w.node);
    },
  };
}

/** A locator that can only name the file (when no syntax tree is available). */
export function fileLocator(file: string): DocumentLocator {
  const loc: Location = { file };
  return { value: () => loc, key: () => loc, inString: () => loc };
}
