import type { CommandSpec } from "../args.js";
import { EXIT, type Command } from "../io.js";
import { cpgcVersion } from "../version.js";

const spec: CommandSpec = {
  name: "doctor",
  summary: "Check the native runtime: load the addon and DuckDB, run a query, report versions.",
  usage: "cpgc doctor [--json]",
  positionals: [],
  options: [{ name: "json", description: "Print the report as JSON." }],
  details: "Exit codes: 0 the runtime works, 1 it does not (the error code says why).",
};

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly code?: string;
}

export const doctorCommand: Command = {
  spec,
  async run(args, io) {
    const checks: Check[] = [{ name: "cpgc", ok: true, detail: cpgcVersion() }];
    try {
      // Loaded here, not at start-up: only commands that need the engine pay for the addon.
      const native = await import("../../../../runtime-native/index.js");
      checks.push({ name: "native addon", ok: true, detail: `cpgc-native ${native.nativeVersion()} (${native.locateAddon()})` });
      checks.push({ name: "DuckDB library", ok: true, detail: `${native.duckdbVersion()} (${native.locateDuckdbLibrary()})` });
      const db = native.openDatabase({ threads: 1 });
      try {
        const r = db.query("select 40 + 2 as answer, [1, 2] as list, {'a': 'b'} as struct");
        const row = r.rows[0] ?? {};
        checks.push({ name: "query", ok: row["answer"] === 42, detail: `select 40 + 2 → ${String(row["answer"])} (${r.columns.map((c) => c.type).join(", ")})` });
      } finally {
        db.close();
      }
    } catch (err) {
      const e = err as { code?: string; message?: string };
      checks.push({ name: "native runtime", ok: false, detail: e.message ?? String(err), ...(e.code ? { code: e.code } : {}) });
    }
    const ok = checks.every((c) => c.ok);
    if (args.options.has("json")) {
      io.stdout(JSON.stringify({ format_version: "1.0", ok, checks }, null, 2));
    } else {
      const width = Math.max(...checks.map((c) => c.name.length)) + 2;
      for (const c of checks) io.stdout(`${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(width)}${c.code ? `[${c.code}] ` : ""}${c.detail}`);
    }
    return ok ? EXIT.ok : EXIT.error;
  },
};
