import type { QueryBody, TableExpr } from "../ast/nodes.js";
import type { SetOperation } from "../ast/queries.js";
import type { Join } from "../ast/tables.js";
import type { Printer, PrintTable } from "./printer.js";

type Kinds = "query" | "with" | "cte" | "select" | "selectItem" | "setOperation" | "values" | "orderItem" | "groupBy" | "groupingSets" | "rollup" | "cube"
  | "tableAlias" | "table" | "derivedTable" | "tableFunction" | "join" | "pivot" | "unpivot" | "lateralView";

const SET_PREC: Readonly<Record<SetOperation["op"], number>> = { UNION: 1, EXCEPT: 1, INTERSECT: 2 };

/** A set operand: a nested query is written in parentheses (that is how it was read). */
function setOperand(p: Printer, body: QueryBody, parentPrec: number, side: "left" | "right"): string {
  const text = p.print(body);
  if (body.kind === "query") return `(${text})`;
  if (body.kind !== "setOperation") return text;
  const prec = SET_PREC[body.op];
  return prec < parentPrec || (prec === parentPrec && side === "right") ? `(${text})` : text;
}

function joinKeyword(n: Join, p: Printer): string {
  switch (n.type) {
    case "INNER":
      return "JOIN";
    case "SEMI":
    case "ANTI":
      if (!p.d.semiAnti) p.unsupported(n, n.type === "SEMI" ? "a SEMI join" : "an ANTI join", n.type === "SEMI" ? "use WHERE EXISTS (…)" : "use WHERE NOT EXISTS (…)");
      return `${p.d.semiAnti === "LEFT SEMI" ? "LEFT " : ""}${n.type} JOIN`;
    case "POSITIONAL":
      p.need("positionalJoin", n, "a POSITIONAL join");
      return "POSITIONAL JOIN";
    default:
      return `${n.type} JOIN`;
  }
}

function names(p: Printer, items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `(${items.join(", ")})`;
}

/** A join's right side that is a join itself was written in parentheses. */
function joinRight(p: Printer, t: TableExpr): string {
  return t.kind === "join" ? `(${p.print(t)})` : p.print(t);
}

