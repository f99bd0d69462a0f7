/**
 * Staging a table action's rows: the relation (source files, the extractor's staged rows, the
 * view's SQL, or the table's own rows) cast to the table's columns, materialized once in a TEMP
 * TABLE of the session — so the expectations, the digests and the write all see the same rows.
 */

import type { DesiredColumn, DesiredTable, TableStep } from "../../../compiler/src/plan/model.js";
import { loadDeltaSnapshot } from "../delta.js";
import type { DeltaSnapshot } from "../delta-types.js";
import { NativeError } from "../errors.js";
import { registerDeltaView } from "../scan.js";
import { columnDigests, digestRows } from "./digest.js";
import { extractedRelationSql, type ExtractedRows } from "./extract-rows.js";
import { sourceFingerprint, sourceFiles } from "./observe.js";
import { findNullViolation, sourceRelationSql, withSourceErrors, type SourceTable } from "./source.js";
import type { ReplaceParts } from "./expectations.js";
import { castRelationSql, quoteIdent, scalar, toNumber, type SqlRunner } from "./sql.js";
import type { ColumnDigest } from "../../../compiler/src/plan/model.js";

export const STAGE_TABLE = "__cpgc_stage";

export interface Staged {
  /** `SELECT * FROM "__cpgc_stage"`. */
  readonly sql: string;
  readonly rows: number;
  readonly digests: Record<string, ColumnDigest>;
  /** Source loads: the fingerprint of what was read (files hashed before reading). */
  readonly sourceFingerprint: string | null;
  /** Source loads: the files read (relative to the config directory). */
  readonly sourceFiles: readonly { readonly path: string; readonly sha256: string }[] | null;
}

type From = NonNullable<TableStep["write"]>["from"];

/** The rows of the table itself (already registered as a view named after it) projected onto `columns` (renames followed). */
function selfRelation(db: SqlRunner, table: DesiredTable, columns: readonly DesiredColumn[]): string {
  const existing = new Set(db.query(`SELECT * FROM ${quoteIdent(table.name)} LIMIT 0`).columns.map((c) => c.name));
  const select = columns.map((c) => {
    if (existing.has(c.name)) return `${quoteIdent(c.name)} AS ${quoteIdent(c.name)}`;
    if (c.renamed_from !== undefined && existing.has(c.renamed_from)) return `${quoteIdent(c.renamed_from)} AS ${quoteIdent(c.name)}`;
    return `NULL AS ${quoteIdent(c.name)}`;
  });
  return `SELECT ${select.join(", ")} FROM ${quoteIdent(table.name)}`;
}

/**
 * Stages the rows of `from` for `table` (inputs must already be registered; `self` registers the
 * table's current version at `tablePath`). Source rows that do not fit the declared schema are
 * SOURCE_SCHEMA_MISMATCH naming dataset, column and file.
 */
export function stageRows(db: SqlRunner, table: DesiredTable, from: From, tablePath: string, options: { configDir?: string; extracted?: ExtractedRows } = {}): Staged {
  const columns = table.columns;
  const stage = quoteIdent(STAGE_TABLE);
  let fingerprint: string | null = null;
  let loaded: { path: string; sha256: string }[] | null = null;
  const create = (relation: string): void => {
    db.query(`CREATE OR REPLACE TEMPORARY TABLE ${stage} AS ${castRelationSql(relation, columns, `table ${table.name}`)}`);
  };
  if (from.kind === "source" && from.source.format === "extractor") {
    if (options.extracted === undefined) throw new NativeError("INVALID_ARGUMENT", `dataset ${table.name}: the extractor did not run for it`, { dataset: table.name });
    create(extractedRelationSql(table, options.extracted));
  } else if (from.kind === "source") {
    const src: SourceTable = { name: table.name, columns, source: from.source };
    let delta: { table_id: string; version: number } | null = null;
    if (from.source.format === "delta") {
      const snapshot = loadDeltaSnapshot(from.source.location, { files: "none" });
      delta = { table_id: snapshot.metadata.id, version: snapshot.version };
    }
    // Hash before reading: a file changed in between is reloaded by the next plan, never missed.
    const files = sourceFiles({ source: from.source }, options.configDir);
    fingerprint = sourceFingerprint({ columns, source: from.source }, files.files, delta);
    loaded = files.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
    withSourceErrors(db, src, files.absolute, () => create(sourceRelationSql(db, src, files.absolute)));
    const required = columns.filter((c) => !c.nullable);
    if (required.length > 0) {
      const nulls = db.query(`SELECT ${required.map((c, i) => `bool_or(${quoteIdent(c.name)} IS NULL) AS c${i}`).join(", ")} FROM ${stage}`).rows[0] ?? {};
      if (required.some((_, i) => nulls[`c${i}`] === true)) {
        const found = findNullViolation(db, src, files.absolute);
        const column = found?.column ?? required.find((_, i) => nulls[`c${i}`] === true)?.name ?? "?";
        throw new NativeError("SOURCE_SCHEMA_MISMATCH", `dataset ${table.name}: column ${column} is not nullable, but ${found?.file ?? from.source.pattern} has rows where it is null`, {
          dataset: table.name,
          column,
          file: found?.file ?? "",
        });
      }
    }
  } else if (from.kind === "sql") {
    create(from.sql);
  } else {
    registerDeltaView(db, table.name, tablePath);
    create(selfRelation(db, table, columns));
  }
  const sql = `SELECT * FROM ${stage}`;
  const digests = columnDigests(db, sql, columns.map((c) => c.name), table.unique_key);
  const first = Object.values(digests)[0];
  const rows = first === undefined ? Number(db.query(`SELECT count(*) AS n FROM ${stage}`).rows[0]?.["n"] ?? 0) : digestRows(first);
  return { sql, rows, digests, sourceFingerprint: fingerprint, sourceFiles: loaded };
}

