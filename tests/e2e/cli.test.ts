import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cpgc } from "../helpers/cli.js";
import { INVALID_DIR, REPO_ROOT, SHARED_CONTRACT } from "../helpers/fixture-project.js";

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `cpgc-e2e-${name}-`));
const COMMANDS = ["validate", "compile", "fmt", "schema", "init", "sql", "graph", "lineage", "table", "query", "catalog", "doctor", "plan", "apply", "show", "runs", "force-unlock"];

describe("cpgc CLI", () => {
  it("prints its version", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = cpgc([flag], REPO_ROOT);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`cpgc ${pkg.version}`);
    }
  });

  it("lists every command in --help", () => {
    const r = cpgc(["--help"], REPO_ROOT);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
  });

  it.each(COMMANDS)("has --help for %s", (c) => {
    const a = cpgc([c, "--help"], REPO_ROOT);
    const b = cpgc(["help", c], REPO_ROOT);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain(`Usage: cpgc ${c}`);
    expect(a.stdout).toContain("--help");
    expect(b.stdout).toBe(a.stdout);
  });

  it("suggests the closest command for a typo and exits 1", () => {
    const r = cpgc(["valdate"], REPO_ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'valdate'; did you mean 'validate'?");
  });

  it("rejects unknown options with a hint", () => {
    const r = cpgc(["validate", "--formt", "json"], REPO_ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--formt'");
    expect(r.stderr).toContain("--format");
  });

  it("shows usage and exits 1 with no command", () => {
    const r = cpgc([], REPO_ROOT);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Usage: cpgc <command>");
  });
});

