import { validateProject } from "../../compile/index.js";
import { hasErrors } from "../../diagnostics/index.js";
import { summarize, type ProjectSummary } from "../../spec/index.js";
import type { CommandSpec } from "../args.js";
import { EXIT, useColor, type Command } from "../io.js";
import { countLine, diagnosticsJson, printDiagnostics } from "../report.js";
import { checkCachePath, openCheckCache, saveCheckCache } from "../check-cache-file.js";
import { shippedFunctionCatalog } from "../function-catalog.js";
import { parseVarFlags } from "../vars.js";

const spec: CommandSpec = {
  name: "validate",
  summary: "Validate the project's config and specs, reporting every problem with its file, line and column.",
  usage: "cpgc validate [-c FILE] [--format text|json] [--quiet] [-var NAME=VALUE …]",
  positionals: [],
  options: [
    { name: "config", short: "c", value: "FILE", description: "Project config file (default ./cpg.config.yaml)." },
    { name: "format", value: "FORMAT", choices: ["text", "json"], description: "Output format." },
    { name: "quiet", short: "q", description: "Print only diagnostics, no summary of what the project declares." },
    { name: "var", value: "NAME=VALUE", repeatable: true, description: "Set a variable for view SQL, over the config's `variables` (repeatable)." },
    { name: "no-cache", description: "Check every view's SQL from scratch, ignoring and not writing .cpg/cache/validate.json." },
  ],
  details: "Views whose SQL and input schemas are unchanged since the last valid run are not re-checked\n(.cpg/cache/validate.json next to the config; --no-cache to bypass).\nExit codes: 0 valid (warnings allowed), 1 invalid.\nJSON output (--format json) carries format_version; a minor bump only adds keys.",
};

export const VALIDATE_JSON_VERSION = "1.0";

export const validateCommand: Command = {
  spec,
  async run(args, io) {
    const configPath = (args.options.get("config") as string | undefined) ?? "cpg.config.yaml";
    const vars = parseVarFlags(args.repeated.get("var") ?? []);
    if (!vars.ok) {
      io.stderr(`error: ${vars.error}`);
      return EXIT.error;
    }
    const functions = shippedFunctionCatalog();
    const cachePath = checkCachePath(io.cwd, configPath);
    const cache = args.options.has("no-cache") ? undefined : openCheckCache(cachePath, functions);
    const result = await validateProject(configPath, functions, { cwd: io.cwd, variables: vars.variables, ...(cache ? { cache } : {}) });
    if (cache && result.model) saveCheckCache(cachePath, cache);
    const ok = !hasErrors(result.diagnostics);
    const summary = result.model ? summarize(result.model) : null;
    if (args.options.get("format") === "json") {
      io.stdout(
        JSON.stringify(
          {
            format_version: VALIDATE_JSON_VERSION,
            valid: ok,
            error_count: result.diagnostics.filter((d) => d.severity === "error").length,
            warning_count: result.diagnostics.filter((d) => d.severity === "warning").length,
            diagnostics: diagnosticsJson(result.diagnostics),
            summary,
          },
          null,
          2,
        ),
      );
      return ok ? EXIT.ok : EXIT.error;
    }
    printDiagnostics(result.diagnostics, result.sources, io);
    const color = useColor(io);
    if (!ok) {
      io.stderr(`${color ? "\x1b[1;31m✗\x1b[0m" : "✗"} invalid: ${countLine(result.diagnostics)}`);
      return EXIT.error;
    }
    if (summary) {
      const warn = result.diagnostics.length > 0 ? ` (${countLine(result.diagnostics)})` : "";
      io.stdout(`${color ? "\x1b[1;32m✓\x1b[0m" : "✓"} ${headline(summary)}${warn}`);
      if (!args.options.has("quiet")) io.stdout(renderSummary(summary));
    }
    return EXIT.ok;
  },
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function headline(s: ProjectSummary): string {
  return `project '${s.project}' is valid: ${plural(s.datasets.length, "dataset")}, ${plural(s.views.length, "view")}, ${plural(s.policies.length, "policy", "policies")} in ${plural(s.files, "spec file")}`;
}

/** The text summary of what a project declares: one aligned row per table and policy. */
export function renderSummary(s: ProjectSummary): string {
  const lines: string[] = [];
  const table = (title: string, rows: string[][]) => {
    if (rows.length === 0) return;
    lines.push("", title);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    for (const r of rows) lines.push(`  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`.trimEnd());
  };
  table(
    "Datasets",
    s.datasets.map((d) => [d.name, `${d.columns.length} columns`, d.source, d.policy ? `policy ${d.policy}` : "no policy", features(d.effective_policy?.features)]),
  );
  table(
    "Views",
    s.views.map((v) => [v.name, v.materialize, `sql ${v.sql_from}`, plural(v.expectations, "expectation"), v.policy ? `policy ${v.policy}` : "no policy", features(v.effective_policy?.features)]),
  );
  table(
    "Policies",
    s.policies.map((p) => [p.name, p.extends ? `extends ${p.extends}` : "", features(p.features)]),
  );
  return lines.join("\n").replace(/^\n/, "");
}

function features(f: readonly string[] | undefined): string {
  return f && f.length > 0 ? `features ${f.join(", ")}` : "";
}
