/**
 * Which transforms can change a tree, found in one walk for all of them. Most views use none of
 * the constructs the transforms rewrite, and each transform otherwise walks the whole tree to
 * find that out (the lane runs once per view, so these walks were a good part of its time).
 * Each test is the one its transform checks first: a transform left out here returns the tree
 * as it is and says nothing.
 */
import { walk, type Node, type NodeKind, type Query } from "../../sql/index.js";
import { hasQualify } from "./eliminate-qualify.js";
import { hasUsingJoin } from "./expand-using.js";
import { hoistsFrom } from "./hoist-ctes.js";
import type { TransformName } from "./index.js";
import { isGenerator } from "./normalize-unnest.js";

interface Trigger {
  /** The only kinds `test` can hold for. */
  readonly kinds: readonly NodeKind[];
  readonly test: (n: Node, root: Query) => boolean;
}

const TRIGGERS: { readonly [K in TransformName]: Trigger } = {
  hoist_ctes: { kinds: ["query"], test: hoistsFrom },
  eliminate_qualify: { kinds: ["select"], test: hasQualify },
  normalize_unnest: { kinds: ["lateralView", "tableFunction", "call"], test: isGenerator },
  expand_using: { kinds: ["join"], test: hasUsingJoin },
};

const NAMES = Object.keys(TRIGGERS) as TransformName[];
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

/** The transforms that may change a tree: see `applies`. */
export type Applicable = number;

/** Whether `name` is among `applicable`. */
export const applies = (applicable: Applicable, name: TransformName): boolean => (applicable & bit(name)) !== 0;

/** The transforms of `names` that may change `root`. */
export function applicableTransforms(root: Query, names: readonly TransformName[]): Applicable {
  let wanted = 0;
  for (const name of names) wanted |= bit(name);
  let found = 0;
  if (wanted === 0) return found;
  walk(root, (n) => {
    const triggers = BY_KIND.get(n.kind);
    if (triggers !== undefined) for (const t of triggers) if ((wanted & t.bit) !== 0 && (found & t.bit) === 0 && t.test(n, root)) found |= t.bit;
    return found !== wanted;
  });
  return found;
}
