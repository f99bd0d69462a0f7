import { defineDataset, defineView } from "cpgc";
import { fileId, span } from "./columns.js";

/** The same kinds of node the CPG tracks, declared once and used in the SQL below. */
const CALLABLE_KINDS = ["FunctionDef", "AsyncFunctionDef", "Lambda"];

export const nodes = defineDataset({
  name: "nodes",
  description: "AST nodes with their spans.",
  source: { ndjson: "data/nodes.ndjson" },
  schema: {
    columns: [
      { name: "node_id", type: "utf8", nullable: false, semantic: "NodeId" },
      fileId,
      { name: "kind", type: "utf8", nullable: false, semantic: "Kind" },
      { name: "name", type: "utf8" },
      span,
    ],
    primary_key: ["node_id"],
    ordering: ["file_id", "span.bstart"],
  },
  delta: {
    write: {
      stats_columns: ["node_id", "file_id", "kind"],
      writer: { dictionary: ["kind"], bloom_filter: [{ column: "node_id", fpp: 0.01 }] },
    },
  },
});

export const callables = defineView({
  name: "callables",
  description: "Functions, async functions and lambdas.",
  materialize: "table",
  sql: `select node_id, file_id, name, span.bstart as bstart
from nodes
where kind in (${CALLABLE_KINDS.map((k) => `'${k}'`).join(", ")})`,
  expectations: [{ not_null: ["node_id"] }, { unique: ["node_id"] }],
});
