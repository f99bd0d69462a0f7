// Conformance of the Delta read side against the shared corpus (../shared/corpus/delta): every
// table of MANIFEST.json is loaded through the native runtime and compared with the manifest at
// its latest version and at every version listed in rowCountPerVersion. Tables marked `reject`
// must fail with DELTA_UNSUPPORTED_FEATURE naming their feature; `read-or-reject` may do either,
// but a read must then match exactly. The summary is committed as
// tests/conformance/reports/delta-read.md (regenerate with UPDATE_REPORTS=1).
//
// Row counts are the sum of Parquet footer row counts of the active files (DuckDB
// parquet_file_metadata) minus deletion-vector cardinalities — the manifest's basis.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  countSnapshotRows,
  formatDeltaType,
  loadDeltaSnapshot,
  NativeError,
  openDatabase,
  type Database,
  type DeltaSnapshot,
} from "../../runtime-native/index.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus/delta");
const REPORT = path.resolve(import.meta.dirname, "reports/delta-read.md");
const UPDATE = process.env["UPDATE_REPORTS"] === "1";

interface ManifestColumn {
  name: string;
  type: string;
  nullable: boolean;
  physicalName?: string;
  fieldId?: number;
}

interface ManifestTable {
  name: string;
  tableRoot: string;
  expectedReaderBehavior: "read" | "reject" | "read-or-reject";
  rejectOrErrorReason?: string;
  latestVersion: number;
  expectedRowCount: number;
  rowCountPerVersion: Record<string, number>;
  columns: ManifestColumn[];
  partitionColumns: string[];
  protocol: { minReaderVersion: number; minWriterVersion: number; readerFeatures: string[] | null; writerFeatures: string[] | null };
  tableProperties: Record<string, string>;
  activeFiles: number;
  deletionVectorDeletedRows: number;
  log: { checkpoints: { version: number; kind: string }[] };
  appTransactions?: Record<string, number>;
  domainMetadata?: string[];
}

const manifest = existsSync(path.join(CORPUS, "MANIFEST.json"))
  ? (JSON.parse(readFileSync(path.join(CORPUS, "MANIFEST.json"), "utf8")) as { tables: ManifestTable[] })
  : { tables: [] };

interface Outcome {
  result: "read" | "rejected" | "FAIL";
  version: string;
  rows: string;
  versions: number;
  checkpoint: string;
  note: string;
}
const outcomes = new Map<string, Outcome>();

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 2 });
});
afterAll(() => db.close());

function rowsOf(snapshot: DeltaSnapshot): number {
  return countSnapshotRows(snapshot, { db, fromParquet: true }).numRecords;
}

function columnsOf(snapshot: DeltaSnapshot): ManifestColumn[] {
  return snapshot.schema.map((f) => ({
    name: f.name,
    type: formatDeltaType(f.type),
    nullable: f.nullable,
    ...(f.physicalName !== undefined ? { physicalName: f.physicalName } : {}),
    ...(f.fieldId !== undefined ? { fieldId: f.fieldId } : {}),
  }));
}

/** Everything the manifest states about the latest version, in comparable form. */
function facts(snapshot: DeltaSnapshot) {
  return {
    version: snapshot.version,
    columns: columnsOf(snapshot),
    partitionColumns: snapshot.metadata.partitionColumns,
    protocol: {
      minReaderVersion: snapshot.protocol.minReaderVersion,
      minWriterVersion: snapshot.protocol.minWriterVersion,
      readerFeatures: snapshot.protocol.readerFeatures ?? null,
      writerFeatures: snapshot.protocol.writerFeatures ?? null,
    },
    tableProperties: snapshot.metadata.configuration,
    activeFiles: snapshot.summary.numFiles,
    deletionVectorDeletedRows: snapshot.files.reduce((n, f) => n + (f.deletionVector?.cardinality ?? 0), 0),
    appTransactions: Object.fromEntries(snapshot.appTransactions.map((t) => [t.appId, t.version])),
    domainMetadata: snapshot.domainMetadata.map((d) => d.domain).sort(),
  };
}

function expectedFacts(table: ManifestTable) {
  return {
    version: table.latestVersion,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      ...(c.physicalName !== undefined ? { physicalName: c.physicalName } : {}),
      ...(c.fieldId !== undefined ? { fieldId: c.fieldId } : {}),
    })),
    partitionColumns: table.partitionColumns,
    protocol: table.protocol,
    tableProperties: table.tableProperties,
    activeFiles: table.activeFiles,
    deletionVectorDeletedRows: table.deletionVectorDeletedRows,
    appTransactions: table.appTransactions ?? {},
    domainMetadata: [...(table.domainMetadata ?? [])].sort(),
  };
}

