/**
 * The one total order on AST nodes that canonical passes sort by: a structural key of the node
 * without source ranges (kind, then every field in sorted key order, children by their own keys).
 * Two subtrees have equal keys exactly when their canonical encodings (artifacts/canonical.ts,
 * what the fingerprint hashes) are equal; the key is a string built once per node (nodes are
 * immutable, so it is cached), several times cheaper than encoding msgpack for every comparison.
 */
import type { Node } from "../../sql/index.js";

const KEYS = new WeakMap<object, string>();
const FIELDS = new Map<string, readonly string[]>();

function fieldsOf(node: Record<string, unknown>): readonly string[] {
  const kind = node["kind"] as string;
  let f = FIELDS.get(kind);
  if (!f) {
    f = Object.keys(node).filter((k) => k !== "range" && k !== "kind").sort();
    FIELDS.set(kind, f);
  }
  return f;
}

function keyOfValue(v: unknown): string {
  if (v === null || v === undefined) return "~";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `[${v.map(keyOfValue).join(",")}]`;
  return sortKey(v as Node);
}

/** The sort key of a node (cached per node). */
export function sortKey(node: Node): string {
  let key = KEYS.get(node);
  if (key === undefined) {
    const rec = node as unknown as Record<string, unknown>;
    key = `${node.kind}(${fieldsOf(rec).map((f) => keyOfValue(rec[f])).join(";")})`;
    KEYS.set(node, key);
  }
  return key;
}

export function compareNodes(a: Node, b: Node): number {
  if (a === b) return 0;
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `nodes` sorted by the canonical order, with structural duplicates dropped when `dedupe`. */
export function sortNodes<N extends Node>(nodes: readonly N[], dedupe = false): N[] {
  const sorted = [...nodes].sort(compareNodes);
  if (!dedupe) return sorted;
  return sorted.filter((n, i) => i === 0 || compareNodes(sorted[i - 1]!, n) !== 0);
}
