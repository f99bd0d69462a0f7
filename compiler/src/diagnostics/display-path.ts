import { isAbsolute, relative } from "node:path";

/** How a file is named to the user: relative to `cwd` when inside it (clickable in terminals), else absolute. */
export function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
}
