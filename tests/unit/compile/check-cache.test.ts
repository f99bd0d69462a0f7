import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryCheckCache, validateProject } from "../../../compiler/src/compile/index.js";
import { SHARED_CONTRACT } from "../../helpers/fixture-project.js";
import { FUNCTIONS } from "../../helpers/validate.js";

/** A cache that counts what it was asked, to see that unchanged views are not re-checked. */
function countingCache(salt = "s") {
  const cache = new MemoryCheckCache(salt);
  const stats = { hits: 0, misses: 0 };
  const get = cache.get.bind(cache);
  cache.get = (r: string) => {
    const e = get(r);
    if (e) stats.hits++;
    else stats.misses++;
    return e;
  };
  return { cache, stats };
}

function contract(): string {
  const dir = mkdtempSync(join(tmpdir(), "cpgc-cache-"));
  cpSync(SHARED_CONTRACT, dir, { recursive: true });
  return dir;
}

describe("validate's check cache", () => {
  it("skips views whose SQL and input schemas did not change", async () => {
    const dir = contract();
    const { cache, stats } = countingCache();
    const first = await validateProject("cpg.config.yaml", FUNCTIONS, { cwd: dir, cache });
    expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(Object.keys(cache.data().entries)).toHaveLength(3);
    stats.hits = stats.misses = 0;
    const second = await validateProject("cpg.config.yaml", FUNCTIONS, { cwd: dir, cache });
    expect(second.model).toBeDefined();
    expect(stats.misses).toBe(0);
    expect(stats.hits).toBeGreaterThanOrEqual(3);
  });

  it("re-checks a view when a table it reads changes, and reports what broke", async () => {
    const dir = contract();
    const { cache } = countingCache();
    await validateProject("cpg.config.yaml", FUNCTIONS, { cwd: dir, cache });
    const nodes = join(dir, "specs", "ast_nodes.yaml");
    writeFileSync(nodes, readFileSync(nodes, "utf8").replace("{ name: name, type: utf8 }", "{ name: node_name, type: utf8 }"));
    const after = await validateProject("cpg.config.yaml", FUNCTIONS, { cwd: dir, cache });
    const codes = after.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.startsWith("CPG12"))).toBe(true);
    expect(after.model).toBeUndefined();
  });

  it("ignores persisted entries from another cpgc version or function catalog", () => {
    const old = new MemoryCheckCache("v1");
    old.set("select 1", { deps: [], depsHash: "h", columns: [] });
    expect(new MemoryCheckCache("v1", old.data()).parsedBefore("select 1")).toBe(true);
    expect(new MemoryCheckCache("v2", old.data()).parsedBefore("select 1")).toBe(false);
  });

  it("persists only the entries the last run used", () => {
    const a = new MemoryCheckCache("s");
    a.set("q1", { deps: [], depsHash: "h", columns: [] });
    a.set("q2", { deps: [], depsHash: "h", columns: [] });
    const b = new MemoryCheckCache("s", a.data());
    expect(b.get("q1")).toBeDefined();
    expect(b.dirty).toBe(true);
    expect(Object.keys(b.data().entries)).toHaveLength(1);
  });
});
