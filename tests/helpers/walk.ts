import { readdirSync } from "node:fs";
import { join } from "node:path";

/** All files under `dir`, recursively, skipping node_modules and hidden directories; sorted. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name.startsWith(".")) continue;
        visit(join(d, e.name));
      } else out.push(join(d, e.name));
    }
  };
  visit(dir);
  return out.sort();
}
