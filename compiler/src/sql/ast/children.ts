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

type Items = readonly (Node | readonly Node[])[];

/** Calls `fn` on each child in a list slot's value (a list of nodes, or a list of lists). */
function eachList(items: Items, fn: (child: Node) => void): void {
  for (const item of items) {
    if (Array.isArray(item)) for (const inner of item as readonly Node[]) fn(inner);
    else fn(item as Node);
  }
}

/** Pushes the children in a list slot's value on `stack`, last first. */
function pushList(items: Items, stack: Node[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (Array.isArray(item)) for (let j = item.length - 1; j >= 0; j--) stack.push((item as readonly Node[])[j]!);
    else stack.push(item as Node);
  }
}

/**
 * Per kind, functions that read the child slots by name: `node.left` where the generic code had
 * `node[key]` with `key` varying, a lookup V8 cannot specialize when every kind passes through one
 * site. Generated once from CHILD_KEYS (a constant table, so no input reaches the generated code);
 * they behave exactly as loops over CHILD_KEYS would. A slot holds a node, a list of nodes or a
 * list of lists: the generated code tells them apart itself (a helper call per slot cost a fifth
 * of a walk).
 */
interface KindOps {
  readonly each: (node: Node, fn: (child: Node) => void) => void;
  /** Pushes the children on `stack` last first (so they pop in source order). */
  readonly pushReversed: (node: Node, stack: Node[]) => void;
  readonly map: (node: Node, map: (child: Node) => Node) => Node;
}

/** The generated code for slot `k` of `n`: `list` when its value is a list, else `one`. */
const slot = (k: string, list: string, one: string): string =>
  ` v = n.${k}; if (v !== null && v !== undefined) { if (Array.isArray(v)) ${list}; else ${one}; }`;

function kindOps(kind: NodeKind): KindOps {
  const keys = CHILD_KEYS[kind] as readonly string[];
  for (const k of keys) if (!/^[a-zA-Z]+$/.test(k)) throw new Error(`internal: child key '${k}'`);
  const each = new Function("eachList", `return function each_${kind}(n, fn) { let v;${keys.map((k) => slot(k, "eachList(v, fn)", "fn(v)")).join("")} };`);
  const push = new Function("pushList", `return function push_${kind}(n, stack) { let v;${[...keys].reverse().map((k) => slot(k, "pushList(v, stack)", "stack.push(v)")).join("")} };`);
  const map = new Function(
    "mapList",
    "freeze",
    `return function map_${kind}(n, fn) { let c = null, v, x;${keys
      .map((k) => ` v = n.${k}; if (v !== null && v !== undefined) { x = Array.isArray(v) ? mapList(v, fn) : fn(v); if (x !== v) { if (c === null) c = { ...n }; c.${k} = x; } }`)
      .join("")} return c === null ? n : freeze(c); };`,
  );
  return { each: each(eachList) as KindOps["each"], pushReversed: push(pushList) as KindOps["pushReversed"], map: map(mapList, freeze) as KindOps["map"] };
}

/** Ops by kind: a property of a prototype-less object, which a walk reads faster than a Map entry. */
const OPS: Readonly<Record<string, KindOps | undefined>> = Object.create(null) as Record<string, KindOps>;
for (const kind of Object.keys(CHILD_KEYS) as NodeKind[]) (OPS as Record<string, KindOps>)[kind] = kindOps(kind);

function opsOf(node: Node): KindOps {
  const ops = OPS[node.kind];
  if (ops === undefined) throw new Error(`internal: unknown node kind '${String(node.kind)}'`);
  return ops;
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
