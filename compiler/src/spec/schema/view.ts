import { z } from "zod";
import { CACHE_MODES, MATERIALIZATIONS } from "./config.js";
import { columnPathList, description, name, relativePath, tableDelta } from "./index-shared.js";

const severity = z.enum(["error", "warn"]).describe("error fails the apply; warn only reports (default error).").optional();

export const expectationSpec = z
  .union([
    z.strictObject({ not_null: columnPathList("Columns that must never be null."), severity }),
    z.strictObject({ unique: columnPathList("Columns whose combined values must be unique."), severity }),
    z.strictObject({
      accepted_values: z
        .strictObject({
          column: z.string().min(1).describe("Column to check."),
          values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).describe("The only values allowed (nulls are allowed unless not_null says otherwise)."),
        })
        .describe("Restricts a column to a fixed set of values."),
      severity,
    }),
    z.strictObject({
      row_count: z
        .strictObject({
          min: z.number().int().nonnegative().describe("Fewest rows allowed.").optional(),
          max: z.number().int().nonnegative().describe("Most rows allowed.").optional(),
        })
        .describe("Bounds on the number of rows."),
      severity,
    }),
    z.strictObject({
      sql: z.string().min(1).describe("A query that returns the offending rows; the expectation holds when it returns none."),
      name: name("Name of this custom expectation.").optional(),
      severity,
    }),
  ])
  .describe("A data expectation checked after the view is materialized: one of not_null, unique, accepted_values, row_count, sql.");

export const viewSpec = z
  .strictObject({
    kind: z.literal("View").describe("Spec kind: a SQL query over datasets and other views."),
    name: name("View name; also its table name in the lake and in other views' SQL."),
    description: description.optional(),
    materialize: z
      .enum(MATERIALIZATIONS)
      .describe("view: registered in the engine, never written; table: written as a Delta table; incremental: refreshed from its inputs' change data feed.")
      .optional(),
    cache: z
      .enum(CACHE_MODES)
      .describe(
        "Reuse within one apply, when other tables of the apply read this view: none (each reader computes it), memory (computed once into an engine temp table), delta_staging (written once to a Delta table under <lake>/_cpgc_staging, removed after the apply).",
      )
      .optional(),
    incremental: z
      .strictObject({
        key: name("Output column the view is refreshed by: the rows of the keys its inputs' change data feed names are recomputed, the rest kept. Its values must be an input column's values, passed through unchanged."),
      })
      .describe("How materialize: incremental refreshes the view: by key, from the change data feed of the inputs the key comes from.")
      .optional(),
    sql: z.string().min(1).describe("The view's query (one SELECT); {{ name }} is replaced by config variables.").optional(),
    sql_file: relativePath("File holding the view's query, relative to this spec file.").optional(),
    expectations: z.array(expectationSpec).describe("Data expectations checked after materializing.").optional(),
    delta: tableDelta.optional(),
  })
  .describe("A view: a SQL query, registered or materialized as a Delta table.");

export type ViewSpec = z.infer<typeof viewSpec>;
export type ExpectationSpec = z.infer<typeof expectationSpec>;
