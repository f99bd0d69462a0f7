import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { diagnostic, hasErrors, SourceText, type Diagnostic } from "../../diagnostics/index.js";
import { formatSql } from "../../sql/format.js";
import { DIALECTS, isDialect, locateSqlDiagnostics, parseQuery, printSql, type Dialect, type Query, type SqlDiagnostic } from "../../sql/index.js";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { EXIT, type Command, type CommandIO } from "../io.js";
import { diagnosticsJson, displayPath, printDiagnostics } from "../report.js";

const SUBCOMMANDS = ["parse", "format", "transpile"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const spec: CommandSpec = {
  name: "sql",
  summary: "Work on bare SQL queries: parse, pretty-print or transpile them between dialects.",
  usage: "cpgc sql parse|format|transpile [--dialect D] [--to D] [--json] [FILE…|-]",
  positionals: ["SUBCOMMAND", "FILE"],
  variadic: true,
  options: [
    { name: "dialect", short: "d", value: "D", choices: DIALECTS, description: "Dialect the input is written in (default duckdb)." },
    { name: "to", value: "D", choices: DIALECTS, description: "Dialect to print in (transpile, format; default: --dialect)." },
    { name: "json", description: "One JSON object per input (JSON lines): file, ok, sql, diagnostics (and ast for parse)." },
  ],
  details: [
    "Subcommands:",
    "  parse      check that each input is one query; with --json, print its syntax tree",
    "  format     print each query in canonical form, laid out for reading (sql-formatter)",
    "  transpile  print each query in the --to dialect, on one line",
    "",
    "Reads the files given, or standard input with '-' or no file. A view holds exactly one query:",
    "DDL, DML and several statements are errors. Constructs the target dialect cannot express are",
    "reported (CPG1010) and the input counts as failed.",
    "",
    "Exit codes: 0 every input succeeded, 1 any input failed or bad usage.",
  ].join("\n"),
};

interface Outcome {
  readonly display: string;
  readonly source: SourceText;
  readonly ok: boolean;
  readonly sql: string | null;
  readonly ast: Query | null;
  readonly diagnostics: readonly Diagnostic[];
}

export const sqlCommand: Command = {
  spec,
  async run(args, io) {
    const [sub, ...files] = args.positionals;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
      io.stderr(`error: ${sub ? `unknown subcommand '${sub}'` : "missing subcommand"}; expected one of: ${SUBCOMMANDS.join(", ")}\n\n${spec.usage}`);
      return EXIT.error;
    }
    const from = dialectOption(args, "dialect") ?? "duckdb";
    const to = dialectOption(args, "to") ?? from;
    const json = args.options.has("json");
    const outcomes = (files.length === 0 ? ["-"] : files).map((f) => runOne(sub as Subcommand, f, from, to, io));
    for (const o of outcomes) report(sub as Subcommand, o, outcomes.length, json, io);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.error;
  },
};

function dialectOption(args: ParsedArgs, name: string): Dialect | undefined {
  const v = args.options.get(name);
  return typeof v === "string" && isDialect(v) ? v : undefined;
}

function read(file: string, io: CommandIO): { display: string; text: string } | { display: string; error: string } {
  const display = file === "-" ? "<stdin>" : displayPath(io.cwd, resolve(io.cwd, file));
  try {
    return { display, text: readFileSync(file === "-" ? 0 : resolve(io.cwd, file), "utf8") };
  } catch (err) {
    return { display, error: (err as Error).message };
  }
}

function runOne(sub: Subcommand, file: string, from: Dialect, to: Dialect, io: CommandIO): Outcome {
  const input = read(file, io);
  if ("error" in input) {
    const d = diagnostic("CPG0002", `cannot read ${input.display}: ${input.error}`, { location: { file: input.display } });
    return { display: input.display, source: new SourceText(input.display, ""), ok: false, sql: null, ast: null, diagnostics: [d] };
  }
  const source = new SourceText(input.display, input.text);
  const located = (ds: readonly SqlDiagnostic[]) => locateSqlDiagnostics(ds, source);
  const parsed = parseQuery(input.text, { dialect: from });
  if (!parsed.ok) return { display: input.display, source, ok: false, sql: null, ast: null, diagnostics: located(parsed.diagnostics) };
  if (sub === "parse") return { display: input.display, source, ok: true, sql: printSql(parsed.ast, from).sql, ast: parsed.ast, diagnostics: [] };
  const printed = printSql(parsed.ast, to);
  const diagnostics = located(printed.diagnostics);
  const sql = sub === "format" ? formatSql(printed.sql, to) : printed.sql;
  return { display: input.display, source, ok: !hasErrors(diagnostics), sql, ast: null, diagnostics };
}

function report(sub: Subcommand, o: Outcome, count: number, json: boolean, io: CommandIO): void {
  if (json) {
    io.stdout(
      JSON.stringify({
        file: o.display,
        ok: o.ok,
        sql: o.sql,
        ...(sub === "parse" ? { ast: o.ast } : {}),
        diagnostics: diagnosticsJson(o.diagnostics),
      }),
    );
    return;
  }
  printDiagnostics(o.diagnostics, new Map([[o.display, o.source]]), io);
  if (sub === "parse") {
    if (o.ok) io.stdout(count > 1 ? `${o.display}: ok` : "ok");
    return;
  }
  if (o.sql === null) return;
  if (count > 1) io.stdout(`-- ${o.display}`);
  io.stdout(o.sql);
}