describe("cpgc validate", () => {
  it("passes on the shared contract project, as written", () => {
    const dir = tmp("contract");
    cpSync(SHARED_CONTRACT, dir, { recursive: true });
    const r = cpgc(["validate"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("project 'contract' is valid: 2 datasets, 3 views, 2 policies in 4 spec files");
    expect(r.stdout).toMatch(/call_edges\s+table/);
  });

  it.each([["cpg.config.yaml"], ["examples/minimal/cpg.config.yaml"], ["examples/typescript-specs/cpg.config.yaml"]])("passes on %s", (config) => {
    const r = cpgc(["validate", "-c", config], REPO_ROOT);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ project '\w+' is valid/);
  });

  it("reports errors with code, file:line:column, a code frame with a caret and hints; exit 1", () => {
    const dir = tmp("invalid");
    writeFileSync(join(dir, "cpg.config.yaml"), "version: 1\nproject: p\n");
    cpSync(join(INVALID_DIR, "many-errors-one-file.yaml"), join(dir, "specs", "bad.yaml"), { recursive: true });
    const r = cpgc(["validate"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[CPG0200]: invalid type for column 'a': unknown type 'int6'");
    expect(r.stderr).toContain("  --> specs/bad.yaml:5:24");
    expect(r.stderr).toContain("  5 |     - { name: a, type: int6 }\n    |                        ^^^^");
    expect(r.stderr).toContain("= hint: did you mean 'int64'?");
    expect(r.stderr).toContain("error[CPG0103]: invalid value 'tabel' for 'materialize' of view 'v'");
    expect(r.stderr).toMatch(/✗ invalid: 6 errors in 1 file$/m);
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  it("emits versioned JSON with --format json", () => {
    const dir = tmp("json");
    writeFileSync(join(dir, "cpg.config.yaml"), "version: 1\nproject: p\n");
    cpSync(join(INVALID_DIR, "pk-unknown-column.yaml"), join(dir, "specs", "x.yaml"), { recursive: true });
    const r = cpgc(["validate", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { format_version: string; valid: boolean; error_count: number; diagnostics: { code: string; location: { file: string; line: number; column: number }; hints: string[] }[] };
    expect(out.format_version).toBe("1.0");
    expect(out.valid).toBe(false);
    expect(out.error_count).toBe(1);
    expect(out.diagnostics[0]).toMatchObject({ code: "CPG0300", location: { file: "specs/x.yaml", line: 9, column: 17 } });
    expect(out.diagnostics[0]!.hints).toContain("did you mean 'file_id'?");
  });

  it("summarizes a valid project as JSON, effective policies included", () => {
    const r = cpgc(["validate", "--format", "json", "-c", "examples/minimal/cpg.config.yaml"], REPO_ROOT);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { valid: boolean; summary: { datasets: { name: string; effective_policy: { write: { target_file_size_bytes: number } } }[] } };
    expect(out.valid).toBe(true);
    expect(out.summary.datasets[0]).toMatchObject({ name: "files", effective_policy: { write: { target_file_size_bytes: 64 * 1024 * 1024 } } });
  });

  it("colors only when asked: FORCE_COLOR on, NO_COLOR off", () => {
    const dir = tmp("color");
    writeFileSync(join(dir, "cpg.config.yaml"), "version: 2\nproject: p\n");
    expect(cpgc(["validate"], dir, { NO_COLOR: "", FORCE_COLOR: "1" }).stderr).toMatch(/\x1b\[1;31merror\[CPG0103\]/);
    expect(cpgc(["validate"], dir, { NO_COLOR: "1", FORCE_COLOR: "1" }).stderr).not.toMatch(/\x1b\[/);
  });

  it("says clearly when there is no config", () => {
    const r = cpgc(["validate"], tmp("empty"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[CPG0003]: config file not found: cpg.config.yaml");
    expect(r.stderr).toContain("cpgc init");
  });

  it("takes -var overrides for view SQL variables", () => {
    const dir = tmp("vars");
    cpSync(join(INVALID_DIR, "sql-unknown-variable.yaml"), join(dir, "specs", "v.yaml"), { recursive: true });
    writeFileSync(join(dir, "specs", "t.yaml"), "kind: Dataset\nname: t\nschema:\n  columns:\n    - { name: x, type: int64 }\n");
    writeFileSync(join(dir, "cpg.config.yaml"), "version: 1\nproject: p\n");
    const without = cpgc(["validate"], dir);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain("error[CPG1100]: unknown variable 'treshold'");
    expect(without.stderr).toContain("  --> specs/v.yaml:3:32");
    const withVar = cpgc(["validate", "-var", "treshold=5"], dir);
    expect(withVar.stderr).toBe("");
    expect(withVar.code).toBe(0);
    expect(cpgc(["validate", "-var", "oops"], dir).stderr).toContain("invalid -var 'oops': expected NAME=VALUE");
  });

  it("reports errors in TypeScript specs at their line and column", () => {
    const dir = tmp("ts");
    cpSync(join(INVALID_DIR, "ts-spec-unknown-key"), dir, { recursive: true });
    const r = cpgc(["validate"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[CPG0100]: unknown key 'descripton' in dataset 'files'\n  --> specs/files.cpg.ts:9:3");
    expect(r.stderr).toContain("error[CPG0200]");
  });
});

describe("cpgc compile", () => {
  it("writes the manifest as JSON and canonical msgpack, and prints a summary", () => {
    const dir = tmp("compile");
    cpSync(SHARED_CONTRACT, dir, { recursive: true });
    const r = cpgc(["compile"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("compiled project 'contract': 2 datasets, 3 views → .cpg/build");
    expect(r.stdout).toContain("order: ast_nodes → files → file_stats → functions → call_edges");
    const manifest = JSON.parse(readFileSync(join(dir, ".cpg", "build", "manifest.json"), "utf8")) as { format_version: string; views: unknown[] };
    expect(manifest.format_version).toBe("1.3");
    expect(manifest.views).toHaveLength(3);
    expect(existsSync(join(dir, ".cpg", "build", "manifest.msgpack"))).toBe(true);
    const json = cpgc(["compile", "--json", "--out", "elsewhere"], dir);
    expect(JSON.parse(json.stdout)).toEqual(manifest);
  });

  it("fails with located diagnostics when SQL does not bind", () => {
    const dir = tmp("compile-bad");
    writeFileSync(join(dir, "cpg.config.yaml"), "version: 1\nproject: p\n");
    cpSync(join(INVALID_DIR, "view-unknown-column.yaml"), join(dir, "specs", "v.yaml"), { recursive: true });
    const r = cpgc(["compile"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[CPG1201]: column 'pth' could not be resolved\n  --> specs/v.yaml:11:19");
    expect(existsSync(join(dir, ".cpg"))).toBe(false);
  });
});

describe("cpgc fmt", () => {
  it.each([["cpg.config.yaml"], ["examples/minimal/cpg.config.yaml"], ["examples/typescript-specs/cpg.config.yaml"]])("finds %s already formatted", (config) => {
    const r = cpgc(["fmt", "--check", "-c", config], REPO_ROOT);
    expect(r.stdout + r.stderr).toMatch(/0 files would be formatted/);
    expect(r.code).toBe(0);
  });

  it("finds a project made by cpgc init already formatted", () => {
    const dir = tmp("init-fmt");
    expect(cpgc(["init"], dir).code).toBe(0);
    const r = cpgc(["fmt", "--check"], dir);
    expect(r.stdout + r.stderr).toMatch(/0 files would be formatted/);
    expect(r.code).toBe(0);
  });
});

describe("cpgc schema", () => {
  it("finds the checked-in schemas up to date", () => {
    const r = cpgc(["schema", "--check"], REPO_ROOT);
    expect(r.code).toBe(0);
  });

  it("writes the schemas, then --check passes; a stale file fails --check", () => {
    const dir = tmp("schema");
    expect(cpgc(["schema", "--check", "--out", "s"], dir).code).toBe(1);
    const w = cpgc(["schema", "--out", "s"], dir);
    expect(w.code).toBe(0);
    expect(readdirSync(join(dir, "s")).sort()).toEqual(["config.schema.json", "dataset.schema.json", "deltapolicy.schema.json", "spec.schema.json", "view.schema.json"]);
    expect(cpgc(["schema", "--check", "--out", "s"], dir).code).toBe(0);
    writeFileSync(join(dir, "s", "view.schema.json"), "{}");
    const stale = cpgc(["schema", "--check", "--out", "s"], dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("stale: s/view.schema.json");
  });
});

describe("cpgc init", () => {
  it("scaffolds a project that validates, with schemas and editor settings", () => {
    const dir = tmp("init");
    const r = cpgc(["init", "my-proj"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created project 'my_proj'");
    const proj = join(dir, "my-proj");
    for (const f of ["cpg.config.yaml", "specs/files.yaml", "schemas/spec.schema.json", ".vscode/settings.json", ".gitignore"]) {
      expect(existsSync(join(proj, f)), f).toBe(true);
    }
    expect(readFileSync(join(proj, "specs", "files.yaml"), "utf8")).toMatch(/^# yaml-language-server: \$schema=\.\.\/schemas\/spec\.schema\.json/);
    const v = cpgc(["validate"], proj);
    expect(v.stderr).toBe("");
    expect(v.code).toBe(0);
    expect(cpgc(["schema", "--check"], proj).code).toBe(0);
  });

  it("refuses to overwrite existing files without --force", () => {
    const dir = tmp("init-twice");
    expect(cpgc(["init"], dir).code).toBe(0);
    writeFileSync(join(dir, "cpg.config.yaml"), "# mine\n");
    const again = cpgc(["init"], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("nothing was written");
    expect(readFileSync(join(dir, "cpg.config.yaml"), "utf8")).toBe("# mine\n");
    expect(cpgc(["init", "--force"], dir).code).toBe(0);
  });
});

describe("cpgc doctor", () => {
  it("loads the native addon and DuckDB and runs a query", () => {
    const r = cpgc(["doctor", "--json"], REPO_ROOT);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(out.ok).toBe(true);
    expect(out.checks.map((c) => c.name)).toEqual(["cpgc", "native addon", "DuckDB library", "query"]);
    expect(out.checks[3]!.detail).toContain("→ 42");
  });
});
