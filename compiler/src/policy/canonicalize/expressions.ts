/**
 * Canonical expression forms. Every function here assumes its operands are canonical already
 * (the pass works bottom-up) and returns a canonical node, so the result is a fixed point.
 */
import {
  between, binary, booleanLiteral, inList, isDistinctFrom, isTest, like, inSubquery, typedLiteral, unary, sameTree,
  type Binary, type BinaryOp, type Cast, type ComparisonOp, type Expr, type InList, type Unary,
} from "../../sql/index.js";
import { compareNodes, sortNodes } from "./order.js";

/** `a op b` ≡ `b MIRROR[op] a`. */
const MIRROR: Readonly<Record<ComparisonOp, ComparisonOp>> = { "=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<=" };
/** `NOT (a op b)` ≡ `a NEGATE[op] b` (also under three-valued logic: both are NULL on NULL). */
const NEGATE: Readonly<Record<ComparisonOp, ComparisonOp>> = { "=": "<>", "<>": "=", "<": ">=", ">": "<=", "<=": ">", ">=": "<" };

const isComparison = (op: BinaryOp): op is ComparisonOp => op in MIRROR;

/**
 * Operators whose two operands may be swapped without changing the result for any operand types
 * DuckDB accepts: numeric / temporal `+` and `*` (no re-association: `(a + b) + c` keeps its
 * grouping, since overflow and rounding depend on it), bitwise `&` `|` `xor`, and the comparisons
 * (mirrored). `||`, `-`, `/` and the JSON arrows are not commutative.
 */
const SWAPPABLE = new Set<BinaryOp>(["+", "*", "&", "|", "xor"]);

/** The terms of an AND / OR chain, flattened (parentheses are not nodes; the operators associate). */
export function connectorTerms(e: Expr, op: "AND" | "OR", out: Expr[] = []): Expr[] {
  if (e.kind === "binary" && e.op === op) {
    connectorTerms(e.left, op, out);
    connectorTerms(e.right, op, out);
  } else out.push(e);
  return out;
}

/**
 * A canonical AND / OR chain of `terms`: sorted by the canonical order, left-deep. Duplicates are
 * kept (`f() AND f()` may call a volatile function twice) unless `dedupe`.
 */
export function connector(op: "AND" | "OR", terms: readonly Expr[], dedupe = false, r = terms[0]!.range): Expr {
  const flat = terms.flatMap((t) => connectorTerms(t, op));
  const sorted = sortNodes(flat, dedupe);
  let out = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) out = binary(op, out, sorted[i]!, r);
  return out;
}

/**
 * An AND / OR chain canonicalized in one step, top-down: its terms through `visit` (flattened
 * again, since a term may become a chain of the same operator: `NOT NOT (a AND b)`), sorted,
 * left-deep. The same tree as canonicalBinary applied at every level bottom-up, without
 * flattening and sorting the chain once per level. The chain keeps its nodes (and their ranges)
 * where its shape and order do not change.
 */
export function canonicalChain(n: Binary & { readonly op: "AND" | "OR" }, visit: (e: Expr) => Expr): Expr {
  const op = n.op;
  const written = connectorTerms(n, op);
  const visited: Expr[] = [];
  for (const t of written) connectorTerms(visit(t), op, visited);
  const sorted = sortNodes(visited);
  const inOrder = sorted.length === written.length && sorted.every((x, i) => x === visited[i]);
  if (inOrder && leftDeep(n, op)) {
    if (sorted.every((x, i) => x === written[i])) return n;
    // the written chain with its terms replaced: terms sit at the left end and as right operands
    let i = 0;
    const rebuild = (e: Binary): Binary => {
      const left = e.left.kind === "binary" && e.left.op === op ? rebuild(e.left) : sorted[i++]!;
      const right = sorted[i++]!;
      return binary(op, left, right, e.range);
    };
    return rebuild(n);
  }
  let out = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) out = binary(op, out, sorted[i]!, n.range);
  return out;
}

function leftDeep(n: Binary, op: "AND" | "OR"): boolean {
  for (let e: Expr = n; e.kind === "binary" && e.op === op; e = e.left) if (e.right.kind === "binary" && e.right.op === op) return false;
  return true;
}

