/**
 * The one total order on AST nodes that canonical passes sort by: a structural key of the node
 * without source ranges (kind, then every field in sorted key order, children by their own keys).
 * Two subtrees have equal keys exactly when their canonical encodings (artifacts/canonical.ts,
 * what the fingerprint hashes) are equal. sortKey builds the key as a string (cached per node:
 * nodes are immutable); compareNodes orders two nodes by their keys without building them,
 * reading both only up to the first difference.
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

/**
 * The order of sortKey(a) and sortKey(b), without building either key: both keys are read as
 * streams of text pieces, expanded from the trees only as far as the first difference (which is
 * usually within the first few nodes). Cached keys are used where a node has one.
 */
export function compareNodes(a: Node, b: Node): number {
  if (a === b) return 0;
  // Keys start with `kind(`, and no kind holds a "(": different kinds are ordered by that prefix.
  if (a.kind !== b.kind) return `${a.kind}(` < `${b.kind}(` ? -1 : 1;
  const ka = KEYS.get(a);
  const kb = KEYS.get(b);
  if (ka !== undefined && kb !== undefined) return ka < kb ? -1 : ka > kb ? 1 : 0;
  return compareStreams(new KeyStream(a), new KeyStream(b));
}

/**
 * sortKey's text as a stream: a stack of pending parts, each a piece of text or a value (node or
 * list) still to expand, top last; `text` / `at` is the piece being read.
 */
class KeyStream {
  text = "";
  at = 0;
  readonly stack: unknown[];

  constructor(root: Node) {
    this.stack = [root];
  }

  /** Makes `text` hold an unread character; false at the end of the key. */
  fill(): boolean {
    while (this.at >= this.text.length) {
      if (this.stack.length === 0) return false;
      const top = this.stack.pop();
      if (typeof top === "string") {
        this.text = top;
        this.at = 0;
      } else if (top instanceof StringValue) {
        this.text = JSON.stringify(top.value);
        this.at = 0;
      } else this.expand(top as object);
    }
    return true;
  }

  private expand(v: object): void {
    const cached = KEYS.get(v);
    if (cached !== undefined) {
      this.stack.push(cached);
      return;
    }
    if (Array.isArray(v)) {
      this.stack.push("]");
      for (let i = v.length - 1; i >= 0; i--) {
        this.push(v[i]);
        if (i > 0) this.stack.push(",");
      }
      this.stack.push("[");
      return;
    }
    const rec = v as Record<string, unknown>;
    const fields = fieldsOf(rec);
    this.stack.push(")");
    for (let i = fields.length - 1; i >= 0; i--) {
      this.push(rec[fields[i]!]);
      if (i > 0) this.stack.push(";");
    }
    this.stack.push(`${rec["kind"] as string}(`);
  }

  /**
   * Pushes a value as keyOfValue spells it: null and numbers as text now, strings (quoted only
   * when reached: most comparisons end before) and objects (expanded when reached) later.
   */
  private push(v: unknown): void {
    if (v === null || v === undefined) this.stack.push("~");
    else if (typeof v === "string") this.stack.push(new StringValue(v));
    else if (typeof v !== "object") this.stack.push(String(v));
    else this.stack.push(v);
  }
}

/** A string value on a KeyStream's stack, read as its JSON text. */
class StringValue {
  constructor(readonly value: string) {}
}

function compareStreams(x: KeyStream, y: KeyStream): number {
  const sx = x.stack;
  const sy = y.stack;
  for (;;) {
    if (x.at >= x.text.length && y.at >= y.text.length) {
      // the same subtree next in both keys reads the same: skip it
      while (sx.length > 0 && sy.length > 0) {
        const top = sx[sx.length - 1];
        if (typeof top !== "object" || top === null || top !== sy[sy.length - 1]) break;
        sx.pop();
        sy.pop();
      }
    }
    const hx = x.fill();
    const hy = y.fill();
    if (!hx || !hy) return hx === hy ? 0 : hx ? 1 : -1;
    const n = Math.min(x.text.length - x.at, y.text.length - y.at);
    for (let i = 0; i < n; i++) {
      const cx = x.text.charCodeAt(x.at + i);
      const cy = y.text.charCodeAt(y.at + i);
      if (cx !== cy) return cx < cy ? -1 : 1;
    }
    x.at += n;
    y.at += n;
  }
}

/** `nodes` sorted by the canonical order, with structural duplicates dropped when `dedupe`. */
export function sortNodes<N extends Node>(nodes: readonly N[], dedupe = false): N[] {
  const sorted = [...nodes].sort(compareNodes);
  if (!dedupe) return sorted;
  return sorted.filter((n, i) => i === 0 || compareNodes(sorted[i - 1]!, n) !== 0);
}
