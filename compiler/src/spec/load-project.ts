import { dirname, resolve } from "node:path";
import { diagnostic, didYouMean, displayPath, hasErrors, SourceText, sortDiagnostics, type Diagnostic, type Location } from "../diagnostics/index.js";
import type { Column } from "../types/index.js";
import { checkColumnsOfBrokenDataset, checkDatasetColumns } from "./check-dataset.js";
import { checkPolicyColumns } from "./check-policy-columns.js";
import { loadTsSpecs } from "./load-ts.js";
import { loadYaml } from "./load-yaml.js";
import { checkViewSql } from "./check-view-sql.js";
import type { SpecModel, ViewQuery, ViewSql } from "./model.js";
import { resolvePolicyChains } from "./policy-chain.js";
import { nodeIO, type ProjectIO } from "./project-io.js";
import type { RawDocument } from "./raw-document.js";
import { resolvePolicy, type ResolvedPolicy } from "./resolve-policy.js";
import type { PolicyLayer } from "./effective-policy.js";
import type { DatasetSpec, DeltaPolicySpec, ProjectConfig, ViewSpec } from "./schema/index.js";
import { validateConfigShape, validateSpecShape, type LocatedSpec } from "./validate-shape.js";

export const DEFAULT_SPEC_GLOBS = ["specs/**/*.yaml", "specs/**/*.yml", "specs/**/*.cpg.ts"];

export interface ProjectLoad {
  /** Present when there are no errors (warnings allowed). */
  readonly model?: SpecModel;
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of every file read, by display name, for code frames. */
  readonly sources: ReadonlyMap<string, SourceText>;
}

export interface LoadOptions {
  readonly io?: ProjectIO;
  /** Whether a rendered view query is known (from a cache) to parse without diagnostics. */
  readonly parsedBefore?: (rendered: string) => boolean;
  /** Overrides of config variables (`-var name=value`). */
  readonly variables?: Readonly<Record<string, string | number | boolean>>;
  /** Directory that display names are relative to (default: the process's cwd). */
  readonly cwd?: string;
}

/**
 * Loads and validates a project: config → spec files → shapes → references → semantics → resolved
 * policies. Never throws for bad input; every problem found is returned, not only the first.
 */
