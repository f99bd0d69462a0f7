// Conformance of Delta scans (rows) against the shared corpus (../shared/corpus/delta): every
// readable table of MANIFEST.json is scanned through the native runtime + DuckDB at its latest
// version and at every version of rowCountPerVersion; the row count must equal the manifest's
// (which already subtracts deletion vectors), the relation's columns must be the logical column
// names, and where the corpus carries an expected-rows dump (dv-small) the rows must match it
// exactly. A pruned scan of a partitioned table must return the same rows as a filtered full scan.
// The summary is committed as tests/conformance/reports/delta-scan.md (UPDATE_REPORTS=1 to regenerate).
import { existsSync, readdirSync as readdir, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, planDeltaScan, projectSql, type Database } from "../../runtime-native/index.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus/delta");
const REPORT = path.resolve(import.meta.dirname, "reports/delta-scan.md");
const UPDATE = process.env["UPDATE_REPORTS"] === "1";

interface ManifestTable {
  name: string;
  tableRoot: string;
  expectedDir: string | null;
  expectedReaderBehavior: "read" | "reject" | "read-or-reject";
  latestVersion: number;
  expectedRowCount: number;
  rowCountPerVersion: Record<string, number>;
  columns: { name: string }[];
}

/**
 * Known divergences from the manifest, asserted so that any change shows up. The manifest's
 * counts subtract DV cardinalities; the scan applies the decoded bitmaps.
 */
const KNOWN: Record<string, { versions: Record<string, number>; note: string }> = {};

const manifest = existsSync(path.join(CORPUS, "MANIFEST.json"))
  ? (JSON.parse(readFileSync(path.join(CORPUS, "MANIFEST.json"), "utf8")) as { tables: ManifestTable[] })
  : { tables: [] };

/** Values of a kernel-style expected dump (`value:  [ 1, 2, ... ]`) by column; `{}` for `[No data]`. */
function dumpRows(table: ManifestTable): Record<string, unknown[]> | null {
  if (table.expectedDir === null) return null;
  const dir = path.join(CORPUS, table.expectedDir);
  const name = readdir(dir).find((f) => f.endsWith(".expected"));
  if (name === undefined) return null;
  const text = readFileSync(path.join(dir, name), "utf8");
  if (text.includes("[No data]")) return {};
  const out: Record<string, unknown[]> = {};
  for (const match of text.matchAll(/^(\w+):\s*\[([^\]]*)\]/gm)) {
    out[match[1] ?? ""] = (match[2] ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "").map((v) => JSON.parse(v) as unknown);
  }
  return out;
}

interface Outcome {
  result: "match" | "rejected" | "FAIL";
  rows: string;
  versions: number;
  files: string;
  exact: string;
}
const outcomes = new Map<string, Outcome>();

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 2 });
});
afterAll(() => db.close());

function count(sql: string): number {
  const { rows } = db.query(`SELECT count(*) AS n FROM (\n${sql}\n) AS t`);
  return Number(rows[0]?.["n"]);
}

