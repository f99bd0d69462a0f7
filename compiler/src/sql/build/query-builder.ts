import { numberLiteral } from "../ast/literals.js";
import { span, type Range } from "../ast/node.js";
import type { Expr, GroupingElement, QueryBody } from "../ast/nodes.js";
import {
  cte, cube, groupBy, groupingSets, orderItem, query, rollup, select, selectItem, setOperation, values, withClause,
  type Cte, type GroupBy, type OrderItem, type Query, type SelectItem, type SetOp, type With,
} from "../ast/queries.js";
import type { TableExpr } from "../ast/nodes.js";
import { namedWindow, type NamedWindow, type WindowSpec } from "../ast/windows.js";
import type { Ctx } from "./base.js";
import { FromBuilder } from "./from-builder.js";

interface SetOpStep {
  readonly op: SetOp;
  readonly all: boolean;
  readonly byName: boolean;
}

interface LimitStep {
  readonly part: "limit" | "offset";
  readonly value: Expr | null;
}

/** Queries and their clauses. */
export abstract class QueryBuilder extends FromBuilder {
  query(ctx: Ctx): Query {
    const withNode = this.node(ctx, "withClause");
    const terms = this.nodes(ctx, "queryTerm").map((n) => this.build<QueryBody>(n));
    const ops = this.nodes(ctx, "setOperator").map((n) => this.build<SetOpStep>(n));
    const orderNode = this.node(ctx, "orderByClause");
    let limit: Expr | null = null;
    let offset: Expr | null = null;
    let seenLimit = false;
    let seenOffset = false;
    for (const n of this.nodes(ctx, "limitPart")) {
      const step = this.build<LimitStep>(n);
      const seen = step.part === "limit" ? seenLimit : seenOffset;
      if (seen) this.report(`${step.part.toUpperCase()} given twice`, this.rangeOf(n));
      if (step.part === "limit") {
        seenLimit = true;
        limit = step.value;
      } else {
        seenOffset = true;
        offset = step.value;
      }
    }
    return query(
      combineSetOps(terms, ops),
      { with: withNode ? this.build<With>(withNode) : null, orderBy: orderNode ? this.build<OrderItem[]>(orderNode) : [], limit, offset },
      this.here,
    );
  }

  withClause(ctx: Ctx): With {
    return withClause(this.has(ctx, "RECURSIVE"), this.nodes(ctx, "cte").map((n) => this.build<Cte>(n)), this.here);
  }

  cte(ctx: Ctx): Cte {
    const [name, ...columns] = this.idents(ctx, "ColId");
    const materialized = this.has(ctx, "MATERIALIZED") ? !this.has(ctx, "NOT") : null;
    return cte(name!, columns, this.build<Query>(this.need(ctx, "query")), materialized, this.here);
  }

  setOperator(ctx: Ctx): SetOpStep {
    const op: SetOp = this.has(ctx, "UNION") ? "UNION" : this.has(ctx, "INTERSECT") ? "INTERSECT" : "EXCEPT";
    return { op, all: this.has(ctx, "ALL"), byName: this.has(ctx, "NAME") };
  }

  queryTerm(ctx: Ctx): QueryBody {
    return this.build<QueryBody>(this.node(ctx, "selectCore") ?? this.node(ctx, "valuesClause") ?? this.need(ctx, "query"));
  }

  selectCore(ctx: Ctx): QueryBody {
    const from = this.node(ctx, "fromList");
    const where = this.node(ctx, "where");
    const group = this.node(ctx, "groupByClause");
    const having = this.node(ctx, "having");
    const win = this.node(ctx, "windowClause");
    const qualify = this.node(ctx, "qualify");
    const distinctOn = this.has(ctx, "ON") ? this.exprs(ctx, "distinctOn") : null;
    return select(
      this.nodes(ctx, "selectItem").map((n) => this.build<SelectItem>(n)),
      {
        distinct: this.has(ctx, "DISTINCT"),
        distinctOn,
        from: from ? this.build<TableExpr[]>(from) : [],
        where: where ? this.expr(where) : null,
        groupBy: group ? this.build<GroupBy>(group) : null,
        having: having ? this.expr(having) : null,
        windows: win ? this.build<NamedWindow[]>(win) : [],
        qualify: qualify ? this.expr(qualify) : null,
      },
      this.here,
    );
  }

