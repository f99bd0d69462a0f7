import type { Node } from "../ast/nodes.js";
import type { Dialect } from "../dialect.js";
import { EXPRESSION_PRINTERS } from "./expressions.js";
import { baseDialect } from "../dialect.js";
import { DIALECT_SPECS } from "./dialects.js";
import { Printer, printMap, type PrintResult, type PrintTable } from "./printer.js";
import { QUERY_PRINTERS } from "./queries.js";
import { TYPE_PRINTERS } from "./types.js";
import { VALUE_PRINTERS } from "./values.js";

/** Every kind's printer; the annotation makes a kind without one a compile error. */
const TABLE: PrintTable = { ...EXPRESSION_PRINTERS, ...VALUE_PRINTERS, ...QUERY_PRINTERS, ...TYPE_PRINTERS };
const MAP = printMap(TABLE);

/**
 * Prints a tree as compact SQL of `dialect`. What the dialect cannot express is reported
 * (CPG1010) and printed in the closest form, never dropped silently.
 */
export function printSql(node: Node, dialect: Dialect = "duckdb"): PrintResult {
  const p = new Printer(DIALECT_SPECS[baseDialect(dialect)], MAP);
  const sql = p.print(node);
  return { sql, diagnostics: p.diagnostics };
}

export type { PrintResult } from "./printer.js";
export { DIALECT_SPECS, type DialectSpec, type Feature } from "./dialects.js";
