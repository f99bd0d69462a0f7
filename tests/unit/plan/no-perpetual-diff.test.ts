// Property: for random valid projects (types, policies, features, views over datasets and
// views), plan against an empty lake → simulate the apply → plan again: nothing left to do. And
// the same after an additive evolution of the specs (new columns, other policy values, changed
// queries, changed source files) applied on top.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DatasetArtifact, ViewArtifact } from "../../../compiler/src/compile/manifest.js";
import type { DesiredState, ObservedState } from "../../../compiler/src/plan/model.js";
import type { DeltaFeature } from "../../../compiler/src/spec/schema/index.js";
import { dataset, desired, emptyLake, plan, simulateApply, source, view, withSource, type PolicyChange } from "./fixtures.js";

const TYPES = ["int32", "int64", "utf8", "float64", "bool", "date32", "timestamp[us]", "timestamp[us, UTC]", "timestamp[ns, UTC]", "large_utf8", "list<utf8>", "struct<a: int64, b: utf8>", "decimal(10, 2)", "map<utf8, int64>"];
const PRIMITIVE = new Set(["int32", "int64", "utf8", "bool", "date32"]);

interface ColumnGen { readonly type: string; readonly notNull: boolean }
interface DatasetGen {
  readonly managed: boolean;
  readonly columns: readonly ColumnGen[];
  readonly features: readonly DeltaFeature[];
  readonly mapping: boolean;
  readonly stats: "auto" | "off" | "explicit" | "first";
  readonly partition: boolean;
  readonly checkpoint: number;
  readonly logDays: number;
  readonly vacuumHours: number;
  readonly pk: boolean;
}
interface ViewGen {
  readonly materialize: "table" | "incremental" | "view";
  readonly inputs: readonly number[];
  readonly columns: number;
  readonly picks: readonly number[];
  readonly opaque: boolean;
  readonly filter: boolean;
}

const datasetGen: fc.Arbitrary<DatasetGen> = fc.record({
  managed: fc.boolean(),
  columns: fc.array(fc.record({ type: fc.constantFrom(...TYPES), notNull: fc.boolean() }), { minLength: 1, maxLength: 5 }),
  features: fc.subarray(["changeDataFeed", "appendOnly"] as DeltaFeature[]),
  mapping: fc.boolean(),
  stats: fc.constantFrom("auto", "off", "explicit", "first"),
  partition: fc.boolean(),
  checkpoint: fc.integer({ min: 1, max: 100 }),
  logDays: fc.integer({ min: 1, max: 60 }),
  vacuumHours: fc.integer({ min: 1, max: 400 }),
  pk: fc.boolean(),
});
const viewGen: fc.Arbitrary<ViewGen> = fc.record({
  materialize: fc.constantFrom("table", "incremental", "view"),
  inputs: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  columns: fc.integer({ min: 1, max: 4 }),
  picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  opaque: fc.boolean(),
  filter: fc.boolean(),
});
const projectGen = fc.record({ datasets: fc.array(datasetGen, { minLength: 1, maxLength: 4 }), views: fc.array(viewGen, { maxLength: 4 }) });
interface ProjectGen { readonly datasets: readonly DatasetGen[]; readonly views: readonly ViewGen[] }

