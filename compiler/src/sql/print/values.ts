import type { Call } from "../ast/calls.js";
import type { Expr } from "../ast/nodes.js";
import type { WindowSpec } from "../ast/windows.js";
import { PREC } from "../precedence.js";
import { operand } from "./expressions.js";
import type { Printer, PrintTable } from "./printer.js";

type Kinds = "identifier" | "column" | "star" | "replaceItem" | "renameItem" | "columns" | "fieldAccess" | "subscript" | "slice" | "array" | "struct"
  | "structField" | "map" | "mapEntry" | "tuple" | "call" | "methodCall" | "lambda" | "namedArg" | "windowSpec" | "windowFrame" | "frameBound"
  | "namedWindow";

/** The base of `.field` / `.f()`: a plain name would read as a longer name, a number as `1.`. */
function dotBase(p: Printer, e: Expr): string {
  return e.kind === "column" || e.kind === "number" ? `(${p.print(e)})` : operand(p, e, PREC.POSTFIX);
}

function windowBody(w: WindowSpec, p: Printer): string {
  const parts: string[] = [];
  if (w.base) parts.push(p.ident(w.base, "colId"));
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${p.list(w.partitionBy)}`);
  if (w.orderBy.length > 0) parts.push(`ORDER BY ${p.list(w.orderBy)}`);
  if (w.frame) parts.push(p.print(w.frame));
  return parts.join(" ");
}

const TRIM_SIDES: Readonly<Record<string, string>> = { TRIM: "BOTH", LTRIM: "LEADING", RTRIM: "TRAILING" };

/** Calls whose canonical form some dialect writes with special syntax. */
function specialCall(n: Call, p: Printer): string | null {
  if (n.name.length !== 1 || n.name[0]!.quoted || n.distinct || n.over || n.filter || n.withinGroup || n.orderBy.length > 0) return null;
  const name = n.name[0]!.name;
  const upper = name.toUpperCase();
  const [a, b] = n.args;
  if (upper === "ARRAY" && n.args.length === 1 && a?.kind === "subquery") return `${name}(${p.print(a.query)})`;
  if (upper === "POSITION" && n.args.length === 2) return `${name}(${operand(p, a!, PREC.OTHER)} IN ${operand(p, b!, PREC.OTHER)})`;
  const side = TRIM_SIDES[upper];
  if (side && n.args.length === 2 && p.d.name !== "duckdb") return `${name.slice(upper.length - 4)}(${side} ${p.print(b!)} FROM ${p.print(a!)})`;
  if (upper === "MAP" && p.d.map === "map()") p.unsupported(n, "a call of MAP(…) (it reads MAP(k, v, …) as a map value)");
  return null;
}

export const VALUE_PRINTERS: Pick<PrintTable, Kinds> = {
  identifier: (n, p) => p.ident(n, "label"),
  column: (n, p) => p.path(n.path),
  star: (n, p) => {
    let out = n.qualifier.length > 0 ? `${p.path(n.qualifier)}.*` : "*";
    if (n.exclude.length > 0) {
      if (!p.d.starExclude) p.unsupported(n, "* EXCLUDE (…)", "list the columns");
      out += ` ${p.d.starExclude ?? "EXCLUDE"} (${n.exclude.map((c) => p.path(c)).join(", ")})`;
    }
    if (n.replace.length > 0) {
      p.need("starReplace", n, "* REPLACE (…)", "list the columns");
      out += ` REPLACE (${p.list(n.replace)})`;
    }
    if (n.rename.length > 0) {
      p.need("starRename", n, "* RENAME (…)", "list the columns");
      out += ` RENAME (${p.list(n.rename)})`;
    }
    return out;
  },
  replaceItem: (n, p) => `${p.print(n.expr)} AS ${p.ident(n.name, "label")}`,
  renameItem: (n, p) => `${p.path(n.column)} AS ${p.ident(n.name, "label")}`,
  columns: (n, p) => {
    p.need("columns", n, "COLUMNS(…)", "list the columns");
    return `COLUMNS(${p.print(n.arg)})`;
  },
  fieldAccess: (n, p) => `${dotBase(p, n.base)}.${p.ident(n.field, "label")}`,
  subscript: (n, p) => `${operand(p, n.base, PREC.POSTFIX)}[${p.print(n.index)}]`,
  slice: (n, p) => {
    p.need("slice", n, "a slice [a:b]", "use a slice function");
    return `${operand(p, n.base, PREC.POSTFIX)}[${n.start ? p.print(n.start) : ""}:${n.end ? p.print(n.end) : ""}]`;
  },
  array: (n, p) => {
    const items = p.list(n.items);
    return p.d.list === "brackets" ? `[${items}]` : p.d.list === "array[]" ? `ARRAY[${items}]` : `ARRAY(${items})`;
  },
  struct: (n, p) => (p.d.struct === "braces" ? `{${p.list(n.fields)}}` : `STRUCT(${p.list(n.fields)})`),
  structField: (n, p) => {
    if (p.d.struct === "struct()") return n.name ? `${p.print(n.value)} AS ${p.ident(n.name, "label")}` : p.print(n.value);
    if (!n.name) {
      p.need("unnamedStructField", n, "a struct field without a name");
      return `'': ${p.print(n.value)}`;
    }
    return `${n.name.quoted ? p.string(n.name.name) : p.ident(n.name, "label")}: ${p.print(n.value)}`;
  },
  map: (n, p) => {
    if (p.d.map === "braces") return `MAP {${p.list(n.entries)}}`;
    return `MAP(${n.entries.map((e) => `${p.print(e.key)}, ${p.print(e.value)}`).join(", ")})`;
  },
  mapEntry: (n, p) => `${p.print(n.key)}: ${p.print(n.value)}`,
  tuple: (n, p) => `(${p.list(n.items)})`,
  call: (n, p) => {
    const special = specialCall(n, p);
    if (special !== null) return special;
    const name = n.name.length === 1 ? p.ident(n.name[0]!, "func") : p.path(n.name);
    const inner: string[] = [];
    if (n.distinct) inner.push("DISTINCT");
    if (n.args.length > 0) inner.push(p.list(n.args));
    if (n.orderBy.length > 0) {
      p.need("aggregateOrderBy", n, "ORDER BY inside an aggregate call", "sort with array_sort / WITHIN GROUP");
      inner.push(`ORDER BY ${p.list(n.orderBy)}`);
    }
    const treatment = n.nullTreatment ? `${n.nullTreatment} NULLS` : "";
    // Inside the parentheses it needs an argument to follow.
    const inside = treatment !== "" && p.d.nullTreatment === "inside" && n.args.length > 0;
    if (inside) inner.push(treatment);
    let out = `${name}(${inner.join(" ")})`;
    if (n.withinGroup) out += ` WITHIN GROUP (ORDER BY ${p.list(n.withinGroup)})`;
    if (n.filter) out += ` FILTER (WHERE ${p.print(n.filter)})`;
    if (treatment && !inside) out += ` ${treatment}`;
    if (n.over) out += ` OVER ${p.print(n.over)}`;
    return out;
  },
  methodCall: (n, p) => {
    p.need("methodCall", n, "a method call x.f()", "write f(x)");
    return `${dotBase(p, n.target)}.${p.ident(n.name, "label")}(${p.list(n.args)})`;
  },
  lambda: (n, p) => {
    p.need("lambda", n, "a lambda");
    const params = n.params.length === 1 ? p.ident(n.params[0]!, "colId") : `(${n.params.map((x) => p.ident(x, "colId")).join(", ")})`;
    return `${params} -> ${p.print(n.body)}`;
  },
  namedArg: (n, p) => `${p.ident(n.name, "label")} ${p.d.namedArg} ${p.print(n.value)}`,
  windowSpec: (n, p) => {
    const onlyBase = n.base && n.partitionBy.length === 0 && n.orderBy.length === 0 && !n.frame;
    return onlyBase ? p.ident(n.base!, "colId") : `(${windowBody(n, p)})`;
  },
  windowFrame: (n, p) => {
    if (n.units === "GROUPS") p.need("groupsFrame", n, "a GROUPS frame");
    if (n.exclude) p.need("frameExclude", n, "a frame EXCLUDE clause");
    const bounds = n.end ? `BETWEEN ${p.print(n.start)} AND ${p.print(n.end)}` : p.print(n.start);
    return `${n.units} ${bounds}${n.exclude ? ` EXCLUDE ${n.exclude}` : ""}`;
  },
  frameBound: (n, p) => (n.offset ? `${operand(p, n.offset, PREC.OTHER)} ${n.bound}` : n.bound),
  namedWindow: (n, p) => `${p.ident(n.name, "colId")} AS (${windowBody(n.spec, p)})`,
};
