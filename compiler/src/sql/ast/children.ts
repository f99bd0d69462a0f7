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

/** Calls `fn` on each child in a slot's value (a node, a list of nodes, or a list of lists). */
function eachIn(value: Slot | undefined, fn: (child: Node) => void): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) {
    fn(value as Node);
    return;
  }
  for (const item of value as readonly (Node | readonly Node[])[]) {
    if (Array.isArray(item)) for (const inner of item as readonly Node[]) fn(inner);
    else fn(item as Node);
  }
}

/**
 * Per kind, functions that read the child slots by name: `node.left` where the generic code had
 * `node[key]` with `key` varying, a lookup V8 cannot specialize when every kind passes through one
 * site. Generated once from CHILD_KEYS (a constant table, so no input reaches the generated code);
 * they behave exactly as the loops over CHILD_KEYS they replace.
 */
interface KindOps {
  readonly each: (node: Node, fn: (child: Node) => void) => void;
  /** Pushes the children on `stack` last first (so they pop in source order). */
  readonly pushReversed: (node: Node, stack: Node[]) => void;
  readonly map: (node: Node, map: (child: Node) => Node) => Node;
}

const OPS: ReadonlyMap<string, KindOps> = new Map(
  (Object.keys(CHILD_KEYS) as NodeKind[]).map((kind) => {
    const keys = CHILD_KEYS[kind] as readonly string[];
    for (const k of keys) if (!/^[a-zA-Z]+$/.test(k)) throw new Error(`internal: child key '${k}'`);
    const each = new Function("eachIn", `return function each_${kind}(n, fn) {${keys.map((k) => ` eachIn(n.${k}, fn);`).join("")} };`)(eachIn) as KindOps["each"];
    const pushReversed = new Function(
      "pushIn",
      `return function push_${kind}(n, stack) {${[...keys].reverse().map((k) => ` pushIn(n.${k}, stack);`).join("")} };`,
    )(pushIn) as KindOps["pushReversed"];
    const map = new Function(
      "mapIn",
      "freeze",
      `return function map_${kind}(n, fn) { let c = null, v, x;${keys
        .map((k) => ` v = n.${k}; if (v !== null && v !== undefined) { x = mapIn(v, fn); if (x !== v) { if (c === null) c = { ...n }; c.${k} = x; } }`)
        .join("")} return c === null ? n : freeze(c); };`,
    )(mapIn, freeze) as KindOps["map"];
    return [kind, { each, pushReversed, map }] as const;
  }),
);

function opsOf(node: Node): KindOps {
  const ops = OPS.get(node.kind);
  if (!ops) throw new Error(`internal: unknown node kind '${String(node.kind)}'`);
  return ops;
}

function pushIn(value: Slot | undefined, stack: Node[]): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) {
    stack.push(value as Node);
    return;
  }
  const items = value as readonly (Node | readonly Node[])[];
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (Array.isArray(item)) for (let j = item.length - 1; j >= 0; j--) stack.push((item as readonly Node[])[j]!);
    else stack.push(item as Node);
  }
}

function mapIn(value: Node | readonly (Node | readonly Node[])[], map: (child: Node) => Node): unknown {
  return Array.isArray(value) ? mapList(value as readonly (Node | readonly Node[])[], map) : map(value as Node);
}

/** Calls `fn` on each direct child of `node`, in source order. */
export function forEachChild(node: Node, fn: (child: Node) => void): void {
  opsOf(node).each(node, fn);
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
    opsOf(node).pushReversed(node, stack);
  }
}

/**
 * Rebuilds `node` with each child replaced by `map(child)`; returns `node` itself when no child
 * changed, so untouched subtrees are shared.
 */
export function mapChildren(node: Node, map: (child: Node) => Node): Node {
  return opsOf(node).map(node, map);
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