/** The reader features of the table that its reject reason names. */
function rejectedFeatures(table: ManifestTable): string[] {
  return (table.protocol.readerFeatures ?? []).filter((f) => table.rejectOrErrorReason?.includes(f));
}

function check(table: ManifestTable): Outcome {
  const root = path.join(CORPUS, table.tableRoot);
  let latest: DeltaSnapshot;
  try {
    latest = loadDeltaSnapshot(root);
  } catch (error) {
    if (table.expectedReaderBehavior === "read") throw error;
    expect(error).toBeInstanceOf(NativeError);
    const e = error as NativeError;
    expect(e.code, e.message).toBe("DELTA_UNSUPPORTED_FEATURE");
    const named = rejectedFeatures(table).filter((f) => e.message.includes(f));
    expect(named.length, `${e.message} names one of ${rejectedFeatures(table).join(", ")}`).toBeGreaterThan(0);
    return { result: "rejected", version: "-", rows: "-", versions: 0, checkpoint: "-", note: `${e.code}: ${named.join(", ")}` };
  }
  expect(table.expectedReaderBehavior, "a table marked reject must not be read").not.toBe("reject");
  expect(facts(latest)).toEqual(expectedFacts(table));
  expect(latest.files.length, "every active file is listed").toBe(table.activeFiles);
  expect(rowsOf(latest)).toBe(table.expectedRowCount);
  const newestCheckpoint = Math.max(...table.log.checkpoints.map((c) => c.version).filter((v) => v <= table.latestVersion), -1);
  expect(latest.logSegment.checkpointVersion ?? -1, "replay starts at the newest checkpoint").toBe(newestCheckpoint);

  const versions = Object.entries(table.rowCountPerVersion).map(([v, rows]) => [Number(v), rows] as const);
  for (const [version, rows] of versions) {
    const snapshot = loadDeltaSnapshot(root, { version });
    expect(snapshot.version).toBe(version);
    expect(rowsOf(snapshot), `rows at version ${version}`).toBe(rows);
  }
  return {
    result: "read",
    version: String(latest.version),
    rows: String(table.expectedRowCount),
    versions: versions.length,
    checkpoint: latest.logSegment.checkpointKind === null ? "-" : `${latest.logSegment.checkpointKind} @${latest.logSegment.checkpointVersion}`,
    note: latest.warnings.length > 0 ? `${latest.warnings.length} warning(s)` : "",
  };
}

function report(): string {
  const rows = manifest.tables.map((t) => {
    const o = outcomes.get(t.name);
    const cells = o ? [o.result, o.version, o.rows, String(o.versions), o.checkpoint, o.note] : ["FAIL", "-", "-", "0", "-", "not run"];
    return `| ${t.name} | ${t.expectedReaderBehavior} | ${cells.join(" | ")} |`;
  });
  const count = (r: string) => manifest.tables.filter((t) => (outcomes.get(t.name)?.result ?? "FAIL") === r).length;
  const versions = [...outcomes.values()].reduce((n, o) => n + o.versions, 0);
  return [
    "# Delta read conformance",
    "",
    "Generated by `tests/conformance/delta-read.test.ts` over `../shared/corpus/delta` (MANIFEST.json);",
    "regenerate with `UPDATE_REPORTS=1 npx vitest run tests/conformance/delta-read.test.ts`.",
    "",
    `${manifest.tables.length} tables: ${count("read")} read and matching the manifest, ${count("rejected")} rejected naming their feature, ${count("FAIL")} failing; ${versions} versions time-travelled.`,
    "",
    "A read table matches at its latest version: version, columns (name, Delta type, nullability,",
    "physical name and field id under column mapping), partition columns, protocol and features,",
    "table properties, active files, deletion-vector deleted rows, app transactions, domain metadata,",
    "the checkpoint replay starts from, and the row count (Parquet footers minus DV cardinalities);",
    "and at every listed version: version and row count.",
    "",
    "| table | expected | result | version | rows | versions | checkpoint | note |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

describe("Delta read conformance", () => {
  it("has the corpus", () => {
    expect(manifest.tables.length, `no MANIFEST.json under ${CORPUS}`).toBeGreaterThanOrEqual(30);
  });

  for (const table of manifest.tables) {
    it(`${table.name} (${table.expectedReaderBehavior})`, () => {
      try {
        outcomes.set(table.name, check(table));
      } catch (error) {
        outcomes.set(table.name, { result: "FAIL", version: "-", rows: "-", versions: 0, checkpoint: "-", note: String((error as Error).message).split("\n")[0] ?? "" });
        throw error;
      }
    });
  }

  it("the committed report is current", () => {
    const text = report();
    if (UPDATE) writeFileSync(REPORT, text);
    expect(existsSync(REPORT), `missing ${REPORT}; run with UPDATE_REPORTS=1`).toBe(true);
    expect(text).toBe(readFileSync(REPORT, "utf8"));
  });
});
