import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../../compiler/src/plan/model.js";
import { renderPlanMarkdown, renderPlanText } from "../../../compiler/src/render/index.js";
import { cell, fenced, html, mdCode, mdText, mermaidText } from "../../../compiler/src/render/plan-md.js";
import { affectedGraphMermaid } from "../../../compiler/src/render/plan-mermaid.js";
import { change, CREATE_EVERYTHING, DESTRUCTIVE, HOSTILE, NAMED_PLANS, NO_CHANGES_PLAN, noop, plan, planArb, REMATERIALIZE, table } from "./plan-fixtures.js";

const md = renderPlanMarkdown;

/** Markdown with fenced blocks removed, and whether every fence was closed. */
function outsideFences(markdown: string): { text: string; balanced: boolean } {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    if (fence === null) {
      const open = /^(`{3,})[^`]*$/.exec(line);
      if (open) fence = open[1]!;
      else kept.push(line);
    } else if (new RegExp(`^\`{${fence.length},}\\s*$`).test(line)) fence = null;
  }
  return { text: kept.join("\n"), balanced: fence === null };
}

const TAGS = new Set(["details", "summary", "code"]);
/** HTML tags a markdown renderer would see: code spans (whose content is literal) removed first. */
const tagsIn = (s: string) => [...s.replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, "").matchAll(/<(\/?)([a-zA-Z][\w-]*)/g)].map((m) => `${m[1]}${m[2]!.toLowerCase()}`);

describe("renderPlanMarkdown: golden output", () => {
  // Rewrite with `npx vitest run tests/unit/render -u` and review the diff.
  it.each(Object.keys(NAMED_PLANS))("%s", async (name) => {
    await expect(md(NAMED_PLANS[name]!)).toMatchFileSnapshot(`plan-golden/${name}.md`);
  });
});

describe("renderPlanMarkdown: structure", () => {
  it("titles with the summary line, then the short hash and id", () => {
    const lines = md(REMATERIALIZE).split("\n");
    expect(lines[0]).toBe("### Plan: 0 to create, 1 to update, 2 to rematerialize, 0 to destroy.");
    expect(lines[2]).toBe("Plan `9b2e4f0c1d7a` · id `6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f` · project `cpg` · cpgc `0.1.0` · created `2025-06-01T12:00:00.000Z`");
    expect(md(NO_CHANGES_PLAN).split("\n")[0]).toBe("### No changes. Your lake matches the configuration.");
  });

  it("has a table of actions and one <details> per shown table", () => {
    const out = md(DESTRUCTIVE);
    expect(out).toContain("| | Table | Action | Class |\n| :-: | --- | --- | --- |\n| `-/+` | `dataset.files` | replace | destructive |\n");
    expect(out).toContain("| `?` | `orphan.legacy_nodes` | orphan (not destroyed; use --prune) | — |\n");
    expect(out.match(/<details>/g)).toHaveLength(6);
    expect(out.match(/<\/details>/g)).toHaveLength(6);
    expect(out).toContain("<details><summary><code>⟳ view.call_edges</code> [breaking]</summary>\n\n```text\n");
  });

  it("puts the SQL diff in a diff block with markers in column 0", () => {
    expect(md(REMATERIALIZE)).toContain('sql diff:\n\n```diff\n  SELECT\n    "n"."id" AS "id",\n    "n"."name" AS "name",\n-   "n"."file_id" AS "file_id"\n+   "n"."file_id" AS "file_id",\n');
  });

  it("shows errors and warnings as alerts", () => {
    const out = md(DESTRUCTIVE);
    expect(out).toContain("> [!CAUTION]\n> **2 errors**: apply refuses this plan until they are resolved.\n> - **`CPG5101`** `dataset.files`: removing column size is destructive\n>   - hint: pass --allow-destructive");
    expect(out).toContain("> [!WARNING]\n> - table calls was written by delta-rs.0.18.2");
  });

  it.each(Object.entries(NAMED_PLANS))("%s: every line under a table in the text plan is in the markdown", (_name, p) => {
    const mdLines = new Set(md(p).split("\n"));
    const body = renderPlanText(p, { color: false })
      .split("\n")
      .filter((l) => l.startsWith("      "))
      .map((l) => l.slice(6));
    expect(body.length > 0 || p === NO_CHANGES_PLAN || p === NAMED_PLANS["no-changes-orphan"]).toBe(true);
    // SQL diff lines sit one level deeper in the text plan than in the diff block.
    for (const l of body) expect(mdLines.has(l) || mdLines.has(l.slice(2)), l).toBe(true);
  });
});

