import { CHILD_KEYS, mapChildren, walk } from "./children.js";
import type { Node, NodeKind, NodeOfKind, Replacement } from "./nodes.js";

/** Transforms a node (and, through the handlers, its subtree). */
export type Transform = <N extends Node>(node: N) => Replacement<N["kind"]>;

export interface TransformContext {
  /** Transforms a child through the whole handler table (overrides included). */
  readonly visit: Transform;
  /** The default behaviour: the node rebuilt with each child visited (shared when none changed). */
  readonly visitChildren: <N extends Node>(node: N) => N;
}

export type Handler<K extends NodeKind> = (node: NodeOfKind<K>, ctx: TransformContext) => Replacement<K>;

/** One handler per kind. Typed over every kind, so a kind without a handler does not compile. */
export type Handlers = { readonly [K in NodeKind]: Handler<K> };

const rebuild = <N extends Node>(node: N, ctx: TransformContext): N => ctx.visitChildren(node);

/** The base table: every kind rebuilds its children (see CHILD_KEYS, typed over every kind). */
export const REBUILD_CHILDREN: Handlers = Object.freeze(
  Object.fromEntries((Object.keys(CHILD_KEYS) as NodeKind[]).map((kind) => [kind, rebuild])),
) as unknown as Handlers;

/**
 * Makes a transformer: the base table with `overrides` for the kinds a pass cares about. A pass
 * is a pure function built on it; handlers call `ctx.visitChildren` to continue below a node.
 */
export function createTransformer(overrides: Partial<Handlers>): Transform {
  // The overrides are looked up first and the base table after (no merged copy: passes make a
  // transformer per run, and copying a table of every kind each time showed in profiles). In a
  // Map: a kind missing from a small object is a slow megamorphic property lookup per node.
  const table = new Map(Object.entries(overrides) as [string, (n: Node, c: TransformContext) => Node][]);
  // dispatch itself is the function children are mapped with (no wrapper call per node)
  const visitChild = dispatch as (child: Node) => Node;
  const ctx: TransformContext = {
    visit: dispatch,
    visitChildren: <N extends Node>(node: N) => mapChildren(node, visitChild) as N,
  };
  function dispatch<N extends Node>(node: N): Replacement<N["kind"]> {
    const handler = table.get(node.kind);
    return (handler ? handler(node, ctx) : mapChildren(node, visitChild)) as Replacement<N["kind"]>;
  }
  return dispatch;
}

/** Read-only visitor: a callback per kind of interest; returning false skips the node's children. */
export type VisitorHandlers = { readonly [K in NodeKind]?: (node: NodeOfKind<K>) => boolean | void };

export function visitNodes(root: Node, handlers: VisitorHandlers): void {
  walk(root, (node) => {
    const handler = handlers[node.kind] as ((n: Node) => boolean | void) | undefined;
    return handler ? handler(node) : undefined;
  });
}
