import { decideStatsColumns } from "../artifacts/stats-columns.js";
import { FunctionIndex, functionCatalogHash, tableCatalogFromModel, type CatalogTable, type FunctionCatalog, type TableCatalog } from "../catalog/index.js";
import { diagnostic, type Diagnostic, type SourceText } from "../diagnostics/index.js";
import { buildDag } from "../graph/index.js";
import { bindQuery, type BindResult } from "../policy/bind/index.js";
import { runLane } from "../policy/lane.js";
import { outputColumnProblems } from "./view-columns.js";
import { policyHash, resolveProfile } from "../policy/profile.js";
import { locateInViewSql } from "../spec/check-view-sql.js";
import type { SpecModel } from "../spec/model.js";
import { parseArrowType } from "../types/parse.js";
import { formatArrowType } from "../types/print.js";
import { textHash, type CheckCache, type CheckCacheEntry } from "./check-cache.js";
import { definedAtResolver } from "./defined-at.js";
import { referencedTables } from "./dependencies.js";
import { rowDecidingColumns } from "./row-deciding.js";
import { MANIFEST_FORMAT_VERSION, type DatasetArtifact, type Manifest, type ManifestColumn, type ViewArtifact } from "./manifest.js";

/**
 * Compiles a validated project: views in graph order through the whole policy lane (sanitize →
 * parse → transforms → bind against datasets and earlier views → canonicalize → CNF →
 * fingerprint), into a manifest. Pure over the model and the function catalog; never throws for
 * bad SQL: every problem is a diagnostic located in the file that holds the query.
 */
export interface CompileOptions {
  /**
   * false: only bind every view (what `validate` needs to report SQL errors), skipping
   * transforms, canonicalization and fingerprints; no manifest is built.
   */
  readonly artifacts?: boolean;
  /** With `artifacts: false`: views already checked with the same inputs are not bound again. */
  readonly cache?: CheckCache;
}