describe("affectedGraphMermaid", () => {
  it("draws changed tables, their unchanged inputs as context, and the edges into changed tables", () => {
    const p = plan([
      noop("files"),
      noop("ast_nodes"),
      table("functions", "rematerialize", [change("materialize", "non-breaking", "r")], { kind: "view", role: "table", depends_on: ["ast_nodes"] }),
      table("stats", "register", [change("register", "non-breaking", "r")], { kind: "view", role: "view", depends_on: ["functions", "files"] }),
      noop("unrelated", { kind: "view", role: "view", depends_on: ["files"] }),
    ]);
    expect(affectedGraphMermaid(p)).toBe(
      [
        "flowchart LR",
        '  n0[("dataset.files")]:::op_unchanged',
        '  n1[("dataset.ast_nodes")]:::op_unchanged',
        '  n2["⟳ view.functions"]:::op_rematerialize',
        '  n3("= view.stats"):::op_register',
        "  n1 --> n2",
        "  n2 --> n3",
        "  n0 --> n3",
        "  classDef op_rematerialize fill:#ddf4ff,stroke:#0969da,color:#1f2328",
        "  classDef op_register fill:#fbefff,stroke:#8250df,color:#1f2328",
        "  classDef op_unchanged fill:#f6f8fa,stroke:#8c959f,color:#59636e",
      ].join("\n"),
    );
  });

  it("is absent when nothing is shown, and present in the markdown otherwise", () => {
    expect(affectedGraphMermaid(NO_CHANGES_PLAN)).toBeNull();
    expect(md(NO_CHANGES_PLAN)).not.toContain("mermaid");
    expect(md(CREATE_EVERYTHING)).toContain("#### Affected tables\n\n```mermaid\nflowchart LR\n");
  });

  it("draws an input the plan does not list as a plain node", () => {
    const p = plan([table("v", "create", [change("create", "non-breaking", "r")], { kind: "view", depends_on: ["elsewhere"] })]);
    expect(affectedGraphMermaid(p)).toContain('  n1["elsewhere"]:::op_unchanged\n  n1 --> n0\n');
  });
});

describe("markdown escaping", () => {
  const cases: [string, (s: string) => string, string, string][] = [
    ["html", html, `<b>x</b> & "y"`, `&lt;b&gt;x&lt;/b&gt; &amp; "y"`],
    ["mdText emphasis, code, links, pipes", mdText, "*a* _b_ `c` [d](e) f|g ~~h~~ \\", "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) f\\|g \\~\\~h\\~\\~ \\\\"],
    ["mdText html", mdText, "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["mdText leading heading", mdText, "# h", "\\# h"],
    ["mdText leading list", mdText, "- item", "\\- item"],
    ["mdText leading ordered list", mdText, "12. item", "12\\. item"],
    ["mdText inner hyphen and dot", mdText, "delta-rs 0.18. ok", "delta-rs 0.18. ok"],
    ["mdCode plain", mdCode, "dataset.files", "`dataset.files`"],
    ["mdCode with backticks", mdCode, "a`b``c", "```a`b``c```"],
    ["mdCode with edge backtick", mdCode, "`a", "`` `a ``"],
    ["mdCode empty", mdCode, "", "` `"],
    ["cell", (s) => cell(mdCode(s)), "a|b", "`a\\|b`"],
    ["mermaidText", mermaidText, `a"b<c>&d#e\`f`, "a#quot;b#lt;c#gt;#amp;d#35;e#96;f"],
  ];
  it.each(cases)("%s", (_name, f, input, output) => expect(f(input)).toBe(output));

  it("fences longer than any backtick run inside", () => {
    expect(fenced("text", ["a", "b"])).toEqual(["```text", "a", "b", "```"]);
    expect(fenced("text", ["````", "``` x"])).toEqual(["`````text", "````", "``` x", "`````"]);
  });

  it("lets no HTML or markdown from the plan through", () => {
    const out = md(HOSTILE);
    const { text, balanced } = outsideFences(out);
    expect(balanced).toBe(true);
    expect(tagsIn(text).filter((t) => !TAGS.has(t.replace("/", "")))).toEqual([]);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain("<details><summary><code>? orphan.we|rd`name&lt;x&gt;\\u001b[2J\\u202e</code> (not destroyed; use --prune)</summary>");
    expect(out).toContain("| `?` | ``orphan.we\\|rd`name<x>\\u001b[2J\\u202e`` |");
    expect(out).toContain("> - **`CPG<9>`** `dataset.files`: bad \\*input\\* &lt;img src=x onerror=alert(1)&gt;\\\\nsecond line");
    expect(out).toContain("> - \\# not a heading\n> - &gt; not a quote\n");
    expect(out).toContain("`````text\nproperties: set <b>bold</b>");
  });
});

describe("renderers on generated plans", () => {
  const shape = (p: Plan) => {
    const text = renderPlanText(p, { color: false });
    const summaries = text.split("\n").filter((l) => /^Plan: \d+ to create/.test(l) || l.startsWith("No changes."));
    expect(summaries).toHaveLength(1);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(renderPlanText(p, { color: true }).replace(/\x1b\[[0-9;]*m/g, "")).toBe(text);
    const markdown = md(p);
    const { text: outside, balanced } = outsideFences(markdown);
    expect(balanced, markdown).toBe(true);
    expect(tagsIn(outside).filter((t) => !TAGS.has(t.replace("/", ""))), markdown).toEqual([]);
    const tags = tagsIn(outside);
    for (const t of TAGS) expect(tags.filter((x) => x === t).length, t).toBe(tags.filter((x) => x === `/${t}`).length);
  };
  it("text has one summary line and no control characters; markdown keeps fences and tags balanced", () => {
    fc.assert(fc.property(planArb, shape), { numRuns: 300 });
  });
});
