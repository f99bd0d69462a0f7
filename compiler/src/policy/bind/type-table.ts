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
  // one flat list of (expr, type, nullable) triples: no object per node while binding
  #log: (Expr | ValueType | boolean)[] = [];
  #map: Map<Expr, ExprType> | null = null;

  add(expr: Expr, type: ValueType, nullable: boolean): void {
    if (this.#map) this.#map.set(expr, { type, nullable });
    else this.#log.push(expr, type, nullable);
  }

  #all(): Map<Expr, ExprType> {
    if (!this.#map) {
      const map = new Map<Expr, ExprType>();
      const log = this.#log;
      for (let i = 0; i < log.length; i += 3) map.set(log[i] as Expr, { type: log[i + 1] as ValueType, nullable: log[i + 2] as boolean });
      this.#map = map;
      this.#log = [];
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
