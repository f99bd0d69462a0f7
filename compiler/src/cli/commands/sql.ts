import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EMPTY_TABLE_CATALOG, tableCatalogFromSchemaJson, type TableCatalog } from "../../catalog/index.js";
import { diagnostic, hasErrors, SourceText, type Diagnostic } from "../../diagnostics/index.js";
import { functionCatalogHash } from "../../catalog/index.js";
import { bindQuery, type BindResult } from "../../policy/bind/index.js";
import { runLane } from "../../policy/lane.js";
import { DEFAULT_MAX_DISTANCE, resolveProfile, type PolicyProfile } from "../../policy/profile.js";
import type { TemplateValue } from "../../policy/sanitize.js";
import { renderSqlLaneJson, renderSqlLaneText, SQL_LANE_VIEWS, type SqlLaneReport, type SqlLaneView } from "../../render/index.js";
import { loadYaml, POLICY_TRANSFORMS, validateConfigShape } from "../../spec/index.js";
import { formatSql } from "../../sql/format.js";
import { DIALECTS, isDialect, locateSqlDiagnostics, parseQuery, printSql, type Dialect, type Query, type SqlDiagnostic } from "../../sql/index.js";
import type { CommandSpec, ParsedArgs } from "../args.js";
import { EXIT, type Command, type CommandIO, type ExitCode } from "../io.js";
import { diagnosticsJson, displayPath, printDiagnostics } from "../report.js";
import { shippedFunctionCatalog } from "../function-catalog.js";