  selectItem(ctx: Ctx): SelectItem {
    const alias = this.token(ctx, "ColLabel") ?? this.token(ctx, "BareAlias");
    return selectItem(this.expr(this.need(ctx, "expression")), alias ? this.ident(alias) : null, this.here);
  }

  valuesClause(ctx: Ctx): QueryBody {
    return values(this.nodes(ctx, "exprList").map((n) => this.build<Expr[]>(n)), this.here);
  }

  groupByClause(ctx: Ctx): GroupBy {
    return groupBy(this.nodes(ctx, "groupingElement").map((n) => this.build<GroupingElement>(n)), this.has(ctx, "ALL"), this.here);
  }

  groupingElement(ctx: Ctx): GroupingElement {
    const list = this.node(ctx, "exprList");
    if (list) return this.has(ctx, "ROLLUP") ? rollup(this.build<Expr[]>(list), this.here) : cube(this.build<Expr[]>(list), this.here);
    if (this.has(ctx, "SETS")) return groupingSets(this.nodes(ctx, "groupingElement").map((n) => this.build<GroupingElement>(n)), this.here);
    return this.expr(this.need(ctx, "expression"));
  }

  windowClause(ctx: Ctx): NamedWindow[] {
    return this.nodes(ctx, "namedWindow").map((n) => this.build<NamedWindow>(n));
  }

  namedWindow(ctx: Ctx): NamedWindow {
    return namedWindow(this.ident(this.needToken(ctx, "ColId")), this.build<WindowSpec>(this.need(ctx, "windowSpec")), this.here);
  }

  orderByClause(ctx: Ctx): OrderItem[] {
    return this.nodes(ctx, "orderItem").map((n) => this.build<OrderItem>(n));
  }

  orderItem(ctx: Ctx): OrderItem {
    const direction = this.has(ctx, "ASC") ? "ASC" : this.has(ctx, "DESC") ? "DESC" : null;
    const nulls = this.has(ctx, "FIRST") ? "FIRST" : this.has(ctx, "LAST") ? "LAST" : null;
    return orderItem(this.expr(this.need(ctx, "expression")), direction, nulls, this.here);
  }

  /** FETCH FIRST n ROWS ONLY is LIMIT n (LIMIT 1 without n); LIMIT ALL is no limit. */
  limitPart(ctx: Ctx): LimitStep {
    if (this.has(ctx, "OFFSET")) return { part: "offset", value: this.expr(this.need(ctx, "offset")) };
    if (this.has(ctx, "FETCH")) {
      const n = this.node(ctx, "fetch");
      return { part: "limit", value: n ? this.expr(n) : numberOne(this.here) };
    }
    const n = this.node(ctx, "limit");
    return { part: "limit", value: n ? this.expr(n) : null };
  }
}


function numberOne(r: Range): Expr {
  return numberLiteral("1", r);
}

/** Set operations: INTERSECT binds tighter than UNION and EXCEPT; all are left-associative. */
function combineSetOps(terms: readonly QueryBody[], ops: readonly SetOpStep[]): QueryBody {
  if (ops.length === 0) return terms[0]!;
  const reduced: QueryBody[] = [terms[0]!];
  const outer: SetOpStep[] = [];
  ops.forEach((op, i) => {
    const right = terms[i + 1]!;
    if (op.op === "INTERSECT") {
      const left = reduced.pop()!;
      reduced.push(setOperation(op.op, left, right, op.all, op.byName, span(left.range, right.range)));
    } else {
      outer.push(op);
      reduced.push(right);
    }
  });
  let acc = reduced[0]!;
  outer.forEach((op, i) => {
    const right = reduced[i + 1]!;
    acc = setOperation(op.op, acc, right, op.all, op.byName, span(acc.range, right.range));
  });
  return acc;
}
