import type { SqlCst as CstNode } from "../parser/cst.js";
import { range } from "../ast/node.js";
import { arrayType, mapType, structType, structTypeField, typeName, type StructTypeField, type TypeNode } from "../ast/types.js";
import { BuilderBase, type Ctx } from "./base.js";
import { canonicalTypeName } from "./type-names.js";

/** Types: canonical names (see type-names.ts), DuckDB and Spark spellings of nested types. */
export abstract class TypeBuilder extends BuilderBase {
  protected type(n: CstNode): TypeNode {
    return this.build<TypeNode>(n);
  }

  typeSpec(ctx: Ctx): TypeNode {
    const inner = this.node(ctx, "angleType") ?? this.node(ctx, "structTypeParens") ?? this.node(ctx, "mapTypeParens") ?? this.need(ctx, "simpleType");
    let t = this.type(inner);
    const opens = this.tokens(ctx, "LBracket");
    const closes = this.tokens(ctx, "RBracket");
    const sizes = this.tokens(ctx, "NumberLit");
    opens.forEach((open, i) => {
      const close = closes[i];
      const size = sizes.find((s) => s.startOffset > open.startOffset && (!close || s.startOffset < close.startOffset));
      t = arrayType(t, size ? Number(size.image) : null, range(t.range.start, close ? close.startOffset + 1 : open.startOffset + 1));
    });
    return t;
  }

  angleType(ctx: Ctx): TypeNode {
    const r = this.here;
    const types = this.nodes(ctx, "typeSpec").map((x) => this.type(x));
    if (this.has(ctx, "ARRAY")) return arrayType(types[0]!, null, r);
    if (this.has(ctx, "MAP")) return mapType(types[0]!, types[1]!, r);
    return structType(this.nodes(ctx, "structTypeField").map((f) => this.build<StructTypeField>(f)), r);
  }

  structTypeField(ctx: Ctx): StructTypeField {
    return structTypeField(this.ident(this.needToken(ctx, "ColLabel")), this.type(this.need(ctx, "typeSpec")), this.here);
  }

  structTypeParens(ctx: Ctx): TypeNode {
    const fields = this.nodes(ctx, "structTypeField").map((f) => this.build<StructTypeField>(f));
    return structType(fields, this.here);
  }

  mapTypeParens(ctx: Ctx): TypeNode {
    const [k, v] = this.nodes(ctx, "typeSpec").map((x) => this.type(x));
    return mapType(k!, v!, this.here);
  }

  simpleType(ctx: Ctx): TypeNode {
    const words = this.tokens(ctx, "FuncName").map((t) => this.ident(t).name);
    if (this.has(ctx, "ZONE")) words.push(this.has(ctx, "WITH") ? "WITH" : "WITHOUT", "TIME", "ZONE");
    const params = this.tokens(ctx, "NumberLit").map((t) => Number(t.image));
    return typeName(canonicalTypeName(words.join(" "), this.dialect), params, this.here);
  }
}