export async function loadProject(configPath: string, opts: LoadOptions = {}): Promise<ProjectLoad> {
  const io = opts.io ?? nodeIO;
  const cwd = opts.cwd ?? process.cwd();
  const configAbs = resolve(cwd, configPath);
  const rootDir = dirname(configAbs);
  const display = (abs: string) => displayPath(cwd, abs);
  const sources = new Map<string, SourceText>();
  const diagnostics: Diagnostic[] = [];
  const done = (model?: SpecModel): ProjectLoad => ({
    ...(model && !hasErrors(diagnostics) ? { model } : {}),
    diagnostics: sortDiagnostics(diagnostics),
    sources,
  });

  const read = (abs: string): SourceText | Error => {
    const text = io.readText(abs);
    if (text instanceof Error) return text;
    const src = new SourceText(display(abs), text);
    sources.set(src.file, src);
    return src;
  };

  // 1. Config.
  const configSrc = read(configAbs);
  if (configSrc instanceof Error) {
    const missing = !io.exists(configAbs);
    diagnostics.push(
      diagnostic(missing ? "CPG0003" : "CPG0002", missing ? `config file not found: ${display(configAbs)}` : `cannot read ${display(configAbs)}: ${configSrc.message}`, {
        location: { file: display(configAbs) },
        hints: [missing ? "run cpgc in a project directory, pass -c PATH, or create a project with `cpgc init`" : undefined],
      }),
    );
    return done();
  }
  const configYaml = loadYaml(configSrc);
  diagnostics.push(...configYaml.diagnostics);
  if (configYaml.documents.length !== 1) {
    if (configYaml.diagnostics.length === 0) {
      diagnostics.push(diagnostic("CPG0104", `${configSrc.file} must hold exactly one YAML document, found ${configYaml.documents.length}`, { location: { file: configSrc.file } }));
    }
    return done();
  }
  const configDoc = configYaml.documents[0]!;
  const configShape = validateConfigShape(configDoc);
  diagnostics.push(...configShape.diagnostics);
  if (!configShape.ok) return done();
  const config = configShape.value;

  // 2. Spec files.
  const found = findSpecFiles(config, configDoc, rootDir, io);
  diagnostics.push(...found.diagnostics);
  const specFiles = found.files;
  const docs: RawDocument[] = [];
  for (const abs of specFiles) {
    const src = read(abs);
    if (src instanceof Error) {
      diagnostics.push(diagnostic("CPG0002", `cannot read ${display(abs)}: ${src.message}`, { location: { file: display(abs) } }));
      continue;
    }
    const loaded = abs.endsWith(".ts") ? await loadTsSpecs(src, abs) : loadYaml(src);
    diagnostics.push(...loaded.diagnostics);
    docs.push(...loaded.documents);
  }

  // 3. Shapes. Names of documents that failed are remembered so references to them do not cascade.
  const specs: LocatedSpec[] = [];
  const brokenNames = new Set<string>(); // policies that failed shape validation
  for (const doc of docs) {
    const shape = validateSpecShape(doc);
    diagnostics.push(...shape.diagnostics);
    if (shape.ok) {
      specs.push({ spec: shape.value, doc });
      continue;
    }
    const { kind, name } = (doc.value ?? {}) as { kind?: unknown; name?: unknown };
    if (kind === "DeltaPolicy" && typeof name === "string") brokenNames.add(name);
    // A dataset whose schema section is well-formed still gets its column types checked, so one
    // run reports a bad type next to, say, a misspelled key elsewhere in the same document.
    if (kind === "Dataset") diagnostics.push(...checkColumnsOfBrokenDataset(doc));
  }

  // 4. Names.
  const datasets = new Map<string, LocatedSpec<DatasetSpec>>();
  const views = new Map<string, LocatedSpec<ViewSpec>>();
  const policies = new Map<string, LocatedSpec<DeltaPolicySpec>>();
  const tables = new Map<string, LocatedSpec<DatasetSpec | ViewSpec>>(); // one namespace for both
  for (const s of specs) {
    const prev: LocatedSpec | undefined = s.spec.kind === "DeltaPolicy" ? policies.get(s.spec.name) : tables.get(s.spec.name);
    if (prev) {
      diagnostics.push(
        diagnostic("CPG0320", `duplicate ${s.spec.kind === "DeltaPolicy" ? "policy" : "table"} name '${s.spec.name}'`, {
          location: s.doc.locator.value(["name"]),
          related: [{ ...prev.doc.locator.value(["name"]), message: `first defined here as a ${prev.spec.kind}` }],
          hints: [s.spec.kind === "DeltaPolicy" ? "policy names must be unique" : "datasets and views share one namespace: each is a table in the lake"],
        }),
      );
      continue;
    }
    if (s.spec.kind !== "DeltaPolicy" && s.spec.name.startsWith("_")) {
      // The lake root holds cpgc's own tables (_cpgc_runs, _cpgc_views) next to the user's.
      diagnostics.push(
        diagnostic("CPG0322", `table name '${s.spec.name}' is reserved: names starting with '_' belong to cpgc's own tables in the lake`, {
          location: s.doc.locator.value(["name"]),
          hints: [`try '${s.spec.name.replace(/^_+/, "") || "t"}'`],
        }),
      );
      continue;
    }
    if (s.spec.kind === "Dataset") {
      datasets.set(s.spec.name, s as LocatedSpec<DatasetSpec>);
      tables.set(s.spec.name, s as LocatedSpec<DatasetSpec>);
    } else if (s.spec.kind === "View") {
      views.set(s.spec.name, s as LocatedSpec<ViewSpec>);
      tables.set(s.spec.name, s as LocatedSpec<ViewSpec>);
    } else policies.set(s.spec.name, s as LocatedSpec<DeltaPolicySpec>);
  }

  // 5. Datasets: column types, keys, sources.
  const columns = new Map<string, readonly Column[]>();
  for (const ds of datasets.values()) {
    const r = checkDatasetColumns(ds);
    diagnostics.push(...r.diagnostics);
    if (r.columns) columns.set(ds.spec.name, r.columns);
    const src = ds.spec.source;
    const path = src && ("ndjson" in src ? src.ndjson : "csv" in src ? src.csv : "parquet" in src ? src.parquet : "delta" in src ? src.delta : undefined);
    if (path !== undefined && !/[*?{[]/.test(path) && !io.exists(resolve(rootDir, path))) {
      const key = Object.keys(src ?? {})[0]!;
      diagnostics.push(
        diagnostic("CPG0350", `source of dataset '${ds.spec.name}' not found: ${path}`, {
          severity: "warning",
          location: ds.doc.locator.value(["source", key]),
          hints: ["source paths are relative to the config file's directory"],
        }),
      );
    }
  }

  // 6. Views: exactly one of sql and sql_file; its template rendered and its query parsed.
  const variables = { ...(config.variables ?? {}), ...(opts.variables ?? {}) };
  const viewSql = new Map<string, ViewSql>();
  const viewQueries = new Map<string, ViewQuery>();
  for (const v of views.values()) {
    const r = readViewSql(v, io, read, cwd);
    diagnostics.push(...r.diagnostics);
    if (!r.sql) continue;
    viewSql.set(v.spec.name, r.sql);
    const q = checkViewSql(v, r.sql, sources, variables, opts.parsedBefore);
    diagnostics.push(...q.diagnostics);
    if (q.query) viewQueries.set(v.spec.name, q.query);
  }

  // 7. Policies: extends chains, then each table's effective policy.
  const chains = resolvePolicyChains(policies, brokenNames);
  diagnostics.push(...chains.diagnostics);
  const defaultPolicy = config.defaults?.delta_policy;
  if (defaultPolicy !== undefined && !policies.has(defaultPolicy) && !brokenNames.has(defaultPolicy)) {
    diagnostics.push(unknownPolicy(defaultPolicy, "defaults.delta_policy", configDoc.locator.value(["defaults", "delta_policy"]), policies, brokenNames));
  }
  const effectivePolicies = new Map<string, ResolvedPolicy>();
  const configLayer: PolicyLayer[] = config.defaults?.delta
    ? [{ label: "config defaults.delta", body: config.defaults.delta, locate: (p) => configDoc.locator.value(["defaults", "delta", ...p]) }]
    : [];
  for (const t of [...tables.values()].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))) {
    const delta = t.spec.delta;
    const named = delta?.policy ?? defaultPolicy;
    if (delta?.policy !== undefined && !policies.has(delta.policy)) {
      if (!brokenNames.has(delta.policy)) diagnostics.push(unknownPolicy(delta.policy, `${t.spec.kind.toLowerCase()} '${t.spec.name}'`, t.doc.locator.value(["delta", "policy"]), policies, brokenNames));
      continue;
    }
    const chain = named === undefined ? [] : chains.chains.get(named);
    if (!chain) continue; // unknown or broken policy, reported above
    const layers: PolicyLayer[] = [
      ...configLayer,
      ...chain.map((p): PolicyLayer => ({ label: `policy '${p.spec.name}'`, body: policyBodyOf(p.spec), locate: (path) => p.doc.locator.value(path) })),
      ...(delta ? [{ label: "inline delta", body: policyBodyOf(delta), locate: (path: readonly (string | number)[]) => t.doc.locator.value(["delta", ...path]) }] : []),
    ];
    const r = resolvePolicy(layers);
    diagnostics.push(...r.diagnostics);
    effectivePolicies.set(t.spec.name, r.resolved);
    const cols = t.spec.kind === "Dataset" ? columns.get(t.spec.name) : undefined;
    if (cols) diagnostics.push(...checkPolicyColumns(r.resolved, cols, `dataset '${t.spec.name}'`));
  }

  return done({ configFile: configAbs, rootDir, config, specFiles, datasets, views, policies, columns, effectivePolicies, viewSql, viewQueries, variables });
}

