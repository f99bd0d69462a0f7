/**
 * Plans for the renderer tests, built from small defaults so each fixture states only what it is
 * about. The plans are hand-made (the renderers only format; whether diff.ts would produce exactly
 * this plan is diff's tests' business), but they follow model.ts' rules: tables in dependency order
 * then orphans, the table class the strongest of its changes, a summary counted from the ops.
 */
import fc from "fast-check";
import { PLAN_FILE_FORMAT, type Change, type ChangeClass, type ColumnDiff, type Plan, type PlanSummary, type TableOp, type TablePlan, type TableRole } from "../../../compiler/src/plan/model.js";

const CLASS_ORDER: readonly ChangeClass[] = [
  "cosmetic",
  "metadata-only",
  "new-files-only",
  "non-breaking",
  "forward-only",
  "breaking",
  "rewrite-required",
  "destructive",
  "irreversible",
];

export const strongest = (changes: readonly Change[]): ChangeClass =>
  changes.reduce<ChangeClass>((acc, c) => (CLASS_ORDER.indexOf(c.class) > CLASS_ORDER.indexOf(acc) ? c.class : acc), "cosmetic");

export const change = (kind: Change["kind"], cls: ChangeClass, reason: string, attributes?: Change["attributes"]): Change =>
  attributes === undefined ? { kind, class: cls, reason } : { kind, class: cls, reason, attributes };

/** A table plan: `op` and `changes` matter; the rest defaults to an unremarkable present table. */
export function table(name: string, op: TableOp, changes: readonly Change[], more: Partial<TablePlan> = {}): TablePlan {
  const kind = more.kind ?? "dataset";
  return {
    name,
    kind,
    role: kind === "orphan" ? "orphan" : kind === "dataset" ? "source" : "table",
    op,
    class: strongest(changes),
    changes,
    schema_diff: [],
    sql_diff: null,
    indirect: null,
    dirty_columns: [],
    pin: op === "create" ? { status: "absent" } : { status: "present", table_id: `id-${name}`, version: 3 },
    depends_on: [],
    step: {},
    state: null,
    drift: null,
    notes: [],
    unchanged_attributes: 0,
    ...more,
  };
}

export const noop = (name: string, more: Partial<TablePlan> = {}): TablePlan => table(name, "noop", [], more);

/** How the fixtures count ops into the summary (replace and register count as updates). */
export function summarize(tables: readonly TablePlan[]): PlanSummary {
  const n = (...ops: TableOp[]) => tables.filter((t) => ops.includes(t.op)).length;
  return { create: n("create"), update: n("update", "replace", "register"), rematerialize: n("rematerialize"), destroy: n("destroy"), unchanged: n("noop") };
}

export function plan(tables: readonly TablePlan[], more: Partial<Plan> = {}): Plan {
  return {
    format_version: PLAN_FILE_FORMAT,
    cpgc_version: "0.1.0",
    plan_id: "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f",
    plan_hash: "9b2e4f0c1d7a3e5b8c6d2f1a0e9b7c5d3f1e2a4b6c8d0e1f3a5b7c9d1e3f5a7b",
    created_at: "2025-06-01T12:00:00.000Z",
    project: "cpg",
    config_hash: "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00",
    lake_root: "/lake",
    options: { allow_destructive: false, prune: false, refresh_only: false, targets: [], excludes: [], variables: {} },
    tables,
    views_table_pin: { status: "present", table_id: "id-views", version: 7 },
    summary: summarize(tables),
    errors: [],
    warnings: [],
    ...more,
  };
}

const FUNCTIONS_SQL = `SELECT "n"."id" AS "id", "n"."name" AS "name", "n"."file_id" AS "file_id" FROM "ast_nodes" AS "n" WHERE "n"."kind" = 'function'`;
const FUNCTIONS_SQL_2 = `SELECT "n"."id" AS "id", "n"."name" AS "name", "n"."file_id" AS "file_id", "n"."span" AS "span" FROM "ast_nodes" AS "n" WHERE "n"."kind" = 'function' AND "n"."name" IS NOT NULL`;
const FILE_STATS_SQL = `SELECT "f"."path" AS "path", count(*) AS "nodes" FROM "files" AS "f" JOIN "ast_nodes" AS "n" ON "n"."file_id" = "f"."id" GROUP BY "f"."path"`;
const CALL_EDGES_SQL = `SELECT "c"."caller" AS "src", "c"."callee" AS "dst" FROM "calls" AS "c"`;

