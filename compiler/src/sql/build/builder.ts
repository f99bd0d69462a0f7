import type { SqlCst as CstNode } from "../parser/cst.js";
import type { Expr } from "../ast/nodes.js";
import type { Query } from "../ast/queries.js";
import type { BaseDialect } from "../dialect.js";
import type { SqlDiagnostic } from "../diagnostics.js";
import type { Ctx } from "./base.js";
import { QueryBuilder } from "./query-builder.js";

/**
 * The CST → AST builder: one method per grammar rule, checked against the grammar when the
 * builder is made (a rule without a method fails at start-up, not on the first query using it).
 */
export class AstBuilder extends QueryBuilder {
  constructor() {
    super();
    this.validateVisitor();
  }

  queryStatement(ctx: Ctx): Query {
    return this.build<Query>(this.need(ctx, "query"));
  }

  expressionStatement(ctx: Ctx): Expr {
    return this.expr(this.need(ctx, "expression"));
  }

  buildQuery(cst: CstNode, dialect: BaseDialect): { readonly ast: Query; readonly diagnostics: SqlDiagnostic[] } {
    this.begin(dialect);
    const ast = this.build<Query>(cst);
    return { ast, diagnostics: this.takeDiagnostics() };
  }

  buildExpression(cst: CstNode, dialect: BaseDialect): { readonly ast: Expr; readonly diagnostics: SqlDiagnostic[] } {
    this.begin(dialect);
    const ast = this.expr(cst);
    return { ast, diagnostics: this.takeDiagnostics() };
  }
}

let instance: AstBuilder | null = null;

export function astBuilder(): AstBuilder {
  instance ??= new AstBuilder();
  return instance;
}
