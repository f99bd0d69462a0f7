import type { IToken } from "../chevrotain.js";
import type { Expr } from "../ast/nodes.js";
import { identifier, type Identifier } from "../ast/identifiers.js";
import { range, type Range } from "../ast/node.js";
import type { BaseDialect } from "../dialect.js";
import { sqlDiagnostic, type SqlDiagnostic } from "../diagnostics.js";
import type { SqlCst } from "../parser/cst.js";
import { sqlParser } from "../parser/parser.js";
import { decodeName } from "./strings.js";

/** A CST node read by its children's names: builder methods get the node itself (parser/cst.ts). */
export type Ctx = Pick<SqlCst, "get" | "firstKey">;
type CstNode = SqlCst;

const NONE: CstNode[] = [];
const NONE_TOKENS: IToken[] = [];

/**
 * Shared state and helpers of the CST → AST builder. The builder is one object for every parse:
 * `begin` resets it. Builder methods are named after grammar rules (`visit` dispatches on the
 * rule name); the helpers below read children without `any`.
 */
export abstract class BuilderBase {
  protected dialect: BaseDialect = "duckdb";
  protected diagnostics: SqlDiagnostic[] = [];
  /** The CST node being built, for `here` (methods that only delegate never read its range). */
  private current: CstNode | undefined;

  /** The source range of the node being built (made on demand: most rules only delegate). */
  protected get here(): Range {
    return this.current ? this.rangeOf(this.current) : range(0, 0);
  }

  /**
   * Checks that every grammar rule has a builder method, so that a rule without one fails when
   * the builder is made rather than on the first query that uses it.
   */
  protected validateVisitor(): void {
    const missing = Object.keys(sqlParser().getGAstProductions()).filter((rule) => typeof (this as unknown as Record<string, unknown>)[rule] !== "function");
    if (missing.length > 0) throw new Error(`internal: the SQL AST builder has no method for the rule(s) ${missing.join(", ")}`);
  }

  /** Builds `node` with the method named after its rule, which gets the node as its Ctx. */
  visit(node: CstNode, param?: BaseDialect): unknown {
    const saved = this.current;
    this.current = node;
    const out = (this as unknown as Record<string, (ctx: Ctx, param?: BaseDialect) => unknown>)[node.name]!(node, param);
    this.current = saved;
    return out;
  }

  begin(dialect: BaseDialect): void {
    this.dialect = dialect;
    this.diagnostics = [];
  }

  takeDiagnostics(): SqlDiagnostic[] {
    const out = this.diagnostics;
    this.diagnostics = [];
    return out;
  }

  protected report(message: string, r: Range, hint?: string): void {
    this.diagnostics.push(sqlDiagnostic("CPG1000", message, r, [hint]));
  }

  // A CST key holds rule nodes or tokens, never both (keys are rule or token names, or labels
  // used for one of them), so the lists need no filtering.
  protected nodes(ctx: Ctx, key: string): CstNode[] {
    return (ctx.get(key) as CstNode[] | undefined) ?? NONE;
  }

  protected node(ctx: Ctx, key: string): CstNode | undefined {
    return this.nodes(ctx, key)[0];
  }

  protected need(ctx: Ctx, key: string): CstNode {
    const n = this.node(ctx, key);
    if (!n) throw new Error(`internal: CST node '${key}' missing`);
    return n;
  }

  protected tokens(ctx: Ctx, key: string): IToken[] {
    return (ctx.get(key) as IToken[] | undefined) ?? NONE_TOKENS;
  }

  protected token(ctx: Ctx, key: string): IToken | undefined {
    return this.tokens(ctx, key)[0];
  }

  protected needToken(ctx: Ctx, key: string): IToken {
    const t = this.token(ctx, key);
    if (!t) throw new Error(`internal: token '${key}' missing`);
    return t;
  }

  protected has(ctx: Ctx, key: string): boolean {
    return (ctx.get(key)?.length ?? 0) > 0;
  }

  protected rangeOf(n: CstNode): Range {
    return n.endOffset >= n.startOffset ? range(n.startOffset, n.endOffset + 1) : range(0, 0);
  }

  protected tokenRange(t: IToken): Range {
    return range(t.startOffset, t.startOffset + t.image.length);
  }

  protected ident(t: IToken): Identifier {
    const { name, quoted } = decodeName(t);
    return identifier(name, quoted, this.tokenRange(t));
  }

  /** The name tokens of `key`, in source order, as identifiers. */
  protected idents(ctx: Ctx, ...keys: string[]): Identifier[] {
    let toks: IToken[] | null = null;
    let merged = false;
    for (const k of keys) {
      const list = ctx.get(k) as IToken[] | undefined;
      if (!list) continue;
      if (toks === null) toks = list;
      else {
        toks = [...toks, ...list];
        merged = true;
      }
    }
    if (toks === null) return [];
    if (merged) toks.sort((a, b) => a.startOffset - b.startOffset);
    return toks.map((t) => this.ident(t));
  }

  protected expr(n: CstNode): Expr {
    return this.visit(n, this.dialect) as Expr;
  }

  protected exprs(ctx: Ctx, key: string): Expr[] {
    return this.nodes(ctx, key).map((n) => this.expr(n));
  }

  protected build<T>(n: CstNode): T {
    return this.visit(n, this.dialect) as T;
  }
}