/** A fresh lake: every table is created, logical views registered. */
export const CREATE_EVERYTHING = plan(
  [
    table("files", "create", [change("create", "non-breaking", "table does not exist"), change("load", "non-breaking", "source data/files.ndjson (2 files)")], {
      pin: { status: "absent" },
      schema_diff: [
        { column: "id", change: "added", before: null, after: "int64 not null" },
        { column: "path", change: "added", before: null, after: "utf8" },
        { column: "size", change: "added", before: null, after: "int64" },
      ],
      notes: ["dictionary encoding is decided per column by the engine (DuckDB); `dictionary: [path]` is recorded only"],
    }),
    table("ast_nodes", "create", [change("create", "non-breaking", "table does not exist"), change("load", "non-breaking", "source data/ast/*.parquet (4 files)")]),
    table("functions", "create", [change("create", "non-breaking", "table does not exist"), change("materialize", "non-breaking", "table does not exist")], {
      kind: "view",
      role: "table",
      sql_diff: { before: null, after: FUNCTIONS_SQL },
      depends_on: ["ast_nodes"],
    }),
    table("file_stats", "register", [change("register", "non-breaking", "logical view not recorded yet")], {
      kind: "view",
      role: "view",
      pin: { status: "absent" },
      sql_diff: { before: null, after: FILE_STATS_SQL },
      depends_on: ["ast_nodes", "files"],
    }),
  ],
  { views_table_pin: { status: "absent" } },
);

/** A source file changed: the source reloads; descendants that read changed columns rematerialize, one that does not is untouched. */
export const REMATERIALIZE = plan([
  noop("files"),
  table("ast_nodes", "update", [change("load", "non-breaking", "source file data/ast/part-2.parquet changed")], {
    dirty_columns: ["kind", "name"],
    drift: [],
    unchanged_attributes: 14,
  }),
  table("functions", "rematerialize", [change("materialize", "non-breaking", "ast_fingerprint changed")], {
    kind: "view",
    role: "table",
    sql_diff: { before: FUNCTIONS_SQL, after: FUNCTIONS_SQL_2 },
    indirect: [{ table: "ast_nodes", columns: ["kind", "name"] }],
    dirty_columns: ["id", "name", "file_id"],
    depends_on: ["ast_nodes"],
    schema_diff: [{ column: "span", change: "added", before: null, after: "struct<bstart: int64, bend: int64>" }],
  }),
  table("call_edges", "rematerialize", [change("refresh", "non-breaking", "inputs changed; refreshed from the change data feed of functions")], {
    kind: "view",
    role: "incremental",
    indirect: [{ table: "functions", columns: ["id"] }],
    depends_on: ["functions"],
    unchanged_attributes: 1,
  }),
  noop("file_stats", { kind: "view", role: "view", depends_on: ["files"] }),
]);