export const QUERY_PRINTERS: Pick<PrintTable, Kinds> = {
  query: (n, p) => {
    let out = n.with ? `${p.print(n.with)} ` : "";
    out += n.body.kind === "query" ? `(${p.print(n.body)})` : p.print(n.body);
    if (n.orderBy.length > 0) out += ` ORDER BY ${p.list(n.orderBy)}`;
    if (n.limit) out += ` LIMIT ${p.print(n.limit)}`;
    if (n.offset) out += ` OFFSET ${p.print(n.offset)}`;
    return out;
  },
  with: (n, p) => {
    if (n.recursive) p.need("recursive", n, "WITH RECURSIVE");
    return `WITH ${n.recursive ? "RECURSIVE " : ""}${p.list(n.ctes)}`;
  },
  cte: (n, p) => {
    const cols = n.columns.length > 0 ? `(${n.columns.map((c) => p.ident(c, "colId")).join(", ")})` : "";
    if (n.materialized !== null) p.need("materialized", n, "AS [NOT] MATERIALIZED");
    const mat = n.materialized === null ? "" : n.materialized ? "MATERIALIZED " : "NOT MATERIALIZED ";
    return `${p.ident(n.name, "colId")}${cols} AS ${mat}(${p.print(n.query)})`;
  },
  select: (n, p) => {
    let out = "SELECT ";
    if (n.distinctOn) {
      p.need("distinctOn", n, "DISTINCT ON (…)", "use ROW_NUMBER() OVER (PARTITION BY …) = 1");
      out += `DISTINCT ON (${p.list(n.distinctOn)}) `;
    } else if (n.distinct) out += "DISTINCT ";
    out += p.list(n.items);
    if (n.from.length > 0) out += ` FROM ${p.list(n.from)}`;
    if (n.where) out += ` WHERE ${p.print(n.where)}`;
    if (n.groupBy) out += ` ${p.print(n.groupBy)}`;
    if (n.having) out += ` HAVING ${p.print(n.having)}`;
    if (n.windows.length > 0) out += ` WINDOW ${p.list(n.windows)}`;
    if (n.qualify) {
      p.need("qualify", n.qualify, "QUALIFY", "filter the windowed rows in an outer query (the eliminate_qualify transform)");
      out += ` QUALIFY ${p.print(n.qualify)}`;
    }
    return out;
  },
  selectItem: (n, p) => (n.alias ? `${p.print(n.expr)} AS ${p.ident(n.alias, "label")}` : p.print(n.expr)),
  setOperation: (n, p) => {
    if (n.byName) p.need("byName", n, `${n.op} BY NAME`);
    const prec = SET_PREC[n.op];
    const op = `${n.op}${n.all ? " ALL" : ""}${n.byName ? " BY NAME" : ""}`;
    return `${setOperand(p, n.left, prec, "left")} ${op} ${setOperand(p, n.right, prec, "right")}`;
  },
  values: (n, p) => `VALUES ${n.rows.map((r) => `(${p.list(r)})`).join(", ")}`,
  orderItem: (n, p) => `${p.print(n.expr)}${n.direction ? ` ${n.direction}` : ""}${n.nulls ? ` NULLS ${n.nulls}` : ""}`,
  groupBy: (n, p) => {
    if (n.all) {
      p.need("groupByAll", n, "GROUP BY ALL", "list the grouping columns");
      return "GROUP BY ALL";
    }
    return `GROUP BY ${p.list(n.items)}`;
  },
  groupingSets: (n, p) => `GROUPING SETS (${p.list(n.items)})`,
  rollup: (n, p) => `ROLLUP (${p.list(n.items)})`,
  cube: (n, p) => `CUBE (${p.list(n.items)})`,
  tableAlias: (n, p) => `${p.ident(n.name, "label")}${n.columns.length > 0 ? `(${n.columns.map((c) => p.ident(c, "colId")).join(", ")})` : ""}`,
  table: (n, p) => `${p.path(n.name)}${n.alias ? ` AS ${p.print(n.alias)}` : ""}`,
  derivedTable: (n, p) => `${n.lateral ? "LATERAL " : ""}(${p.print(n.query)})${n.alias ? ` AS ${p.print(n.alias)}` : ""}`,
  tableFunction: (n, p) => {
    const unnest = n.name.length === 1 && n.name[0]!.name.toUpperCase() === "UNNEST";
    if (unnest) p.need("unnestTable", n, "UNNEST in FROM", "use LATERAL VIEW explode(…) (the normalize_unnest transform)");
    if (n.ordinality) p.need("ordinality", n, "WITH ORDINALITY");
    const name = n.name.length === 1 ? p.ident(n.name[0]!, "func") : p.path(n.name);
    return `${n.lateral ? "LATERAL " : ""}${name}(${p.list(n.args)})${n.ordinality ? " WITH ORDINALITY" : ""}${n.alias ? ` AS ${p.print(n.alias)}` : ""}`;
  },
  pivot: (n, p) => {
    p.need("pivot", n, "PIVOT");
    const cols = names(p, n.columns.map((c) => p.print(c)));
    return `${joinRight(p, n.source)} PIVOT (${p.list(n.aggregates)} FOR ${cols} IN (${p.list(n.values)}))${n.alias ? ` AS ${p.print(n.alias)}` : ""}`;
  },
  unpivot: (n, p) => {
    p.need("pivot", n, "UNPIVOT");
    const nulls = n.includeNulls === null ? "" : n.includeNulls ? "INCLUDE NULLS " : "EXCLUDE NULLS ";
    const values = names(p, n.valueColumns.map((c) => p.ident(c, "colId")));
    return `${joinRight(p, n.source)} UNPIVOT ${nulls}(${values} FOR ${p.ident(n.nameColumn, "colId")} IN (${p.list(n.columns)}))${n.alias ? ` AS ${p.print(n.alias)}` : ""}`;
  },
  lateralView: (n, p) => {
    p.need("lateralView", n, "LATERAL VIEW", "use a LATERAL join of a table function (UNNEST)");
    const name = n.name.length === 1 ? p.ident(n.name[0]!, "func") : p.path(n.name);
    const table = n.table ? ` ${p.ident(n.table, "colId")}` : "";
    const cols = n.columns.length > 0 ? ` AS ${n.columns.map((c) => p.ident(c, "label")).join(", ")}` : "";
    return `${p.print(n.source)} LATERAL VIEW ${n.outer ? "OUTER " : ""}${name}(${p.list(n.args)})${table}${cols}`;
  },
  join: (n, p) => {
    let out = `${p.print(n.left)} ${n.natural ? "NATURAL " : ""}${joinKeyword(n, p)} ${joinRight(p, n.right)}`;
    if (n.on) out += ` ON ${p.print(n.on)}`;
    if (n.using) out += ` USING (${n.using.map((c) => p.ident(c, "colId")).join(", ")})`;
    return out;
  },
};
