/** `cpgc fmt` end to end, in process, on temporary projects. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { parseArgs } from "../../../compiler/src/cli/args.js";
import { fmtCommand } from "../../../compiler/src/cli/commands/fmt.js";
import type { CommandIO } from "../../../compiler/src/cli/io.js";

const CONFIG = "project: demo\nversion: 1\nspecs:\n  - specs/**/*.yaml\n  - specs/**/*.cpg.ts\n";
const CONFIG_FORMATTED = "version: 1\nproject: demo\nspecs:\n  - specs/**/*.yaml\n  - specs/**/*.cpg.ts\n";
const SCRAMBLED = "name: files\nkind: Dataset\nschema:\n  columns:\n    - { type: utf8, name: id }\n";
const FORMATTED = "kind: Dataset\nname: files\nschema:\n  columns:\n    - { name: id, type: utf8 }\n";
const POLICY = "kind: DeltaPolicy\nname: default\n";
const TS_SPEC = "export default { name: 'x', kind: 'View' };\n";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cpgc-fmt-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function run(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: { NO_COLOR: "1" }, isTTY: false, stderrIsTTY: false };
  const parsed = parseArgs(fmtCommand.spec, argv);
  if (!parsed.ok) throw new Error(parsed.error);
  const code = await fmtCommand.run(parsed.args, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

describe("cpgc fmt", () => {
  test("formats the config and the YAML specs in place, and reports what it did", async () => {
    const dir = project({ "cpg.config.yaml": CONFIG, "specs/files.yaml": SCRAMBLED, "specs/policy.yaml": POLICY, "specs/view.cpg.ts": TS_SPEC });
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("formatted cpg.config.yaml\nformatted specs/files.yaml\n2 files formatted, 1 unchanged");
    expect(r.stderr).toBe("");
    expect(read(dir, "cpg.config.yaml")).toBe(CONFIG_FORMATTED);
    expect(read(dir, "specs/files.yaml")).toBe(FORMATTED);
    expect(read(dir, "specs/policy.yaml")).toBe(POLICY);
    expect(read(dir, "specs/view.cpg.ts")).toBe(TS_SPEC);
    expect(readdirSync(join(dir, "specs")).sort()).toEqual(["files.yaml", "policy.yaml", "view.cpg.ts"]);

    const again = await run(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("0 files formatted, 3 unchanged");
  });

  test("does not rewrite unchanged files and keeps the mode of changed ones", async () => {
    const dir = project({ "cpg.config.yaml": CONFIG_FORMATTED, "specs/files.yaml": SCRAMBLED, "specs/policy.yaml": POLICY });
    chmodSync(join(dir, "specs/files.yaml"), 0o640);
    const before = statSync(join(dir, "specs/policy.yaml")).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await run(dir);
    expect(statSync(join(dir, "specs/policy.yaml")).mtimeMs).toBe(before);
    expect(statSync(join(dir, "specs/files.yaml")).mode & 0o777).toBe(0o640);
  });

  test("--check writes nothing, lists the unformatted files and exits 1", async () => {
    const dir = project({ "cpg.config.yaml": CONFIG_FORMATTED, "specs/files.yaml": SCRAMBLED, "specs/policy.yaml": POLICY });
    const r = await run(dir, "--check");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("would format specs/files.yaml\n1 file would be formatted, 2 unchanged");
    expect(read(dir, "specs/files.yaml")).toBe(SCRAMBLED);
  });

  test("--check exits 0 when everything is formatted", async () => {
    const dir = project({ "cpg.config.yaml": CONFIG_FORMATTED, "specs/files.yaml": FORMATTED });
    const r = await run(dir, "--check");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("0 files would be formatted, 2 unchanged");
  });

  test("--diff prints a unified diff per file, writes nothing and exits 1", async () => {
    const dir = project({ "cpg.config.yaml": CONFIG_FORMATTED, "specs/files.yaml": SCRAMBLED });
    const r = await run(dir, "--diff");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "would format specs/files.yaml",
        "--- a/specs/files.yaml",
        "+++ b/specs/files.yaml",
        "@@ -1,5 +1,5 @@",
        "-name: files",
        " kind: Dataset",
        "+name: files",
        " schema:",
        "   columns:",
        "-    - { type: utf8, name: id }",
        "+    - { name: id, type: utf8 }",
        "1 file would be formatted, 1 unchanged",
      ].join("\n"),
    );
    expect(read(dir, "specs/files.yaml")).toBe(SCRAMBLED);
  });

  test("-c selects the config; paths are shown relative to the working directory", async () => {
    const dir = project({ "proj/cpg.config.yaml": CONFIG_FORMATTED, "proj/specs/files.yaml": SCRAMBLED });
    const r = await run(dir, "-c", "proj/cpg.config.yaml");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("formatted proj/specs/files.yaml\n1 file formatted, 1 unchanged");
    expect(read(dir, "proj/specs/files.yaml")).toBe(FORMATTED);
  });

  test("an invalid config is reported and nothing is formatted", async () => {
    const dir = project({ "cpg.config.yaml": `${CONFIG}colour: blue\n`, "specs/files.yaml": SCRAMBLED });
    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[CPG0100]");
    expect(r.stderr).toContain("cpg.config.yaml:6:1");
    expect(read(dir, "specs/files.yaml")).toBe(SCRAMBLED);
  });

  test("a missing config is an error", async () => {
    const dir = project({});
    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[CPG0003]: config file not found: cpg.config.yaml");
  });

  test("a spec with a YAML syntax error is left alone and reported; the others are formatted", async () => {
    const broken = "kind: View\nname: [v\n";
    const dir = project({ "cpg.config.yaml": CONFIG_FORMATTED, "specs/bad.yaml": broken, "specs/files.yaml": SCRAMBLED });
    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("formatted specs/files.yaml\n1 file formatted, 1 unchanged, 1 not formatted (errors)");
    expect(r.stderr).toMatch(/error\[CPG0001\][^\n]*\n\s+--> specs\/bad\.yaml:\d+:\d+/);
    expect(read(dir, "specs/bad.yaml")).toBe(broken);
    expect(read(dir, "specs/files.yaml")).toBe(FORMATTED);
  });

  test("a query sql-formatter cannot parse is a warning, not a failure", async () => {
    const view = "name: v\nkind: View\nsql: select {{ 1x }}\n";
    const dir = project({ "cpg.config.yaml": CONFIG_FORMATTED, "specs/v.yaml": view });
    const r = await run(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("formatted specs/v.yaml\n1 file formatted, 1 unchanged");
    expect(r.stderr).toContain("warning[CPG0800]");
    expect(r.stderr).toContain("specs/v.yaml:3:");
    expect(read(dir, "specs/v.yaml")).toBe("kind: View\nname: v\nsql: select {{ 1x }}\n");
  });
});
