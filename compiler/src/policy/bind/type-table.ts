/**
 * The side table of expression types (BindResult.types), made on first read from what binding
 * recorded, in order (a later binding of a node wins, as with Map.set). The policy lane never
 * reads it, and a Map insert per expression node was about a tenth of binding's time on TPC-H.
 */
import type { Expr } from "../../sql/index.js";
import type { ValueType } from "./value-type.js";

export interface ExprType {
  readonly type: ValueType;
  readonly nullable: boolean;
}

export class TypeTable implements ReadonlyMap<Expr, ExprType> {
  // three flat lists: no object per node while binding
  readonly #exprs: Expr[] = [];
  readonly #types: ValueType[] = [];
  readonly #nullable: boolean[] = [];
  #map: Map<Expr, ExprType> | null = null;

  add(expr: Expr, type: ValueType, nullable: boolean): void {
    if (this.#map) this.#map.set(expr, { type, nullable });
    else {
      this.#exprs.push(expr);
      this.#types.push(type);
      this.#nullable.push(nullable);
    }
  }

  #all(): Map<Expr, ExprType> {
    if (!this.#map) {
      const map = new Map<Expr, ExprType>();
      for (let i = 0; i < this.#exprs.length; i++) map.set(this.#exprs[i]!, { type: this.#types[i]!, nullable: this.#nullable[i]! });
      this.#map = map;
      this.#exprs.length = 0;
      this.#types.length = 0;
      this.#nullable.length = 0;
    }
    return this.#map;
  }

  get size(): number {
    return this.#all().size;
  }

  get(e: Expr): ExprType | undefined {
    return this.#all().get(e);
  }

  has(e: Expr): boolean {
    return this.#all().has(e);
  }

  forEach(fn: (value: ExprType, key: Expr, map: ReadonlyMap<Expr, ExprType>) => void, thisArg?: unknown): void {
    this.#all().forEach((v, k) => fn.call(thisArg, v, k, this));
  }

  entries(): MapIterator<[Expr, ExprType]> {
    return this.#all().entries();
  }

  keys(): MapIterator<Expr> {
    return this.#all().keys();
  }

  values(): MapIterator<ExprType> {
    return this.#all().values();
  }

  [Symbol.iterator](): MapIterator<[Expr, ExprType]> {
    return this.#all()[Symbol.iterator]();
  }
}
