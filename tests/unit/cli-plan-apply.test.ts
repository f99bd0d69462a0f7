import { describe, expect, it } from "vitest";
import { parseArgs } from "../../compiler/src/cli/args.js";
import { progressLine, resourcesLine, summaryLines } from "../../compiler/src/cli/apply-output.js";
import { applyHint } from "../../compiler/src/cli/commands/plan.js";
import { planCommand } from "../../compiler/src/cli/commands/plan.js";
import { parseDuration } from "../../compiler/src/cli/duration.js";
import { asLockInfo, lockHeldMessage } from "../../compiler/src/cli/lake-lock.js";
import type { ActionResult, ApplyReport } from "../../compiler/src/plan/model.js";

describe("parseDuration (--lock-timeout)", () => {
  it.each<[string, number | null]>([
    ["0", 0],
    ["30", 30_000],
    ["1.5", 1500],
    ["500ms", 500],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["", null],
    ["soon", null],
    ["-1s", null],
    ["2 m", null],
    ["5d", null],
  ])("%j → %j", (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe("plan options", () => {
  it("takes terraform's single-dash spellings and the double-dash ones", () => {
    for (const argv of [["-out", "p.cpgc"], ["--out", "p.cpgc"], ["-out=p.cpgc"], ["-o", "p.cpgc"]]) {
      const r = parseArgs(planCommand.spec, argv);
      expect(r.ok && r.args.options.get("out")).toBe("p.cpgc");
    }
    const r = parseArgs(planCommand.spec, ["-var", "a=1", "-var", "b=x", "--target", "t1", "--target", "t2", "--detailed-exitcode"]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.args.repeated.get("var")).toEqual(["a=1", "b=x"]);
    expect(r.args.repeated.get("target")).toEqual(["t1", "t2"]);
    expect(r.args.options.get("detailed-exitcode")).toBe(true);
  });

  it("prints the apply command for a saved plan, with -c when the config is not the default", () => {
    const args = (argv: string[]) => {
      const r = parseArgs(planCommand.spec, argv);
      if (!r.ok) throw new Error(r.error);
      return r.args;
    };
    expect(applyHint(args([]), "p.cpgc")).toBe("cpgc apply p.cpgc");
    expect(applyHint(args(["-c", "cpg.config.yaml"]), "p.cpgc")).toBe("cpgc apply p.cpgc");
    expect(applyHint(args(["-c", "sub/cpg.yaml"]), "my plan")).toBe("cpgc apply -c sub/cpg.yaml 'my plan'");
  });
});

const action = (over: Partial<ActionResult> & Pick<ActionResult, "table" | "op" | "outcome">): ActionResult => ({
  version: null,
  rows_written: null,
  inputs: {},
  expectations: [],
  error: null,
  duration_ms: 12,
  ...over,
});

const report = (actions: ActionResult[], status: ApplyReport["status"] = "success"): ApplyReport => ({
  run_id: "run-1",
  plan_id: "plan-1",
  started_at: "2025-01-01T00:00:00.000Z",
  ended_at: "2025-01-01T00:00:01.000Z",
  status,
  actions,
  cleaned_files: 0,
});

describe("apply output", () => {
  const layout = { symbol: 3, name: 9 };

  it("prints one aligned line per table: symbol, name, outcome, version, rows, time", () => {
    expect(progressLine(action({ table: "files", op: "create", outcome: "committed", version: 1, rows_written: 3 }), layout, false)).toBe(
      "  +   files      committed        v1  3 rows  12 ms",
    );
    expect(progressLine(action({ table: "functions", op: "rematerialize", outcome: "failed", error: { code: "EXPECTATION_FAILED", message: "x" } }), layout, false)).toBe(
      "  ⟳   functions  failed           12 ms  (EXPECTATION_FAILED)",
    );
    expect(progressLine(action({ table: "v", op: "replace", outcome: "committed", version: 4, rows_written: 1 }), layout, false)).toBe("  -/+ v          committed        v4  1 row  12 ms");
  });

  it("counts what took effect the way the plan summary counts (replace and register are updates)", () => {
    const r = report([
      action({ table: "a", op: "create", outcome: "committed" }),
      action({ table: "b", op: "create", outcome: "already-applied" }),
      action({ table: "c", op: "replace", outcome: "committed" }),
      action({ table: "d", op: "register", outcome: "registered" }),
      action({ table: "e", op: "rematerialize", outcome: "committed" }),
      action({ table: "f", op: "rematerialize", outcome: "unchanged" }),
      action({ table: "g", op: "destroy", outcome: "destroyed" }),
    ]);
    expect(resourcesLine(r)).toBe("Resources: 2 created, 2 updated, 1 rematerialized, 1 destroyed.");
    expect(summaryLines(r, false).filter((l) => l !== "")).toEqual([
      "Apply complete! Resources: 2 created, 2 updated, 1 rematerialized, 1 destroyed.",
      "Run run-1 (plan plan-1) is recorded in _cpgc_runs: cpgc runs",
    ]);
  });

  it("lists failures with expectation counts and sample rows, and skipped descendants", () => {
    const r = report(
      [
        action({ table: "files", op: "update", outcome: "committed", version: 2 }),
        action({
          table: "functions",
          op: "rematerialize",
          outcome: "failed",
          error: { code: "EXPECTATION_FAILED", message: "1 expectation failed" },
          expectations: [
            { expectation: "unique [symbol_id]", passed: false, severity: "error", failing: 2, sample: [{ symbol_id: "s1", n: 2 }], from_stats: false },
            { expectation: "not_null [path]", passed: true, severity: "error", failing: 0, sample: [], from_stats: true },
          ],
        }),
        action({ table: "call_graph", op: "rematerialize", outcome: "skipped", error: { code: "SKIPPED", message: "skipped: functions was not applied" } }),
      ],
      "partial",
    );
    const text = summaryLines(r, false).join("\n");
    expect(text).toContain("Error: functions failed: [EXPECTATION_FAILED] 1 expectation failed");
    expect(text).toContain("  ✗ unique [symbol_id]: 2 offending rows");
    expect(text).toContain('      {"symbol_id":"s1","n":2}');
    expect(text).not.toContain("not_null [path]");
    expect(text).toContain("  functions stays at its previous version");
    expect(text).toContain("Skipped: call_graph — functions was not applied");
    expect(text).toContain("Apply incomplete! Resources: 0 created, 1 updated, 0 rematerialized, 0 destroyed. 1 failed, 1 skipped.");
  });
});

describe("lake lock messages", () => {
  const lock = { id: "L1", owner: "ci@runner", pid: 42, host: "runner", created_at: "2025-01-01T00:00:00Z", expires_at: "2025-01-01T00:10:00Z", plan_id: null };

  it("reads a lease from the lock file's record and from a LOCK_HELD error's details", () => {
    expect(asLockInfo(lock)).toMatchObject({ id: "L1", owner: "ci@runner", pid: 42, host: "runner", acquired_at: "2025-01-01T00:00:00Z" });
    expect(asLockInfo({ id: "L1", owner: "o", pid: "42", host: "h", createdAt: "t0", expiresAt: "t1" })).toMatchObject({ pid: 42, acquired_at: "t0", expires_at: "t1" });
    expect(asLockInfo(null)).toBeNull();
    expect(asLockInfo({ owner: "no id" })).toBeNull();
  });

  it("names the holder and the force-unlock command", () => {
    const text = lockHeldMessage({ code: "LOCK_HELD", details: { id: "L1", owner: "ci@runner", pid: "42", host: "runner" } }, "/lake", 30_000, () => null);
    expect(text.split("\n")).toEqual([
      "error[LOCK_HELD]: the lake at /lake is locked by another cpgc run (waited 30s)",
      "  ID:       L1",
      "  owner:    ci@runner",
      "  process:  pid 42 on runner",
      "  = hint: wait for that run to finish, or retry with --lock-timeout 2m to wait for it",
      "  = hint: if that run is dead, its lease expires by itself; to remove it now: cpgc force-unlock L1",
    ]);
    expect(lockHeldMessage({ code: "LOCK_HELD", message: "held" }, "/lake", 0, () => lock)).toContain("cpgc force-unlock L1");
  });
});
