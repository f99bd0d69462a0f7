import { readdirSync, type Dirent } from "node:fs";
import { join, posix } from "node:path";

/** Converts a glob (`**`, `*`, `?`, `{a,b}`, `[abc]`) into an anchored regular expression over `/` paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        const atSegmentEnd = glob[i + 2] === "/" || i + 2 === glob.length;
        if (atSegmentStart && atSegmentEnd) {
          // `**/` matches zero or more whole directories.
          re += glob[i + 2] === "/" ? "(?:[^/]*/)*" : ".*";
          i += glob[i + 2] === "/" ? 2 : 1;
          continue;
        }
        i++;
      }
      re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      inBraces++;
      re += "(?:";
    } else if (c === "}" && inBraces > 0) {
      inBraces--;
      re += ")";
    } else if (c === "," && inBraces > 0) re += "|";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close > i + 1) {
        re += `[${glob.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = close;
      } else re += "\\[";
    } else re += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The directory part of a glob before its first wildcard, where the walk can start. */
export function globBase(glob: string): string {
  const segs = glob.split("/");
  const base: string[] = [];
  for (const s of segs.slice(0, -1)) {
    if (/[*?{[]/.test(s)) break;
    base.push(s);
  }
  return base.join("/");
}

/**
 * Files under `root` matching `glob`, as sorted `/`-separated paths relative to `root`.
 * Hidden directories and node_modules are skipped.
 */
export function globFiles(root: string, glob: string): string[] {
  const pattern = globToRegExp(posix.normalize(glob).replace(/^\.\//, ""));
  const base = globBase(glob.replace(/^\.\//, ""));
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name.startsWith(".") || e.name === "node_modules") continue;
        walk(p);
      } else if (e.isFile() && pattern.test(p)) out.push(p);
    }
  };
  walk(base);
  return out.sort();
}
