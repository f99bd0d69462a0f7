// The SQL frontend: lexer + parser (chevrotain) → immutable typed AST → printers per dialect.
export * from "./ast/index.js";
export { DIALECTS, baseDialect, isDialect, type Dialect, type BaseDialect } from "./dialect.js";
export { locateSqlDiagnostics, sqlCodeOf, sqlDiagnostic, type SqlDiagnostic, type SqlDiagnosticCode, type TextRange } from "./diagnostics.js";
export { parseQuery, parseExpression, MAX_NESTING, MAX_TREE_DEPTH, type ParseOptions, type ParseResult } from "./parse.js";
export { printSql, DIALECT_SPECS, type PrintResult, type DialectSpec, type Feature } from "./print/index.js";
// formatSql (sql-formatter) lives in ./format.js, imported directly by the few callers that lay SQL
// out for people, so parsing never loads sql-formatter.
export { tokenize, type LexResult } from "./lexer/lexer.js";
export { keywordClass, type KeywordClass } from "./lexer/keywords.js";
export { canonicalTypeName } from "./build/type-names.js";
export { statementKind, type StatementKind } from "./statements.js";
