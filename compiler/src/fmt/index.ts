export { formatSpecYaml, type FileKind, type FormatOptions, type FormatResult } from "./format-yaml.js";
export { formatSql, blockLiteral, PLACEHOLDER_PATTERN, type SqlFormatResult } from "./sql-block.js";
export { unifiedDiff, diffLines, type DiffOptions } from "./line-diff.js";
