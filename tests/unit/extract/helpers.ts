import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parseAllDocuments } from "yaml";

import { openDatabase, type Database, type Row } from "../../../runtime-native/index.js";
import { duckDbType, quoteIdent, sqlString, sqlStringList } from "../../../runtime-native/ts/apply/sql.js";
import type { ExtractTable } from "../../../runtime-native/ts/extract/index.js";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const SPECS_EXTRACT = path.join(REPO, "specs", "extract");

interface DatasetDoc {
  kind: string;
  name: string;
  source?: { extractor?: string; options?: Record<string, unknown> };
  schema: { columns: { name: string; type: string; nullable?: boolean }[] };
}

/** The extract datasets of specs/extract/*.yaml, as the driver gets them. */
export function specTables(): ExtractTable[] {
  const out: ExtractTable[] = [];
  for (const file of readdirSync(SPECS_EXTRACT).filter((f) => f.endsWith(".yaml")).sort()) {
    for (const doc of parseAllDocuments(readFileSync(path.join(SPECS_EXTRACT, file), "utf8"))) {
      const d = doc.toJS() as DatasetDoc;
      if (d.kind !== "Dataset" || d.source?.extractor === undefined) continue;
      out.push({
        dataset: d.name,
        table: typeof d.source.options?.["table"] === "string" ? (d.source.options["table"] as string) : d.name,
        columns: d.schema.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable !== false })),
      });
    }
  }
  return out.sort((a, b) => (a.dataset < b.dataset ? -1 : 1));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `cpgc-extract-${prefix}-`));
}

/** A tree under a fresh temp dir from path → content. */
export function makeTree(files: Record<string, string | Buffer>): string {
  const root = tempDir("tree");
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

let shared: Database | undefined;
export function db(): Database {
  shared ??= openDatabase();
  return shared;
}

/** The staged rows of one dataset read by DuckDB with its declared columns (the apply's way). */
export function relationSql(table: ExtractTable, files: readonly string[]): string {
  const columns = table.columns.map((c) => `${sqlString(c.name)}: ${sqlString(duckDbType(c.type, `${table.dataset}.${c.name}`))}`).join(", ");
  return `SELECT * FROM read_json(${sqlStringList(files)}, columns={${columns}}, format='newline_delimited', records=true)`;
}

export function readRows(table: ExtractTable, files: readonly string[], orderBy: string): Row[] {
  if (files.length === 0) return [];
  return db().query(`${relationSql(table, files)} ORDER BY ${orderBy}`).rows;
}

export { quoteIdent };
