/**
 * Renderers of `cpgc sql qualify|fingerprint|lineage` results for one input: text and one JSON
 * line. Pure; both read the same SqlLaneReport, so text and JSON cannot disagree.
 */
import type { OutputColumn, QueryLineage } from "../policy/bind/index.js";
import { queryLineageJson, renderQueryLineageText } from "./lineage-render.js";

export const SQL_LANE_VIEWS = ["qualify", "fingerprint", "lineage"] as const;
export type SqlLaneView = (typeof SQL_LANE_VIEWS)[number];

export interface SqlLaneReport {
  readonly file: string;
  readonly ok: boolean;
  /** The query after transforms + binder, printed in duckdb (null when it did not bind). */
  readonly qualifiedSql: string | null;
  /** The canonical query after the whole lane (null when the lane failed). */
  readonly canonicalSql: string | null;
  readonly astFingerprint: string | null;
  readonly policyHash: string | null;
  readonly schema: readonly OutputColumn[] | null;
  readonly lineage: QueryLineage | null;
}

/** What the text output prints for the input; null when there is nothing to print (it failed). */
export function renderSqlLaneText(view: SqlLaneView, r: SqlLaneReport): string | null {
  if (!r.ok) return null;
  switch (view) {
    case "qualify":
      return r.qualifiedSql;
    case "fingerprint":
      return `ast_fingerprint ${r.astFingerprint}\npolicy_hash     ${r.policyHash}`;
    case "lineage":
      return r.lineage ? renderQueryLineageText(r.lineage) : null;
  }
}

/** One JSON line; `diagnostics` already in cpgc's JSON diagnostic form. */
export function renderSqlLaneJson(view: SqlLaneView, r: SqlLaneReport, diagnostics: readonly unknown[]): string {
  return JSON.stringify({
    file: r.file,
    ok: r.ok,
    sql: view === "qualify" ? r.qualifiedSql : r.canonicalSql,
    ast_fingerprint: r.astFingerprint,
    policy_hash: r.policyHash,
    schema: r.schema?.map((c) => ({ name: c.name, type: c.typeText, nullable: c.nullable })) ?? null,
    lineage: r.lineage ? queryLineageJson(r.lineage) : null,
    diagnostics,
  });
}