/** Drops the stage (and the view that pointed the table's name at it). */
export function dropStage(db: SqlRunner, tableName: string): void {
  db.query(`DROP VIEW IF EXISTS ${quoteIdent(tableName)}; DROP TABLE IF EXISTS ${quoteIdent(STAGE_TABLE)}`);
}

/** Makes the table's own name resolve to the staged rows, or to `relation` (for custom-SQL expectations). */
export function nameStage(db: SqlRunner, tableName: string, relation: string = STAGE_TABLE): void {
  db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(tableName)} AS SELECT * FROM ${quoteIdent(relation)}`);
}

export const AFTER_VIEW = "__cpgc_after";
const CURRENT_VIEW = "__cpgc_current";
const KEPT_VIEW = "__cpgc_kept";

/**
 * replaceWhere: the table's rows as the commit leaves them — its rows at `version` that the
 * predicate does not match, plus the stage — as the view {@link AFTER_VIEW}, so expectations and
 * digests judge the whole table, not only the replaced part. Returns `SELECT * FROM` it.
 */
export function afterReplaceSql(db: SqlRunner, table: DesiredTable, tablePath: string, version: number, predicate: string): string {
  registerDeltaView(db, CURRENT_VIEW, tablePath, { version });
  const columns = table.columns.map((c) => quoteIdent(c.name)).join(", ");
  db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(KEPT_VIEW)} AS SELECT ${columns} FROM ${quoteIdent(CURRENT_VIEW)} WHERE NOT coalesce((${predicate}), false)`);
  db.query(`CREATE OR REPLACE TEMPORARY VIEW ${quoteIdent(AFTER_VIEW)} AS SELECT * FROM ${quoteIdent(KEPT_VIEW)} UNION ALL SELECT ${columns} FROM ${quoteIdent(STAGE_TABLE)}`);
  return `SELECT * FROM ${quoteIdent(AFTER_VIEW)}`;
}

/**
 * The parts of {@link afterReplaceSql}'s view for cheaper expectations (expectations.ts): the
 * stage, the kept rows, and their count from the file statistics of `snapshot` (its rows minus
 * those the predicate matches, which a scan pruned by the predicate counts).
 */
export function replaceParts(db: SqlRunner, snapshot: DeltaSnapshot, predicate: string, keptPassed: boolean, replacedKey: string | null = null): ReplaceParts {
  const s = snapshot.summary;
  let keptRows: number | null = null;
  if (s.filesWithoutNumRecords === 0) {
    const replaced = toNumber(scalar(db, `SELECT count(*) AS n FROM ${quoteIdent(CURRENT_VIEW)} WHERE coalesce((${predicate}), false)`));
    keptRows = s.numRecords - s.deletedByDeletionVectors - replaced;
  }
  return { added: quoteIdent(STAGE_TABLE), kept: quoteIdent(KEPT_VIEW), keptRows, keptPassed, replacedKey };
}

/** Drops the views of {@link afterReplaceSql}. */
export function dropAfter(db: SqlRunner): void {
  db.query(`DROP VIEW IF EXISTS ${quoteIdent(AFTER_VIEW)}; DROP VIEW IF EXISTS ${quoteIdent(KEPT_VIEW)}; DROP VIEW IF EXISTS ${quoteIdent(CURRENT_VIEW)}`);
}
