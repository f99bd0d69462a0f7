/**
 * The registry of diagnostic codes. A code is stable forever once released: tests, CI scripts
 * and users' suppressions refer to it. Add new codes; never renumber or reuse one.
 */
export const DIAGNOSTIC_CODES = {
  // 0xxx — reading files
  CPG0001: "YAML syntax error",
  CPG0002: "file cannot be read",
  CPG0003: "config file not found",
  CPG0004: "spec glob matches no files",
  CPG0005: "TypeScript spec failed to load",
  CPG0006: "spec file declares nothing",
  CPG0007: "duplicate key",
  CPG0008: "file cannot be written",
  // 01xx — spec shape
  CPG0100: "unknown key",
  CPG0101: "missing required field",
  CPG0102: "wrong value type",
  CPG0103: "invalid enum value",
  CPG0104: "invalid value",
  CPG0105: "unknown kind",
  CPG0106: "missing kind",
  CPG0107: "invalid name",
  CPG0108: "mutually exclusive keys",
  // 02xx — types
  CPG0200: "invalid Arrow type string",
  // 03xx — references and semantics
  CPG0300: "unknown column",
  CPG0301: "duplicate column",
  CPG0302: "column not allowed here",
  CPG0303: "invalid renamed_from",
  CPG0310: "unknown policy",
  CPG0311: "policy extends cycle",
  CPG0320: "duplicate name",
  CPG0321: "view dependency cycle",
  CPG0322: "reserved table name",
  CPG0330: "view needs exactly one of sql and sql_file",
  CPG0331: "sql_file cannot be read",
  CPG0340: "conflicting policy settings",
  CPG0350: "source file not found",
  // 10xx — SQL frontend
  CPG1000: "SQL syntax error",
  CPG1001: "not a query (a view holds one query)",
  CPG1002: "more than one SQL statement",
  CPG1003: "template placeholder left in SQL",
  CPG1004: "invalid SQL token",
  CPG1005: "empty SQL",
  CPG1006: "SQL nests too deeply",
  CPG1010: "SQL construct not expressible in the target dialect",
  // 11xx — SQL templating and policy lane
  CPG1100: "unknown template variable",
  CPG1101: "invalid template placeholder",
  // 12xx — binding view SQL: qualify and types
  CPG1200: "unknown table",
  CPG1201: "unknown column",
  CPG1202: "ambiguous column reference",
  CPG1203: "duplicate table alias",
  CPG1204: "USING column not on both sides of the join",
  CPG1205: "output column position out of range",
  CPG1206: "JOIN without a FROM item",
  CPG1207: "table has no such column",
  CPG1208: "struct has no such field",
  CPG1209: "star expands to no column",
  CPG1210: "unknown function",
  CPG1211: "no function overload accepts these argument types",
  CPG1212: "incompatible types",
  CPG1213: "set operation sides have different column counts",
  CPG1214: "more column aliases than columns",
  CPG1215: "construct the binder cannot resolve",
  CPG1216: "view output columns without one name each",
  // 13xx — policy-lane transforms
  CPG1300: "policy transform not applied (needs the binder)",
  CPG1301: "QUALIFY cannot be eliminated",
  CPG1302: "UNNEST form cannot be normalized for the dialect",
  CPG1303: "policy lane step failed",
  // 14xx — plan: what the lake holds cannot be turned into what the specs ask for
  CPG1400: "table cannot be read",
  CPG1401: "destructive schema change not allowed",
  CPG1402: "schema change in schema mode strict",
  CPG1403: "column rename needs column mapping",
  CPG1404: "extract dataset cannot be built as declared",
  CPG1405: "source cannot be read",
  CPG1406: "column type has no Delta Lake equivalent",
  CPG1407: "unknown --target or --exclude table",
  CPG1408: "table was not observed",
  CPG1409: "NOT NULL column added to a table with rows",
  CPG1410: "plan file cannot be read",
  CPG1411: "saved plan is stale",
  CPG1412: "incremental key is not an output column",
  CPG1413: "append-only table would lose rows",
  // 08xx — formatting
  CPG0800: "SQL left as written by fmt",
  CPG0801: "document left as written by fmt",
  // 09xx — internal
  CPG0999: "internal error",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
