import { z } from "zod";
import { columnPathList, description, metadata, name, relativePath, tableDelta } from "./index-shared.js";

export const SEMANTIC_TYPES = [
  "FileId",
  "NodeId",
  "EdgeId",
  "SpanId",
  "Span",
  "SymbolId",
  "ScopeId",
  "TokenId",
  "Path",
  "Kind",
  "Name",
  "Hash",
  "Line",
  "Column",
  "ByteOffset",
  "Language",
] as const;

export const columnSpec = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be an identifier: letters, digits and _" })
      .describe("Column name."),
    type: z
      .string()
      .min(1)
      .describe("Arrow type string: bool, int8..int64, uint8..uint64, float32, float64, utf8, large_utf8, binary, date32, timestamp[us, UTC], decimal(18, 4), list<T>, map<K, V>, struct<a: T, ...>."),
    nullable: z.boolean().describe("Whether the column may hold nulls (default true).").optional(),
    semantic: z.enum(SEMANTIC_TYPES).describe("What the values mean in the code property graph (ids, spans, paths, ...).").optional(),
    description: description.optional(),
    metadata: metadata.optional(),
    renamed_from: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be an identifier: letters, digits and _" })
      .describe(
        "The column's previous name: the plan renames the existing column instead of dropping it and adding a new one (a metadata-only change; needs delta.schema.column_mapping: name). Harmless once applied; remove it whenever convenient.",
      )
      .optional(),
  })
  .describe("One column of the dataset.");

export const checkSpec = z
  .strictObject({
    name: name("Check name."),
    expr: z.string().min(1).describe("SQL boolean expression every row must satisfy."),
    description: description.optional(),
  })
  .describe("A row-level check.");

export const datasetSchema = z
  .strictObject({
    columns: z.array(columnSpec).min(1).describe("The columns, in order."),
    primary_key: columnPathList("Columns that identify a row (checked unique and not null).").optional(),
    ordering: columnPathList("Columns (or nested paths like span.bstart) rows are sorted by.").optional(),
    checks: z.array(checkSpec).describe("Row-level checks.").optional(),
  })
  .describe("The dataset's Arrow-typed schema.");

const csvOptions = z
  .strictObject({
    header: z.boolean().describe("Whether the first line is a header (default true).").optional(),
    delimiter: z.string().min(1).max(4).describe("Field delimiter (default ',').").optional(),
    quote: z.string().max(1).describe("Quote character (default '\"').").optional(),
    null_string: z.string().describe("Text that stands for NULL.").optional(),
  })
  .describe("CSV parsing options.");

export const SOURCE_KINDS = ["ndjson", "csv", "parquet", "delta", "extractor"] as const;

export const datasetSource = z
  .union([
    z.strictObject({ ndjson: relativePath("Newline-delimited JSON file or glob, relative to the config file.") }),
    z.strictObject({ csv: relativePath("CSV file or glob, relative to the config file."), options: csvOptions.optional() }),
    z.strictObject({ parquet: relativePath("Parquet file or glob, relative to the config file.") }),
    z.strictObject({ delta: relativePath("Path of an existing Delta table to read.") }),
    z.strictObject({
      extractor: name("Name of the extractor that produces the rows."),
      options: z.record(z.string(), z.unknown()).describe("Options passed to the extractor.").optional(),
    }),
  ])
  .describe("Where rows come from: exactly one of ndjson, csv, parquet, delta or extractor. Omit for a managed table.");

export const datasetSpec = z
  .strictObject({
    kind: z.literal("Dataset").describe("Spec kind: a table with a declared schema."),
    name: name("Dataset name; also its table name in the lake and in view SQL."),
    description: description.optional(),
    source: datasetSource.optional(),
    schema: datasetSchema,
    delta: tableDelta.optional(),
  })
  .describe("A dataset: a Delta table with a declared Arrow schema, loaded from a source or managed.");

export type ColumnSpec = z.infer<typeof columnSpec>;
export type DatasetSpec = z.infer<typeof datasetSpec>;
export type DatasetSource = z.infer<typeof datasetSource>;
