import { formatArrowType } from "../types/print.js";
import type { EffectivePolicy } from "./effective-policy.js";
import type { SpecModel } from "./model.js";

/** What a project declares, as data; the CLI renders it as text or JSON. */
export interface ProjectSummary {
  readonly project: string;
  readonly files: number;
  readonly datasets: readonly {
    readonly name: string;
    readonly columns: readonly { readonly name: string; readonly type: string; readonly nullable: boolean }[];
    readonly source: string;
    readonly policy: string | null;
    readonly effective_policy: EffectivePolicy | null;
  }[];
  readonly views: readonly {
    readonly name: string;
    readonly materialize: string;
    readonly cache: string;
    readonly sql_from: string;
    readonly expectations: number;
    readonly policy: string | null;
    readonly effective_policy: EffectivePolicy | null;
  }[];
  readonly policies: readonly { readonly name: string; readonly extends: string | null; readonly features: readonly string[] }[];
}

export function summarize(model: SpecModel): ProjectSummary {
  const byName = <T extends { spec: { name: string } }>(m: ReadonlyMap<string, T>) => [...m.values()].sort((a, b) => (a.spec.name < b.spec.name ? -1 : 1));
  const defaultPolicy = model.config.defaults?.delta_policy ?? null;
  return {
    project: model.config.project,
    files: model.specFiles.length,
    datasets: byName(model.datasets).map((d) => {
      const s = d.spec.source;
      const source = !s ? "managed" : Object.entries(s).filter(([k]) => k !== "options").map(([k, v]) => `${k} ${String(v)}`)[0] ?? "managed";
      return {
        name: d.spec.name,
        columns: (model.columns.get(d.spec.name) ?? []).map((c) => ({ name: c.name, type: formatArrowType(c.type), nullable: c.nullable })),
        source,
        policy: d.spec.delta?.policy ?? defaultPolicy,
        effective_policy: model.effectivePolicies.get(d.spec.name)?.policy ?? null,
      };
    }),
    views: byName(model.views).map((v) => {
      const sql = model.viewSql.get(v.spec.name);
      return {
        name: v.spec.name,
        materialize: v.spec.materialize ?? model.config.defaults?.materialize ?? "view",
        cache: v.spec.cache ?? model.config.defaults?.cache ?? "none",
        sql_from: v.spec.sql_file !== undefined ? `file ${v.spec.sql_file}` : `inline (${(sql?.text.trim().split("\n").length ?? 0)} lines)`,
        expectations: v.spec.expectations?.length ?? 0,
        policy: v.spec.delta?.policy ?? defaultPolicy,
        effective_policy: model.effectivePolicies.get(v.spec.name)?.policy ?? null,
      };
    }),
    policies: byName(model.policies).map((p) => ({ name: p.spec.name, extends: p.spec.extends ?? null, features: p.spec.features ?? [] })),
  };
}
