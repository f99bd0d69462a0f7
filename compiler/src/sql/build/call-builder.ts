import { call, namedArg } from "../ast/calls.js";
import { mapEntry, mapLiteral } from "../ast/constructors.js";
import type { QualifiedName } from "../ast/identifiers.js";
import { span } from "../ast/node.js";
import type { Expr } from "../ast/nodes.js";
import type { OrderItem } from "../ast/queries.js";
import { column, renameItem, replaceItem, star, type RenameItem, type ReplaceItem, type StarParts } from "../ast/references.js";
import { frameBound, windowFrame, windowSpec, type FrameBound, type FrameExclude, type WindowFrame, type WindowSpec } from "../ast/windows.js";
import type { Ctx } from "./base.js";
import type { CallTail } from "./call-tail.js";
import { PrimaryBuilder } from "./primary-builder.js";

/** Names, calls, windows and star modifiers. */
export abstract class CallBuilder extends PrimaryBuilder {
  nameExpr(ctx: Ctx): Expr {
    const parts = this.idents(ctx, "ColId", "TypeFuncOnly", "ColLabel");
    const mods = this.node(ctx, "starModifiers");
    if (this.has(ctx, "Star")) return star({ qualifier: parts, ...(mods ? this.build<StarParts>(mods) : {}) }, this.here);
    const tail = this.node(ctx, "callTail");
    if (!tail) return column(parts, this.here);
    const { args, parts: callParts } = this.build<CallTail>(tail);
    const only = parts.length === 1 && !parts[0]!.quoted ? parts[0]!.name.toUpperCase() : "";
    // Spark's map(k1, v1, k2, v2, …) is a map value; DuckDB's MAP(keys, values) is a function.
    if (only === "MAP" && this.dialect === "spark" && args.length % 2 === 0 && isPlain(callParts)) {
      const entries = [];
      for (let i = 0; i < args.length; i += 2) entries.push(mapEntry(args[i]!, args[i + 1]!, span(args[i]!.range, args[i + 1]!.range)));
      return mapLiteral(entries, this.here);
    }
    return call(parts, args, callParts, this.here);
  }

  qualifiedName(ctx: Ctx): QualifiedName {
    return this.idents(ctx, "ColId", "ColLabel");
  }

  callTail(ctx: Ctx): CallTail {
    const treatment = this.node(ctx, "nullTreatment");
    const overName = this.token(ctx, "ColId");
    const overSpec = this.node(ctx, "windowSpec");
    const filter = this.node(ctx, "filter");
    const within = this.nodes(ctx, "withinGroup");
    let over: WindowSpec | null = null;
    if (overSpec) over = this.build<WindowSpec>(overSpec);
    else if (overName) over = windowSpec({ base: this.ident(overName) }, this.tokenRange(overName));
    return {
      args: this.exprs(ctx, "callArg"),
      parts: {
        distinct: this.has(ctx, "DISTINCT"),
        orderBy: this.nodes(ctx, "orderItem").map((n) => this.build<OrderItem>(n)),
        withinGroup: this.has(ctx, "WITHIN") ? within.map((n) => this.build<OrderItem>(n)) : null,
        filter: filter ? this.expr(filter) : null,
        nullTreatment: treatment ? this.build<"IGNORE" | "RESPECT">(treatment) : null,
        over,
      },
    };
  }

  nullTreatment(ctx: Ctx): "IGNORE" | "RESPECT" {
    return this.has(ctx, "IGNORE") ? "IGNORE" : "RESPECT";
  }

  callArg(ctx: Ctx): Expr {
    const lam = this.node(ctx, "lambdaExpr");
    if (lam) return this.expr(lam);
    const value = this.node(ctx, "value");
    if (value) return namedArg(this.ident(this.needToken(ctx, "ColLabel")), this.expr(value), this.here);
    return this.expr(this.need(ctx, "expression"));
  }

  windowSpec(ctx: Ctx): WindowSpec {
    const base = this.token(ctx, "ColId");
    const frame = this.node(ctx, "frameClause");
    return windowSpec(
      {
        base: base ? this.ident(base) : null,
        partitionBy: this.exprs(ctx, "expression"),
        orderBy: this.nodes(ctx, "orderItem").map((n) => this.build<OrderItem>(n)),
        frame: frame ? this.build<WindowFrame>(frame) : null,
      },
      this.here,
    );
  }

  frameClause(ctx: Ctx): WindowFrame {
    const units = this.has(ctx, "ROWS") ? "ROWS" : this.has(ctx, "RANGE") ? "RANGE" : "GROUPS";
    const [start, end] = this.nodes(ctx, "frameBound").map((n) => this.build<FrameBound>(n));
    let exclude: FrameExclude | null = null;
    if (this.has(ctx, "EXCLUDE")) exclude = this.has(ctx, "CURRENT") ? "CURRENT ROW" : this.has(ctx, "GROUP") ? "GROUP" : this.has(ctx, "TIES") ? "TIES" : "NO OTHERS";
    return windowFrame(units, start!, end ?? null, exclude, this.here);
  }

  frameBound(ctx: Ctx): FrameBound {
    const following = this.has(ctx, "FOLLOWING");
    if (this.has(ctx, "UNBOUNDED")) return frameBound(following ? "UNBOUNDED FOLLOWING" : "UNBOUNDED PRECEDING", null, this.here);
    if (this.has(ctx, "CURRENT")) return frameBound("CURRENT ROW", null, this.here);
    return frameBound(following ? "FOLLOWING" : "PRECEDING", this.expr(this.need(ctx, "arithExpr")), this.here);
  }

  starExpr(ctx: Ctx): Expr {
    const mods = this.node(ctx, "starModifiers");
    return star(mods ? this.build<StarParts>(mods) : {}, this.here);
  }

  starModifiers(ctx: Ctx): StarParts {
    return {
      exclude: this.nodes(ctx, "starExclude").flatMap((n) => this.build<QualifiedName[]>(n)),
      replace: this.nodes(ctx, "starReplace").flatMap((n) => this.build<ReplaceItem[]>(n)),
      rename: this.nodes(ctx, "starRename").flatMap((n) => this.build<RenameItem[]>(n)),
    };
  }

  starExclude(ctx: Ctx): QualifiedName[] {
    return this.nodes(ctx, "qualifiedName").map((n) => this.build<QualifiedName>(n));
  }

  starReplace(ctx: Ctx): ReplaceItem[] {
    return this.nodes(ctx, "starReplaceItem").map((n) => this.build<ReplaceItem>(n));
  }

  starReplaceItem(ctx: Ctx): ReplaceItem {
    return replaceItem(this.expr(this.need(ctx, "expression")), this.ident(this.needToken(ctx, "ColLabel")), this.here);
  }

  starRename(ctx: Ctx): RenameItem[] {
    return this.nodes(ctx, "starRenameItem").map((n) => this.build<RenameItem>(n));
  }

  starRenameItem(ctx: Ctx): RenameItem {
    return renameItem(this.build<QualifiedName>(this.need(ctx, "qualifiedName")), this.ident(this.needToken(ctx, "ColLabel")), this.here);
  }
}

function isPlain(p: { readonly distinct?: boolean; readonly filter?: Expr | null; readonly over?: WindowSpec | null }): boolean {
  return !p.distinct && !p.filter && !p.over;
}
