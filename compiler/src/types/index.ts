/** Public API of the Arrow type model (see each module's header for the decisions it makes). */
export * from "./model.js";
export { parseArrowType, type ParseResult, type TypeStringError } from "./parse.js";
export { formatArrowType } from "./print.js";
export { validateArrowType, type TypeIssue } from "./validate.js";
export { TYPE_ALIASES, FOREIGN_TYPE_NAMES, CANONICAL_KEYWORDS } from "./keywords.js";
export type { ConversionNote, ConversionError } from "./conversion.js";
export {
  toDeltaType,
  toDeltaSchema,
  type DeltaDataType,
  type DeltaStructType,
  type DeltaStructField,
  type DeltaArrayType,
  type DeltaMapType,
  type DeltaColumn,
  type ToDeltaTypeResult,
  type ToDeltaSchemaResult,
} from "./delta.js";
export { fromDeltaType, fromDeltaSchema, type FromDeltaTypeResult, type FromDeltaSchemaResult } from "./delta-parse.js";
export { toDuckDbType, toDuckDbTypeWithNotes } from "./duckdb.js";
export { fromDuckDbType } from "./duckdb-parse.js";
// The apache-arrow mapping (toArrowDataType / fromArrowDataType) is imported from ./arrow.js
// directly: it loads apache-arrow, which nothing on the CLI's start-up path should pay for.
export {
  typePaths,
  columnPaths,
  resolvePath,
  formatFieldPath,
  parseFieldPath,
  type TypePath,
  type ResolvePathResult,
} from "./paths.js";
export { formatName as formatFieldName, quoteName } from "./names.js";
