import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/fixture-project.js";

/**
 * TypeScript specs are typed from the zod schemas: the example type-checks as a user's editor
 * would check it (importing "cpgc"), and a misspelled key in a fixture is flagged — that fixture
 * marks the line with @ts-expect-error, so tsc fails if the typing ever stops catching it.
 */
describe("TypeScript spec typing", () => {
  it.each([["examples/typescript-specs"], ["tests/fixtures/invalid/ts-spec-unknown-key"]])("tsc accepts %s", (dir) => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", join(REPO_ROOT, dir)], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
