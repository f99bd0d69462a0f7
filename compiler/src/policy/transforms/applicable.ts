/**
 * Which transforms can change a tree: what each transform checks first. Most views use none of
 * the constructs the transforms rewrite, and a walk per transform to find that out was a good
 * part of the lane's time (it runs once per view): one walk finds it for all of them, and is
 * remembered per tree (trees are immutable), so the transforms after the first that leave a
 * tree as it is ask for free.
 */
import { walk, type Node, type NodeKind, type Query } from "../../sql/index.js";
import type { TransformName } from "./index.js";
import { functionName } from "./names.js";

/** Table functions and calls normalize_unnest rewrites (in some dialect). */
const GENERATORS: ReadonlySet<string> = new Set(["unnest", "explode", "explode_outer"]);

interface Trigger {
  /** The only kinds `test` can hold for. */
  readonly kinds: readonly NodeKind[];
  /** Whether `n`, a node of the tree `root`, makes the transform look at the tree. */
  readonly test: (n: Node, root: Query) => boolean;
}

const TRIGGERS: { readonly [K in TransformName]: Trigger } = {
  // a WITH below the top level
  hoist_ctes: { kinds: ["query"], test: (n, root) => n !== root && n.kind === "query" && !!n.with },
  eliminate_qualify: { kinds: ["select"], test: (n) => n.kind === "select" && n.qualify !== null },
  // in any dialect: a LATERAL VIEW, an unnest / explode
  normalize_unnest: {
    kinds: ["lateralView", "tableFunction", "call"],
    test: (n) => n.kind === "lateralView" || ((n.kind === "tableFunction" || n.kind === "call") && GENERATORS.has(functionName(n.name))),
  },
  expand_using: { kinds: ["join"], test: (n) => n.kind === "join" && n.using !== null },
};

const NAMES = Object.keys(TRIGGERS) as TransformName[];
const ALL = (1 << NAMES.length) - 1;
/** A bit per transform, in `NAMES` order. */
const bit = (name: TransformName): number => 1 << NAMES.indexOf(name);

/** Per kind, the transforms whose test may hold for a node of that kind (most kinds: none). */
const BY_KIND = new Map<string, { readonly bit: number; readonly test: Trigger["test"] }[]>();
for (const name of NAMES) {
  for (const kind of TRIGGERS[name].kinds) {
    const list = BY_KIND.get(kind) ?? [];
    list.push({ bit: bit(name), test: TRIGGERS[name].test });
    BY_KIND.set(kind, list);
  }
}

const SCANS = new WeakMap<Query, number>();

/** Whether transform `name` may change `root` (false: it returns the tree as it is and says nothing). */
export function mayApply(root: Query, name: TransformName): boolean {
  let found = SCANS.get(root);
  if (found === undefined) {
    let f = 0;
    walk(root, (n) => {
      const triggers = BY_KIND.get(n.kind);
      if (triggers !== undefined) for (const t of triggers) if ((f & t.bit) === 0 && t.test(n, root)) f |= t.bit;
      return f !== ALL;
    });
    SCANS.set(root, f);
    found = f;
  }
  return (found & bit(name)) !== 0;
}
