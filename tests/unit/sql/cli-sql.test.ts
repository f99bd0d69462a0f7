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
    expect(unknown.err).toContain("unknown subcommand 'lint'; expected one of: parse, format, transpile");
  });
});
