/** The extractor's own Python unit tests (extractors/python/tests), run with python3's unittest. */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { expect, it } from "vitest";

import { REPO } from "./helpers.js";

it("python3 -m unittest over extractors/python/tests passes", () => {
  const r = spawnSync("python3", ["-B", "-m", "unittest", "discover", "-s", path.join(REPO, "extractors", "python", "tests")], { encoding: "utf8" });
  expect(r.stderr).toMatch(/\nOK\s*$/);
  expect(r.status).toBe(0);
});