/** Destructive and refused: dropped and retyped columns, a protocol upgrade, drift, orphans, errors. */
export const DESTRUCTIVE = plan(
  [
    table(
      "files",
      "replace",
      [
        change("schema", "destructive", "column size removed (schema_mode: overwrite)"),
        change("schema", "metadata-only", "column path renamed from filepath (column mapping: name)"),
        change("properties", "metadata-only", "delta.checkpointInterval changed", [
          { name: "delta.checkpointInterval", before: "10", after: "20" },
          { name: "delta.logRetentionDuration", before: null, after: "interval 30 days" },
          { name: "delta.appendOnly", before: "true", after: null },
        ]),
      ],
      {
        schema_diff: [
          { column: "size", change: "removed", before: "int64", after: null },
          { column: "id", change: "retyped", before: "int32", after: "int64" },
          { column: "path", change: "renamed", before: "filepath", after: "path" },
          { column: "lang", change: "nullability", before: "false", after: "true" },
        ],
        drift: [
          { version: 12, timestamp: 1_717_243_200_000, operation: "WRITE", engine: "Apache-Spark/3.5.1 Delta-Lake/3.2.0" },
          { version: 13, timestamp: null, operation: null, engine: null },
        ],
        unchanged_attributes: 1,
      },
    ),
    table("ast_nodes", "update", [change("features", "irreversible", "enable deletionVectors (protocol upgrade to reader 3 / writer 7)", [{ name: "delta.enableDeletionVectors", before: null, after: "true" }])], {
      dirty_columns: [],
    }),
    table("calls", "update", [change("drift", "cosmetic", "1 commit by another writer since cpgc's last apply")], {
      drift: [{ version: 4, timestamp: 1_717_250_000_000, operation: "OPTIMIZE", engine: "delta-rs.0.18.2" }],
    }),
    table("call_edges", "rematerialize", [change("materialize", "breaking", "output column dst removed")], {
      kind: "view",
      role: "table",
      sql_diff: { before: CALL_EDGES_SQL, after: `SELECT "c"."caller" AS "src" FROM "calls" AS "c"` },
      schema_diff: [{ column: "dst", change: "removed", before: "int64", after: null }],
      depends_on: ["calls", "files"],
    }),
    table("legacy_nodes", "orphan", [], { kind: "orphan", role: "orphan", pin: { status: "present", table_id: "id-legacy", version: 41 } }),
    table("tmp_scratch", "destroy", [change("destroy", "destructive", "in the lake but in no spec (--prune)")], { kind: "orphan", role: "orphan" }),
  ],
  {
    options: { allow_destructive: false, prune: true, refresh_only: false, targets: [], excludes: [], variables: {} },
    errors: [
      {
        table: "files",
        code: "CPG5101",
        message: "removing column size is destructive",
        hints: ["pass --allow-destructive to drop it (schema_mode is overwrite)", "or keep the column in specs/datasets.yaml"],
      },
      { table: "call_edges", code: "CPG5102", message: "column dst removed: a breaking change for readers of call_edges", hints: [] },
    ],
    warnings: ["table calls was written by delta-rs.0.18.2 since cpgc's last apply; its changes are kept"],
  },
);

/** Right after an apply. */
export const NO_CHANGES_PLAN = plan([noop("files"), noop("ast_nodes"), noop("functions", { kind: "view", role: "table", depends_on: ["ast_nodes"] })]);

/** Nothing to apply, but the lake holds a table no spec names. */
export const NO_CHANGES_WITH_ORPHAN = plan([noop("files"), table("old_files", "orphan", [], { kind: "orphan", role: "orphan" })], {
  warnings: ["1 orphan table left alone (use --prune to destroy it)"],
});

/** Hostile strings where the plan carries free text: HTML, markdown, backticks, pipes, ANSI, newlines, bidi overrides. */
export const HOSTILE = plan(
  [
    table("files", "update", [change("properties", "metadata-only", "set <b>bold</b> & *em* | `code` [link](http://x) @team", [{ name: "user.note", before: "a\u001b[31mred", after: "```\nfence" }])], {
      notes: ["note with <script>alert(1)</script> and ```` ``` ````"],
    }),
    table("we|rd`name<x>\u001b[2J\u202e", "orphan", [], { kind: "orphan", role: "orphan" }),
  ],
  {
    errors: [{ table: "files", code: "CPG<9>", message: "bad *input* <img src=x onerror=alert(1)>\nsecond line", hints: ["try `--flag` | other"] }],
    warnings: ["# not a heading", "> not a quote"],
  },
);

export const NAMED_PLANS: Readonly<Record<string, Plan>> = {
  "create-everything": CREATE_EVERYTHING,
  rematerialize: REMATERIALIZE,
  destructive: DESTRUCTIVE,
  "no-changes": NO_CHANGES_PLAN,
  "no-changes-orphan": NO_CHANGES_WITH_ORPHAN,
  hostile: HOSTILE,
};

// Exhaustive over the model's unions: a new member does not compile until it is listed here, and
// plan-json.test.ts then fails until the schema lists it too.
export const OPS: Record<TableOp, true> = { create: true, update: true, replace: true, rematerialize: true, register: true, destroy: true, orphan: true, noop: true };
export const CLASSES: Record<ChangeClass, true> = {
  cosmetic: true,
  "metadata-only": true,
  "new-files-only": true,
  "non-breaking": true,
  breaking: true,
  destructive: true,
  "rewrite-required": true,
  irreversible: true,
  "forward-only": true,
};
export const ROLES: Record<TableRole | "orphan", true> = { source: true, extract: true, managed: true, table: true, incremental: true, view: true, orphan: true };
export const CHANGE_KINDS: Record<Change["kind"], true> = {
  create: true,
  load: true,
  schema: true,
  properties: true,
  features: true,
  writer: true,
  materialize: true,
  refresh: true,
  register: true,
  maintenance: true,
  drift: true,
  destroy: true,
};
export const COLUMN_CHANGES: Record<ColumnDiff["change"], true> = { added: true, removed: true, renamed: true, retyped: true, nullability: true };
export const KINDS: Record<TablePlan["kind"], true> = { dataset: true, view: true, orphan: true };
export const keys = <T extends string>(r: Record<T, true>) => Object.keys(r) as T[];

