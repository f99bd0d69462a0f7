import { freeze, list } from "./node.js";
import type { Node, NodeKind, NodeOfKind } from "./nodes.js";

/** The keys of a node that hold child nodes (a node, a list of nodes, or a list of lists). */
export type ChildKey<N> = {
  [P in keyof N]-?: P extends "range" | "kind" ? never : NonNullable<N[P]> extends Node | readonly Node[] | readonly (readonly Node[])[] ? P : never;
}[keyof N];

/**
 * The child slots of every kind, in source order. Typed over every kind: a new kind does not
 * compile until it is listed here, and with it every generic walk and transform handles it.
 */
export const CHILD_KEYS: { readonly [K in NodeKind]: readonly ChildKey<NodeOfKind<K>>[] } = {
  identifier: [],
  string: [],
  number: [],
  boolean: [],
  null: [],
  typedLiteral: ["type"],
  interval: ["value"],
  parameter: [],
  unary: ["operand"],
  binary: ["left", "right"],
  isTest: ["expr"],
  isDistinctFrom: ["left", "right"],
  between: ["expr", "low", "high"],
  like: ["expr", "pattern", "escape"],
  inList: ["expr", "items"],
  inSubquery: ["expr", "query"],
  quantified: ["left", "query"],
  exists: ["query"],
  case: ["operand", "whens", "else"],
  whenClause: ["condition", "result"],
  cast: ["expr", "type"],
  extract: ["source"],
  atTimeZone: ["expr", "zone"],
  collate: ["expr", "collation"],
  subquery: ["query"],
  column: ["path"],
  star: ["qualifier", "exclude", "replace", "rename"],
  replaceItem: ["expr", "name"],
  renameItem: ["column", "name"],
  columns: ["arg"],
  fieldAccess: ["base", "field"],
  subscript: ["base", "index"],
  slice: ["base", "start", "end"],
  array: ["items"],
  struct: ["fields"],
  structField: ["name", "value"],
  map: ["entries"],
  mapEntry: ["key", "value"],
  tuple: ["items"],
  call: ["name", "args", "orderBy", "withinGroup", "filter", "over"],
  methodCall: ["target", "name", "args"],
  lambda: ["params", "body"],
  namedArg: ["name", "value"],
  windowSpec: ["base", "partitionBy", "orderBy", "frame"],
  windowFrame: ["start", "end"],
  frameBound: ["offset"],
  namedWindow: ["name", "spec"],
  query: ["with", "body", "orderBy", "limit", "offset"],
  with: ["ctes"],
  cte: ["name", "columns", "query"],
  select: ["distinctOn", "items", "from", "where", "groupBy", "having", "windows", "qualify"],
  selectItem: ["expr", "alias"],
  setOperation: ["left", "right"],
  values: ["rows"],
  orderItem: ["expr"],
  groupBy: ["items"],
  groupingSets: ["items"],
  rollup: ["items"],
  cube: ["items"],
  tableAlias: ["name", "columns"],
  table: ["name", "alias"],
  derivedTable: ["query", "alias"],
  tableFunction: ["name", "args", "alias"],
  join: ["left", "right", "on", "using"],
  pivot: ["source", "aggregates", "columns", "values", "alias"],
  unpivot: ["source", "valueColumns", "nameColumn", "columns", "alias"],
  lateralView: ["source", "name", "args", "table", "columns"],
  typeName: [],
  arrayType: ["element"],
  mapType: ["key", "value"],
  structType: ["fields"],
  structTypeField: ["name", "type"],
};

type Slot = Node | readonly Node[] | readonly (readonly Node[])[] | null;

function slotsOf(node: Node): readonly string[] {
  return CHILD_KEYS[node.kind] as readonly string[];
}

function slot(node: Node, key: string): Slot {
  return (node as unknown as Record<string, Slot>)[key] ?? null;
}

/** Calls `fn` on each direct child of `node`, in source order. */
export function forEachChild(node: Node, fn: (child: Node) => void): void {
  for (const key of slotsOf(node)) {
    const value = slot(node, key);
    if (value === null) continue;
    if (!Array.isArray(value)) {
      fn(value as Node);
      continue;
    }
    for (const item of value as readonly (Node | readonly Node[])[]) {
      if (Array.isArray(item)) for (const inner of item as readonly Node[]) fn(inner);
      else fn(item as Node);
    }
  }
}

/** The direct children of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  forEachChild(node, (c) => out.push(c));
  return out;
}

/**
 * Depth-first, pre-order walk. `enter` returns false to skip a node's children. Iterative, so a
 * deep tree cannot overflow the stack.
 */
export function walk(root: Node, enter: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (enter(node) === false) continue;
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

/**
 * Rebuilds `node` with each child replaced by `map(child)`; returns `node` itself when no child
 * changed, so untouched subtrees are shared.
 */
export function mapChildren(node: Node, map: (child: Node) => Node): Node {
  let copy: Record<string, unknown> | null = null;
  for (const key of slotsOf(node)) {
    const value = slot(node, key);
    if (value === null) continue;
    const next = Array.isArray(value) ? mapList(value as readonly (Node | readonly Node[])[], map) : map(value as Node);
    if (next !== value) {
      copy ??= { ...node };
      copy[key] = next;
    }
  }
  return copy ? (freeze(copy) as unknown as Node) : node;
}

function mapList(items: readonly (Node | readonly Node[])[], map: (child: Node) => Node): readonly (Node | readonly Node[])[] {
  let out: (Node | readonly Node[])[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const next: Node | readonly Node[] = Array.isArray(item) ? (mapList(item as readonly Node[], map) as readonly Node[]) : map(item as Node);
    if (next !== item) {
      out ??= items.slice();
      out[i] = next;
    }
  }
  return out ? list(out) : items;
}
