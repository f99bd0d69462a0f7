/**
 * The rows an extractor run staged for one extract dataset (extract.ts runs it): the dataset's
 * relation over its chunk files — the declared columns, read like an ndjson source (source.ts),
 * only the files its step needs — and the extraction its commit records.
 */

import { recordedSha } from "../../../compiler/src/plan/diff-extract.js";
import type { DesiredTable } from "../../../compiler/src/plan/model.js";
import { castRelationSql, duckDbType, quoteIdent, sqlString, sqlStringList } from "./sql.js";

/** What one dataset gets from the run. */
export interface ExtractedRows {
  /** Chunk files (ndjson) holding the dataset's rows for every file of the run. */
  readonly chunks: readonly string[];
  /** The files this dataset's step needs (a subset of the run's), relative to the root. */
  readonly files: readonly string[];
  /** Whether the run read more files than this dataset needs (its relation then filters by path). */
  readonly filter: boolean;
  /** Per file read (those that still existed), its sha256 as hashed before the run. */
  readonly hashed: ReadonlyMap<string, string>;
  readonly version: string;
}

export type ExtractOutcome = { readonly ok: true; readonly rows: ExtractedRows } | { readonly ok: false; readonly error: { code: string; message: string } };

/** The dataset's staged rows as a relation with exactly its declared columns (only the files its step needs). */
export function extractedRelationSql(table: Pick<DesiredTable, "name" | "columns">, rows: ExtractedRows): string {
  const where = `dataset ${table.name}`;
  if (rows.chunks.length === 0) {
    const select = table.columns.map((c) => `CAST(NULL AS ${duckDbType(c.type, `${where}, column ${c.name}`)}) AS ${quoteIdent(c.name)}`).join(", ");
    return `SELECT ${select} WHERE FALSE`;
  }
  const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckDbType(c.type, `${where}, column ${c.name}`))}`).join(", ");
  const raw = `SELECT * FROM read_json(${sqlStringList(rows.chunks)}, columns={${columns}}, format='newline_delimited', records=true)`;
  const kept = rows.filter ? `SELECT * FROM (\n${raw}\n) AS "extracted" WHERE "path" IN (${rows.files.length === 0 ? "NULL" : rows.files.map(sqlString).join(", ")})` : raw;
  return castRelationSql(kept, table.columns, where, "extracted_rows");
}

/** The extraction the commit records: the planned tree map with the files just read as hashed now (and removed ones gone). */
export function extractState(planned: Readonly<Record<string, string>>, step: { readonly files: readonly string[]; readonly remove: readonly string[] }, rows: ExtractedRows): Record<string, string> {
  const out: Record<string, string> = { ...planned };
  for (const f of step.remove) delete out[f];
  for (const f of step.files) {
    const sha = rows.hashed.get(f);
    if (sha === undefined) delete out[f];
    else out[f] = recordedSha(sha);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
