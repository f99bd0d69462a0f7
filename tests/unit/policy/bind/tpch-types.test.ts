// Types check against the real engine: each TPC-H query's derived output schema equals what DuckDB's
// DESCRIBE reports for the same query over empty tables built from tpch/schema.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../../runtime-native/index.js";
import { tableCatalogFromSchemaJson } from "../../../../compiler/src/catalog/index.js";
import { bindQuery } from "../../../../compiler/src/policy/bind/index.js";
import { parseQuery } from "../../../../compiler/src/sql/index.js";
import { formatArrowType, fromDuckDbType, toDuckDbType } from "../../../../compiler/src/types/index.js";
import { CORPUS_DIR, HAVE_CORPUS, tpchQueries } from "../../sql/helpers/corpus.js";
import { FUNCTIONS } from "../../../conformance/sql-qualify-cases.js";

/** DuckDB's type as the binder spells it: Arrow type strings, HUGEINT as decimal(38, 0). */
function engineType(t: string): string {
  if (t === "HUGEINT") return "decimal(38, 0)";
  const r = fromDuckDbType(t);
  return r.ok ? formatArrowType(r.type) : t;
}

describe.skipIf(!HAVE_CORPUS)("TPC-H output schemas match DuckDB", () => {
  const schema = HAVE_CORPUS ? (JSON.parse(readFileSync(join(CORPUS_DIR, "tpch", "schema.json"), "utf8")) as unknown) : {};
  const { catalog } = tableCatalogFromSchemaJson(schema);
  const db = openDatabase({ threads: 1 });
  afterAll(() => db.close());
  for (const t of catalog.tables()) db.query(`CREATE TABLE "${t.name}" (${t.columns.map((c) => `"${c.name}" ${toDuckDbType(c.type)}`).join(", ")})`);

  it.each(HAVE_CORPUS ? tpchQueries() : [])("$name", ({ sql }) => {
    const parsed = parseQuery(sql);
    if (!parsed.ok) throw new Error("does not parse");
    const bound = bindQuery(parsed.ast, catalog, FUNCTIONS);
    expect(bound.diagnostics).toEqual([]);
    const described = db.query(`DESCRIBE ${sql.trim().replace(/;$/, "")}`);
    const engine = described.rows.map((r) => `${String(r["column_name"])}: ${engineType(String(r["column_type"]))}`);
    expect(bound.schema.map((c) => `${c.name}: ${c.typeText}`)).toEqual(engine);
  });
});
