/**
 * Policy lane step 5a — canonicalize: one spelling per meaning, so that formatting, keyword and
 * identifier case, alias case and the order of commutative operands never reach the fingerprint.
 *
 * Prerequisites: none beyond a parsed tree. Works on unqualified trees (before the binder) and on
 * qualified ones (after it); it uses no types, so every rule here holds for any operand types
 * DuckDB accepts. Runs after the transforms (they may introduce nodes in any order) and before
 * predicate normalization (cnf.ts), whose output it keeps canonical.
 *
 * What it does (bottom-up, each rule assuming canonical children — so the pass is idempotent):
 * - identifiers: unquoted → lower case; quoted kept, unless already a lower-case bare name
 *   (identifiers.ts). This includes aliases, CTE names, function names, lambda parameters.
 * - literals: integer and exponent spellings (literals.ts); decimals are kept as written.
 * - commutative operands: AND / OR chains flattened and sorted; `=` `<>` `+` `*` `&` `|` `xor`
 *   and IS [NOT] DISTINCT FROM operands ordered; `<` `>` `<=` `>=` ordered and mirrored, so
 *   `b > a` and `a < b` are one tree. The order is the canonical encoding's byte order (order.ts).
 * - NOT pushed into comparisons and negatable predicates; NOT NOT x → x.
 * - IN lists sorted and deduplicated; a one-item IN list is `=` / `<>`. BETWEEN SYMMETRIC bounds ordered.
 * - redundant casts dropped; `CAST('…' AS DATE)` is `DATE '…'` (expressions.ts).
 * - ORDER BY items (queries, windows, aggregates) get their written-out defaults: ASC, and the
 *   source dialect's NULLS default (DuckDB: NULLS LAST both ways; Spark: ASC NULLS FIRST, DESC
 *   NULLS LAST; ANSI/DataFusion: ASC NULLS LAST, DESC NULLS FIRST) — which also keeps a Spark
 *   query's null order when it is executed by DuckDB.
 * - GROUP BY lists of plain expressions sorted (grouping is by the set of keys).
 *
 * What it deliberately does not do: re-associate `+` / `*` chains, deduplicate AND / OR terms
 * (volatile functions), reorder joins, set-operation operands, select items, DISTINCT ON or
 * window PARTITION BY lists, simplify (constant folding, absorption), or touch decimal literals.
 * Known consequence: the name DuckDB derives for an unaliased computed select item (`(a + b)`)
 * follows the canonical spelling; give computed output columns an alias.
 */
import {
  createTransformer, groupBy, orderItem,
  type Dialect, type Expr, type GroupingElement, type Query,
} from "../../sql/index.js";
import { baseDialect } from "../../sql/index.js";
import { canonicalBetween, canonicalBinary, canonicalCast, canonicalChain, canonicalInList, canonicalIsDistinct, canonicalNot } from "./expressions.js";
import { canonicalIdentifier } from "./identifiers.js";
import { canonicalNumber } from "./literals.js";
import { sortNodes } from "./order.js";

export interface CanonicalizeOptions {
  /** The dialect the query was written in: decides the unwritten NULLS order of ORDER BY. */
  readonly dialect: Dialect;
}

const NULLS_DEFAULT: Readonly<Record<"duckdb" | "spark" | "ansi", { readonly ASC: "FIRST" | "LAST"; readonly DESC: "FIRST" | "LAST" }>> = {
  duckdb: { ASC: "LAST", DESC: "LAST" },
  spark: { ASC: "FIRST", DESC: "LAST" },
  ansi: { ASC: "LAST", DESC: "FIRST" },
};

const isPlainExpr = (g: GroupingElement): g is Expr => g.kind !== "groupingSets" && g.kind !== "rollup" && g.kind !== "cube";

function makeTransformer(options: CanonicalizeOptions) {
  const nulls = NULLS_DEFAULT[baseDialect(options.dialect)];
  return createTransformer({
    identifier: (n) => canonicalIdentifier(n),
    number: (n) => canonicalNumber(n),
    binary: (n, ctx) => (n.op === "AND" || n.op === "OR" ? canonicalChain(n as typeof n & { op: "AND" | "OR" }, ctx.visit) : canonicalBinary(ctx.visitChildren(n))),
    unary: (n, ctx) => canonicalNot(ctx.visitChildren(n)),
    inList: (n, ctx) => canonicalInList(ctx.visitChildren(n)),
    isDistinctFrom: (n, ctx) => canonicalIsDistinct(ctx.visitChildren(n)),
    between: (n, ctx) => canonicalBetween(ctx.visitChildren(n)),
    cast: (n, ctx) => canonicalCast(ctx.visitChildren(n)),
    orderItem: (n, ctx) => {
      const v = ctx.visitChildren(n);
      const direction = v.direction ?? "ASC";
      const nullOrder = v.nulls ?? nulls[direction];
      return direction === v.direction && nullOrder === v.nulls ? v : orderItem(v.expr, direction, nullOrder, v.range);
    },
    groupBy: (n, ctx) => {
      const v = ctx.visitChildren(n);
      if (v.items.length < 2 || !v.items.every(isPlainExpr)) return v;
      const sorted = sortNodes(v.items as readonly Expr[]);
      return sorted.every((x, i) => x === v.items[i]) ? v : groupBy(sorted, v.all, v.range);
    },
  });
}

const TRANSFORMERS = new Map<string, ReturnType<typeof makeTransformer>>();

/** Step 5a: the canonical form of `query` (see the header for the rules). Pure. */
export function canonicalize(query: Query, options: CanonicalizeOptions): Query {
  const key = baseDialect(options.dialect);
  let t = TRANSFORMERS.get(key);
  if (!t) {
    t = makeTransformer(options);
    TRANSFORMERS.set(key, t);
  }
  return t(query);
}

export { canonicalIdentifier, sameName } from "./identifiers.js";
export { canonicalNumberText } from "./literals.js";
export { compareNodes, sortKey, sortNodes } from "./order.js";
export { connector, connectorTerms } from "./expressions.js";
