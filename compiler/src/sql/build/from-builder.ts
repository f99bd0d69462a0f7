import type { Identifier } from "../ast/identifiers.js";
import { range, type Range } from "../ast/node.js";
import type { Expr, TableExpr } from "../ast/nodes.js";
import { selectItem, type Query, type SelectItem } from "../ast/queries.js";
import { column } from "../ast/references.js";
import type { QualifiedName } from "../ast/identifiers.js";
import { derivedTable, join, lateralView, pivot, tableAlias, tableFunction, tableRef, unpivot, type JoinType, type TableAlias } from "../ast/tables.js";
import type { Ctx } from "./base.js";
import { CallBuilder } from "./call-builder.js";

/** One `JOIN right [nested joins] [ON | USING]` as written, before it is folded into the tree. */
interface JoinStep {
  readonly type: JoinType;
  readonly natural: boolean;
  readonly right: TableExpr;
  readonly nested: readonly JoinStep[];
  readonly on: Expr | null;
  readonly using: readonly Identifier[] | null;
  readonly start: number;
  readonly end: number;
}

/** Join types that need a condition (CROSS and POSITIONAL have none; NATURAL implies one). */
const CONDITIONED: ReadonlySet<JoinType> = new Set(["INNER", "LEFT", "RIGHT", "FULL", "SEMI", "ANTI"]);

/** FROM lists and joins. */
export abstract class FromBuilder extends CallBuilder {
  fromList(ctx: Ctx): TableExpr[] {
    const items = this.nodes(ctx, "tableExpr").map((n) => this.build<TableExpr>(n));
    for (const v of this.nodes(ctx, "lateralViewClause")) items.push(this.build<(source: TableExpr) => TableExpr>(v)(items.pop()!));
    return items;
  }

  lateralViewClause(ctx: Ctx): (source: TableExpr) => TableExpr {
    const here = this.here;
    const name = this.build<QualifiedName>(this.need(ctx, "qualifiedName"));
    const args = this.build<Expr[]>(this.need(ctx, "tableArgs"));
    const table = this.token(ctx, "table");
    const parts = { outer: this.has(ctx, "OUTER"), table: table ? this.ident(table) : null, columns: this.idents(ctx, "column") };
    return (source) => lateralView(source, name, args, parts, range(source.range.start, here.end));
  }

  tableExpr(ctx: Ctx): TableExpr {
    const first = this.build<TableExpr>(this.need(ctx, "tablePrimary"));
    return this.fold(first, this.nodes(ctx, "joinClause").map((n) => this.build<JoinStep>(n)));
  }

  /**
   * Left-deep joins; a step's nested joins form its right side when the step has a condition
   * of its own (`a JOIN b JOIN c ON x ON y`), and continue the chain otherwise.
   */
  private fold(left: TableExpr, steps: readonly JoinStep[]): TableExpr {
    let acc = left;
    for (const s of steps) {
      if (!s.on && !s.using && !s.natural && s.nested.length === 0 && CONDITIONED.has(s.type)) {
        this.report(`${s.type === "INNER" ? "JOIN" : `${s.type} JOIN`} needs ON or USING`, range(s.start, s.end), "write CROSS JOIN for a cross product");
      }
      if (!s.on && !s.using && s.nested.length === 0 && (s.right.kind === "pivot" || s.right.kind === "unpivot")) this.reportPivotAfterJoin(s);
      const r = (end: number): Range => range(acc.range.start, end);
      if (s.nested.length > 0 && !s.on && !s.using) {
        acc = join(s.type, acc, s.right, { natural: s.natural }, r(s.right.range.end));
        acc = this.fold(acc, s.nested);
      } else {
        acc = join(s.type, acc, this.fold(s.right, s.nested), { natural: s.natural, on: s.on, using: s.using }, r(s.end));
      }
    }
    return acc;
  }

  /**
   * `a CROSS JOIN b UNPIVOT (…)` (also POSITIONAL and NATURAL joins, which take no condition):
   * DuckDB and Spark apply the operator to the whole join, SQLGlot and this grammar to `b`. The
   * two readings have different columns, so the form is refused with both spellings as hints.
   */
  private reportPivotAfterJoin(s: JoinStep): void {
    const op = s.right.kind === "pivot" ? "PIVOT" : "UNPIVOT";
    const join = `${s.natural ? "NATURAL " : ""}${s.type === "INNER" ? "" : `${s.type} `}JOIN`;
    this.report(
      `${op} after ${join} is read two ways: DuckDB and Spark apply it to the whole join, SQLGlot to the table before it`,
      s.right.range,
      `write FROM (SELECT * FROM … ${join} …) ${op} (…) to apply it to the join, or ${join} (SELECT * FROM t ${op} (…)) AS alias to apply it to one table`,
    );
  }

  joinClause(ctx: Ctx): JoinStep {
    const { type, natural } = this.build<{ type: JoinType; natural: boolean }>(this.need(ctx, "joinType"));
    const onNode = this.node(ctx, "expression");
    return {
      type,
      natural,
      right: this.build<TableExpr>(this.need(ctx, "tablePrimary")),
      nested: this.nodes(ctx, "joinClause").map((n) => this.build<JoinStep>(n)),
      on: onNode ? this.expr(onNode) : null,
      using: this.has(ctx, "USING") ? this.idents(ctx, "ColId") : null,
      start: this.here.start,
      end: this.here.end,
    };
  }

