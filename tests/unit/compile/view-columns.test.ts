// A view's output columns need one name each (CPG1216): checked by validate (bind only, with its
// check cache) and by compile (the whole lane), located at the offending select item.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProject, MemoryCheckCache, validateProject } from "../../../compiler/src/compile/index.js";
import type { Diagnostic } from "../../../compiler/src/diagnostics/index.js";
import { loadProject } from "../../../compiler/src/spec/index.js";
import { SHARED_CONTRACT } from "../../helpers/fixture-project.js";
import { FUNCTIONS } from "../../helpers/validate.js";

/** The contract project with one more view, in `dialect`. */
function projectWith(sql: string, dialect = "duckdb"): string {
  const dir = mkdtempSync(join(tmpdir(), "cpgc-view-columns-"));
  cpSync(SHARED_CONTRACT, dir, { recursive: true });
  const config = join(dir, "cpg.config.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace("dialect: duckdb", `dialect: ${dialect}`));
  writeFileSync(join(dir, "specs", "extra.yaml"), `kind: View\nname: extra\nmaterialize: table\nsql: |\n  ${sql}\n`);
  return dir;
}

const summary = (ds: readonly Diagnostic[]) =>
  ds.filter((d) => d.code === "CPG1216").map((d) => `${d.location?.file}:${d.location?.range?.start.line}:${d.location?.range?.start.column} ${d.message}`);

interface Case {
  readonly sql: string;
  readonly dialect?: string;
  /** The CPG1216 findings, `file:line:column message`; none when the view is fine. */
  readonly found: readonly string[];
}

const CASES: readonly Case[] = [
  { sql: "select path as a, file_id as a from files", found: ["specs/extra.yaml:5:32 view 'extra' has two output columns named 'a' (columns 1 and 2)"] },
  { sql: "select path, file_id as PATH from files", found: ["specs/extra.yaml:5:27 view 'extra' has two output columns named 'path' (columns 1 and 2)"] },
  { sql: "select f.path, g.path from files f join files g using (file_id)", found: ["specs/extra.yaml:5:18 view 'extra' has two output columns named 'path' (columns 1 and 2)"] },
  { sql: "select path as a from files union all select file_id from files", found: [] },
  // DuckDB renames a derived table's repeated names (path, path_1): the view is fine there
  { sql: "select * from (select f.path, g.path from files f join files g using (file_id)) t", found: [] },
  // elsewhere the star cannot become named columns
  {
    sql: "select * from (select f.path, g.path from files f join files g using (file_id)) t",
    dialect: "spark",
    found: ["specs/extra.yaml:5:10 view 'extra': this * cannot be expanded into named columns"],
  },
  { sql: "select path, file_id from files", found: [] },
];

describe("a view's output columns need one name each (CPG1216)", () => {
  it.each(CASES.map((c) => [`${c.dialect ?? "duckdb"}: ${c.sql}`, c] as const))("%s", async (_, c) => {
    const dir = projectWith(c.sql, c.dialect);
    const cache = new MemoryCheckCache("t");
    // validate twice: the check cache must not hide the finding the second time
    for (let run = 0; run < 2; run++) {
      const validated = await validateProject("cpg.config.yaml", FUNCTIONS, { cwd: dir, cache });
      expect(summary(validated.diagnostics)).toEqual(c.found);
    }
    const loaded = await loadProject("cpg.config.yaml", { cwd: dir });
    const compiled = compileProject(loaded.model!, FUNCTIONS, loaded.sources);
    expect(summary(compiled.diagnostics)).toEqual(c.found);
    expect(compiled.manifest === undefined).toBe(c.found.length > 0);
  });
});