const SUBCOMMANDS = ["parse", "qualify", "format", "fingerprint", "lineage", "transpile"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const spec: CommandSpec = {
  name: "sql",
  summary: "Work on bare SQL queries: parse, qualify, fingerprint, trace lineage, pretty-print or transpile them.",
  usage: "cpgc sql parse|qualify|format|fingerprint|lineage|transpile [--schema FILE.json] [-c FILE] [--dialect D] [--to D] [--json] [FILE…|-]",
  positionals: ["SUBCOMMAND", "FILE"],
  variadic: true,
  options: [
    { name: "dialect", short: "d", value: "D", choices: DIALECTS, description: "Dialect the input is written in (default: the config's policy dialect, else duckdb)." },
    { name: "to", value: "D", choices: DIALECTS, description: "Dialect to print in (transpile, format; default: --dialect)." },
    { name: "schema", short: "s", value: "FILE.json", description: "Tables the queries read: {table: {column: type}}, Arrow or SQL type names (qualify, fingerprint, lineage)." },
    { name: "config", short: "c", value: "FILE", description: "Take the policy profile and variables from this project config (qualify, fingerprint, lineage)." },
    { name: "json", description: "One JSON object per input (JSON lines); see below." },
  ],
  details: [
    "Subcommands:",
    "  parse        check that each input is one query; with --json, print its syntax tree",
    "  qualify      print the query after the profile's transforms and the binder: tables aliased,",
    "               columns qualified, stars expanded (duckdb dialect)",
    "  format       print each query in canonical form, laid out for reading (sql-formatter)",
    "  fingerprint  run the whole policy lane; print ast_fingerprint and policy_hash",
    "  lineage      print each output column's source table.columns, the tables read, the join",
    "               keys and the filter columns",
    "  transpile    print each query in the --to dialect, on one line",
    "",
    "qualify, fingerprint and lineage run the policy lane (sanitize → parse → transforms → bind →",
    "canonicalize → CNF → fingerprint). The profile is the -c config's `policy:` (and its variables",
    "fill {{ placeholders }}); without -c it is the default: dialect duckdb (or --dialect), transforms",
    "hoist_ctes, eliminate_qualify, normalize_unnest, expand_using, normalize_predicates.max_distance",
    "128. policy_hash hashes that profile with the shipped function catalog. With --schema, every",
    "table must be in the schema file; without it, unknown tables are inferred (columns of unknown",
    "type) so bare queries still bind, and types and nullability are mostly unknown.",
    "",
    "--json prints one object per input: file, ok, sql, diagnostics (code, severity, message,",
    "location {file, line, column}); parse adds ast; qualify, fingerprint and lineage add",
    "ast_fingerprint, policy_hash, schema [{name, type, nullable}] and lineage {columns [{name,",
    "sources}], tables, join_keys, filter_columns, functions}. sql is the qualified query for",
    "qualify and the canonical query (what DuckDB runs) for fingerprint and lineage.",
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
    const json = args.options.has("json");
    const inputs = files.length === 0 ? ["-"] : files;
    if ((SQL_LANE_VIEWS as readonly string[]).includes(sub)) return runLaneSubcommand(sub as SqlLaneView, args, inputs, json, io);
    const from = dialectOption(args, "dialect") ?? "duckdb";
    const to = dialectOption(args, "to") ?? from;
    const outcomes = (files.length === 0 ? ["-"] : files).map((f) => runOne(sub as Subcommand, f, from, to, io));
    for (const o of outcomes) report(sub as Subcommand, o, outcomes.length, json, io);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.error;
  },
};

interface LaneSetup {
  readonly profile: PolicyProfile;
  readonly variables: Readonly<Record<string, TemplateValue>>;
  readonly catalog: TableCatalog;
  readonly inferUnknownTables: boolean;
}

interface LaneOutcome {
  readonly report: SqlLaneReport;
  readonly source: SourceText;
  readonly diagnostics: readonly Diagnostic[];
}

/** The profile `cpgc sql` uses without -c: every transform, in the config schema's order. */
export function defaultSqlProfile(dialect: Dialect = "duckdb"): PolicyProfile {
  return { dialect, transforms: [...POLICY_TRANSFORMS], normalize_predicates: { max_distance: DEFAULT_MAX_DISTANCE } };
}

async function runLaneSubcommand(sub: SqlLaneView, args: ParsedArgs, inputs: readonly string[], json: boolean, io: CommandIO): Promise<ExitCode> {
  const setup = laneSetup(args, io);
  if ("diagnostics" in setup) {
    printDiagnostics(setup.diagnostics, setup.sources, io);
    return EXIT.error;
  }
  const outcomes = inputs.map((file): LaneOutcome => {
    const input = read(file, io);
    if ("error" in input) {
      const d = diagnostic("CPG0002", `cannot read ${input.display}: ${input.error}`, { location: { file: input.display } });
      return { report: failedReport(input.display), source: new SourceText(input.display, ""), diagnostics: [d] };
    }
    return laneOn(input.display, input.text, setup);
  });
  for (const o of outcomes) {
    if (json) {
      io.stdout(renderSqlLaneJson(sub, o.report, diagnosticsJson(o.diagnostics)));
      continue;
    }
    printDiagnostics(o.diagnostics, new Map([[o.report.file, o.source]]), io);
    const text = renderSqlLaneText(sub, o.report);
    if (text === null) continue;
    if (outcomes.length > 1) io.stdout(`-- ${o.report.file}`);
    io.stdout(text);
  }
  return outcomes.every((o) => o.report.ok) ? EXIT.ok : EXIT.error;
}

function failedReport(file: string): SqlLaneReport {
  return { file, ok: false, qualifiedSql: null, canonicalSql: null, astFingerprint: null, policyHash: null, schema: null, lineage: null };
}

/** The whole policy lane on one input, binding against the setup's catalog (as `compile` binds a view). */
function laneOn(file: string, text: string, setup: LaneSetup): LaneOutcome {
  const source = new SourceText(file, text);
  const functions = shippedFunctionCatalog();
  let bound: BindResult | undefined;
  const lane = runLane(text, setup.profile, setup.variables, {
    functionCatalogHash: functionCatalogHash(functions),
    bind: (q, p) => {
      bound = bindQuery(q, setup.catalog, functions, { inferUnknownTables: setup.inferUnknownTables, dialect: p.dialect });
      return { query: bound.ast, diagnostics: bound.diagnostics };
    },
  });
  const diagnostics = locateSqlDiagnostics(lane.diagnostics, source);
  const ok = lane.ok && bound !== undefined && bound.ok;
  const report: SqlLaneReport = {
    file,
    ok,
    qualifiedSql: bound?.ok ? printSql(bound.ast, "duckdb").sql : null,
    canonicalSql: ok ? lane.canonicalSql : null,
    astFingerprint: ok ? lane.astFingerprint : null,
    policyHash: lane.policyHash ?? null,
    schema: bound?.ok ? bound.schema : null,
    lineage: bound?.ok ? bound.lineage : null,
  };
  return { report, source, diagnostics };
}

/** The profile of the -c config (its `policy:`, --dialect overriding), else the default one. */
function laneProfile(config: SourceText | null, dialect: Dialect | undefined): { profile?: PolicyProfile; variables: Readonly<Record<string, TemplateValue>>; diagnostics: Diagnostic[] } {
  if (!config) return { profile: defaultSqlProfile(dialect), variables: {}, diagnostics: [] };
  const yaml = loadYaml(config);
  const diagnostics: Diagnostic[] = [...yaml.diagnostics];
  if (yaml.documents.length !== 1) {
    if (diagnostics.length === 0) diagnostics.push(diagnostic("CPG0104", `${config.file} must hold exactly one YAML document, found ${yaml.documents.length}`, { location: { file: config.file } }));
    return { variables: {}, diagnostics };
  }
  const shape = validateConfigShape(yaml.documents[0]!);
  diagnostics.push(...shape.diagnostics);
  if (!shape.ok) return { variables: {}, diagnostics };
  const resolved = resolveProfile(shape.value.policy);
  return {
    profile: dialect ? { ...resolved, dialect } : resolved,
    variables: (shape.value.variables ?? {}) as Readonly<Record<string, TemplateValue>>,
    diagnostics,
  };
}

/** The profile, variables and table catalog the lane subcommands share, or why they cannot run. */
function laneSetup(args: ParsedArgs, io: CommandIO): LaneSetup | { diagnostics: Diagnostic[]; sources: Map<string, SourceText> } {
  const sources = new Map<string, SourceText>();
  const diagnostics: Diagnostic[] = [];
  let config: SourceText | undefined;
  const configArg = args.options.get("config");
  if (typeof configArg === "string") {
    const input = read(configArg, io);
    if ("error" in input) diagnostics.push(diagnostic("CPG0003", `cannot read config ${input.display}: ${input.error}`, { location: { file: input.display } }));
    else {
      config = new SourceText(input.display, input.text);
      sources.set(input.display, config);
    }
  }
  const profile = laneProfile(config ?? null, dialectOption(args, "dialect"));
  diagnostics.push(...profile.diagnostics);
  let catalog: TableCatalog = EMPTY_TABLE_CATALOG;
  const schemaArg = args.options.get("schema");
  if (typeof schemaArg === "string") {
    const input = read(schemaArg, io);
    if ("error" in input) diagnostics.push(diagnostic("CPG0002", `cannot read ${input.display}: ${input.error}`, { location: { file: input.display } }));
    else {
      let json: unknown;
      try {
        json = JSON.parse(input.text);
      } catch (e) {
        diagnostics.push(diagnostic("CPG0104", `${input.display} is not JSON: ${(e as Error).message}`, { location: { file: input.display } }));
      }
      if (json !== undefined) {
        const read = tableCatalogFromSchemaJson(json);
        for (const issue of read.issues) diagnostics.push(diagnostic("CPG0200", `${input.display}: ${issue.message}`, { location: { file: input.display } }));
        catalog = read.catalog;
      }
    }
  }
  if (hasErrors(diagnostics) || !profile.profile) return { diagnostics, sources };
  return { profile: profile.profile, variables: profile.variables, catalog, inferUnknownTables: typeof schemaArg !== "string" };
}

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
