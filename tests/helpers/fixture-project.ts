import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..");
export const SHARED_CONTRACT = resolve(REPO_ROOT, "..", "shared", "contract");
export const INVALID_DIR = join(REPO_ROOT, "tests", "fixtures", "invalid");

/** The config every single-file fixture runs under. */
export const FIXTURE_CONFIG = "version: 1\nproject: fixture\nspecs:\n  - specs/**/*.yaml\n";

export interface FixtureCase {
  readonly name: string;
  /** `spec`: one YAML file under specs/; `config`: the project's config; `project`: a whole directory. */
  readonly form: "spec" | "config" | "project";
  readonly source: string;
  readonly expectedFile: string;
}

/** Every case under tests/fixtures/invalid, sorted by name. */
export function invalidCases(): FixtureCase[] {
  return readdirSync(INVALID_DIR)
    .filter((f) => !f.endsWith(".expected.txt"))
    .sort()
    .map((f): FixtureCase => {
      const source = join(INVALID_DIR, f);
      if (statSync(source).isDirectory()) return { name: f, form: "project", source, expectedFile: join(source, "expected.txt") };
      const config = f.endsWith(".config.yaml");
      const name = f.replace(/(\.config)?\.yaml$/, "");
      return { name, form: config ? "config" : "spec", source, expectedFile: join(INVALID_DIR, `${name}.expected.txt`) };
    });
}

/** Lays the case out as a project in a fresh temporary directory and returns that directory. */
export function materialize(c: FixtureCase): string {
  const dir = mkdtempSync(join(tmpdir(), `cpgc-${c.name}-`));
  if (c.form === "project") {
    cpSync(c.source, dir, { recursive: true, filter: (p) => basename(p) !== "expected.txt" });
  } else if (c.form === "config") {
    cpSync(c.source, join(dir, "cpg.config.yaml"));
    mkdirSync(join(dir, "specs"));
  } else {
    writeFileSync(join(dir, "cpg.config.yaml"), FIXTURE_CONFIG);
    mkdirSync(join(dir, "specs"));
    cpSync(c.source, join(dir, "specs", `${c.name}.yaml`));
  }
  return dir;
}
