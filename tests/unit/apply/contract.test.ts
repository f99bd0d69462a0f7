// The contract project through the library (no CLI): compile → desired → observe → plan → apply,
// then the next plan is empty; a source edit reloads only what reads the changed columns.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { shippedFunctionCatalog } from "../../../compiler/src/cli/function-catalog.js";
import { compileProject, validateProject } from "../../../compiler/src/compile/index.js";
import { desiredState } from "../../../compiler/src/plan/desired.js";
import { planChanges } from "../../../compiler/src/plan/diff.js";
import type { DesiredState, Plan } from "../../../compiler/src/plan/model.js";
import { openDatabase, registerDeltaView } from "../../../runtime-native/index.js";
import { applyPlan } from "../../../runtime-native/ts/apply/execute.js";
import { observeLake } from "../../../runtime-native/ts/apply/observe.js";
import { readRuns } from "../../../runtime-native/ts/apply/runs.js";
import { registerLogicalViews } from "../../../runtime-native/ts/apply/views.js";

const CONTRACT = path.resolve(import.meta.dirname, "../../../../shared/contract");
const dir = mkdtempSync(path.join(tmpdir(), "cpgc-contract-"));
const db = openDatabase({ threads: 2 });
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const OPTIONS = { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [], variables: {} };
let planNo = 0;

async function desired(): Promise<DesiredState> {
  const functions = shippedFunctionCatalog();
  const validated = await validateProject(path.join(dir, "cpg.config.yaml"), functions, { cwd: dir });
  if (!validated.model) throw new Error(validated.diagnostics.map((d) => d.message).join("\n"));
  const compiled = compileProject(validated.model, functions, validated.sources);
  if (!compiled.manifest) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
  return desiredState(compiled.manifest, { configDir: validated.model.rootDir, lakeRoot: path.resolve(validated.model.rootDir, ".cpg/lake") });
}

function planOf(d: DesiredState): Plan {
  return planChanges(d, observeLake(d, { db, digests: true }), OPTIONS, { cpgc_version: "0.0.0-test", plan_id: `contract-${++planNo}`, created_at: new Date().toISOString() });
}

const changed = (p: Plan) => p.tables.filter((t) => t.op !== "noop").map((t) => `${t.name}:${t.op}`);

describe.skipIf(!existsSync(CONTRACT))("the contract project", () => {
  it("applies, converges, and answers queries; a source edit reloads only what reads the changed columns", async () => {
    cpSync(CONTRACT, dir, { recursive: true });
    const d = await desired();
    const first = planOf(d);
    expect(first.errors).toEqual([]);
    expect(changed(first)).toEqual(["ast_nodes:create", "files:create", "file_stats:register", "functions:create", "call_edges:create"]);
    const report = await applyPlan(first, d, { db });
    expect(report.actions.map((a) => `${a.table}:${a.outcome}`)).toEqual(["ast_nodes:committed", "files:committed", "file_stats:registered", "functions:committed", "call_edges:committed"]);
    expect(report.status).toBe("success");
    expect(changed(planOf(d))).toEqual([]);
    expect(readRuns(d.lake_root, { db })).toHaveLength(1);

    const q = openDatabase({ threads: 1 });
    try {
      for (const name of ["files", "ast_nodes", "functions", "call_edges"]) registerDeltaView(q, name, path.join(d.lake_root, name));
      expect(registerLogicalViews(q, d.lake_root).failed).toEqual([]);
      expect(q.query("SELECT count(*) AS n FROM functions").rows).toEqual([{ n: 22 }]);
      expect(q.query("SELECT count(*) AS n FROM call_edges").rows).toEqual([{ n: 138 }]);
      expect(q.query("SELECT path, n_nodes, n_calls FROM file_stats ORDER BY path").rows).toEqual([
        { path: "json/decoder.py", n_nodes: 1077, n_calls: 71 },
        { path: "json/encoder.py", n_nodes: 1098, n_calls: 80 },
      ]);
    } finally {
      q.close();
    }

    // size_bytes is read by nothing downstream: only files reloads.
    const files = path.join(dir, "data/files.ndjson");
    writeFileSync(files, readFileSync(files, "utf8").replace('"size_bytes": 12473', '"size_bytes": 12474'));
    const sizeOnly = planOf(d);
    expect(changed(sizeOnly)).toEqual(["files:update"]);
    await applyPlan(sizeOnly, d, { db });
    expect(changed(planOf(d))).toEqual([]);

    // lines is read by functions (its filter); its rows stay the same, so call_edges is unchanged at apply time.
    writeFileSync(files, readFileSync(files, "utf8").replace('"lines": 356', '"lines": 357'));
    const lines = planOf(d);
    expect(changed(lines)).toEqual(["files:update", "functions:rematerialize", "call_edges:rematerialize"]);
    expect((await applyPlan(lines, d, { db })).actions.map((a) => `${a.table}:${a.outcome}`)).toEqual(["files:committed", "functions:committed", "call_edges:unchanged"]);
    expect(changed(planOf(d))).toEqual([]);
  });
});