  joinType(ctx: Ctx): { type: JoinType; natural: boolean } {
    const natural = this.has(ctx, "NATURAL");
    const type: JoinType = this.has(ctx, "CROSS")
      ? "CROSS"
      : this.has(ctx, "POSITIONAL")
        ? "POSITIONAL"
        : this.has(ctx, "SEMI")
          ? "SEMI"
          : this.has(ctx, "ANTI")
            ? "ANTI"
            : this.has(ctx, "LEFT")
              ? "LEFT"
              : this.has(ctx, "RIGHT")
                ? "RIGHT"
                : this.has(ctx, "FULL")
                  ? "FULL"
                  : "INNER";
    return { type, natural };
  }

  tablePrimary(ctx: Ctx): TableExpr {
    let t = this.primaryTable(ctx);
    // PIVOT and UNPIVOT apply in the order written (their CST lists are separate).
    const ops = [...this.nodes(ctx, "pivotClause"), ...this.nodes(ctx, "unpivotClause")].sort((a, b) => this.rangeOf(a).start - this.rangeOf(b).start);
    for (const op of ops) t = this.build<(source: TableExpr) => TableExpr>(op)(t);
    return t;
  }

  private primaryTable(ctx: Ctx): TableExpr {
    const q = this.node(ctx, "query");
    if (q) {
      const alias = this.node(ctx, "tableAlias");
      return derivedTable(this.build<Query>(q), alias ? this.build<TableAlias>(alias) : null, this.has(ctx, "LATERAL"), range(this.here.start, alias ? this.rangeOf(alias).end : this.needToken(ctx, "RParen").startOffset + 1));
    }
    const nested = this.node(ctx, "tableExpr");
    if (nested) return this.build<TableExpr>(nested);
    return this.build<TableExpr>(this.need(ctx, "namedTable"));
  }

  pivotClause(ctx: Ctx): (source: TableExpr) => TableExpr {
    const here = this.here;
    const aggregates = this.nodes(ctx, "aggregate").map((n) => this.build<SelectItem>(n));
    const columns = this.build<QualifiedName[]>(this.need(ctx, "nameList")).map((q) => column(q, range(q[0]!.range.start, q[q.length - 1]!.range.end)));
    const values = this.nodes(ctx, "value").map((n) => this.build<SelectItem>(n));
    const aliasNode = this.node(ctx, "tableAlias");
    const alias = aliasNode ? this.build<TableAlias>(aliasNode) : null;
    return (source) => pivot(source, aggregates, columns, values, alias, range(source.range.start, here.end));
  }

  unpivotClause(ctx: Ctx): (source: TableExpr) => TableExpr {
    const here = this.here;
    const valueColumns = this.build<QualifiedName[]>(this.need(ctx, "valueColumns")).map((q) => q[q.length - 1]!);
    const nameColumn = this.ident(this.needToken(ctx, "ColId"));
    const columns = this.nodes(ctx, "aliasedExpr").map((n) => this.build<SelectItem>(n));
    const aliasNode = this.node(ctx, "tableAlias");
    const includeNulls = this.has(ctx, "NULLS") ? this.has(ctx, "INCLUDE") : null;
    const alias = aliasNode ? this.build<TableAlias>(aliasNode) : null;
    return (source) => unpivot(source, valueColumns, nameColumn, columns, { includeNulls, alias }, range(source.range.start, here.end));
  }

  nameList(ctx: Ctx): QualifiedName[] {
    return this.nodes(ctx, "qualifiedName").map((n) => this.build<QualifiedName>(n));
  }

  aliasedExpr(ctx: Ctx): SelectItem {
    const alias = this.token(ctx, "ColLabel") ?? this.token(ctx, "BareAlias");
    return selectItem(this.expr(this.need(ctx, "expression")), alias ? this.ident(alias) : null, this.here);
  }

  namedTable(ctx: Ctx): TableExpr {
    const name = this.idents(ctx, "ColId", "TypeFuncOnly", "ColLabel");
    const aliasNode = this.node(ctx, "tableAlias");
    const alias = aliasNode ? this.build<TableAlias>(aliasNode) : null;
    const args = this.node(ctx, "tableArgs");
    const lateral = this.has(ctx, "LATERAL");
    if (args && name.length === 1 && !name[0]!.quoted && name[0]!.name.toUpperCase() === "VALUES") {
      // DuckDB and ANSI SQL have no VALUES table function; Spark reads an inline table (col1, …)
      // and ClickHouse a table function: refused rather than guessed (bound as a function, any
      // column would resolve against it).
      this.report("VALUES in FROM needs parentheses: FROM VALUES (…) is not DuckDB or ANSI SQL", this.here, `write FROM (VALUES (…), (…)) AS t(c1, c2, …)`);
    }
    if (args) return tableFunction(name, this.build<Expr[]>(args), { ordinality: this.has(ctx, "ORDINALITY"), alias, lateral }, this.here);
    if (lateral) this.report("LATERAL needs a subquery or a table function", this.here);
    return tableRef(name, alias, this.here);
  }

  tableArgs(ctx: Ctx): Expr[] {
    return this.exprs(ctx, "callArg");
  }

  tableAlias(ctx: Ctx): TableAlias {
    const nameTok = this.token(ctx, "ColLabel") ?? this.needToken(ctx, "BareAlias");
    return tableAlias(this.ident(nameTok), this.idents(ctx, "ColId"), this.here);
  }
}
