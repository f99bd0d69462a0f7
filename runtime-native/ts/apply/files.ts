/**
 * Source files of a dataset: the files a pattern matches (globs), their size and sha256
 * (streamed in chunks, so a huge file is never held in memory), and the config directory the
 * spec's relative patterns are written against.
 *
 * Glob syntax (per path segment): `*` any run of characters but `/`, `?` one character,
 * `[abc]` / `[a-z]` / `[!a]` a class, `{a,b}` alternatives; `**` as a whole segment matches
 * zero or more directories. Wildcards do not match a leading `.` (hidden files), as in shells.
 */

import { createHash } from "node:crypto";
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import path from "node:path";

import type { DesiredSource } from "../../../compiler/src/plan/model.js";

const GLOB_CHARS = /[*?[{]/;

/** Whether a path segment holds glob syntax. */
export function isGlob(segment: string): boolean {
  return GLOB_CHARS.test(segment);
}

function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf("{");
  if (open < 0) return [pattern];
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) {
      const parts: string[] = [];
      let start = open + 1;
      let level = 0;
      for (let j = open + 1; j < i; j++) {
        const d = pattern[j];
        if (d === "{") level++;
        else if (d === "}") level--;
        else if (d === "," && level === 0) {
          parts.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      parts.push(pattern.slice(start, i));
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return parts.flatMap((p) => expandBraces(`${head}${p}${tail}`));
    }
  }
  return [pattern];
}

function segmentRegex(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 2);
      if (close < 0) {
        out += "\\[";
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, "\\\\")}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function walk(dir: string, segments: readonly string[], out: Set<string>): void {
  const [head, ...rest] = segments;
  if (head === undefined) {
    if (isFile(dir)) out.add(dir);
    return;
  }
  if (head === "**") {
    walk(dir, rest, out);
    for (const entry of listDir(dir)) {
      if (entry.startsWith(".")) continue;
      const full = path.join(dir, entry);
      if (isDirectory(full)) walk(full, segments, out);
    }
    return;
  }
  if (!isGlob(head)) {
    walk(path.join(dir, head), rest, out);
    return;
  }
  const re = segmentRegex(head);
  for (const entry of listDir(dir)) {
    if (entry.startsWith(".") && !head.startsWith(".")) continue;
    if (re.test(entry)) walk(path.join(dir, entry), rest, out);
  }
}

/** Absolute paths of the regular files an absolute pattern matches, sorted. */
export function matchFiles(absolutePattern: string): string[] {
  const out = new Set<string>();
  for (const pattern of expandBraces(path.resolve(absolutePattern))) {
    const { root } = path.parse(pattern);
    const segments = pattern.slice(root.length).split(/[\\/]+/).filter((s) => s !== "");
    walk(root, segments, out);
  }
  return [...out].sort();
}

/** Size and sha256 (hex) of a file, read in 1 MiB chunks. */
export function hashFile(file: string): { size: number; sha256: string } {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, "r");
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { size, sha256: hash.digest("hex") };
}

/**
 * The directory a source's relative pattern is written against: `location` minus `pattern`
 * when the pattern descends from it (the usual case), else `fallback` (or the pattern's
 * directory).
 */
export function configDirOf(source: Pick<DesiredSource, "pattern" | "location">, fallback?: string): string {
  if (fallback !== undefined) return path.resolve(fallback);
  const location = path.resolve(source.location);
  if (path.isAbsolute(source.pattern)) return path.dirname(location);
  const rel = path.normalize(source.pattern);
  if (!rel.startsWith("..") && location.endsWith(`${path.sep}${rel}`)) return location.slice(0, location.length - rel.length - 1) || path.parse(location).root;
  return path.dirname(location);
}

/** A path relative to `base` with `/` separators (absolute when it is outside `base`). */
export function relativePath(base: string, file: string): string {
  const rel = path.relative(base, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return file.split(path.sep).join("/");
  return rel.split(path.sep).join("/");
}
