import { z } from "zod";

/** Names become table paths and SQL identifiers, so they are restricted to a safe alphabet. */
export const NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const name = (what: string) =>
  z.string().regex(NAME_PATTERN, { message: `must match [a-z_][a-z0-9_]*` }).max(128).describe(what);

/** A column or a nested field path such as `span.bstart`. */
export const COLUMN_PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const columnPath = (what: string) =>
  z.string().regex(COLUMN_PATH_PATTERN, { message: "must be a column name or a dotted path like span.bstart" }).describe(what);
export const columnPathList = (what: string) => z.array(columnPath("A column name or nested field path.")).describe(what);

export const description = z.string().describe("Human-readable description, shown in plans and editor hovers.");

/** Sizes with binary or decimal units, e.g. `64MiB`, `128 MB`, or a plain byte count. */
export const SIZE_PATTERN = /^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$/;
export const size = (what: string) =>
  z
    .union([z.number().int().positive(), z.string().regex(SIZE_PATTERN, { message: "must be a size like 64MiB, 128MB or a byte count" })])
    .describe(`${what} A byte count or a string with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).`);

/** Durations in Delta's interval style, e.g. `30 days`, `168 hours`. */
export const DURATION_PATTERN = /^\s*\d+\s*(second|minute|hour|day|week)s?\s*$/i;
export const duration = (what: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, { message: "must be a duration like '30 days', '12 hours' or '2 weeks'" })
    .describe(`${what} A duration such as '30 days', '12 hours' or '2 weeks'.`);

export const metadata = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe("Free-form key/value metadata stored with the column in the Delta schema.");

export const relativePath = (what: string) => z.string().min(1).describe(what);
