// The root project's source tree: python files of the tree, without installed third-party
// packages — a whole Lib/ holds site-packages, whose files are not the tree's code.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { scanTree } from "../../../runtime-native/ts/extract/index.js";
import { compileRoot } from "../cpg-views/helpers.js";

function tree(files: readonly string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), "cpgc-cpg-tree-"));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), "x = 1\n");
  }
  return root;
}

describe("the root project's source tree", () => {
  it("leaves site-packages out at any depth, and only them", async () => {
    const manifest = await compileRoot();
    const options = manifest.datasets.find((d) => d.name === "repo_files")?.source?.["options"] as { include: string[]; exclude: string[] };
    expect(options.exclude).toEqual(["**/site-packages/**"]);
    const root = tree(["os.py", "json/decoder.py", "site-packages/pip/__init__.py", "venv/lib/site-packages/six.py", "my_site-packages.py", "site-packages.py", "pkg/site-packages_helper.py"]);
    expect(scanTree(root, options.include, options.exclude).map((f) => f.path)).toEqual(["json/decoder.py", "my_site-packages.py", "os.py", "pkg/site-packages_helper.py", "site-packages.py"]);
  });

  it("does not enter a directory an exclude `dir/**` names", () => {
    const root = tree(["a.py", "skip/b.py", "keep/skip/c.py"]);
    expect(scanTree(root, ["**/*.py"], ["skip/**"]).map((f) => f.path)).toEqual(["a.py", "keep/skip/c.py"]);
    expect(scanTree(root, ["**/*.py"], ["**/skip/**"]).map((f) => f.path)).toEqual(["a.py"]);
  });
});