/** The spec files a config selects (its `specs` globs, or the default ones), as sorted absolute paths. */
export function findSpecFiles(config: ProjectConfig, configDoc: RawDocument, rootDir: string, io: ProjectIO = nodeIO): { files: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files = new Set<string>();
  (config.specs ?? DEFAULT_SPEC_GLOBS).forEach((g, i) => {
    const found = io.glob(rootDir, g);
    if (found.length === 0 && config.specs) {
      diagnostics.push(diagnostic("CPG0004", `spec glob '${g}' matches no files`, { severity: "warning", location: configDoc.locator.value(["specs", i]) }));
    }
    for (const f of found) files.add(resolve(rootDir, f));
  });
  return { files: [...files].sort(), diagnostics };
}

function policyBodyOf(p: { write?: unknown; schema?: unknown; features?: unknown; maintenance?: unknown }): PolicyLayer["body"] {
  const { write, schema, features, maintenance } = p as PolicyLayer["body"];
  return { write, schema, features, maintenance };
}

function unknownPolicy(name: string, owner: string, location: Location, policies: ReadonlyMap<string, unknown>, broken: ReadonlySet<string>): Diagnostic {
  return diagnostic("CPG0310", `unknown policy '${name}' in ${owner}`, {
    location,
    hints: [didYouMean(name, [...policies.keys(), ...broken]), policies.size > 0 ? `policies: ${[...policies.keys()].sort().join(", ")}` : "no DeltaPolicy is declared"],
  });
}

function readViewSql(v: LocatedSpec<ViewSpec>, io: ProjectIO, read: (abs: string) => SourceText | Error, cwd: string): { sql?: ViewSql; diagnostics: Diagnostic[] } {
  const { sql, sql_file } = v.spec;
  if (sql !== undefined && sql_file !== undefined) {
    return { diagnostics: [diagnostic("CPG0330", `view '${v.spec.name}' sets both sql and sql_file`, { location: v.doc.locator.key(["sql_file"]), hints: ["keep one of them"] })] };
  }
  if (sql === undefined && sql_file === undefined) {
    return { diagnostics: [diagnostic("CPG0330", `view '${v.spec.name}' has neither sql nor sql_file`, { location: v.doc.locator.key(["name"]), hints: ["add `sql: |` with the query, or `sql_file: path/to/query.sql`"] })] };
  }
  if (sql !== undefined) return { sql: { text: sql, file: v.doc.file, inline: true }, diagnostics: [] };
  const specAbs = resolve(cwd, v.doc.file);
  const abs = resolve(dirname(specAbs), sql_file!);
  const src = read(abs);
  if (src instanceof Error) {
    return {
      diagnostics: [
        diagnostic("CPG0331", `cannot read sql_file of view '${v.spec.name}': ${sql_file} (${src.message})`, {
          location: v.doc.locator.value(["sql_file"]),
          hints: [io.exists(abs) ? undefined : "sql_file is relative to the spec file that names it"],
        }),
      ],
    };
  }
  return { sql: { text: src.text, file: src.file, inline: false }, diagnostics: [] };
}
