import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cpgc } from "../helpers/cli.js";
import { REPO_ROOT, SHARED_CONTRACT } from "../helpers/fixture-project.js";

const TPCH = join(REPO_ROOT, "..", "shared", "corpus", "sql", "tpch");
const QUERIES = readdirSync(join(TPCH, "queries"))
  .filter((f) => f.endsWith(".sql"))
  .sort()
  .map((f) => join("queries", f));

describe("cpgc sql qualify|fingerprint|lineage on the TPC-H corpus", () => {
  it("fingerprint --json: every query binds against the schema, one JSON line each", () => {
    const r = cpgc(["sql", "fingerprint", "--json", "--schema", "schema.json", ...QUERIES], TPCH);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l["file"])).toEqual(QUERIES);
    for (const l of lines) {
      expect(l).toMatchObject({ ok: true, diagnostics: [] });
      expect(l["ast_fingerprint"]).toMatch(/^[0-9a-f]{64}$/);
      expect((l["schema"] as unknown[]).length).toBeGreaterThan(0);
    }
    expect(new Set(lines.map((l) => l["ast_fingerprint"])).size).toBe(QUERIES.length);
    expect(new Set(lines.map((l) => l["policy_hash"])).size).toBe(1);
  });

  it("qualify and lineage print text", () => {
    const q = cpgc(["sql", "qualify", "--schema", "schema.json", "queries/q06.sql"], TPCH);
    expect(q.code).toBe(0);
    expect(q.stdout).toContain("FROM lineitem AS lineitem");
    const l = cpgc(["sql", "lineage", "--schema", "schema.json", "queries/q06.sql"], TPCH);
    expect(l.code).toBe(0);
    expect(l.stdout).toBe(
      [
        "columns:",
        "  revenue  ← lineitem.l_discount, lineitem.l_extendedprice",
        "tables:         lineitem",
        "join keys:      (none)",
        "filter columns: lineitem.l_discount, lineitem.l_quantity, lineitem.l_shipdate",
        "",
      ].join("\n"),
    );
  });

  it("stdin without a schema; a failing input makes the exit code 1", () => {
    const ok = cpgc(["sql", "lineage", "-"], TPCH);
    expect(ok.code).toBe(1); // no input on stdin: empty SQL
    const bad = cpgc(["sql", "qualify", "--schema", "schema.json", "queries/q01.sql", "nope.sql"], TPCH);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("-- queries/q01.sql");
    expect(bad.stderr).toContain("error[CPG0002]: cannot read nope.sql");
  });
});

describe("cpgc graph and lineage on the contract project", () => {
  const dir = mkdtempSync(join(tmpdir(), "cpgc-e2e-graph-"));
  cpSync(SHARED_CONTRACT, dir, { recursive: true });

  it("graph --format mermaid|dot|json", () => {
    const m = cpgc(["graph", "--format", "mermaid"], dir);
    expect(m.code).toBe(0);
    expect(m.stdout.split("\n").slice(0, 6)).toEqual([
      "flowchart LR",
      '  n0[("ast_nodes<br/>dataset")]',
      '  n1[("files<br/>dataset")]',
      '  n2("file_stats<br/>view")',
      '  n3["functions<br/>table"]',
      '  n4["call_edges<br/>table"]',
    ]);
    const d = cpgc(["graph"], dir);
    expect(d.stdout).toContain('"ast_nodes" [shape=cylinder, label="ast_nodes\\ndataset"];');
    const j = JSON.parse(cpgc(["graph", "-f", "json"], dir).stdout) as { format_version: string; edges: unknown[] };
    expect(j.format_version).toBe("1.0");
    expect(j.edges).toHaveLength(6);
    expect(cpgc(["graph", "-f", "svg"], dir).code).toBe(1);
  });

  it("lineage VIEW.COLUMN and an unknown column", () => {
    const r = cpgc(["lineage", "call_edges.function_name"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("call_edges.function_name (table)\n└── functions.name (table)\n    └── ast_nodes.name (dataset)\n");
    const bad = cpgc(["lineage", "functions.nme"], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("view 'functions' has no column 'nme'; did you mean 'name'?");
  });

  it("sql fingerprint -c uses the project's policy: same policy_hash as compile", () => {
    const compiled = JSON.parse(cpgc(["compile", "--json", "--out", join(dir, "out")], dir).stdout) as { policy_hash: string };
    const r = cpgc(["sql", "fingerprint", "-c", "cpg.config.yaml", "--json", "-"], dir, {});
    expect((JSON.parse(r.stdout) as { policy_hash: string }).policy_hash).toBe(compiled.policy_hash);
  });
});