function check(table: ManifestTable): Outcome {
  const root = path.join(CORPUS, table.tableRoot);
  let plan;
  try {
    plan = planDeltaScan(root);
  } catch (error) {
    if (table.expectedReaderBehavior === "read") throw error;
    expect((error as { code?: string }).code).toBe("DELTA_UNSUPPORTED_FEATURE");
    return { result: "rejected", rows: "-", versions: 0, files: "-", exact: "-" };
  }
  expect(plan.version).toBe(table.latestVersion);
  expect(plan.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
  const { columns } = db.query(`${plan.sql} LIMIT 0`);
  expect(columns.map((c) => c.name), "the relation has the logical column names").toEqual(table.columns.map((c) => c.name));
  expect(count(plan.sql)).toBe(table.expectedRowCount);
  let versions = 0;
  for (const [version, rows] of Object.entries(table.rowCountPerVersion)) {
    const atVersion = planDeltaScan(root, { version: Number(version) });
    expect(count(atVersion.sql), `${table.name} @ v${version}`).toBe(KNOWN[table.name]?.versions[version] ?? rows);
    versions++;
  }
  let exact = "-";
  const dump = dumpRows(table);
  if (dump !== null) {
    const names = Object.keys(dump);
    if (names.length > 0) {
      const { rows } = db.query(projectSql(plan.sql, plan.columns, { columns: names }) + ` ORDER BY ${names.map((n) => `"${n}"`).join(", ")}`);
      for (const name of names) expect(rows.map((r) => r[name]), `${table.name}.${name}`).toEqual(dump[name]);
    } else {
      expect(count(plan.sql)).toBe(0);
    }
    exact = `${names.length} column(s) match`;
  }
  return {
    result: "match",
    rows: String(table.expectedRowCount),
    versions,
    files: `${plan.stats.filesScanned} (${plan.stats.filesWithDeletionVectors} with DV, ${plan.stats.rowsDeletedByDeletionVectors} rows deleted)`,
    exact: KNOWN[table.name] === undefined ? exact : `${exact}; known: ${KNOWN[table.name]?.note ?? ""}`,
  };
}

describe("Delta scan conformance", () => {
  for (const table of manifest.tables) {
    it(table.name, () => {
      try {
        outcomes.set(table.name, check(table));
      } catch (error) {
        outcomes.set(table.name, { result: "FAIL", rows: "-", versions: 0, files: "-", exact: String((error as Error).message).split("\n")[0] ?? "" });
        throw error;
      }
    });
  }

  it("pruning: a selective predicate on a partitioned table skips files and keeps the rows", () => {
    const root = path.join(CORPUS, "partition-type-primitives/delta");
    const all = planDeltaScan(root);
    const some = planDeltaScan(root, { where: "category = 'A' AND is_active = 'true'" });
    expect(some.stats.filesPruned).toBeGreaterThan(0);
    expect(some.stats.filesScanned + some.stats.filesPruned).toBe(all.stats.filesTotal);
    expect(count(some.sql)).toBe(count(`SELECT * FROM (${all.sql}) WHERE category = 'A' AND is_active = 'true'`));
  });

  it("writes the report", () => {
    if (manifest.tables.length === 0) return;
    const rows = manifest.tables.map((t) => {
      const o = outcomes.get(t.name) ?? { result: "FAIL", rows: "-", versions: 0, files: "-", exact: "not run" };
      return `| ${t.name} | ${t.expectedReaderBehavior} | ${o.result} | ${o.rows} | ${o.versions} | ${o.files} | ${o.exact} |`;
    });
    const matched = [...outcomes.values()].filter((o) => o.result === "match").length;
    const rejected = [...outcomes.values()].filter((o) => o.result === "rejected").length;
    const versions = [...outcomes.values()].reduce((n, o) => n + o.versions, 0);
    const text = [
      "# Delta scan conformance",
      "",
      "Generated by `tests/conformance/delta-scan.test.ts` over `../shared/corpus/delta` (MANIFEST.json);",
      "regenerate with `UPDATE_REPORTS=1 npx vitest run tests/conformance/delta-scan.test.ts`.",
      "",
      `${manifest.tables.length} tables: ${matched} scanned with matching rows, ${rejected} rejected naming their feature, ${manifest.tables.length - matched - rejected} failing; ${versions} versions scanned.`,
      "",
      "A scanned table matches when the relation has the logical column names, its row count equals the",
      "manifest's (deletion vectors applied) at the latest version and at every listed version, and, where",
      "the corpus has an expected-rows dump, the rows are exactly those.",
      "",
      "| table | expected | result | rows | versions | files scanned (latest) | exact rows |",
      "|---|---|---|---|---|---|---|",
      ...rows,
      "",
    ].join("\n");
    if (UPDATE || !existsSync(REPORT)) writeFileSync(REPORT, text);
    expect(readFileSync(REPORT, "utf8")).toBe(text);
  });
});
