// exit-code.ts: --detailed-exitcode.
import { describe, expect, it } from "vitest";
import { planExitCode } from "../../../compiler/src/plan/exit-code.js";
import type { ObservedState } from "../../../compiler/src/plan/model.js";
import { applied, dataset, desired, drifted, emptyLake, plan } from "./fixtures.js";

const D = desired(dataset("a", ["id int64"]), dataset("m", ["id int64"], { source: null }));
const WITH_CDF = desired(dataset("a", ["id int64"], { policy: { features: ["changeDataFeed"] } }), dataset("m", ["id int64"], { source: null }));

describe("planExitCode", () => {
  it.each<[string, () => ReturnType<typeof plan>, 0 | 2 | 3]>([
    ["nothing to do", () => plan(D, applied(D)), 0],
    ["changes", () => plan(D, emptyLake(D)), 2],
    ["an irreversible feature upgrade", () => plan(WITH_CDF, applied(D)), 3],
    ["a destroy (prune)", () => plan(D, { ...applied(D), orphans: [{ name: "o", path: "/o", version: 1, table_id: "i" }] } as ObservedState, { prune: true }), 3],
    ["a listed orphan is not a change", () => plan(D, { ...applied(D), orphans: [{ name: "o", path: "/o", version: 1, table_id: "i" }] } as ObservedState), 0],
    ["drift on a managed table is shown, not a change", () => plan(D, drifted(applied(D), "m")), 0],
    ["--refresh-only: drift found", () => plan(D, drifted(applied(D), "m"), { refresh_only: true }), 2],
    ["--refresh-only: no drift", () => plan(D, applied(D), { refresh_only: true }), 0],
  ])("%s → %d", (_title, make, code) => {
    expect(planExitCode(make())).toBe(code);
  });
});
