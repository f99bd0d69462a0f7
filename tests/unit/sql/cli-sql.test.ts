import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../../compiler/src/cli/args.js";
import { sqlCommand } from "../../../compiler/src/cli/commands/sql.js";
import type { CommandIO } from "../../../compiler/src/cli/io.js";

const dir = mkdtempSync(join(tmpdir(), "cpgc-sql-"));
writeFileSync(join(dir, "good.sql"), "select a, count(*) as n\nfrom t\ngroup by a\n");
writeFileSync(join(dir, "bad.sql"), "select a,\nfrom t\n");
writeFileSync(join(dir, "ddl.sql"), "create table t (a int)");
writeFileSync(join(dir, "qualify.sql"), "select a from t qualify row_number() over (order by a) = 1");
writeFileSync(join(dir, "spark.sql"), "select `a b`, 'it\\'s' from t");
writeFileSync(join(dir, "schema.json"), JSON.stringify({ t: { a: "bigint", b: "varchar" }, u: { k: "int64", a: "decimal(10, 2)" } }));
writeFileSync(join(dir, "join.sql"), "select t.a, sum(u.a) as total\nfrom t join u on t.a = u.k\nwhere t.b = 'x'\ngroup by t.a\n");
writeFileSync(join(dir, "join-reformatted.sql"), "-- same query\nSELECT T.A, SUM(U.A) AS TOTAL FROM T JOIN U ON T.A = U.K WHERE T.B = 'x' GROUP BY T.A");
writeFileSync(join(dir, "typo.sql"), "select t.aa from t");
writeFileSync(join(dir, "vars.sql"), "select a from t where a > {{ min_a }}");
writeFileSync(join(dir, "cpg.config.yaml"), "version: 1\nproject: p\npolicy:\n  transforms: [hoist_ctes]\nvariables:\n  min_a: 3\n");

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: dir, env: { NO_COLOR: "1" }, isTTY: false, stderrIsTTY: false };
  const parsed = parseArgs(sqlCommand.spec, argv);
  if (!parsed.ok) throw new Error(parsed.error);
  const code = await sqlCommand.run(parsed.args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("cpgc sql", () => {
  it("parse: ok for a query", async () => {
    expect(await run("parse", "good.sql")).toEqual({ code: 0, out: "ok", err: "" });
  });

  it("parse: diagnostics with file, line and column, exit 1", async () => {
    const r = await run("parse", "bad.sql");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[CPG1000]: expected an expression, found 'from'");
    expect(r.err).toContain("--> bad.sql:2:1");
    expect(r.err).toContain("= hint: remove the ',' before 'from'");
  });

  it("parse --json: one JSON line per input, with the tree", async () => {
    const r = await run("parse", "--json", "good.sql", "ddl.sql");
    expect(r.code).toBe(1);
    const [good, ddl] = r.out.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(good).toMatchObject({ file: "good.sql", ok: true, sql: "SELECT a, count(*) AS n FROM t GROUP BY a", diagnostics: [] });
    expect((good!["ast"] as { kind: string }).kind).toBe("query");
    expect(ddl).toMatchObject({ file: "ddl.sql", ok: false, sql: null, ast: null });
    expect((ddl!["diagnostics"] as { code: string; location: { line: number; column: number } }[])[0]).toMatchObject({
      code: "CPG1001",
      location: { file: "ddl.sql", line: 1, column: 1 },
    });
  });

  it("transpile: prints in the target dialect", async () => {
    expect(await run("transpile", "--to", "spark", "good.sql")).toEqual({ code: 0, out: "SELECT a, count(*) AS n FROM t GROUP BY a", err: "" });
    const r = await run("transpile", "--dialect", "spark", "--to", "duckdb", "spark.sql");
    expect(r).toEqual({ code: 0, out: `SELECT "a b", 'it''s' FROM t`, err: "" });
  });

  it("transpile: a construct the target cannot express fails the input", async () => {
    const r = await run("transpile", "--to", "spark", "qualify.sql");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[CPG1010]: spark cannot express QUALIFY");
    expect(r.err).toContain("--> qualify.sql:1:");
  });

  it("format: pretty-prints, one header per file when there are several", async () => {
    const one = await run("format", "good.sql");
    expect(one.code).toBe(0);
    expect(one.out).toBe("SELECT\n  a,\n  count(*) AS n\nFROM\n  t\nGROUP BY\n  a");
    const two = await run("format", "good.sql", "good.sql");
    expect(two.out.split("\n").filter((l) => l.startsWith("-- "))).toEqual(["-- good.sql", "-- good.sql"]);
  });

  it("reports unreadable files and unknown subcommands", async () => {
    const missing = await run("parse", "nope.sql");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("error[CPG0002]: cannot read nope.sql");
    const unknown = await run("lint", "good.sql");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown subcommand 'lint'; expected one of: parse, qualify, format, fingerprint, lineage, transpile");
  });
});

describe("cpgc sql qualify|fingerprint|lineage", () => {
  it("qualify: the bound query in duckdb, against a schema file", async () => {
    expect(await run("qualify", "--schema", "schema.json", "join.sql")).toEqual({
      code: 0,
      out: "SELECT t.a AS a, sum(u.a) AS total FROM t AS t JOIN u AS u ON t.a = u.k WHERE t.b = 'x' GROUP BY t.a",
      err: "",
    });
  });

  it("qualify: an unknown column is an error with did-you-mean, exit 1", async () => {
    const r = await run("qualify", "--schema", "schema.json", "typo.sql");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[CPG1207]");
    expect(r.err).toContain("--> typo.sql:1:8");
    expect(r.err).toContain("did you mean 't.a'?");
  });

  it("qualify: without --schema, unknown tables are inferred", async () => {
    expect(await run("qualify", "good.sql")).toEqual({ code: 0, out: "SELECT t.a AS a, count(*) AS n FROM t AS t GROUP BY t.a", err: "" });
    expect((await run("qualify", "--schema", "schema.json", "spark.sql", "--dialect", "spark")).code).toBe(1);
  });

  it("fingerprint: formatting and case do not change it; policy_hash is the profile's", async () => {
    const r = await run("fingerprint", "--schema", "schema.json", "join.sql", "join-reformatted.sql");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines.filter((l) => l.startsWith("-- "))).toEqual(["-- join.sql", "-- join-reformatted.sql"]);
    const fps = lines.filter((l) => l.startsWith("ast_fingerprint "));
    expect(fps).toHaveLength(2);
    expect(fps[0]).toMatch(/^ast_fingerprint [0-9a-f]{64}$/);
    expect(fps[1]).toBe(fps[0]);
    const other = await run("fingerprint", "-c", "cpg.config.yaml", "--schema", "schema.json", "join.sql");
    expect(other.out.split("\n")[1]).not.toBe(lines.find((l) => l.startsWith("policy_hash")));
  });

  it("fingerprint -c: the config's variables fill placeholders", async () => {
    const withConfig = await run("fingerprint", "-c", "cpg.config.yaml", "--json", "--schema", "schema.json", "vars.sql");
    expect(withConfig.code).toBe(0);
    expect(JSON.parse(withConfig.out)).toMatchObject({ ok: true, sql: "SELECT t.a AS a FROM t AS t WHERE t.a > 3" });
    const without = await run("fingerprint", "--schema", "schema.json", "vars.sql");
    expect(without.code).toBe(1);
    expect(without.err).toContain("min_a");
  });

  it("lineage: per column sources, tables, join keys, filter columns", async () => {
    expect(await run("lineage", "--schema", "schema.json", "join.sql")).toEqual({
      code: 0,
      out: [
        "columns:",
        "  a      ← t.a",
        "  total  ← u.a",
        "tables:         t, u",
        "join keys:      t.a, u.k",
        "filter columns: t.a, t.b, u.k",
      ].join("\n"),
      err: "",
    });
  });

  it("--json: one line per input with schema, lineage, hashes and diagnostics", async () => {
    const r = await run("lineage", "--json", "--schema", "schema.json", "join.sql", "typo.sql");
    expect(r.code).toBe(1);
    const [good, bad] = r.out.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(good).toMatchObject({
      file: "join.sql",
      ok: true,
      schema: [
        { name: "a", type: "int64", nullable: true },
        { name: "total", type: "decimal(38, 2)", nullable: true },
      ],
      lineage: {
        columns: [
          { name: "a", sources: ["t.a"] },
          { name: "total", sources: ["u.a"] },
        ],
        tables: ["t", "u"],
        join_keys: ["t.a", "u.k"],
        filter_columns: ["t.a", "t.b", "u.k"],
        functions: ["sum"],
      },
      diagnostics: [],
    });
    expect(good!["ast_fingerprint"]).toMatch(/^[0-9a-f]{64}$/);
    expect(good!["policy_hash"]).toMatch(/^[0-9a-f]{64}$/);
    expect(bad).toMatchObject({ file: "typo.sql", ok: false, sql: null, ast_fingerprint: null, schema: null, lineage: null });
    expect((bad!["diagnostics"] as unknown[])[0]).toMatchObject({ code: "CPG1207", location: { file: "typo.sql", line: 1, column: 8 } });
    expect(r.err).toBe("");
  });

  it("a bad schema file stops the run", async () => {
    writeFileSync(join(dir, "bad-schema.json"), JSON.stringify({ t: { a: "no such type" } }));
    const r = await run("qualify", "--schema", "bad-schema.json", "good.sql");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[CPG0200]: bad-schema.json: t.a:");
  });
});