// ─── Generated plans (fast-check) ────────────────────────────────────────────────────────────────────────

/** Short strings, often carrying what breaks a terminal or a markdown comment. */
const HOSTILE_TOKENS = ["```", "`", "<script>", "</details>", "|", "\n", "\u001b[31m", "\u202e", "*", "# h", "- l", "1. x", "[a](b)", "&amp;", "#quot;", '"'];
const text = fc.array(fc.oneof(fc.string({ maxLength: 6, unit: "grapheme" }), fc.constantFrom(...HOSTILE_TOKENS)), { maxLength: 3 }).map((parts) => parts.join(""));
const nullableText = fc.option(text, { nil: null });
const cls = fc.constantFrom(...keys(CLASSES));
const changeArb: fc.Arbitrary<Change> = fc.record(
  {
    kind: fc.constantFrom(...keys(CHANGE_KINDS)),
    class: cls,
    reason: text,
    attributes: fc.array(fc.record({ name: text, before: nullableText, after: nullableText }), { maxLength: 3 }),
  },
  { requiredKeys: ["kind", "class", "reason"] },
);
const pinArb = fc.oneof(fc.constant({ status: "absent" as const }), fc.record({ status: fc.constant("present" as const), table_id: fc.uuid(), version: fc.nat() }));
const tableArb: fc.Arbitrary<TablePlan> = fc
  .record({
    name: text,
    kind: fc.constantFrom(...keys(KINDS)),
    role: fc.constantFrom(...keys(ROLES)),
    op: fc.constantFrom(...keys(OPS)),
    changes: fc.array(changeArb, { maxLength: 4 }),
    schema_diff: fc.array(fc.record({ column: text, change: fc.constantFrom(...keys(COLUMN_CHANGES)), before: nullableText, after: nullableText }), { maxLength: 3 }),
    sql_diff: fc.option(fc.record({ before: fc.option(fc.constantFrom("SELECT a FROM t", "SELECT a, b FROM t WHERE c > 1"), { nil: null }), after: fc.constantFrom("SELECT b FROM t", "SELECT a FROM t") }), { nil: null }),
    indirect: fc.option(fc.array(fc.record({ table: text, columns: fc.array(text, { maxLength: 3 }) }), { maxLength: 2 }), { nil: null }),
    dirty_columns: fc.array(text, { maxLength: 3 }),
    pin: pinArb,
    depends_on: fc.array(text, { maxLength: 3 }),
    drift: fc.option(fc.array(fc.record({ version: fc.nat(), timestamp: fc.option(fc.nat({ max: 4_000_000_000_000 }), { nil: null }), operation: nullableText, engine: nullableText }), { maxLength: 2 }), { nil: null }),
    notes: fc.array(text, { maxLength: 2 }),
    unchanged_attributes: fc.nat({ max: 50 }),
  })
  .map((t) => table(t.name, t.op, t.changes, t));
export const planArb: fc.Arbitrary<Plan> = fc
  .record({
    tables: fc.array(tableArb, { maxLength: 6 }),
    errors: fc.array(fc.record({ table: text, code: text, message: text, hints: fc.array(text, { maxLength: 2 }) }), { maxLength: 2 }),
    warnings: fc.array(text, { maxLength: 2 }),
    options: fc.record({ allow_destructive: fc.boolean(), prune: fc.boolean(), refresh_only: fc.boolean(), targets: fc.array(text, { maxLength: 2 }), excludes: fc.array(text, { maxLength: 2 }), variables: fc.dictionary(fc.constantFrom("root_package", "source_root", "n"), fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 2 }) }),
    views_table_pin: pinArb,
    plan_id: fc.uuid(),
  })
  .map((p) => plan(p.tables, { ...p, summary: summarize(p.tables) }));

