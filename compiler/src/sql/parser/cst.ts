import type { IToken } from "../chevrotain.js";

/** A child of a CST node: a rule's node or a consumed token. */
export type CstChild = SqlCst | IToken;

/**
 * A CST node as the SQL parser builds it: one object that holds its rule name, its source offsets
 * and its children by rule or token name. chevrotain's own node is four objects (the node, a
 * null-prototype dictionary, a location, an array per name) and a tiny query has twenty nodes:
 * that allocation was a tenth of a parse, in the garbage collector. Children sit in six inline
 * name/list slots (a node seldom has more names: the tokens and rules of one rule body), then in a
 * Map. The builder probes a dozen names per node, most of them absent; comparing against six
 * interned strings answers that as fast as a Map lookup.
 */
export class SqlCst {
  /** Offset of the last character; -1 when the rule consumed nothing. */
  endOffset = -1;
  private k0: string | null = null;
  private l0: CstChild[] | null = null;
  private k1: string | null = null;
  private l1: CstChild[] | null = null;
  private k2: string | null = null;
  private l2: CstChild[] | null = null;
  private k3: string | null = null;
  private l3: CstChild[] | null = null;
  private k4: string | null = null;
  private l4: CstChild[] | null = null;
  private k5: string | null = null;
  private l5: CstChild[] | null = null;
  private more: Map<string, CstChild[]> | null = null;

  constructor(
    readonly name: string,
    /** Offset of the first token (the one after the rule's start). */
    readonly startOffset: number,
  ) {}

  /** The children under `key`, in source order. */
  get(key: string): CstChild[] | undefined {
    if (this.k0 === key) return this.l0!;
    if (this.k1 === key) return this.l1!;
    if (this.k2 === key) return this.l2!;
    if (this.k3 === key) return this.l3!;
    if (this.k4 === key) return this.l4!;
    if (this.k5 === key) return this.l5!;
    return this.more?.get(key);
  }

  add(key: string, child: CstChild): void {
    const list = this.get(key);
    if (list !== undefined) {
      list.push(child);
      return;
    }
    if (this.k0 === null) {
      this.k0 = key;
      this.l0 = [child];
    } else if (this.k1 === null) {
      this.k1 = key;
      this.l1 = [child];
    } else if (this.k2 === null) {
      this.k2 = key;
      this.l2 = [child];
    } else if (this.k3 === null) {
      this.k3 = key;
      this.l3 = [child];
    } else if (this.k4 === null) {
      this.k4 = key;
      this.l4 = [child];
    } else if (this.k5 === null) {
      this.k5 = key;
      this.l5 = [child];
    } else (this.more ??= new Map()).set(key, [child]);
  }

  /** The name of the first child added (null for a node without children). */
  firstKey(): string | null {
    return this.k0;
  }
}
