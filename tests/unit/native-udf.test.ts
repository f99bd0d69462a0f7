// cpgc's UDFs (runtime-native/src/udf) through the real addon and libduckdb: registered on every
// database cpgc opens, equal to the README's Python one-liners and the golden table, NULL in →
// NULL out, and a throughput figure (printed, never asserted).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDeltaTable, openDatabase, scanDeltaTable, type Database } from "../../runtime-native/index.js";
import { tempDir } from "./delta/helpers.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const CASES_FILE = path.join(ROOT, "runtime-native", "src", "udf", "stable_ids.json");

interface Cases {
  cpg_id: { kind: string; path: string; bstart: string; bend: string; id: string }[];
  cpg_key_id: { kind: string; key: string; id: string }[];
}
const CASES = JSON.parse(readFileSync(CASES_FILE, "utf8")) as Cases;

/** The ```python block of runtime-native/README.md "UDFs: stable ids". */
function readmePython(): string {
  const readme = readFileSync(path.join(ROOT, "runtime-native", "README.md"), "utf8");
  const block = /<!-- stable-ids-python -->\s*```python\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("runtime-native/README.md lacks the stable-ids-python block");
  return block;
}

/** Runs `expression` (Python, over the README's cpg_id / cpg_key_id) with python3 and returns its JSON. */
function python(expression: string, input: unknown = null): unknown {
  const script = `${readmePython()}\nimport json, sys\ndata = json.load(sys.stdin)\nprint(json.dumps(${expression}))\n`;
  return JSON.parse(execFileSync("python3", ["-I", "-c", script], { input: JSON.stringify(input), encoding: "utf8" }));
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

let db: Database;
beforeAll(() => {
  db = openDatabase({ threads: 2 });
});
afterAll(() => db.close());

describe("cpg_id / cpg_key_id in the engine", () => {
  it("select cpg_id('FunctionDef','a.py',1,2) equals what python3 computes", () => {
    const { rows } = db.query("select cpg_id('FunctionDef','a.py',1,2) as id, cpg_key_id('file', 'a.py') as key_id");
    const py = python("[cpg_id('FunctionDef', 'a.py', 1, 2), cpg_key_id('file', 'a.py')]");
    expect([rows[0]!["id"], rows[0]!["key_id"]]).toEqual(py);
    expect(rows[0]!["id"]).toBe("65e1843918f6f294");
  });

  it("gives the golden ids of stable_ids.json (empty strings, unicode, negative and extreme numbers), as python3 does", () => {
    const ids = CASES.cpg_id.map((c) => `cpg_id(${lit(c.kind)}, ${lit(c.path)}, cast(${lit(c.bstart)} as bigint), cast(${lit(c.bend)} as bigint))`);
    const keys = CASES.cpg_key_id.map((c) => `cpg_key_id(${lit(c.kind)}, ${lit(c.key)})`);
    const result = db.query(`select ${[...ids, ...keys].map((e, i) => `${e} as c${i}`).join(", ")}`);
    const engine = result.columns.map((c) => result.rows[0]![c.key]);
    const golden = [...CASES.cpg_id.map((c) => c.id), ...CASES.cpg_key_id.map((c) => c.id)];
    expect(engine).toEqual(golden);
    const py = python(
      "[cpg_id(c['kind'], c['path'], int(c['bstart']), int(c['bend'])) for c in data['cpg_id']] + [cpg_key_id(c['kind'], c['key']) for c in data['cpg_key_id']]",
      CASES,
    );
    expect(py).toEqual(golden);
    expect(result.columns.every((c) => c.type === "VARCHAR")).toBe(true);
  });

  it("returns NULL when any argument is NULL, row by row", () => {
    const { rows } = db.query(`
      select cpg_id(k, p, s, e) as id, cpg_key_id(k, p) as key_id
      from (values ('A', 'a.py', 1, 2), (null, 'a.py', 1, 2), ('A', null, 1, 2), ('A', 'a.py', null, 2), ('A', 'a.py', 1, null), ('', '', 0, 0)) t(k, p, s, e)`);
    expect(rows.map((r) => r["id"] === null)).toEqual([false, true, true, true, true, false]);
    expect(rows.map((r) => r["key_id"] === null)).toEqual([false, true, true, false, false, false]);
    expect(rows[5]!["id"]).toBe(CASES.cpg_id.find((c) => c.kind === "" && c.path === "")!.id);
  });

  it("is registered on every database: a fresh one, and the write path's (a Delta table written from SQL that calls it)", () => {
    const other = openDatabase({ threads: 1 });
    try {
      expect(other.query("select cpg_key_id('module', 'json.decoder') as id").rows[0]!["id"]).toBe("50b57cc39058a12b");
    } finally {
      other.close();
    }
    const table = path.join(tempDir(), "ids");
    createDeltaTable(table, {
      schema: [
        { name: "id", type: "string", nullable: false },
        { name: "n", type: "long" },
      ],
      data: { source: { sql: "select cpg_id('FunctionDef', 'a.py', range, range + 1) as id, range as n from range(3)" } },
    });
    const rows = [...scanDeltaTable(db, table, { columns: ["id", "n"] }).rows].sort((a, b) => Number(a["n"]) - Number(b["n"]));
    const py = python("[cpg_id('FunctionDef', 'a.py', n, n + 1) for n in range(3)]");
    expect(rows.map((r) => r["id"])).toEqual(py);
  });

  it("every id of 1M distinct inputs is distinct; throughput (printed, not asserted)", () => {
    const n = 1_000_000;
    const args = `'FunctionDef', 'pkg/module_' || (i % 1000) || '.py', i, i + 17`;
    const { rows } = db.query(`select count(distinct cpg_id(${args})) as ids, count(distinct cpg_key_id('symbol', 'scope_' || (i % 5000) || '/name_' || i)) as keys from range(${n}) r(i)`);
    expect(rows[0]).toEqual({ ids: n, keys: n });

    const time = (sql: string): number => {
      db.query(sql); // warm
      const started = performance.now();
      db.query(sql);
      return (performance.now() - started) / 1000;
    };
    const withUdf = time(`select sum(strlen(cpg_id(${args}))) from range(${n}) r(i)`);
    const baseline = time(`select sum(strlen(concat(${args}))) from range(${n}) r(i)`);
    const udfOnly = Math.max(withUdf - baseline, 1e-9);
    console.log(
      `cpg_id over ${n.toLocaleString("en")} rows (2 threads): ${withUdf.toFixed(3)} s = ${Math.round(n / withUdf).toLocaleString("en")} rows/s ` +
        `end to end; the same query with concat() instead: ${baseline.toFixed(3)} s; the UDF alone ≈ ${Math.round(n / udfOnly).toLocaleString("en")} rows/s`,
    );
  });
});
