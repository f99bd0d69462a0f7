/** The transforms a PolicyProfile can name (policy lane step 2), by their profile names. */
import type { Query } from "../../sql/index.js";
import type { PolicyProfile } from "../profile.js";
import { eliminateQualify } from "./eliminate-qualify.js";
import { expandUsing } from "./expand-using.js";
import { hoistCtes } from "./hoist-ctes.js";
import { normalizeUnnest } from "./normalize-unnest.js";
import type { PassResult } from "./pass.js";

export type TransformName = PolicyProfile["transforms"][number];

export const TRANSFORMS: { readonly [K in TransformName]: (q: Query, profile: PolicyProfile) => PassResult } = {
  hoist_ctes: (q) => hoistCtes(q),
  eliminate_qualify: (q) => eliminateQualify(q),
  normalize_unnest: (q, p) => normalizeUnnest(q, { dialect: p.dialect }),
  expand_using: (q) => expandUsing(q),
};

export { eliminateQualify, expandUsing, hoistCtes, normalizeUnnest };
export { passDiagnostic, type LaneCode, type PassDiagnostic, type PassResult } from "./pass.js";