export function compileProject(
  model: SpecModel,
  functions: FunctionCatalog,
  sources: ReadonlyMap<string, SourceText>,
  options: CompileOptions = {},
): { manifest?: Manifest; diagnostics: Diagnostic[] } {
  const artifacts = options.artifacts ?? true;
  const diagnostics: Diagnostic[] = [];
  const profile = resolveProfile(model.config.policy);
  const catalogHash = functionCatalogHash(functions);
  const pHash = policyHash(profile, catalogHash);
  const definedAt = definedAtResolver(model, sources);
  const fnIndex = new FunctionIndex(functions);
  const isAggregate = (name: string) => fnIndex.lookup(name).some((f) => f.kind === "aggregate");

  const cache = artifacts ? undefined : options.cache;
  const deps = new Map<string, readonly string[]>();
  for (const [name, q] of model.viewQueries) deps.set(name, cache?.get(q.rendered)?.deps ?? referencedTables(q.ast));
  const dag = buildDag([
    ...[...model.datasets.keys()].map((name) => ({ name, dependsOn: [] })),
    ...[...model.viewQueries.keys()].map((name) => ({ name, dependsOn: deps.get(name) ?? [] })),
  ]);
  for (const cycle of dag.cycles) {
    const first = model.views.get(cycle[0]!);
    diagnostics.push(
      diagnostic("CPG0321", `views depend on each other in a cycle: ${[...cycle, cycle[0]].join(" → ")}`, {
        ...(first ? { location: first.doc.locator.key(["sql"]) } : {}),
        related: cycle.slice(1).flatMap((n) => {
          const v = model.views.get(n);
          return v ? [{ ...v.doc.locator.key(["sql"]), message: `'${n}' reads '${deps.get(n)?.find((d) => cycle.includes(d)) ?? "?"}'` }] : [];
        }),
        hints: ["a view may not read itself, directly or through other views"],
      }),
    );
  }

  const datasetCatalog: TableCatalog = tableCatalogFromModel(model);
  const viewTables = new Map<string, CatalogTable>();
  const views: ViewArtifact[] = [];
  // A view that reads a view that failed is not bound: its errors would only echo the first one.
  const failed = new Set<string>([...model.views.keys()].filter((n) => !model.viewQueries.has(n)));
  for (const name of dag.order) {
    const view = model.views.get(name);
    const sql = model.viewSql.get(name);
    if (!view || !sql) continue;
    if ((deps.get(name) ?? []).some((d) => failed.has(d))) {
      failed.add(name);
      continue;
    }
    const catalog = datasetCatalog.layer((deps.get(name) ?? []).flatMap((d) => viewTables.get(d) ?? []));
    const query = model.viewQueries.get(name)!;
    const locate = (d: { readonly diagnostic: Diagnostic; readonly range: { readonly start: number; readonly end: number } }, mapped: boolean): Diagnostic => {
      const [start, end] = mapped ? [d.range.start, d.range.end] : [query.toOriginal(d.range.start), query.toOriginal(d.range.end)];
      return { ...d.diagnostic, location: locateInViewSql(view, sql, sources, start, end) };
    };
    if (!artifacts) {
      const viewDeps = deps.get(name) ?? [];
      const depsHash = schemasHash(viewDeps, catalog);
      const hit = cache?.get(query.rendered);
      if (hit && hit.depsHash === depsHash) {
        viewTables.set(name, cachedTable(name, hit));
        continue;
      }
      const checked = bindQuery(query.ast, catalog, functions, { dialect: profile.dialect });
      diagnostics.push(...checked.diagnostics.map((d) => locate(d, false)));
      if (!checked.ok) {
        failed.add(name);
        continue;
      }
      const problems = outputColumnProblems(name, checked.ast, checked.schema);
      diagnostics.push(...problems.map((d) => locate(d, false)));
      const table = viewTable(name, checked);
      viewTables.set(name, table);
      // only a view without findings is remembered: the cache skips the checks next time
      if (checked.diagnostics.length === 0 && problems.length === 0 && table.columns.length === checked.schema.length) {
        cache?.set(query.rendered, { deps: viewDeps, depsHash, columns: table.columns.map((c) => ({ name: c.name, type: formatArrowType(c.type), nullable: c.nullable })) });
      }
      continue;
    }
    let bound: BindResult | undefined;
    const lane = runLane(sql.text, profile, model.variables, {
      functionCatalogHash: catalogHash,
      parsed: query.ast,
      bind: (q, p) => {
        bound = bindQuery(q, catalog, functions, { dialect: p.dialect });
        return { query: bound.ast, diagnostics: bound.diagnostics };
      },
    });
    diagnostics.push(...lane.diagnostics.map((d) => locate(d, true)));
    if (bound?.ok) diagnostics.push(...outputColumnProblems(name, bound.ast, bound.schema).map((d) => locate(d, false)));
    if (!lane.ok || !lane.ast || !bound || lane.astFingerprint === null || lane.canonicalSql === null) {
      failed.add(name);
      continue;
    }
    const columns = bound.schema.map((c): ManifestColumn => ({ name: c.name, type: c.type ? formatArrowType(c.type) : c.typeText, nullable: c.nullable }));
    viewTables.set(name, viewTable(name, bound));
    const policy = model.effectivePolicies.get(name)!.policy;
    views.push({
      name,
      materialize: view.spec.materialize ?? model.config.defaults?.materialize ?? "view",
      ast_fingerprint: lane.astFingerprint,
      policy_hash: pHash,
      sql: lane.canonicalSql,
      columns,
      lineage: bound.lineage,
      variables: lane.variables,
      policy,
      stats: decideStatsColumns({ columns, lineage: bound.lineage }, policy, columns),
      expectations: view.spec.expectations ?? [],
      row_deciding: rowDecidingColumns(lane.ast, bound.lineage, isAggregate),
      defined_at: definedAt(view),
      ...cacheOf(view.spec.cache ?? model.config.defaults?.cache),
      ...(view.spec.incremental !== undefined ? { incremental: { key: view.spec.incremental.key } } : {}),
    });
  }
  if (!artifacts || diagnostics.some((d) => d.severity === "error")) return { diagnostics };

  const datasets: DatasetArtifact[] = [...model.datasets.values()]
    .sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1))
    .map((d) => ({
      name: d.spec.name,
      columns: (model.columns.get(d.spec.name) ?? []).map((c, i): ManifestColumn => {
        const renamed = d.spec.schema.columns[i]?.renamed_from;
        return { name: c.name, type: formatArrowType(c.type), nullable: c.nullable, ...(renamed !== undefined ? { renamed_from: renamed } : {}) };
      }),
      source: (d.spec.source as Record<string, unknown> | undefined) ?? null,
      policy: model.effectivePolicies.get(d.spec.name)!.policy,
      primary_key: d.spec.schema.primary_key ?? [],
      checks: (d.spec.schema.checks ?? []).map((c) => ({ name: c.name, expr: c.expr })),
      defined_at: definedAt(d),
    }));
  return {
    manifest: {
      format_version: MANIFEST_FORMAT_VERSION,
      project: model.config.project,
      policy_hash: pHash,
      function_catalog_hash: catalogHash,
      order: dag.order,
      datasets,
      views: views.sort((a, b) => (a.name < b.name ? -1 : 1)),
    },
    diagnostics,
  };
}

/** A bound view as a table later views can read (columns whose type Arrow cannot hold are left out). */
function viewTable(name: string, bound: BindResult): CatalogTable {
  return { name, kind: "view", columns: bound.schema.flatMap((c) => (c.type ? [{ name: c.name, type: c.type, nullable: c.nullable }] : [])) };
}

/** Hash of the schemas of the tables a view reads, as the catalog it is bound against has them. */
function schemasHash(deps: readonly string[], catalog: TableCatalog): string {
  return textHash(
    ...deps.map((d) => {
      const t = catalog.lookup(d);
      return t ? `${t.name}(${t.columns.map((c) => `${c.name} ${formatArrowType(c.type)}${c.nullable ? "" : " not null"}`).join(", ")})` : `${d}?`;
    }),
  );
}

function cachedTable(name: string, entry: CheckCacheEntry): CatalogTable {
  return {
    name,
    kind: "view",
    columns: entry.columns.flatMap((c) => {
      const t = parseArrowType(c.type);
      return t.ok ? [{ name: c.name, type: t.type, nullable: c.nullable }] : [];
    }),
  };
}

/** The manifest's `cache` key: left out for none, so projects without caches keep their hashes. */
function cacheOf(mode: "none" | "memory" | "delta_staging" | undefined): Pick<ViewArtifact, "cache"> {
  return mode === undefined || mode === "none" ? {} : { cache: mode };
}