export function canonicalBinary(n: Binary): Expr {
  if (n.op === "AND" || n.op === "OR") {
    const terms = connectorTerms(n, n.op);
    const rebuilt = connector(n.op, terms, false, n.range);
    return sameTree(rebuilt, n) ? n : rebuilt;
  }
  if (isComparison(n.op)) {
    const c = compareNodes(n.left, n.right);
    // Equal operands: one orientation still (`a > a` is `a < a`).
    return c > 0 || (c === 0 && (n.op === ">" || n.op === ">=")) ? binary(MIRROR[n.op], n.right, n.left, n.range) : n;
  }
  if (SWAPPABLE.has(n.op) && compareNodes(n.left, n.right) > 0) return binary(n.op, n.right, n.left, n.range);
  return n;
}

/** NOT pushed into what has a negated form; `NOT NOT x` is x. De Morgan is left to CNF. */
export function canonicalNot(n: Unary): Expr {
  if (n.op !== "NOT") return n;
  const e = n.operand;
  switch (e.kind) {
    case "unary":
      return e.op === "NOT" ? e.operand : n;
    case "boolean":
      return booleanLiteral(!e.value, n.range);
    case "binary":
      return isComparison(e.op) ? canonicalBinary(binary(NEGATE[e.op], e.left, e.right, n.range)) : n;
    case "isTest":
      return isTest(e.expr, e.test, !e.negated, n.range);
    case "isDistinctFrom":
      return isDistinctFrom(e.left, e.right, !e.negated, n.range);
    case "between":
      return between(e.expr, e.low, e.high, !e.negated, e.symmetric, n.range);
    case "like":
      return like(e.op, e.expr, e.pattern, e.escape, !e.negated, n.range);
    case "inList":
      return canonicalInList(inList(e.expr, e.items, !e.negated, n.range));
    case "inSubquery":
      return inSubquery(e.expr, e.query, !e.negated, n.range);
    default:
      return n;
  }
}

export { unary };

/** IN lists are sets: items sorted, duplicates dropped; `x IN (a)` is `x = a`. */
export function canonicalInList(n: InList): Expr {
  const items = sortNodes(n.items, true);
  if (items.length === 1) return canonicalBinary(binary(n.negated ? "<>" : "=", n.expr, items[0]!, n.range));
  const same = items.length === n.items.length && items.every((x, i) => x === n.items[i]);
  return same ? n : inList(n.expr, items, n.negated, n.range);
}

export function canonicalIsDistinct(n: Extract<Expr, { kind: "isDistinctFrom" }>): Expr {
  return compareNodes(n.left, n.right) > 0 ? isDistinctFrom(n.right, n.left, n.negated, n.range) : n;
}

export function canonicalBetween(n: Extract<Expr, { kind: "between" }>): Expr {
  if (n.symmetric && compareNodes(n.low, n.high) > 0) return between(n.expr, n.high, n.low, n.negated, true, n.range);
  return n;
}

/** Types whose typed-literal spelling (`DATE '…'`) DuckDB reads as a cast of the string. */
const TYPED_LITERAL_TYPES = new Set(["DATE", "TIME", "TIMESTAMP"]);

/**
 * Redundant casts: a cast to the type its operand already has (`CAST(CAST(x AS T) AS T)`,
 * `CAST(DATE '…' AS DATE)`, `CAST(TRUE AS BOOLEAN)`) is dropped, and `CAST('…' AS DATE|TIME|
 * TIMESTAMP)` is the typed literal it means. Casts of string or integer literals to VARCHAR /
 * INTEGER stay: DuckDB's untyped string and integer literals convert implicitly where a cast
 * value does not (`'1' + 1` is 2, `CAST('1' AS VARCHAR) + 1` an error).
 */
export function canonicalCast(n: Cast): Expr {
  const inner = n.expr;
  if ((inner.kind === "cast" || inner.kind === "typedLiteral") && sameTree(inner.type, n.type)) return inner;
  if (inner.kind === "boolean" && n.type.kind === "typeName" && n.type.name === "BOOLEAN" && n.type.params.length === 0) return inner;
  if (!n.safe && inner.kind === "string" && n.type.kind === "typeName" && n.type.params.length === 0 && TYPED_LITERAL_TYPES.has(n.type.name)) {
    return typedLiteral(n.type, inner.value, n.range);
  }
  return n;
}
