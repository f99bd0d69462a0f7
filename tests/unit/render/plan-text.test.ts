import { describe, expect, it } from "vitest";
import type { ColumnDiff, TableOp } from "../../../compiler/src/plan/model.js";
import { renderPlanText } from "../../../compiler/src/render/index.js";
import { sqlDiffLines } from "../../../compiler/src/render/plan-sql-diff.js";
import { clean, lineText, NO_CHANGES } from "../../../compiler/src/render/plan-view.js";
import { change, CREATE_EVERYTHING, DESTRUCTIVE, HOSTILE, NAMED_PLANS, NO_CHANGES_PLAN, noop, plan, REMATERIALIZE, table } from "./plan-fixtures.js";

const SGR = /\x1b\[[0-9;]*m/g;
const text = (p: Parameters<typeof renderPlanText>[0]) => renderPlanText(p, { color: false });
const lastLine = (s: string) => s.trimEnd().split("\n").at(-1);

describe("renderPlanText: golden output", () => {
  // Rewrite with `npx vitest run tests/unit/render -u` and review the diff.
  it.each(Object.keys(NAMED_PLANS))("%s", async (name) => {
    await expect(text(NAMED_PLANS[name]!)).toMatchFileSnapshot(`plan-golden/${name}.txt`);
  });
});

describe("renderPlanText: structure", () => {
  it.each(Object.entries(NAMED_PLANS))("%s ends with exactly one summary line", (_name, p) => {
    const out = text(p);
    const summaries = out.split("\n").filter((l) => l.startsWith("Plan: ") || l === NO_CHANGES);
    expect(summaries).toHaveLength(1);
    expect(lastLine(out)).toBe(summaries[0]);
    expect(out.endsWith("\n")).toBe(true);
  });

  it("says there are no changes only when nothing acts and nothing is refused", () => {
    expect(text(NO_CHANGES_PLAN)).toBe(`${NO_CHANGES}\n`);
    const refused = plan([noop("files")], { errors: [{ table: "files", code: "CPG5101", message: "m", hints: [] }] });
    expect(lastLine(text(refused))).toBe("Plan: 0 to create, 0 to update, 0 to rematerialize, 0 to destroy.");
  });

  it("hides noop tables", () => {
    const out = text(REMATERIALIZE);
    expect(out).not.toContain("dataset.files");
    expect(out).not.toContain("view.file_stats");
    expect(out).toContain("⟳ view.functions [non-breaking]");
  });

  it("is deterministic", () => {
    for (const p of Object.values(NAMED_PLANS)) expect(text(p)).toBe(text(structuredClone(p)));
  });

  const headers: [TableOp, string][] = [
    ["create", "+ dataset.t [non-breaking]"],
    ["update", "~ dataset.t [non-breaking]"],
    ["replace", "-/+ dataset.t [non-breaking]"],
    ["rematerialize", "⟳ dataset.t [non-breaking]"],
    ["register", "= dataset.t [non-breaking]"],
    ["destroy", "- dataset.t [non-breaking]"],
  ];
  it.each(headers)("header of %s", (op, header) => {
    const out = text(plan([table("t", op, [change("schema", "non-breaking", "r")])]));
    expect(out).toContain(`\n  ${header}\n      schema: r\n`);
  });

  it("lists orphans apart, with the --prune wording", () => {
    const out = text(plan([noop("a"), table("old", "orphan", [], { kind: "orphan", role: "orphan" })]));
    expect(out).toContain("Tables in the lake that no spec names:\n\n  ? orphan.old (not destroyed; use --prune)\n");
    expect(out).toContain("  ? orphan (not destroyed; use --prune)\n");
    expect(out).not.toContain("cpgc will perform the following actions");
  });

  const columns: [ColumnDiff, string][] = [
    [{ column: "c", change: "added", before: null, after: "int64" }, "+ c: int64"],
    [{ column: "c", change: "removed", before: "int64", after: null }, "- c: int64"],
    [{ column: "c", change: "removed", before: null, after: null }, "- c"],
    [{ column: "c", change: "retyped", before: "int32", after: "int64" }, "~ c: int32 → int64"],
    [{ column: "c", change: "renamed", before: "old_c", after: "c" }, "~ c ← old_c (rename)"],
    [{ column: "c", change: "nullability", before: "true", after: "false" }, "~ c: nullable → not null"],
  ];
  it.each(columns)("schema diff %j", (diff, shown) => {
    expect(text(plan([table("t", "update", [change("schema", "breaking", "r")], { schema_diff: [diff] })]))).toContain(`      schema:\n        ${shown}\n`);
  });

  const attributes: [string | null, string | null, string][] = [
    ["10", "20", '~ k: "10" → "20"'],
    [null, "20", '+ k: "20"'],
    ["10", null, '- k: "10"'],
  ];
  it.each(attributes)("attribute %j → %j", (before, after, shown) => {
    const out = text(plan([table("t", "update", [change("properties", "metadata-only", "r", [{ name: "k", before, after }])])]));
    expect(out).toContain(`      properties: r\n        ${shown}\n`);
  });

  it("shows a change's class when it differs from the table's", () => {
    const out = text(plan([table("t", "update", [change("schema", "breaking", "a"), change("writer", "new-files-only", "b")])]));
    expect(out).toContain("~ dataset.t [breaking]\n      schema: a\n      writer: b [new-files-only]\n");
  });

  it("explains indirect rematerializations and hidden attributes", () => {
    const out = text(REMATERIALIZE);
    expect(out).toContain("      (because inputs changed: ast_nodes.kind, ast_nodes.name)\n");
    expect(out).toContain("      (14 unchanged attributes hidden)\n");
    expect(out).toContain("      (1 unchanged attribute hidden)\n");
  });

  it("lists drift commits with version, operation and engine", () => {
    const out = text(DESTRUCTIVE);
    expect(out).toContain("      2 commits not made by cpgc:\n        v12 WRITE by Apache-Spark/3.5.1 Delta-Lake/3.2.0 at 2024-06-01T12:00:00.000Z\n        v13 (unknown operation) by (unknown engine)\n");
  });

  it("shows errors with hints, and warnings, before the summary", () => {
    const out = text(DESTRUCTIVE);
    expect(out).toContain("Error: [CPG5101] dataset.files: removing column size is destructive\n  hint: pass --allow-destructive");
    expect(out).toContain("Warning: table calls was written by delta-rs.0.18.2");
    expect(out.indexOf("Error:")).toBeLessThan(out.indexOf("Plan: "));
  });

  it("states the scope options", () => {
    const p = plan([table("t", "update", [change("drift", "cosmetic", "r")])], {
      options: { allow_destructive: true, prune: false, refresh_only: true, targets: ["functions", "calls"], excludes: ["x"], variables: { root_package: "json" } },
    });
    expect(text(p).split("\n").slice(0, 5)).toEqual([
      "Refresh-only plan (--refresh-only): records drift, changes no data.",
      "Targeted plan (--target): functions, calls and the ancestors they need.",
      "Excluded (--exclude): x.",
      "Destructive changes are allowed (--allow-destructive).",
      "Variables (-var): root_package=json.",
    ]);
  });
});

describe("renderPlanText: color", () => {
  it.each(Object.entries(NAMED_PLANS))("%s: color only adds escapes", (_name, p) => {
    const plain = text(p);
    const colored = renderPlanText(p, { color: true });
    expect(plain).not.toMatch(/\x1b/);
    expect(colored.replace(SGR, "")).toBe(plain);
    if (p !== NO_CHANGES_PLAN) expect(colored).not.toBe(plain);
  });

  const painted: [string, string][] = [
    ["create symbol green", "\x1b[32m+\x1b[0m \x1b[1mdataset.files\x1b[0m"],
    ["register symbol cyan", "\x1b[36m=\x1b[0m \x1b[1mview.file_stats\x1b[0m"],
    ["added SQL line green", "        \x1b[32m+ SELECT\x1b[0m"],
    ["added column green", "        \x1b[32m+ id: int64 not null\x1b[0m"],
    ["summary bold", "\x1b[1mPlan:\x1b[0m 3 to create"],
  ];
  it.each(painted)("%s", (_what, fragment) => {
    expect(renderPlanText(CREATE_EVERYTHING, { color: true })).toContain(fragment);
  });

  it("paints update yellow, rematerialize cyan, replace red/green, destroy and removals red, errors bold red", () => {
    const r = renderPlanText(REMATERIALIZE, { color: true });
    expect(r).toContain("\x1b[33m~\x1b[0m \x1b[1mdataset.ast_nodes\x1b[0m");
    expect(r).toContain("\x1b[36m⟳\x1b[0m \x1b[1mview.functions\x1b[0m");
    expect(r).toContain("\x1b[2m(because inputs changed: ast_nodes.kind, ast_nodes.name)\x1b[0m");
    const d = renderPlanText(DESTRUCTIVE, { color: true });
    expect(d).toContain("\x1b[31m-\x1b[0m/\x1b[32m+\x1b[0m \x1b[1mdataset.files\x1b[0m");
    expect(d).toContain("\x1b[31m-\x1b[0m \x1b[1morphan.tmp_scratch\x1b[0m");
    expect(d).toContain("        \x1b[31m- size: int64\x1b[0m");
    expect(d).toContain("\x1b[1;31mError:\x1b[0m");
  });

  it("no-change line is green", () => {
    expect(renderPlanText(NO_CHANGES_PLAN, { color: true })).toBe(`\x1b[32m${NO_CHANGES}\x1b[0m\n`);
  });
});

describe("renderPlanText: hostile strings", () => {
  it("prints no control character from the plan, colored or not", () => {
    for (const color of [false, true]) {
      const out = renderPlanText(HOSTILE, { color }).replace(SGR, "");
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    const out = text(HOSTILE);
    expect(out).toContain("? orphan.we|rd`name<x>\\u001b[2J\\u202e (not destroyed; use --prune)");
    expect(out).toContain("bad *input* <img src=x onerror=alert(1)>\\nsecond line");
  });

  const cleaned: [string, string][] = [
    ["plain", "plain"],
    ["a\nb\tc\rd", "a\\nb\\tc\\rd"],
    ["\u001b[31m", "\\u001b[31m"],
    ["\u009b1m", "\\u009b1m"],
    ["rtl\u202eevil\u2066", "rtl\\u202eevil\\u2066"],
    ["ünïcödé ⟳", "ünïcödé ⟳"],
  ];
  it.each(cleaned)("clean(%j)", (input, output) => expect(clean(input)).toBe(output));
});

describe("sqlDiffLines", () => {
  const render = (before: string | null, after: string) => sqlDiffLines(before, after).map(lineText);

  it("shows a new query as added lines", () => {
    expect(render(null, "SELECT a FROM t")).toEqual(["  + SELECT", "  +   a", "  + FROM", "  +   t"]);
  });

  it("folds unchanged runs longer than one line beyond three lines of context", () => {
    const cols = (n: number, extra: string) => `SELECT ${Array.from({ length: n }, (_, i) => `c${i}`).join(", ")}${extra} FROM t`;
    const lines = render(cols(12, ""), cols(12, ", z"));
    expect(lines[0]).toBe("  … 9 unchanged lines");
    expect(lines.slice(1)).toEqual(["      c8,", "      c9,", "      c10,", "  -   c11", "  +   c11,", "  +   z", "    FROM", "      t"]);
  });

  it("says when queries differ only in layout", () => {
    expect(render("SELECT a FROM t", "SELECT a  FROM t")).toEqual(["  (the queries differ only in layout)"]);
  });
});