/** Builds the manifest tables; `bump` changes a query, a policy value and a column (evolution). */
function build(g: ProjectGen, bump = 0): (DatasetArtifact | ViewArtifact)[] {
  const out: (DatasetArtifact | ViewArtifact)[] = [];
  const columnsOf = new Map<string, string[]>();
  g.datasets.forEach((ds, i) => {
    const name = `d${i}`;
    const cols = ds.columns.map((c, j) => {
      // Evolution of the first dataset: int32 widens to int64; under column mapping the first column is renamed.
      const type = bump > 0 && i === 0 && c.type === "int32" ? "int64" : c.type;
      const name = bump > 0 && i === 0 && j === 0 && ds.mapping ? `c0>r${bump}` : `c${j}`;
      return `${name} ${type}${c.notNull ? "!" : ""}`;
    });
    if (bump > 0 && i === 0) cols.push(`added${bump} int64`);
    const names = cols.map((c) => c.split(" ")[0]!.split(">").pop()!);
    columnsOf.set(name, names);
    const firstPrimitive = ds.columns.findIndex((c) => PRIMITIVE.has(c.type));
    const p: PolicyChange = {
      write: {
        stats_policy: ds.stats === "first" ? "auto" : ds.stats,
        stats_columns: ds.stats === "explicit" || ds.stats === "first" ? names.slice(0, 1) : [],
        partition_by: ds.partition && firstPrimitive >= 0 ? [names[firstPrimitive]!] : [],
      },
      schema: { column_mapping: ds.mapping ? "name" : "none" },
      features: [...ds.features, ...(ds.mapping ? (["columnMapping"] as DeltaFeature[]) : [])],
      maintenance: { checkpoint_interval: ds.checkpoint + bump, log_retention_seconds: ds.logDays * 86_400, vacuum_retention_seconds: ds.vacuumHours * 3_600 },
    };
    out.push(dataset(name, cols, { source: ds.managed ? null : undefined, policy: p, primary_key: ds.pk ? names.slice(0, 1) : [] }));
  });
  g.views.forEach((v, i) => {
    const name = `v${i}`;
    const readable = [...columnsOf.keys()];
    const inputs = [...new Set(v.inputs.map((k) => readable[k % readable.length]!))];
    const pick = (k: number) => {
      const t = inputs[v.picks[k % v.picks.length]! % inputs.length]!;
      const cols = columnsOf.get(t)!;
      return `${t}.${cols[v.picks[(k + 1) % v.picks.length]! % cols.length]!}`;
    };
    const lineage: Record<string, string[]> = {};
    for (let k = 0; k < v.columns; k++) lineage[`o${k}`] = [pick(k)];
    const filter = v.filter ? [pick(5)] : [];
    out.push(view(name, { materialize: v.materialize, lineage, filterColumns: filter, row_deciding: v.opaque ? null : undefined, query: `${name}:${JSON.stringify(lineage)}:${i === 0 ? bump : 0}` }));
    columnsOf.set(name, Object.keys(lineage));
  });
  return out;
}

function expectEmpty(d: DesiredState, lake: ObservedState) {
  const again = plan(d, lake);
  expect(again.errors).toEqual([]);
  const acting = again.tables.filter((t) => t.op !== "noop");
  expect(acting.map((t) => `${t.name}: ${t.op} ${t.changes.map((c) => c.reason).join("; ")}`)).toEqual([]);
}

/**
 * A fixed seed by default, so a failure in CI reproduces (the message prints it);
 * `PLAN_SEED=random` (or a number) explores other projects when run by hand.
 */
const SEED_ENV = process.env["PLAN_SEED"] ?? "20261121";
const SEED = SEED_ENV === "random" ? {} : { seed: Number(SEED_ENV) };

describe("no perpetual diffs", () => {
  it("plan → apply → plan is empty, for random projects", () => {
    fc.assert(
      fc.property(projectGen, (g) => {
        const d = desired(...build(g));
        const lake0 = emptyLake(d);
        const first = plan(d, lake0);
        expect(first.errors).toEqual([]);
        expect(first.tables.every((t) => t.op !== "noop")).toBe(true);
        expectEmpty(d, simulateApply(d, lake0, first));
      }),
      { numRuns: Number(process.env["PLAN_RUNS"] ?? 200), ...SEED },
    );
  });

  // The evolution rewrites rows (new source files reload a source, queries change), which an
  // append-only table refuses (CPG1413, see diff-data.test.ts): its projects have none.
  it("and after an additive evolution of the specs and new source files", () => {
    const rewritable = projectGen.map((g) => ({ ...g, datasets: g.datasets.map((d) => ({ ...d, features: d.features.filter((f) => f !== "appendOnly") })) }));
    fc.assert(
      fc.property(rewritable, fc.integer({ min: 1, max: 5 }), (g, bump) => {
        const d1 = desired(...build(g));
        const lake0 = emptyLake(d1);
        const lake1 = simulateApply(d1, lake0, plan(d1, lake0));
        const d2 = desired(...build(g, bump));
        let lake1b = lake1;
        for (const t of d2.tables) if (t.role === "source") lake1b = withSource(lake1b, t.name, source(t.name, [`data/${t.name}.ndjson`, `data/${t.name}-${bump}.ndjson`]));
        const second = plan(d2, lake1b);
        expect(second.errors).toEqual([]);
        expectEmpty(d2, simulateApply(d2, lake1b, second));
      }),
      { numRuns: Number(process.env["PLAN_RUNS"] ?? 150), ...SEED },
    );
  });
});
